package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"freezer/domain"
	"freezer/server"
)

// Cookies. The session cookie carries a random id whose SHA-256 alone is
// stored; the pre-session cookie ties the CSRF token of the forms shown
// before signing in (sign in, create an account) to one browser.
const (
	sessionCookie = "freezer_session"
	preCookie     = "freezer_pre"
	langCookie    = "freezer_lang"
	cookiePath    = "/app/"
	csrfField     = "csrf"
	csrfKeyName   = "csrf"
)

// request is one request to the page: its language, its session (when
// signed in) and the CSRF token its forms carry.
type request struct {
	h    *Handler
	w    http.ResponseWriter
	r    *http.Request
	lang string
	sess *server.WebSession
	// sid is the session id (signed in) or the pre-session id (not): the
	// CSRF token is its HMAC under the stored key.
	sid  string
	csrf string
}

func newID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashID(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

// csrfKey is the key CSRF tokens are signed with, stored once in the
// database and kept in memory after.
func (h *Handler) csrfKey(r *http.Request) ([]byte, error) {
	h.keyMu.Lock()
	defer h.keyMu.Unlock()
	if h.key != nil {
		return h.key, nil
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	key, err := h.store.PageKey(r.Context(), csrfKeyName, fresh)
	if err != nil {
		return nil, fmt.Errorf("read the CSRF key: %w", err)
	}
	h.key = key
	return key, nil
}

// csrfToken is the token of the forms of the session (or pre-session) id.
func csrfToken(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setCookie sets one of the page's cookies: HttpOnly, SameSite=Strict,
// for /app/ only, Secure when the request came over TLS (to freezerd, or
// to a trusted proxy in front of it: the server's base URL is https).
// maxAge < 0 deletes it.
func (rq *request) setCookie(name, value string, maxAge int) {
	secure := rq.r.TLS != nil || strings.HasPrefix(rq.h.srv.BaseURL(rq.r), "https://")
	http.SetCookie(rq.w, &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// begin reads the language and the session of a request. A POST must
// carry the CSRF token of its session or pre-session, else it is refused
// (403) and changes nothing.
func (h *Handler) begin(w http.ResponseWriter, r *http.Request) (*request, bool) {
	rq := &request{h: h, w: w, r: r, lang: language(r)}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		s, err := h.store.FindSession(r.Context(), hashID(c.Value), h.now())
		switch domain.ErrorCode(err) {
		case "":
			rq.sess, rq.sid = &s, c.Value
		case domain.ENotFound:
			rq.setCookie(sessionCookie, "", -1)
		default:
			rq.internal("find session", err)
			return nil, false
		}
	}
	if rq.sid == "" {
		if c, err := r.Cookie(preCookie); err == nil && c.Value != "" {
			rq.sid = c.Value
		} else if r.Method != http.MethodPost {
			rq.sid = newID()
			rq.setCookie(preCookie, rq.sid, 0)
		}
	}
	key, err := h.csrfKey(r)
	if err != nil {
		rq.internal("csrf key", err)
		return nil, false
	}
	if rq.sid != "" {
		rq.csrf = csrfToken(key, rq.sid)
	}
	if r.Method == http.MethodPost && !rq.csrfOK() {
		rq.fail(http.StatusForbidden, "err.csrf")
		return nil, false
	}
	return rq, true
}

// csrfOK reports whether the posted form carries the request's token.
func (rq *request) csrfOK() bool {
	if rq.csrf == "" {
		return false
	}
	got := rq.r.PostFormValue(csrfField)
	return hmac.Equal([]byte(got), []byte(rq.csrf))
}

// anonymous serves a page that anyone may see.
func (h *Handler) anonymous(fn func(*request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if rq, ok := h.begin(w, r); ok {
			fn(rq)
		}
	}
}

// signedIn serves a page of a signed-in account; others go to sign in.
func (h *Handler) signedIn(fn func(*request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq, ok := h.begin(w, r)
		if !ok {
			return
		}
		if rq.sess == nil {
			http.Redirect(w, r, "/app/signin", http.StatusSeeOther)
			return
		}
		fn(rq)
	}
}

// admin serves an administrator's page; other accounts get 403.
func (h *Handler) admin(fn func(*request)) http.HandlerFunc {
	return h.signedIn(func(rq *request) {
		if !rq.sess.Admin {
			rq.fail(http.StatusForbidden, "err.not_admin")
			return
		}
		fn(rq)
	})
}

// startSession signs the account in: a new session id (a fixation-proof
// new one at every sign-in), its hash stored, the cookie set, the
// pre-session cookie dropped.
func (rq *request) startSession(accountID int64) error {
	id := newID()
	expires := rq.h.now().Add(rq.h.ttl)
	if err := rq.h.store.CreateSession(rq.r.Context(), accountID, hashID(id), expires); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	rq.setCookie(sessionCookie, id, int(rq.h.ttl/time.Second))
	rq.setCookie(preCookie, "", -1)
	return nil
}

// endSession signs this browser out.
func (rq *request) endSession() error {
	rq.setCookie(sessionCookie, "", -1)
	if rq.sess == nil {
		return nil
	}
	if err := rq.h.store.DeleteSession(rq.r.Context(), hashID(rq.sid)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
