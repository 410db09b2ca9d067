package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"freezer/server"
)

// acctLogin is a login of alice@example.com with password from address.
func acctLogin(password, address string) request {
	r := post("/api/v1/login", fmt.Sprintf(`{"email": "alice@example.com", "password": %q}`, password))
	r.remote = address + ":4321"
	return r
}

// acctConcurrently sends n copies of req at once and counts the statuses.
func acctConcurrently(t *testing.T, e *env, n int, req func() request) map[int]int {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		codes = map[int]int{}
		start = make(chan struct{})
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code := e.do(t, req()).Code
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// Thirty wrong passwords sent at once: the throttle reserves each attempt
// before bcrypt runs, so only its allowance (5) is verified.
func TestAcctLoginThrottleAtomic(t *testing.T) {
	e := newEnv(t)
	before := e.srv.PasswordVerifications()
	codes := acctConcurrently(t, e, 30, func() request { return acctLogin("wrong horse", "203.0.113.7") })
	verified := e.srv.PasswordVerifications() - before
	if verified < 1 || verified > 5 {
		t.Errorf("30 concurrent wrong passwords: %d verified, want 1..5", verified)
	}
	if codes[http.StatusUnauthorized] != int(verified) || codes[http.StatusTooManyRequests] != 30-int(verified) {
		t.Errorf("statuses = %v, want %d × 401 and the rest 429", codes, verified)
	}
}

// A stranger hammers alice's email from many addresses; alice, signing in
// from an address with no failure, gets in at once.
func TestAcctOwnerSignsInWhileStrangerHammers(t *testing.T) {
	e := newEnv(t)
	for i := range 40 {
		e.do(t, acctLogin("wrong horse", "203.0.113.7"))
		if i < 25 {
			e.do(t, acctLogin("wrong horse", fmt.Sprintf("198.51.100.%d", i+1)))
		}
	}
	if w := e.do(t, acctLogin("wrong horse", "203.0.113.7")); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("the stranger's address = %d (Retry-After %q), want 429", w.Code, w.Header().Get("Retry-After"))
	}
	// Over the email's ceiling, an address with one failure waits too.
	if code := e.do(t, acctLogin("wrong horse", "198.51.100.1")).Code; code != http.StatusTooManyRequests {
		t.Errorf("an address with 1 failure over the email's ceiling = %d, want 429", code)
	}
	w := e.do(t, acctLogin("correct horse", "192.0.2.55"))
	if w.Code != http.StatusOK {
		t.Fatalf("the owner from an address with no failures = %d %s, want 200", w.Code, w.Body)
	}
	if code := e.do(t, acctLogin("correct horse", "192.0.2.55")).Code; code != http.StatusOK {
		t.Errorf("the owner again = %d, want 200", code)
	}
}

// The attempts behind a client IP header are counted per forwarded
// address, not per proxy.
func TestAcctThrottleUsesClientIPHeader(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.ClientIPHeader = "X-Real-IP" })
	from := func(password, ip string) int {
		r := acctLogin(password, "10.0.0.1")
		r.header = http.Header{"X-Real-Ip": {ip}}
		return e.do(t, r).Code
	}
	for range 6 {
		from("wrong horse", "203.0.113.9")
	}
	if code := from("correct horse", "203.0.113.9"); code != http.StatusTooManyRequests {
		t.Errorf("the failing client = %d, want 429", code)
	}
	if code := from("correct horse", "192.0.2.8"); code != http.StatusOK {
		t.Errorf("another client behind the same proxy = %d, want 200", code)
	}
}

// Wrong current passwords on a password change are throttled like
// logins, per account, even with a valid (perhaps stolen) token.
func TestAcctCurrentPasswordThrottled(t *testing.T) {
	e := newEnv(t)
	before := e.srv.PasswordVerifications()
	change := func(current string) request {
		r := v1("PUT", "/api/v1/account/password", fmt.Sprintf(`{"current_password": %q, "new_password": "plum jam tart"}`, current))
		r.bearer = e.a
		return r
	}
	codes := acctConcurrently(t, e, 30, func() request { return change("guess guess") })
	verified := e.srv.PasswordVerifications() - before
	if verified < 1 || verified > 5 {
		t.Errorf("30 concurrent wrong current passwords: %d verified, want 1..5", verified)
	}
	if codes[http.StatusTooManyRequests] != 30-int(verified) || codes[http.StatusBadRequest] != int(verified) {
		t.Errorf("statuses = %v, want %d × 400 and the rest 429", codes, verified)
	}
	e.clock.Add(maxWait)
	w := e.do(t, change("correct horse"))
	if w.Code != http.StatusNoContent {
		t.Errorf("the right current password once the wait is over = %d %s, want 204", w.Code, w.Body)
	}
}

const maxWait = 15 * time.Minute

// The dummy hash compared for unknown emails has the cost of real hashes.
func TestAcctDummyHashCost(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.BcryptCost = bcrypt.DefaultCost })
	a, err := e.store.FindAccountByEmail(t.Context(), "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	realCost, err := bcrypt.Cost(a.PasswordHash)
	if err != nil {
		t.Fatal(err)
	}
	dummy, err := bcrypt.Cost(e.srv.DummyPasswordHash())
	if err != nil {
		t.Fatal(err)
	}
	if dummy != realCost || realCost != bcrypt.DefaultCost {
		t.Errorf("bcrypt.Cost(dummy hash) = %d, real hash = %d, want both %d", dummy, realCost, bcrypt.DefaultCost)
	}
	before := e.srv.PasswordVerifications()
	if code := e.do(t, post("/api/v1/login", `{"email": "nobody@example.com", "password": "correct horse"}`)).Code; code != http.StatusUnauthorized {
		t.Errorf("unknown email = %d, want 401", code)
	}
	if got := e.srv.PasswordVerifications() - before; got != 1 {
		t.Errorf("unknown email: %d bcrypt verifications, want 1 (against the dummy hash)", got)
	}
}

// acctBenchAddr numbers the benchmark's client addresses, over every run.
var acctBenchAddr atomic.Int64

// BenchmarkAcctLogin compares a failed login for a known email with one
// for an unknown email, at the default bcrypt cost: they must take about
// as long (the known/unknown ratio within 2x), or timing tells which
// emails have an account. Each attempt comes from a new address, so the
// throttle never refuses.
func BenchmarkAcctLogin(b *testing.B) {
	e := newEnv(b, func(c *server.Config) { c.BcryptCost = bcrypt.DefaultCost })
	e.srv.DummyPasswordHash() // made once, on first use: not measured
	for _, email := range []string{"alice@example.com", "nobody@example.com"} {
		name := map[bool]string{true: "known", false: "unknown"}[strings.HasPrefix(email, "alice")]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				i := acctBenchAddr.Add(1)
				r := post("/api/v1/login", fmt.Sprintf(`{"email": %q, "password": "wrong horse"}`, email))
				r.remote = fmt.Sprintf("10.%d.%d.%d:1", i>>16&255, i>>8&255, i&255)
				if code := e.do(b, r).Code; code != http.StatusUnauthorized {
					b.Fatalf("login = %d, want 401", code)
				}
			}
		})
	}
}
