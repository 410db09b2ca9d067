package server

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// RateCounter counts requests per key in fixed windows: the calendar
// minute and the UTC day of now, as the original's Flask-Limiter did. The
// rate limits count per (route, client IP), the registration limit over
// every address. The server keeps one in its process (Config.RateCounter
// nil); a store shared by several instances implements it so that they
// count together. Allow must be atomic: requests sent at once, to one
// instance or several, cannot all take the last place of a window.
type RateCounter interface {
	// Allow counts one request on key if key has had fewer than perMinute
	// requests in now's calendar minute and fewer than perDay in now's UTC
	// day (0: no bound on that window), and reports whether it did. When
	// it did not, nothing is counted and retry is how long until the
	// window that refused it ends.
	Allow(ctx context.Context, key string, perMinute, perDay int, now time.Time) (ok bool, retry time.Duration, err error)
}

// RateWindows returns the start of now's calendar minute and of its UTC
// day: the windows a RateCounter counts in.
func RateWindows(now time.Time) (minute, day time.Time) {
	now = now.UTC()
	return now.Truncate(time.Minute), time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// RateRetry is how long after now the window that refused a request
// ends: the day when the day's count was full, else the minute.
func RateRetry(now time.Time, dayFull bool) time.Duration {
	minute, day := RateWindows(now)
	if dayFull {
		return day.Add(24 * time.Hour).Sub(now)
	}
	return minute.Add(time.Minute).Sub(now)
}

// rateCounterTimeout bounds the wait for a shared counter: past it the
// request goes on uncounted (see Server.allow).
const rateCounterTimeout = 2 * time.Second

// allow counts one request on key; when it may not go on, retry says for
// how long. A counter that fails lets the request through (fail open),
// with a warning at most once a minute: the limits shed load and slow
// down abuse, they guard no secret (passwords have the login throttle,
// which fails closed). A counter fails when its database does, and then
// the request fails on its own with an error that says so, where a 429
// would tell a lie ("too many requests") to every client at once.
func (s *Server) allow(ctx context.Context, key string, perMinute, perDay int) (ok bool, retry time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, rateCounterTimeout)
	defer cancel()
	now := s.now()
	ok, retry, err := s.counter.Allow(ctx, key, perMinute, perDay, now)
	if err == nil {
		return ok, retry
	}
	last := s.counterWarned.Load()
	if now.UnixNano()-last >= int64(time.Minute) && s.counterWarned.CompareAndSwap(last, now.UnixNano()) {
		s.log.Warn("the rate limit counter failed: requests go through uncounted until it answers again (this warning comes at most once a minute)", "err", err)
	}
	return true, 0
}

// memCounter is the in-process RateCounter.
type memCounter struct {
	mu     sync.Mutex
	counts map[string]*windowCount
	swept  time.Time
}

var _ RateCounter = (*memCounter)(nil)

type windowCount struct {
	minute, day     time.Time
	inMinute, inDay int
}

func newMemCounter() *memCounter {
	return &memCounter{counts: map[string]*windowCount{}}
}

// Allow implements RateCounter.
func (m *memCounter) Allow(_ context.Context, key string, perMinute, perDay int, now time.Time) (bool, time.Duration, error) {
	minute, day := RateWindows(now)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now, day)
	c := m.counts[key]
	if c == nil {
		c = &windowCount{}
		m.counts[key] = c
	}
	if !c.minute.Equal(minute) {
		c.minute, c.inMinute = minute, 0
	}
	if !c.day.Equal(day) {
		c.day, c.inDay = day, 0
	}
	if perDay > 0 && c.inDay >= perDay {
		return false, RateRetry(now, true), nil
	}
	if perMinute > 0 && c.inMinute >= perMinute {
		return false, RateRetry(now, false), nil
	}
	c.inMinute++
	c.inDay++
	return true, 0, nil
}

// sweep drops the counts of past days, at most once a minute.
func (m *memCounter) sweep(now, day time.Time) {
	if d := now.Sub(m.swept); d >= 0 && d < time.Minute {
		return
	}
	m.swept = now
	for k, c := range m.counts {
		if c.day.Before(day) {
			delete(m.counts, k)
		}
	}
}

// rateKey is the key the rate limits count a request under: its route
// (a path pattern, which holds no space) and the client's address.
func rateKey(route, ip string) string { return route + " " + ip }

// registrationsKey is the key of the registration limit: no route key
// (which starts with "/") can take it.
const registrationsKey = "registrations"

// clientIP is the address the rate limits count: the connection's, or
// the one a trusted proxy put in the configured header. For
// X-Forwarded-For the last entry is taken: it is the one the proxy added,
// the earlier ones come from the client and may be forged.
func (s *Server) clientIP(r *http.Request) string {
	if h := s.cfg.ClientIPHeader; h != "" {
		if v := r.Header.Values(h); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := strings.TrimSpace(last); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// LoginThrottle slows down password guessing, for logins and for the
// current password of a password change. The server keeps one in its
// process; a store shared by several instances can implement it instead,
// with the rules of LoginWait. Each method must be atomic: Reserve counts
// the attempt before the password is verified, so that guesses sent at
// once cannot all be tried.
type LoginThrottle interface {
	// Reserve counts one attempt on key (an email, an account) from addr,
	// as a failure until told otherwise. It answers 0 when the attempt may
	// go on, or how long to wait, counting nothing.
	Reserve(ctx context.Context, key, addr string) (time.Duration, error)
	// Succeeded takes back the reserved attempt and forgets the failures
	// of (key, addr).
	Succeeded(ctx context.Context, key, addr string) error
	// Cancel takes back a reserved attempt that was never judged (the
	// server failed before verifying).
	Cancel(ctx context.Context, key, addr string) error
}

// Login throttle rules. An address gets freeLoginFailures failures on a
// key, then waits 1 s, 2 s, 4 s... (at most maxLoginWait) after its last
// one. Once a key has keyLoginFailures failures over all addresses, every
// address with a failure on it also waits for the key's own doubling
// delay: attackers spread over many addresses get one guess per address.
// An address with no failure on the key is never made to wait, so the
// owner signing in from their own device gets in while a stranger is
// hammering the email.
const (
	freeLoginFailures = 5
	keyLoginFailures  = 20
	maxLoginWait      = 15 * time.Minute
	// ForgetLoginFailures is how long failures are remembered: older
	// ones count as none, and a throttle may delete them.
	ForgetLoginFailures = time.Hour
)

// LoginFailures counts failed password attempts, of an address on a key
// or of a key over all addresses, and when the last one was.
type LoginFailures struct {
	N    int
	Last time.Time
}

// current is f as the rules see it at now: failures older than
// ForgetLoginFailures are forgotten.
func (f LoginFailures) current(now time.Time) LoginFailures {
	if now.Sub(f.Last) > ForgetLoginFailures {
		return LoginFailures{}
	}
	return f
}

// Add returns f with one more failure at now (counting from zero when
// the earlier ones are forgotten).
func (f LoginFailures) Add(now time.Time) LoginFailures {
	return LoginFailures{N: f.current(now).N + 1, Last: now}
}

// wait is how long after now the next attempt must wait, once more than
// free failures were counted.
func (f LoginFailures) wait(now time.Time, free int) time.Duration {
	f = f.current(now)
	if f.N < free {
		return 0
	}
	d := min(time.Second<<min(f.N-free, 20), maxLoginWait)
	return max(f.Last.Add(d).Sub(now), 0)
}

// LoginWait is the login throttle's rule: how long after now an attempt
// on a key from an address must wait (0: it may go on), given the
// address's failures on the key (nil when it has none: it never waits)
// and the key's failures over all addresses.
func LoginWait(pair *LoginFailures, key LoginFailures, now time.Time) time.Duration {
	if pair == nil {
		return 0
	}
	return max(pair.wait(now, freeLoginFailures), key.wait(now, keyLoginFailures))
}

// memThrottle is the in-process LoginThrottle.
type memThrottle struct {
	now   func() time.Time
	mu    sync.Mutex
	pairs map[throttlePair]LoginFailures
	keys  map[string]LoginFailures
	swept time.Time
}

type throttlePair struct{ key, addr string }

func newMemThrottle(now func() time.Time) *memThrottle {
	return &memThrottle{now: now, pairs: map[throttlePair]LoginFailures{}, keys: map[string]LoginFailures{}}
}

var _ LoginThrottle = (*memThrottle)(nil)

// Reserve implements LoginThrottle.
func (t *memThrottle) Reserve(_ context.Context, key, addr string) (time.Duration, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	pk := throttlePair{key, addr}
	p, known := t.pairs[pk]
	var pair *LoginFailures
	if known {
		pair = &p
	}
	if w := LoginWait(pair, t.keys[key], now); w > 0 {
		return w, nil
	}
	t.pairs[pk] = p.Add(now)
	t.keys[key] = t.keys[key].Add(now)
	return 0, nil
}

// Succeeded implements LoginThrottle.
func (t *memThrottle) Succeeded(_ context.Context, key, addr string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pairs, throttlePair{key, addr})
	if k, ok := t.keys[key]; ok && k.N > 0 {
		k.N--
		t.keys[key] = k
	}
	return nil
}

// Cancel implements LoginThrottle.
func (t *memThrottle) Cancel(_ context.Context, key, addr string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	pk := throttlePair{key, addr}
	if p, ok := t.pairs[pk]; ok && p.N > 0 {
		p.N--
		t.pairs[pk] = p
	}
	if k, ok := t.keys[key]; ok && k.N > 0 {
		k.N--
		t.keys[key] = k
	}
	return nil
}

// sweep forgets old failures, at most once a minute, so the maps stay small.
func (t *memThrottle) sweep(now time.Time) {
	if d := now.Sub(t.swept); d >= 0 && d < time.Minute {
		return
	}
	t.swept = now
	for pk, f := range t.pairs {
		if now.Sub(f.Last) > ForgetLoginFailures {
			delete(t.pairs, pk)
		}
	}
	for k, f := range t.keys {
		if now.Sub(f.Last) > ForgetLoginFailures {
			delete(t.keys, k)
		}
	}
}
