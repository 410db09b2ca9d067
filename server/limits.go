package server

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// limiter counts requests per (route, client IP) in fixed windows: the
// current calendar minute and the current UTC day, as the original's
// Flask-Limiter did. A refused request does not count.
type limiter struct {
	limits Limits
	now    func() time.Time

	mu     sync.Mutex
	counts map[limitKey]*windowCount
	swept  time.Time
}

// windowCounter counts requests in fixed windows per (route, address):
// the rate limits and the registration limit. limiter counts in this
// process; a store shared by several instances can implement it.
type windowCounter interface {
	// allow counts one request and reports whether it is within the
	// limits; when not, how long until the window that refused it ends.
	allow(route, ip string) (bool, time.Duration)
}

var _ windowCounter = (*limiter)(nil)

type limitKey struct{ route, ip string }

type windowCount struct {
	minute, day     time.Time
	inMinute, inDay int
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	return &limiter{limits: l, now: now, counts: map[limitKey]*windowCount{}}
}

// allow counts one request and reports whether it is within the limits;
// when not, it returns how long until the window that refused it ends.
func (l *limiter) allow(route, ip string) (bool, time.Duration) {
	if l.limits.Disabled {
		return true, 0
	}
	now := l.now().UTC()
	minute := now.Truncate(time.Minute)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(day)
	k := limitKey{route, ip}
	c := l.counts[k]
	if c == nil {
		c = &windowCount{}
		l.counts[k] = c
	}
	if !c.minute.Equal(minute) {
		c.minute, c.inMinute = minute, 0
	}
	if !c.day.Equal(day) {
		c.day, c.inDay = day, 0
	}
	if l.limits.PerDay > 0 && c.inDay >= l.limits.PerDay {
		return false, day.Add(24 * time.Hour).Sub(now)
	}
	if l.limits.PerMinute > 0 && c.inMinute >= l.limits.PerMinute {
		return false, minute.Add(time.Minute).Sub(now)
	}
	c.inMinute++
	c.inDay++
	return true, 0
}

// sweep drops the counts of past days, at most once a minute.
func (l *limiter) sweep(day time.Time) {
	now := l.now()
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, c := range l.counts {
		if c.day.Before(day) {
			delete(l.counts, k)
		}
	}
}

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
// process; a store shared by several instances can implement it instead.
// Each method must be atomic: Reserve counts the attempt before the
// password is verified, so that guesses sent at once cannot all be tried.
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
	// forgetFailures is how long failures are remembered.
	forgetFailures = time.Hour
)

// memThrottle is the in-process LoginThrottle.
type memThrottle struct {
	now   func() time.Time
	mu    sync.Mutex
	pairs map[throttlePair]*failures
	keys  map[string]*failures
	swept time.Time
}

type throttlePair struct{ key, addr string }

type failures struct {
	n    int
	last time.Time
}

// wait is how long after now the next attempt must wait, once more than
// free failures were counted.
func (f *failures) wait(now time.Time, free int) time.Duration {
	if f == nil || f.n < free {
		return 0
	}
	d := min(time.Second<<min(f.n-free, 20), maxLoginWait)
	return max(f.last.Add(d).Sub(now), 0)
}

func newMemThrottle(now func() time.Time) *memThrottle {
	return &memThrottle{now: now, pairs: map[throttlePair]*failures{}, keys: map[string]*failures{}}
}

var _ LoginThrottle = (*memThrottle)(nil)

// Reserve implements LoginThrottle.
func (t *memThrottle) Reserve(_ context.Context, key, addr string) (time.Duration, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	pk := throttlePair{key, addr}
	p, k := t.pairs[pk], t.keys[key]
	if p != nil {
		if w := max(p.wait(now, freeLoginFailures), k.wait(now, keyLoginFailures)); w > 0 {
			return w, nil
		}
	} else {
		p = &failures{}
		t.pairs[pk] = p
	}
	if k == nil {
		k = &failures{}
		t.keys[key] = k
	}
	p.n, p.last = p.n+1, now
	k.n, k.last = k.n+1, now
	return 0, nil
}

// Succeeded implements LoginThrottle.
func (t *memThrottle) Succeeded(_ context.Context, key, addr string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pairs, throttlePair{key, addr})
	if k := t.keys[key]; k != nil && k.n > 0 {
		k.n--
	}
	return nil
}

// Cancel implements LoginThrottle.
func (t *memThrottle) Cancel(_ context.Context, key, addr string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := t.pairs[throttlePair{key, addr}]; p != nil && p.n > 0 {
		p.n--
	}
	if k := t.keys[key]; k != nil && k.n > 0 {
		k.n--
	}
	return nil
}

// sweep forgets old failures, at most once a minute, so the maps stay small.
func (t *memThrottle) sweep(now time.Time) {
	if now.Sub(t.swept) < time.Minute {
		return
	}
	t.swept = now
	for pk, f := range t.pairs {
		if now.Sub(f.last) > forgetFailures {
			delete(t.pairs, pk)
		}
	}
	for k, f := range t.keys {
		if now.Sub(f.last) > forgetFailures {
			delete(t.keys, k)
		}
	}
}
