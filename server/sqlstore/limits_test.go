package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"freezer/internal/pgtest"
	"freezer/server"
)

// limitsClock is a settable clock for the stores of a limits test.
type limitsClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *limitsClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *limitsClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// instance is one freezerd's view of the shared database.
type instance struct {
	db       *DB
	counter  server.RateCounter
	throttle server.LoginThrottle
}

// mustOpenInstances opens n stores on one new PostgreSQL database, as n
// instances behind a load balancer do, on clock.
func mustOpenInstances(t testing.TB, n int, clock *limitsClock) []instance {
	t.Helper()
	if !pgtest.Postgres() {
		t.Skip("PostgreSQL only: on SQLite freezerd counts in its process")
	}
	target := pgtest.NewDatabase(t)
	var out []instance
	for range n {
		db, err := Open(context.Background(), target, Options{Now: clock.Now, Conns: 32})
		if err != nil {
			t.Fatalf("Open() error = %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		c, th, ok := db.SharedLimits()
		if !ok {
			t.Fatal("SharedLimits() on PostgreSQL: ok = false, want true")
		}
		out = append(out, instance{db, c, th})
	}
	return out
}

func TestSharedLimitsOnlyOnPostgres(t *testing.T) {
	db := mustOpen(t, newTarget(t))
	c, th, ok := db.SharedLimits()
	if want := pgtest.Postgres(); ok != want || (c != nil) != want || (th != nil) != want {
		t.Errorf("SharedLimits() on %s = %v, %v, %v; want ok %v", pgtest.Backend(), c, th, ok, want)
	}
}

// mustAllow calls Allow and fails the test on an error.
func mustAllow(t *testing.T, c server.RateCounter, key string, perMinute, perDay int, now time.Time) (bool, time.Duration) {
	t.Helper()
	ok, retry, err := c.Allow(context.Background(), key, perMinute, perDay, now)
	if err != nil {
		t.Fatalf("Allow(%q) error = %v", key, err)
	}
	return ok, retry
}

// Two instances count one key together; a refused request does not
// count; the minute and the day are fixed windows.
func TestRateCounterAcrossInstances(t *testing.T) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 23, 57, 20, 0, time.UTC)}
	in := mustOpenInstances(t, 2, clock)
	const key = "/types/{token} 203.0.113.7"
	for i := range 2 {
		if ok, _ := mustAllow(t, in[i].counter, key, 2, 3, clock.Now()); !ok {
			t.Fatalf("request %d of the minute (instance %d) refused, want allowed", i+1, i+1)
		}
	}
	for i := range 2 {
		ok, retry := mustAllow(t, in[i].counter, key, 2, 3, clock.Now())
		if ok || retry != 40*time.Second {
			t.Fatalf("request 3 of the minute on instance %d = %v (retry %s), want refused until the minute ends (40s)", i+1, ok, retry)
		}
	}
	if ok, _ := mustAllow(t, in[0].counter, "/types/{token} 198.51.100.1", 2, 3, clock.Now()); !ok {
		t.Error("another address refused, want allowed")
	}
	// The refusals did not count: the day has room for one more.
	clock.Add(time.Minute)
	if ok, _ := mustAllow(t, in[1].counter, key, 2, 3, clock.Now()); !ok {
		t.Fatal("request 3 of the day, next minute: refused, want allowed (refusals do not count)")
	}
	ok, retry := mustAllow(t, in[0].counter, key, 2, 3, clock.Now())
	if ok || retry != 40*time.Second+time.Minute {
		t.Fatalf("request 4 of the day = %v (retry %s), want refused until midnight (1m40s)", ok, retry)
	}
	clock.Add(2 * time.Minute) // the next day
	if ok, _ := mustAllow(t, in[0].counter, key, 2, 3, clock.Now()); !ok {
		t.Error("first request of the next day refused, want allowed")
	}
	// A lagging instance counts in the window already stored.
	if ok, _ := mustAllow(t, in[1].counter, key, 2, 3, clock.Now().Add(-3*time.Minute)); !ok {
		t.Error("a request stamped in the previous day: refused, want counted in today's window")
	}
	if ok, _ := mustAllow(t, in[1].counter, key, 2, 3, clock.Now()); ok {
		t.Error("request 3 of the minute after a lagging one: allowed, want refused")
	}
}

// Requests sent at once to two instances: exactly the limit goes through.
func TestRateCounterConcurrent(t *testing.T) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 12, 0, 5, 0, time.UTC)}
	in := mustOpenInstances(t, 2, clock)
	const limit = 20
	var allowed atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, _, err := in[i%2].counter.Allow(context.Background(), "registrations", limit, 0, clock.Now())
			if err != nil {
				errs <- err
				return
			}
			if ok {
				allowed.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Allow() error = %v", err)
	}
	if got := allowed.Load(); got != limit {
		t.Errorf("50 requests at once over 2 instances: %d allowed, want %d", got, limit)
	}
}

// countRows counts the rows of a limits table.
func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.rdb.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// The windows of past days are deleted, at most once a minute.
func TestRateCounterSweepsPastDays(t *testing.T) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	in := mustOpenInstances(t, 1, clock)
	c := in[0].counter
	for i := range 5 {
		mustAllow(t, c, fmt.Sprintf("/types/{token} 192.0.2.%d", i), 100, 0, clock.Now())
	}
	clock.Add(24 * time.Hour)
	mustAllow(t, c, "/types/{token} 192.0.2.99", 100, 0, clock.Now())
	if got := countRows(t, in[0].db, "rate_counts"); got != 1 {
		t.Fatalf("rows after a request the next day = %d, want 1 (the 5 of the day before deleted)", got)
	}
	// A row of a past day (an instance that lags) waits for the next sweep.
	if _, err := in[0].db.wdb.Exec(`INSERT INTO rate_counts (key, minute, in_minute, day, in_day) VALUES ('old', 0, 1, 0, 1)`); err != nil {
		t.Fatal(err)
	}
	clock.Add(30 * time.Second)
	mustAllow(t, c, "/types/{token} 192.0.2.99", 100, 0, clock.Now())
	if got := countRows(t, in[0].db, "rate_counts"); got != 2 {
		t.Errorf("rows 30 s after a sweep = %d, want 2 (no sweep before a minute)", got)
	}
	clock.Add(31 * time.Second)
	mustAllow(t, c, "/types/{token} 192.0.2.99", 100, 0, clock.Now())
	if got := countRows(t, in[0].db, "rate_counts"); got != 1 {
		t.Errorf("rows 61 s after a sweep = %d, want 1", got)
	}
}

// After a busy day the sweeps delete a batch per request until the
// batches come back short, then once a minute again.
func TestRateCounterSweepsInBatches(t *testing.T) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	in := mustOpenInstances(t, 1, clock)
	c := in[0].counter
	c.(*rateCounter).swept.batch = 3
	insertOld := func(key string) {
		t.Helper()
		if _, err := in[0].db.wdb.Exec(in[0].db.q(`INSERT INTO rate_counts (key, minute, in_minute, day, in_day) VALUES (?, 0, 1, 0, 1)`), key); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 7 {
		insertOld(fmt.Sprintf("old %d", i))
	}
	for i, want := range []int{5, 2, 1} { // 3 deleted, 3 more, the last one
		mustAllow(t, c, "new", 100, 0, clock.Now())
		if got := countRows(t, in[0].db, "rate_counts"); got != want {
			t.Fatalf("rows after request %d = %d, want %d", i+1, got, want)
		}
		clock.Add(time.Second)
	}
	insertOld("old again")
	mustAllow(t, c, "new", 100, 0, clock.Now())
	if got := countRows(t, in[0].db, "rate_counts"); got != 2 {
		t.Errorf("rows after a short batch, seconds later = %d, want 2 (no sweep before a minute)", got)
	}
}

// mustReserve calls Reserve and fails the test on an error.
func mustReserve(t *testing.T, th server.LoginThrottle, key, addr string) time.Duration {
	t.Helper()
	wait, err := th.Reserve(context.Background(), key, addr)
	if err != nil {
		t.Fatalf("Reserve(%q, %q) error = %v", key, addr, err)
	}
	return wait
}

// The throttle's rules hold over two instances: five free failures per
// address, then doubling waits; Cancel and Succeeded take attempts back.
func TestLoginThrottleAcrossInstances(t *testing.T) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	in := mustOpenInstances(t, 2, clock)
	const key, addr = "alice@example.com", "203.0.113.7"
	for i := range 5 {
		if w := mustReserve(t, in[i%2].throttle, key, addr); w != 0 {
			t.Fatalf("attempt %d = wait %s, want 0", i+1, w)
		}
	}
	if w := mustReserve(t, in[1].throttle, key, addr); w != time.Second {
		t.Fatalf("attempt 6 = wait %s, want 1s", w)
	}
	if err := in[0].throttle.Cancel(context.Background(), key, addr); err != nil {
		t.Fatal(err)
	}
	if w := mustReserve(t, in[1].throttle, key, addr); w != 0 {
		t.Fatalf("attempt after a Cancel = wait %s, want 0 (the cancelled one is taken back)", w)
	}
	clock.Add(time.Second)
	if w := mustReserve(t, in[0].throttle, key, addr); w != 0 {
		t.Fatalf("attempt 6, 1 s later = wait %s, want 0", w)
	}
	if w := mustReserve(t, in[0].throttle, key, addr); w != 2*time.Second {
		t.Fatalf("attempt 7 = wait %s, want 2s", w)
	}
	if w := mustReserve(t, in[1].throttle, key, "192.0.2.55"); w != 0 {
		t.Errorf("another address = wait %s, want 0", w)
	}
	if err := in[1].throttle.Succeeded(context.Background(), key, addr); err != nil {
		t.Fatal(err)
	}
	if w := mustReserve(t, in[0].throttle, key, addr); w != 0 {
		t.Errorf("after a success = wait %s, want 0 (the address's failures forgotten)", w)
	}
	long := strings.Repeat("x", 10000) + "@example.com"
	if w := mustReserve(t, in[0].throttle, long, addr); w != 0 {
		t.Errorf("a 10 kB key = wait %s, want 0", w)
	}
}

// Failures older than the rules remember are deleted, at most once a
// minute.
func TestLoginThrottleSweepsOldFailures(t *testing.T) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	in := mustOpenInstances(t, 1, clock)
	th, db := in[0].throttle, in[0].db
	for i := range 3 {
		mustReserve(t, th, fmt.Sprintf("user%d@example.com", i), "203.0.113.7")
	}
	clock.Add(30 * time.Minute)
	mustReserve(t, th, "late@example.com", "203.0.113.7")
	clock.Add(31 * time.Minute) // the first three are 61 minutes old
	mustReserve(t, th, "user0@example.com", "198.51.100.1")
	if keys, pairs := countRows(t, db, "login_keys"), countRows(t, db, "login_failures"); keys != 2 || pairs != 2 {
		t.Errorf("after the sweep: %d keys, %d address rows; want 2 and 2 (late and the new user0)", keys, pairs)
	}
	// An old row (from an instance whose clock lags) waits for the next
	// sweep, a minute after this one.
	if _, err := db.wdb.Exec(`INSERT INTO login_keys (key, n, last_ns) VALUES ('old', 1, 0)`); err != nil {
		t.Fatal(err)
	}
	clock.Add(30 * time.Second)
	mustReserve(t, th, "other@example.com", "198.51.100.2")
	if got := countRows(t, db, "login_keys"); got != 4 {
		t.Errorf("30 s after a sweep: %d keys, want 4 (no sweep yet)", got)
	}
	clock.Add(31 * time.Second)
	mustReserve(t, th, "other@example.com", "198.51.100.2")
	if got := countRows(t, db, "login_keys"); got != 3 {
		t.Errorf("61 s after a sweep: %d keys, want 3 (old deleted)", got)
	}
}

// BenchmarkLoginThrottle is the cost of a login's throttle on
// PostgreSQL: Reserve, then Succeeded.
func BenchmarkLoginThrottle(b *testing.B) {
	clock := &limitsClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	th := mustOpenInstances(b, 1, clock)[0].throttle
	ctx := context.Background()
	for b.Loop() {
		if w, err := th.Reserve(ctx, "alice@example.com", "192.0.2.1"); err != nil || w != 0 {
			b.Fatalf("Reserve() = %s, %v; want 0", w, err)
		}
		if err := th.Succeeded(ctx, "alice@example.com", "192.0.2.1"); err != nil {
			b.Fatal(err)
		}
	}
}
