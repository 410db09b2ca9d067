package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"syscall"
)

// countInFlight keeps Server.InFlight up to date.
func (s *Server) countInFlight(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// hstsMaxAge is a year: browsers remember to use HTTPS for that long after
// one response over TLS.
const hstsMaxAge = "max-age=31536000"

// contentSecurityPolicy suits JSON answers: nothing loads, nothing frames
// them. A handler serving HTML sets its own policy over this one.
const contentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// The values of secureHeaders (and of the hot paths' other headers),
// shared by every response; never written to.
var (
	hdrNosniff    = []string{"nosniff"}
	hdrNoReferrer = []string{"no-referrer"}
	hdrDeny       = []string{"DENY"}
	hdrCSP        = []string{contentSecurityPolicy}
	hdrSameOrigin = []string{"same-origin"}
	hdrHSTS       = []string{hstsMaxAge}
	hdrNoStore    = []string{"no-store"}
	hdrJSON       = []string{"application/json"} // a cached compat answer's Content-Type
	hdrStar       = []string{"*"}                // CORS for every origin
)

// secureHeaders adds the security headers to every response: no MIME
// sniffing, no referrer, no framing; HSTS when the connection is TLS (a
// reverse proxy that ends TLS sets its own); and Cache-Control: no-store on
// everything but the public index and API description, since answers carry
// tokens (register, login, token rotation) or a household's inventory,
// and computers are shared.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The keys are in canonical form and the values shared: a Set per
		// header canonicalized each key and allocated each value, a tenth
		// of a cached read's time in the handler (BenchmarkCachedRead).
		// The slices are full (len == cap), so a handler's Add copies
		// them before appending.
		h := w.Header()
		h["X-Content-Type-Options"] = hdrNosniff
		h["Referrer-Policy"] = hdrNoReferrer
		h["X-Frame-Options"] = hdrDeny
		h["Content-Security-Policy"] = hdrCSP
		h["Cross-Origin-Opener-Policy"] = hdrSameOrigin
		if r.TLS != nil {
			h["Strict-Transport-Security"] = hdrHSTS
		}
		if r.URL.Path != "/" && r.URL.Path != "/api/v1/openapi.json" {
			h["Cache-Control"] = hdrNoStore
		}
		next.ServeHTTP(w, r)
	})
}

// logFailure logs an internal error of a request at error level, or at
// debug level when the client went away (it closed the connection, so its
// request's context is canceled, or a write hit a broken pipe): a client
// that leaves is no fault of the server and nobody needs to act.
func (s *Server) logFailure(r *http.Request, msg string, err error) {
	level := slog.LevelError
	if clientGone(r, err) {
		level = slog.LevelDebug
		msg += " (the client disconnected)"
	}
	s.log.Log(r.Context(), level, msg, "route", routeName(r), "err", err)
}

// clientGone tells whether err, or the state of r, says that the client
// disconnected. SQLite reports a canceled query as "interrupted" without
// wrapping context.Canceled, hence the look at r's context too.
func clientGone(r *http.Request, err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(r.Context().Err(), context.Canceled) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, http.ErrAbortHandler)
}
