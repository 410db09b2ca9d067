// Package server is freezerd's HTTP layer: the routes of the original
// Freezer Manager API (token in the path, seed-api.md), the /api/v1 routes
// (bearer token, RFC 9457 problems), accounts, rate limits, CORS and the
// middleware around them. Data lives behind the Store interface.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// Config configures a Server. Zero values give the defaults of freezerd.
type Config struct {
	Store  Store
	Logger *slog.Logger // slog.Default() when nil
	// Now is the clock of rate limits and login throttling (time.Now when nil).
	Now func() time.Time
	// Limits are the per-IP, per-route request limits.
	Limits Limits
	// ClientIPHeader names a header set by a trusted reverse proxy that
	// carries the client's address (X-Forwarded-For: its last entry; any
	// other header: its whole value). Empty: the connection's address.
	ClientIPHeader string
	// CORSOrigins lists the origins browsers may call from; "*" allows
	// every origin. Empty turns CORS off.
	CORSOrigins []string
	// BcryptCost is the cost of password hashes (bcrypt.DefaultCost when 0).
	BcryptCost int
	// RegistrationClosed refuses POST /api/v1/register (403): accounts are
	// then made with "freezerd users add".
	RegistrationClosed bool
	// RegistrationsPerMinute bounds registrations over every address, in
	// calendar minutes (DefaultRegistrationsPerMinute when 0, no bound
	// when negative).
	RegistrationsPerMinute int
	// LoginThrottle counts failed password attempts (in this process when
	// nil).
	LoginThrottle LoginThrottle
	// RateCounter counts the requests of the rate limits and the
	// registration limit (in this process when nil). Several instances
	// behind one load balancer share one, on their shared store.
	RateCounter RateCounter
	// CacheBytes bounds the compat response cache, in bytes
	// (DefaultCacheBytes when 0; negative: no cache).
	CacheBytes int64
	// PublicURL is the server's address as devices and calendar apps
	// reach it (https://freezer.example), for the pairing links and feed
	// URLs it hands out; empty: taken from each request (Server.BaseURL).
	PublicURL string
}

// Limits are request limits per client IP and route, counted in fixed
// windows (a calendar minute and a UTC day), like the original.
type Limits struct {
	PerMinute int
	PerDay    int
	Disabled  bool
}

// DefaultLimits are the original system's limits.
var DefaultLimits = Limits{PerMinute: 100, PerDay: 24000}

// Server serves freezerd's HTTP API.
type Server struct {
	store   Store
	log     *slog.Logger
	now     func() time.Time
	counter RateCounter
	acct    *accounts
	cfg     Config
	handler http.Handler
	mux     *http.ServeMux
	openapi openAPIDoc
	cache   *respCache
	// inFlight counts the requests being handled, for a shutdown to say
	// how many it cut.
	inFlight atomic.Int64
	// counterWarned is when the last warning of a failing rate counter was
	// logged (Unix nanoseconds), to log one a minute at most.
	counterWarned atomic.Int64
}

// New returns a server over cfg.Store.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.RateCounter == nil {
		cfg.RateCounter = newMemCounter()
	}
	s := &Server{
		store:   cfg.Store,
		log:     cfg.Logger,
		now:     cfg.Now,
		counter: cfg.RateCounter,
		acct:    newAccounts(cfg),
		cfg:     cfg,
		mux:     http.NewServeMux(),
		cache:   newRespCache(cfg.CacheBytes),
	}
	s.register()
	s.handler = s.countInFlight(s.recoverPanics(s.logRequests(s.secureHeaders(s.cors(s.limitBody(s.mux))))))
	return s
}

// InFlight returns how many requests are being handled now.
func (s *Server) InFlight() int { return int(s.inFlight.Load()) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Listen opens freezerd's TCP listener on addr. Its connections send no
// TCP keep-alive probes: the timeouts of HTTPServer already close a
// connection whose peer is gone (an idle one after IdleTimeout, a request
// after ReadTimeout or WriteTimeout), and turning the probes on cost four
// setsockopt calls per accepted connection, a tenth of the system calls
// of a request on a new connection. Its error is net's, for the caller
// to explain.
func Listen(ctx context.Context, addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	return lc.Listen(ctx, "tcp", addr)
}

// HTTPServer returns an http.Server for addr with freezerd's timeouts.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// route is one "METHOD /path" of the mux.
type route struct {
	pattern string
	handler http.HandlerFunc
	// ints names the path wildcards that must be integers: a word there
	// answers 404 (before the rate limit counts the request).
	ints []string
	// public routes need no token (documented as such in OpenAPI).
	public bool
}

// routes lists every route of freezerd.
func (s *Server) routes() []route {
	return []route{
		// The original Freezer Manager API (seed-api.md).
		{pattern: "GET /{$}", handler: s.handleIndex, public: true},
		{pattern: "GET /check_token/{token}", handler: s.handleCheckToken},
		{pattern: "GET /types/{token}", handler: s.handleCompatTypes},
		{pattern: "GET /freezers/{token}", handler: s.handleCompatListFreezers},
		{pattern: "POST /freezers/{token}", handler: s.handleCompatCreateFreezer},
		{pattern: "PUT /freezers/{token}", handler: s.handleCompatUpdateFreezer},
		{pattern: "DELETE /freezers/{token}", handler: s.handleCompatDeleteFreezer},
		{pattern: "GET /freezer_next_id/{freezer_id}/{token}", handler: s.handleCompatNextID, ints: []string{"freezer_id"}},
		{pattern: "GET /get_product/{param}/{freezer_id}/{token}", handler: s.handleCompatGetProducts, ints: []string{"freezer_id"}},
		{pattern: "POST /add_product/{token}", handler: s.handleCompatAddProduct},
		{pattern: "POST /update_product/{freezer_id}/{box_num}/{prod_num}/{inside}/{token}", handler: s.handleCompatUpdateProduct,
			ints: []string{"freezer_id", "box_num", "prod_num", "inside"}},
		{pattern: "GET /general_tendency/{token}", handler: s.handleCompatGeneralTendency},
		{pattern: "GET /custom_tendency/{token}", handler: s.handleCompatCustomTendency},

		// /api/v1.
		{pattern: "GET /api/v1/openapi.json", handler: s.handleOpenAPI, public: true},
		{pattern: "POST /api/v1/register", handler: s.handleRegister, public: true},
		{pattern: "POST /api/v1/login", handler: s.handleLogin, public: true},
		{pattern: "GET /api/v1/account", handler: s.v1(s.handleAccount)},
		{pattern: "POST /api/v1/account/token", handler: s.v1(s.handleRotateToken)},
		{pattern: "PUT /api/v1/account/password", handler: s.v1(s.handleChangePassword)},
		{pattern: "GET /api/v1/types", handler: s.v1(s.handleV1Types)},
		{pattern: "GET /api/v1/freezers", handler: s.v1(s.handleV1ListFreezers)},
		{pattern: "POST /api/v1/freezers", handler: s.v1(s.handleV1CreateFreezer)},
		{pattern: "GET /api/v1/freezers/{id}", handler: s.v1(s.handleV1GetFreezer)},
		{pattern: "PATCH /api/v1/freezers/{id}", handler: s.v1(s.handleV1UpdateFreezer)},
		{pattern: "DELETE /api/v1/freezers/{id}", handler: s.v1(s.handleV1DeleteFreezer)},
		{pattern: "GET /api/v1/freezers/{id}/next-slots", handler: s.v1(s.handleV1NextSlots)},
		{pattern: "GET /api/v1/products", handler: s.v1(s.handleV1ListProducts)},
		{pattern: "POST /api/v1/products", handler: s.v1(s.handleV1CreateProduct)},
		{pattern: "GET /api/v1/products/{id}", handler: s.v1(s.handleV1GetProduct)},
		{pattern: "PATCH /api/v1/products/{id}", handler: s.v1(s.handleV1UpdateProduct)},
		{pattern: "DELETE /api/v1/products/{id}", handler: s.v1(s.handleV1DeleteProduct)},
		{pattern: "POST /api/v1/products/{id}/take-out", handler: s.v1(s.handleV1TakeOut)},
		{pattern: "POST /api/v1/products/{id}/put-back", handler: s.v1(s.handleV1PutBack)},
		{pattern: "GET /api/v1/trends/general", handler: s.v1(s.handleV1GeneralTrend)},
		{pattern: "GET /api/v1/trends/mine", handler: s.v1(s.handleV1MyTrend)},
		{pattern: "GET /api/v1/suggestions", handler: s.v1(s.handleV1Suggestions)},

		// Sync (sync/protocol): devices push mutations and pull changes.
		{pattern: "POST /api/v1/sync/push", handler: s.v1Sync(s.handleSyncPush)},
		{pattern: "GET /api/v1/sync/pull", handler: s.v1Sync(s.handleSyncPull)},

		// Devices, pairing and the calendar feed (devices_http.go, calendar_http.go).
		{pattern: "POST /api/v1/pair", handler: s.handlePair, public: true},
		{pattern: "POST /api/v1/pairing", handler: s.v1(s.handleNewPairing)},
		{pattern: "GET /api/v1/devices", handler: s.v1(s.handleListDevices)},
		{pattern: "PATCH /api/v1/devices/{id}", handler: s.v1(s.handleRenameDevice)},
		{pattern: "DELETE /api/v1/devices/{id}", handler: s.v1(s.handleRevokeDevice)},
		{pattern: "GET /api/v1/feed", handler: s.v1(s.handleGetFeed)},
		{pattern: "PUT /api/v1/feed", handler: s.v1(s.handlePutFeed)},
		{pattern: "DELETE /api/v1/feed", handler: s.v1(s.handleDeleteFeed)},
		{pattern: "GET /api/v1/calendar/{file}", handler: s.handleCalendar, public: true},
		{pattern: "GET /api/v1/summary/{key}", handler: s.handleSummary, public: true},
	}
}

// Patterns returns every "METHOD /path" pattern the server routes.
func (s *Server) Patterns() []string {
	var out []string
	for _, rt := range s.routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// register puts the routes on the mux, each behind the path checks and the
// rate limit, and adds per path a method-less fallback answering 405 with
// the right Allow header, and catch-alls answering 404, in the error
// format of their API.
func (s *Server) register() {
	allow := map[string][]string{}
	var paths []string
	for _, rt := range s.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if _, ok := allow[path]; !ok {
			paths = append(paths, path)
		}
		allow[path] = append(allow[path], method)
		if method == http.MethodGet {
			allow[path] = append(allow[path], http.MethodHead)
		}
		s.mux.Handle(rt.pattern, s.guard(path, rt))
	}
	for _, path := range paths {
		methods := strings.Join(allow[path], ", ")
		v1 := isV1(path)
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", methods)
			if v1 {
				s.problem(w, r, http.StatusMethodNotAllowed, codeMethodNotAllowed, "This route does not take "+r.Method+": it takes "+methods+".")
				return
			}
			writeCompatError(w, http.StatusMethodNotAllowed, textMethodNotAllowed)
		})
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeCompatError(w, http.StatusNotFound, textNotFound)
	})
	s.mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, r, http.StatusNotFound, domainNotFound, "There is no such route: see /api/v1/openapi.json.")
	})
}

func isV1(path string) bool { return strings.HasPrefix(path, "/api/v1/") }

// guard checks the integer path wildcards (404 when one is not an
// integer), then counts the request against the rate limit of its route.
func (s *Server) guard(path string, rt route) http.Handler {
	v1 := isV1(path)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, name := range rt.ints {
			if _, ok := parseIntSegment(r.PathValue(name)); !ok {
				writeCompatError(w, http.StatusNotFound, textNotFound)
				return
			}
		}
		if ok, retry := s.limitRequest(r, path); !ok {
			w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds()+0.999)))
			if v1 {
				s.problem(w, r, http.StatusTooManyRequests, "rate_limited", "Too many requests from this address: try again later.")
				return
			}
			writeCompatError(w, http.StatusTooManyRequests, textTooManyRequests)
			return
		}
		rt.handler(w, r)
	})
}

// limitRequest counts the request against the rate limits of its route
// (path) and client address.
func (s *Server) limitRequest(r *http.Request, path string) (ok bool, retry time.Duration) {
	l := s.cfg.Limits
	if l.Disabled || (l.PerMinute <= 0 && l.PerDay <= 0) {
		return true, 0
	}
	return s.allow(r.Context(), rateKey(path, s.clientIP(r)), max(l.PerMinute, 0), max(l.PerDay, 0))
}

// limitBody bounds every request body to MaxBodyBytes.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody { // NoBody: a GET's, nothing to bound
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request at debug level with its route pattern,
// never its path: compat paths carry the token.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method), slog.String("route", routeName(r)),
			slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)))
	})
}

// routeName is the matched pattern, safe to log (no token in it).
func routeName(r *http.Request) string {
	if r.Pattern == "" {
		return "(none)"
	}
	return r.Pattern
}

// recoverPanics turns a panic into a 500 (SERVER_ERROR, or a problem on
// /api/v1) and a log line.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.log.Error("panic in handler", "route", routeName(r), "method", r.Method, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if isV1(r.URL.Path) {
				s.problem(w, r, http.StatusInternalServerError, "internal", "Something went wrong on the server.")
				return
			}
			writeCompatError(w, http.StatusInternalServerError, textServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// cors answers preflight requests and adds the CORS headers, for the
// configured origins.
func (s *Server) cors(next http.Handler) http.Handler {
	origins := s.cfg.CORSOrigins
	if len(origins) == 0 {
		return next
	}
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		h := w.Header()
		allowed := false
		switch {
		case any:
			h["Access-Control-Allow-Origin"] = hdrStar // shared, as secureHeaders' values
			allowed = true
		case origin != "" && slices.Contains(origins, origin):
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			allowed = true
		default:
			h.Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
				reqHeaders := r.Header.Get("Access-Control-Request-Headers")
				if reqHeaders == "" {
					reqHeaders = "Content-Type, Authorization"
				}
				h.Set("Access-Control-Allow-Headers", reqHeaders)
				h.Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
