package server

import (
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

// loginThrottle slows down repeated failed logins for one email: after
// freeLoginFailures failures, each attempt must wait twice as long as the
// previous one (1 s, 2 s, 4 s... at most 15 minutes) after the last failure.
type loginThrottle struct {
	now   func() time.Time
	mu    sync.Mutex
	m     map[string]*loginFailures
	swept time.Time
}

type loginFailures struct {
	n    int
	last time.Time
}

const (
	freeLoginFailures = 5
	maxLoginWait      = 15 * time.Minute
)

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, m: map[string]*loginFailures{}}
}

// wait returns how long the email must still wait before its next attempt.
func (t *loginThrottle) wait(email string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.m[email]
	if f == nil || f.n < freeLoginFailures {
		return 0
	}
	d := time.Second << min(f.n-freeLoginFailures, 20)
	d = min(d, maxLoginWait)
	if left := f.last.Add(d).Sub(t.now()); left > 0 {
		return left
	}
	return 0
}

func (t *loginThrottle) failed(email string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if now.Sub(t.swept) > time.Minute { // forget old failures so the map stays small
		t.swept = now
		for k, f := range t.m {
			if now.Sub(f.last) > time.Hour {
				delete(t.m, k)
			}
		}
	}
	f := t.m[email]
	if f == nil {
		f = &loginFailures{}
		t.m[email] = f
	}
	f.n++
	f.last = now
}

func (t *loginThrottle) succeeded(email string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, email)
}
