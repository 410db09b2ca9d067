package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/server"
)

func TestRateLimit(t *testing.T) {
	e := newEnv(t, withLimits(server.DefaultLimits))
	e.clock.Add(-12 * time.Hour) // 00:00 UTC: a whole day ahead
	e.clock.Add(30 * time.Second)
	types := get("/types/" + e.a)
	for i := range 100 {
		if w := e.do(t, types); w.Code != 200 {
			t.Fatalf("request %d = %d, want 200", i+1, w.Code)
		}
	}
	w := e.do(t, types)
	if w.Code != 429 {
		t.Fatalf("request 101 = %d, want 429", w.Code)
	}
	if got := decode[compatErr](t, w); got.Status != 429 || got.Details == "" {
		t.Errorf("429 body = %+v", got)
	}
	if ra := w.Header().Get("Retry-After"); ra != "30" {
		t.Errorf("Retry-After = %q, want 30 (the minute window ends in 30 s)", ra)
	}
	// Shared by all methods and tokens of the route.
	if w := e.do(t, post("/freezers/"+e.b, `{"num_boxes": 1, "name": "x"}`)); w.Code != 200 {
		t.Errorf("another route = %d, want 200", w.Code)
	}
	if w := e.do(t, get("/types/"+e.b)); w.Code != 429 {
		t.Errorf("same route, other token = %d, want 429", w.Code)
	}
	// Per IP.
	other := types
	other.remote = "198.51.100.7:5555"
	if w := e.do(t, other); w.Code != 200 {
		t.Errorf("other IP = %d, want 200", w.Code)
	}
	// 404 and 405 do not count, nor are they refused.
	if w := e.do(t, get("/get_product/all/x/"+e.a)); w.Code != 404 {
		t.Errorf("404 = %d", w.Code)
	}
	if w := e.do(t, post("/types/"+e.a, "{}")); w.Code != 405 {
		t.Errorf("405 = %d", w.Code)
	}
	// A fixed window: the next minute starts afresh.
	e.clock.Add(30 * time.Second)
	if w := e.do(t, types); w.Code != 200 {
		t.Fatalf("next minute = %d, want 200", w.Code)
	}
	// The day: 24,000 requests, whatever the minutes.
	n := 101 // counted so far today (100 + 1 this minute)
	for n < 24000 {
		for i := 0; i < 99 && n < 24000; i++ {
			if w := e.do(t, get("/types/x")); w.Code != 400 { // a bad token still counts
				t.Fatalf("request %d of the day = %d", n+1, w.Code)
			}
			n++
		}
		e.clock.Add(time.Minute)
	}
	if w := e.do(t, types); w.Code != 429 {
		t.Fatalf("request 24,001 of the day = %d, want 429", w.Code)
	}
	if w := e.do(t, get("/api/v1/openapi.json")); w.Code != 200 {
		t.Errorf("another route on the same day = %d", w.Code)
	}
	e.clock.Add(24 * time.Hour)
	if w := e.do(t, types); w.Code != 200 {
		t.Fatalf("next day = %d, want 200", w.Code)
	}
}

func TestRateLimitV1AndClientIPHeader(t *testing.T) {
	e := newEnv(t, withLimits(server.Limits{PerMinute: 2, PerDay: 100}), func(c *server.Config) { c.ClientIPHeader = "X-Forwarded-For" })
	req := request{method: "GET", path: "/api/v1/types", bearer: e.a, header: http.Header{"X-Forwarded-For": {"203.0.113.9, 10.0.0.1"}}}
	for range 2 {
		if w := e.do(t, req); w.Code != 200 {
			t.Fatalf("= %d", w.Code)
		}
	}
	w := e.do(t, req)
	if w.Code != 429 || decode[problemDoc](t, w).Code != "rate_limited" {
		t.Fatalf("third = %d %s, want 429 rate_limited", w.Code, w.Body)
	}
	// The last entry is the one the proxy added: a forged first entry changes nothing.
	req.header = http.Header{"X-Forwarded-For": {"1.2.3.4, 10.0.0.1"}}
	if w := e.do(t, req); w.Code != 429 {
		t.Errorf("forged first entry = %d, want 429", w.Code)
	}
	req.header = http.Header{"X-Forwarded-For": {"10.0.0.2"}}
	if w := e.do(t, req); w.Code != 200 {
		t.Errorf("other client = %d, want 200", w.Code)
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, request{method: "GET", path: "/freezers/" + e.a, header: http.Header{"Origin": {"https://dash.example"}}})
	if w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("Allow-Origin = %q, want *", w.Header().Get("Access-Control-Allow-Origin"))
	}
	pre := request{method: "OPTIONS", path: "/add_product/" + e.a, header: http.Header{"Origin": {"https://dash.example"},
		"Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"content-type"}}}
	w = e.do(t, pre)
	if w.Code != 204 || !strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") || w.Header().Get("Access-Control-Allow-Headers") != "content-type" {
		t.Errorf("preflight = %d %v", w.Code, w.Header())
	}

	listed := newEnv(t, func(c *server.Config) { c.CORSOrigins = []string{"https://dash.example"} })
	w = listed.do(t, request{method: "GET", path: "/types/" + listed.a, header: http.Header{"Origin": {"https://dash.example"}}})
	if w.Header().Get("Access-Control-Allow-Origin") != "https://dash.example" || w.Header().Get("Vary") != "Origin" {
		t.Errorf("listed origin: %v", w.Header())
	}
	w = listed.do(t, request{method: "GET", path: "/types/" + listed.a, header: http.Header{"Origin": {"https://evil.example"}}})
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin allowed: %v", w.Header())
	}
}

// panicStore panics on ListTypes and fails on ListFreezers.
type panicStore struct{ server.Store }

func (panicStore) ListTypes(context.Context) ([]domain.ProductType, error) { panic("boom") }

func (panicStore) ListFreezers(context.Context, int64) ([]server.Freezer, error) {
	return nil, io.ErrUnexpectedEOF
}

func TestPanicsAndInternalErrors(t *testing.T) {
	e := newEnv(t)
	var logs strings.Builder
	e.srv = server.New(server.Config{Store: panicStore{e.store}, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Limits: server.Limits{Disabled: true}})
	w := e.do(t, get("/types/"+e.a))
	if w.Code != 500 || decode[compatErr](t, w).Details != SERVER_ERROR {
		t.Errorf("panic = %d %s, want 500 SERVER_ERROR", w.Code, w.Body)
	}
	w = e.do(t, request{method: "GET", path: "/api/v1/types", bearer: e.a})
	if w.Code != 500 || decode[problemDoc](t, w).Code != "internal" {
		t.Errorf("v1 panic = %d %s", w.Code, w.Body)
	}
	w = e.do(t, get("/freezers/"+e.a))
	if w.Code != 500 || decode[compatErr](t, w).Details != SERVER_ERROR {
		t.Errorf("store error = %d %s", w.Code, w.Body)
	}
	w = e.do(t, request{method: "GET", path: "/api/v1/freezers", bearer: e.a})
	if p := decode[problemDoc](t, w); w.Code != 500 || strings.Contains(p.Detail, "EOF") {
		t.Errorf("v1 store error = %d %s (internal text must not leak)", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "panic in handler") || !strings.Contains(logs.String(), "boom") {
		t.Errorf("no log line for the panic:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), e.a) {
		t.Errorf("the log contains the token")
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t)
	big := `{"num_boxes": 1, "name": "` + strings.Repeat("x", server.MaxBodyBytes) + `"}`
	if w := e.do(t, post("/freezers/"+e.a, big)); w.Code != 400 || decode[compatErr](t, w).Details != BAD_FORMAT {
		t.Errorf("compat 1 MiB body = %d %s", w.Code, w.Body)
	}
	w := e.do(t, request{method: "POST", path: "/api/v1/freezers", bearer: e.a, body: `{"boxes": 1, "name": "` + strings.Repeat("x", server.MaxBodyBytes) + `"}`})
	if w.Code != 413 || decode[problemDoc](t, w).Code != "too_large" {
		t.Errorf("v1 1 MiB body = %d %s", w.Code, w.Body)
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	e := newEnv(t)
	hs := e.srv.HTTPServer("127.0.0.1:0")
	if hs.ReadTimeout == 0 || hs.WriteTimeout == 0 || hs.IdleTimeout == 0 || hs.ReadHeaderTimeout == 0 {
		t.Errorf("timeouts not set: %+v", hs)
	}
}

// TestCachedListsFollowChanges reads the cached compat lists, changes the
// data through /api/v1 on another server instance over the same store, and
// reads again.
func TestCachedListsFollowChanges(t *testing.T) {
	e := newEnv(t)
	other := server.New(server.Config{Store: e.store, Now: e.clock.Now, Limits: server.Limits{Disabled: true}})
	freezers, products := get("/freezers/"+e.a), get("/get_product/inside/1/"+e.a)
	first, firstP := e.do(t, freezers).Body.String(), e.do(t, products).Body.String()
	if again := e.do(t, freezers).Body.String(); again != first {
		t.Fatalf("cached list differs: %s vs %s", again, first)
	}
	w := httptestRecorder("")
	r := httptestRequest("PATCH", "/api/v1/freezers/"+e.frigo1.ID.String(), `{"name": "renamed"}`, e.a)
	other.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("rename = %d %s", w.Code, w.Body)
	}
	if got := e.do(t, freezers).Body.String(); got == first || !strings.Contains(got, "renamed") {
		t.Errorf("freezers after a rename elsewhere = %s", got)
	}
	if got := e.do(t, products).Body.String(); got == firstP || !strings.Contains(got, `"freezer_name":"renamed"`) {
		t.Errorf("products after a rename elsewhere = %s", got)
	}
	// Another account's change leaves A's entries alone, and B never sees A's.
	if got := e.do(t, get("/freezers/"+e.b)).Body.String(); strings.Contains(got, "renamed") {
		t.Errorf("B sees A's freezers: %s", got)
	}
}
