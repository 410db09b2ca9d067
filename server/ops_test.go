package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"freezer/server"
)

// opsRecords is a slog handler that keeps every record, to assert on
// levels.
type opsRecords struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *opsRecords) Enabled(context.Context, slog.Level) bool { return true }
func (h *opsRecords) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}
func (h *opsRecords) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *opsRecords) WithGroup(string) slog.Handler      { return h }

// levels returns the level of each record whose message starts with msg.
func (h *opsRecords) levels(msg string) []slog.Level {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []slog.Level
	for _, r := range h.records {
		if strings.HasPrefix(r.Message, msg) {
			out = append(out, r.Level)
		}
	}
	return out
}

func (h *opsRecords) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = nil
}

// TestSecurityHeaders: every response, errors and preflights included,
// carries the security headers; token and data responses are not stored
// by caches; HSTS only over TLS.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	}
	tests := []struct {
		name    string
		req     request
		noStore bool
	}{
		{"index", get("/"), false},
		{"openapi", get("/api/v1/openapi.json"), false},
		{"register", request{method: "POST", path: "/api/v1/register", body: `{"email": "carol@example.com", "password": "a long pass phrase 42"}`}, true},
		{"login", request{method: "POST", path: "/api/v1/login", body: `{"email": "alice@example.com", "password": "wrong password here"}`}, true},
		{"token rotation", request{method: "POST", path: "/api/v1/account/token", bearer: e.a}, true},
		{"account", request{method: "GET", path: "/api/v1/account", bearer: e.a}, true},
		{"compat list", get("/freezers/" + e.a), true},
		{"compat bad token", get("/freezers/nope"), true},
		{"v1 not found", get("/api/v1/nothing-here"), true},
		{"preflight", request{method: "OPTIONS", path: "/api/v1/login", header: http.Header{"Origin": {"https://example.org"}, "Access-Control-Request-Method": {"POST"}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(t, tt.req)
			for k, v := range want {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s %s: %s = %q, want %q (status %d)", tt.req.method, tt.req.path, k, got, v, w.Code)
				}
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q, want frame-ancestors 'none'", csp)
			}
			if got := w.Header().Get("Cache-Control"); tt.noStore && got != "no-store" {
				t.Errorf("%s %s: Cache-Control = %q, want no-store", tt.req.method, tt.req.path, got)
			}
			if got := w.Header().Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS over plain HTTP = %q, want none", got)
			}
		})
	}

	ts := httptest.NewTLSServer(e.srv)
	defer ts.Close()
	res, err := ts.Client().Get(ts.URL + "/types/" + e.a)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("HSTS over TLS = %q, want max-age=...", got)
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options over TLS = %q", got)
	}
}

// TestClientGoneLoggedAtDebug: a request whose client disconnected (its
// context canceled) fails inside the store; that is logged at debug, while
// a real internal error is still logged at error.
func TestClientGoneLoggedAtDebug(t *testing.T) {
	logs := &opsRecords{}
	e := newEnv(t, func(c *server.Config) { c.Logger = slog.New(logs) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, path := range []string{"/api/v1/freezers", "/freezers/" + e.a} {
		logs.reset()
		r := httptest.NewRequest("GET", path, nil).WithContext(ctx)
		r.Header.Set("Authorization", "Bearer "+e.a)
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		var all []slog.Level
		for _, msg := range []string{"request failed", "authenticate"} {
			all = append(all, logs.levels(msg)...)
		}
		if len(all) == 0 {
			t.Fatalf("GET %s with a canceled context (status %d) logged nothing: the test no longer reaches the store", path, w.Code)
		}
		for _, l := range all {
			if l != slog.LevelDebug {
				t.Errorf("GET %s by a client that left logged at %v, want DEBUG", path, l)
			}
		}
	}

	// A store that fails for the server's own reasons is still an error.
	logs.reset()
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	e.do(t, request{method: "GET", path: "/api/v1/freezers", bearer: e.a})
	levels := append(logs.levels("request failed"), logs.levels("authenticate")...)
	if len(levels) == 0 || levels[0] != slog.LevelError {
		t.Errorf("a closed store logged %v, want ERROR", levels)
	}
}
