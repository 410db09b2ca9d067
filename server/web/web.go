// Package web is the household page that freezerd serves under /app/:
// server-rendered html/template pages (embedded, no build step, no
// script) in English and French, to sign in, see the inventory, manage
// the devices and the account, and, for administrators, the product types
// and the accounts. Sessions and the CSRF key live in the database
// (server.SessionStore), so that several instances share them. It also
// answers GET /pair/{code}, the page a pairing QR code opens.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"freezer/domain"
	"freezer/server"
)

//go:embed templates/*.html static/*
var files embed.FS

// Store is what the page reads and writes: the server's store and the
// sessions.
type Store interface {
	server.Store
	server.SessionStore
}

// Config configures the page.
type Config struct {
	Server *server.Server
	Store  Store
	Logger *slog.Logger     // slog.Default() when nil
	Now    func() time.Time // time.Now when nil
	// SessionTTL is how long a sign-in lasts (DefaultSessionTTL when 0).
	SessionTTL time.Duration
}

// DefaultSessionTTL is how long a sign-in lasts: then the person signs in
// again.
const DefaultSessionTTL = 14 * 24 * time.Hour

// Handler serves the household page.
type Handler struct {
	srv   *server.Server
	store Store
	log   *slog.Logger
	now   func() time.Time
	ttl   time.Duration
	mux   *http.ServeMux
	pages map[string]*template.Template

	keyMu sync.Mutex
	key   []byte // the CSRF key, read once from the store
}

// Mount serves the page from cfg.Server: everything under /app/ and
// GET /pair/{code}, behind the server's middleware and rate limits.
func Mount(cfg Config) *Handler {
	h := New(cfg)
	cfg.Server.Handle("/app/", h)
	cfg.Server.Handle("GET /pair/{code}", h)
	return h
}

// New returns the page's handler (Mount puts it on the server).
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	h := &Handler{srv: cfg.Server, store: cfg.Store, log: cfg.Logger, now: cfg.Now, ttl: cfg.SessionTTL,
		mux: http.NewServeMux(), pages: parsePages()}
	h.routes()
	return h
}

// Routes lists the page's routes, for the documentation and the tests.
var Routes = []string{
	"GET /app/", "GET /app/style.css", "GET /app/lang",
	"GET /app/signin", "POST /app/signin", "GET /app/register", "POST /app/register", "POST /app/signout", "GET /app/forgot",
	"GET /app/devices", "POST /app/devices/{id}/revoke", "POST /app/devices/pairing",
	"GET /app/account", "POST /app/account/password", "GET /app/export.json", "GET /app/export.csv",
	"POST /app/feed", "POST /app/feed/revoke", "GET /app/account/delete", "POST /app/account/delete",
	"GET /app/admin", "POST /app/admin/types", "POST /app/admin/types/{id}",
	"POST /app/admin/accounts/{id}/reset-token", "POST /app/admin/accounts/{id}/delete",
	"GET /pair/{code}",
}

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET /app/{$}", h.signedIn(h.handleInventory))
	m.HandleFunc("GET /app/style.css", h.handleStyle)
	m.HandleFunc("GET /app/lang", h.handleLang)
	m.HandleFunc("GET /app/signin", h.anonymous(h.handleSignInForm))
	m.HandleFunc("POST /app/signin", h.anonymous(h.handleSignIn))
	m.HandleFunc("GET /app/register", h.anonymous(h.handleRegisterForm))
	m.HandleFunc("POST /app/register", h.anonymous(h.handleRegister))
	m.HandleFunc("POST /app/signout", h.signedIn(h.handleSignOut))
	m.HandleFunc("GET /app/forgot", h.anonymous(h.handleForgot))
	m.HandleFunc("GET /app/devices", h.signedIn(h.handleDevices))
	m.HandleFunc("POST /app/devices/{id}/revoke", h.signedIn(h.handleRevokeDevice))
	m.HandleFunc("POST /app/devices/pairing", h.signedIn(h.handlePairing))
	m.HandleFunc("GET /app/account", h.signedIn(h.handleAccount))
	m.HandleFunc("POST /app/account/password", h.signedIn(h.handleChangePassword))
	m.HandleFunc("GET /app/export.json", h.signedIn(h.handleExportJSON))
	m.HandleFunc("GET /app/export.csv", h.signedIn(h.handleExportCSV))
	m.HandleFunc("POST /app/feed", h.signedIn(h.handleFeed))
	m.HandleFunc("POST /app/feed/revoke", h.signedIn(h.handleRevokeFeed))
	m.HandleFunc("GET /app/account/delete", h.signedIn(h.handleDeleteForm))
	m.HandleFunc("POST /app/account/delete", h.signedIn(h.handleDeleteAccount))
	m.HandleFunc("GET /app/admin", h.admin(h.handleAdmin))
	m.HandleFunc("POST /app/admin/types", h.admin(h.handleAddType))
	m.HandleFunc("POST /app/admin/types/{id}", h.admin(h.handleRenameType))
	m.HandleFunc("POST /app/admin/accounts/{id}/reset-token", h.admin(h.handleResetToken))
	m.HandleFunc("POST /app/admin/accounts/{id}/delete", h.admin(h.handleAdminDelete))
	m.HandleFunc("GET /pair/{code}", h.anonymous(h.handlePairPage))
	m.HandleFunc("/", h.anonymous(func(rq *request) { rq.fail(http.StatusNotFound, "err.not_found") }))
}

// contentSecurityPolicy lets the page load its own style sheet and
// images (the QR code is a data: URI), run no script, post forms only to
// itself, and be framed by nobody.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
	w.Header().Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) handleStyle(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(files, "static/style.css")
	if err != nil {
		http.Error(w, "no style sheet", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(b)
}

// handleLang keeps the language asked for in a cookie and goes back to
// the page (a link, not a form: it changes nothing but the language).
func (h *Handler) handleLang(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("to")
	if lang != "en" && lang != "fr" {
		lang = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// localPath is next when it is a path of the page, else the page's home:
// a redirect never leaves the site.
func localPath(next string) string {
	if (strings.HasPrefix(next, "/app/") || strings.HasPrefix(next, "/pair/")) && !strings.ContainsAny(next, "\\\r\n") && !strings.HasPrefix(next, "//") {
		return next
	}
	return "/app/"
}

// internal logs err and answers the "something went wrong" page.
func (rq *request) internal(what string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	rq.h.log.Error("household page: "+what, "err", err)
	rq.fail(http.StatusInternalServerError, "err.internal")
}

// domainMessage is the key of the page's sentence for a domain error.
func domainMessage(err error) string {
	switch domain.ErrorCode(err) {
	case domain.ERateLimited:
		return "err.too_many"
	case domain.EUnauthorized:
		return "err.wrong_credentials"
	case domain.ENotFound:
		return "err.gone"
	case domain.EForbidden:
		return "err.registration_closed"
	case domain.EConflict:
		return "err.conflict"
	}
	return ""
}
