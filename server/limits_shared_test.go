package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"freezer/internal/pgtest"
	"freezer/server"
	"freezer/server/sqlstore"
)

// failingCounter is a RateCounter whose database is down.
type failingCounter struct{ calls atomic.Int64 }

func (c *failingCounter) Allow(context.Context, string, int, int, time.Time) (bool, time.Duration, error) {
	c.calls.Add(1)
	return false, 0, errors.New("connection refused")
}

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A counter that fails lets requests through (fail open) and says so in
// the log, once a minute at most.
func TestRateCounterFailsOpen(t *testing.T) {
	var logs syncBuffer
	counter := &failingCounter{}
	e := newEnv(t, withLimits(server.Limits{PerMinute: 1, PerDay: 1}), func(c *server.Config) {
		c.RateCounter = counter
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	for i := range 3 {
		if w := e.do(t, get("/types/"+e.a)); w.Code != http.StatusOK {
			t.Fatalf("request %d with the counter down = %d, want 200", i+1, w.Code)
		}
	}
	if p := acctRegister(t, e, "carol@example.com", "192.0.2.1"); p != nil {
		t.Errorf("registration with the counter down = %+v, want 201", p)
	}
	if got := counter.calls.Load(); got != 5 {
		t.Errorf("counter asked %d times, want 5 (3 requests, then the register route's limit and the registration limit)", got)
	}
	if got := strings.Count(logs.String(), "rate limit counter failed"); got != 1 {
		t.Errorf("warnings in the log = %d, want 1 (at most one a minute):\n%s", got, logs.String())
	}
	e.clock.Add(time.Minute)
	e.do(t, get("/types/"+e.a))
	if got := strings.Count(logs.String(), "rate limit counter failed"); got != 2 {
		t.Errorf("warnings a minute later = %d, want 2", got)
	}
}

// recordingCounter refuses every request and records what it was asked.
type recordingCounter struct {
	mu   sync.Mutex
	asks []string
}

func (c *recordingCounter) Allow(_ context.Context, key string, perMinute, perDay int, _ time.Time) (bool, time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asks = append(c.asks, fmt.Sprintf("%s %d/%d", key, perMinute, perDay))
	return false, 1500 * time.Millisecond, nil
}

// The rate limits and the registration limit count in Config.RateCounter,
// under keys of their own.
func TestRateCounterConfigured(t *testing.T) {
	counter := &recordingCounter{}
	e := newEnv(t, withLimits(server.Limits{PerMinute: 7, PerDay: 70}), func(c *server.Config) {
		c.RateCounter = counter
		c.RegistrationsPerMinute = 4
	})
	r := get("/types/" + e.a)
	r.remote = "198.51.100.7:5555"
	w := e.do(t, r)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
		t.Errorf("refused request = %d, Retry-After %q; want 429, 2", w.Code, w.Header().Get("Retry-After"))
	}
	counter.mu.Lock()
	if want := []string{"/types/{token} 198.51.100.7 7/70"}; fmt.Sprint(counter.asks) != fmt.Sprint(want) {
		t.Errorf("counter asked %q, want %q (the route pattern and the address)", counter.asks, want)
	}
	counter.asks = nil
	counter.mu.Unlock()
	// Without route limits, so that the registration limit answers.
	e.srv = server.New(server.Config{Store: e.store, Now: e.clock.Now, Limits: server.Limits{Disabled: true},
		RateCounter: counter, RegistrationsPerMinute: 4, BcryptCost: bcrypt.MinCost})
	if p := acctRegister(t, e, "carol@example.com", "192.0.2.1"); p == nil || p.Status != http.StatusTooManyRequests {
		t.Errorf("registration = %+v, want 429", p)
	}
	counter.mu.Lock()
	defer counter.mu.Unlock()
	if want := []string{"registrations 4/0"}; fmt.Sprint(counter.asks) != fmt.Sprint(want) {
		t.Errorf("counter asked %q, want %q", counter.asks, want)
	}
}

// The in-process counter: a refused request does not count.
func TestMemRateCounterRefusalsDoNotCount(t *testing.T) {
	c := server.NewMemRateCounter()
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 23, 57, 20, 0, time.UTC)
	allow := func(now time.Time) (bool, time.Duration) {
		ok, retry, err := c.Allow(ctx, "k", 2, 3, now)
		if err != nil {
			t.Fatal(err)
		}
		return ok, retry
	}
	allow(at)
	allow(at)
	if ok, retry := allow(at); ok || retry != 40*time.Second {
		t.Fatalf("3rd request of the minute = %v, %s; want refused for 40s", ok, retry)
	}
	if ok, _ := allow(at.Add(time.Minute)); !ok {
		t.Fatal("3rd request of the day = refused, want allowed (the refusal did not count)")
	}
	if ok, retry := allow(at.Add(time.Minute)); ok || retry != 100*time.Second {
		t.Fatalf("4th request of the day = %v, %s; want refused until midnight (1m40s)", ok, retry)
	}
}

// sharedInstances starts n freezerd instances over one new PostgreSQL
// database, counting their limits there, each on a loopback HTTP server,
// on one clock that stands still; alice@example.com has an account
// (password "correct horse").
func sharedInstances(t *testing.T, n int, opts ...envOption) ([]*server.Server, []string) {
	t.Helper()
	if !pgtest.Postgres() {
		t.Skip("PostgreSQL only: on SQLite freezerd counts in its process")
	}
	target := pgtest.NewDatabase(t)
	clock := &fakeClock{t: today}
	var srvs []*server.Server
	var urls []string
	for range n {
		store, err := sqlstore.Open(context.Background(), target, sqlstore.Options{Now: clock.Now})
		if err != nil {
			t.Fatalf("Open() error = %v", err)
		}
		t.Cleanup(func() { _ = store.Close() })
		counter, throttle, ok := store.SharedLimits()
		if !ok {
			t.Fatal("SharedLimits() on PostgreSQL: ok = false")
		}
		cfg := server.Config{Store: store, Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Limits: server.Limits{Disabled: true}, BcryptCost: bcrypt.MinCost, ClientIPHeader: "X-Real-IP",
			RateCounter: counter, LoginThrottle: throttle}
		for _, o := range opts {
			o(&cfg)
		}
		srv := server.New(cfg)
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		srvs, urls = append(srvs, srv), append(urls, hs.URL)
	}
	mustRegister(t, srvs[0], "alice@example.com")
	return srvs, urls
}

// send posts body to url+path from the client address ip and returns the
// status.
func send(t *testing.T, url, path, body, ip string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Real-IP", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("POST %s: %v", path, err)
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func loginBody(password string) string {
	return fmt.Sprintf(`{"email": "alice@example.com", "password": %q}`, password)
}

// Thirty wrong passwords sent at once to two instances: the shared
// throttle lets only its allowance (5) be verified; the owner, from an
// address with no failure, still gets in on either.
func TestSharedThrottleAcrossInstances(t *testing.T) {
	srvs, urls := sharedInstances(t, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code := send(t, urls[i%2], "/api/v1/login", loginBody("wrong horse"), "203.0.113.7")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	verified := srvs[0].PasswordVerifications() + srvs[1].PasswordVerifications()
	if verified < 1 || verified > 5 {
		t.Errorf("30 concurrent wrong passwords over 2 instances: %d verified, want 1..5", verified)
	}
	if codes[http.StatusUnauthorized] != int(verified) || codes[http.StatusTooManyRequests] != 30-int(verified) {
		t.Errorf("statuses = %v, want %d × 401 and the rest 429", codes, verified)
	}
	for i, url := range urls {
		if code := send(t, url, "/api/v1/login", loginBody("correct horse"), "192.0.2.55"); code != http.StatusOK {
			t.Errorf("the owner from a clean address on instance %d = %d, want 200", i+1, code)
		}
	}
}

// The rate limits and the registration limit hold over two instances.
func TestSharedRateLimitsAcrossInstances(t *testing.T) {
	_, urls := sharedInstances(t, 2, withLimits(server.Limits{PerMinute: 3, PerDay: 100}), func(c *server.Config) {
		c.RegistrationsPerMinute = 2
	})
	var codes []int
	for i := range 5 {
		codes = append(codes, send(t, urls[i%2], "/api/v1/login", loginBody("correct horse"), "198.51.100.9"))
	}
	if fmt.Sprint(codes) != "[200 200 200 429 429]" {
		t.Errorf("5 logins from one address over 2 instances = %v, want 3 × 200 then 429", codes)
	}
	codes = nil
	for i := range 3 {
		body := fmt.Sprintf(`{"email": "user%d@example.com", "password": "plum jam tart"}`, i)
		codes = append(codes, send(t, urls[i%2], "/api/v1/register", body, fmt.Sprintf("192.0.2.%d", i+1)))
	}
	if fmt.Sprint(codes) != "[201 201 429]" {
		t.Errorf("3 registrations over 2 instances = %v, want 2 × 201 then 429", codes)
	}
}

// benchRateCounter measures c.Allow: one key from one goroutine, then
// GOMAXPROCS goroutines on keys of their own (addresses), then all on one
// key (the registration limit, or one address hammering).
func benchRateCounter(b *testing.B, c server.RateCounter) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	allow := func(b *testing.B, key string) {
		if ok, _, err := c.Allow(ctx, key, 1<<30, 1<<30, now); err != nil || !ok {
			b.Fatalf("Allow(%q) = %v, %v; want allowed", key, ok, err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			allow(b, "/api/v1/products 192.0.2.1")
		}
	})
	var next atomic.Int64
	b.Run("parallel-keys", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			key := fmt.Sprintf("/api/v1/products 198.51.100.%d", next.Add(1))
			for pb.Next() {
				allow(b, key)
			}
		})
	})
	b.Run("parallel-one-key", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				allow(b, "registrations")
			}
		})
	})
}

// BenchmarkRateCounter is the cost per request of the counter: in
// process in the SQLite pass, shared in PostgreSQL (one statement per
// request) in the PostgreSQL pass. Same cases: one key from one
// goroutine, GOMAXPROCS goroutines on keys of their own, all on one key.
func BenchmarkRateCounter(b *testing.B) {
	if !pgtest.Postgres() {
		benchRateCounter(b, server.NewMemRateCounter())
		return
	}
	store, err := sqlstore.Open(context.Background(), storeTarget(b), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	counter, _, _ := store.SharedLimits()
	benchRateCounter(b, counter)
}
