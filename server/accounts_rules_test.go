package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"freezer/server"
)

func TestAcctCheckNewPassword(t *testing.T) {
	tests := []struct {
		password string
		wantErr  string // part of the message; "" for accepted
	}{
		{"correct horse", ""},
		{"plum jam tart", ""},
		{"Tr0ub4dor&3x", ""},
		{"123456789", "at least 10 characters"},
		{"aaaaaaaa", "at least 10 characters"},
		{"          ", "only spaces"},
		{"aaaaaaaaaaaa", "repeats"},
		{"abababababab", "repeats"},
		{"Alice@Example.com", "your email"},
		{" alice@example.com ", "your email"},
		{"1234567890", "most common"},
		{"password123", "most common"},
		{"PASSWORD2024!", "most common"},
		{"123456sunshine", "most common"},
		{"basketball", "most common"},
		{strings.Repeat("long words ", 7), "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.password, func(t *testing.T) {
			err := server.CheckNewPassword("alice@example.com", tc.password)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("CheckNewPassword(%q) = %v, want nil", tc.password, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("CheckNewPassword(%q) = %v, want an error saying %q", tc.password, err, tc.wantErr)
			}
		})
	}
}

// The rules hold on every route that sets a password; an account made
// before them keeps signing in with its old password.
func TestAcctPasswordRulesOnRoutes(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{
		`{"email": "carol@example.com", "password": "        "}`,
		`{"email": "carol@example.com", "password": "aaaaaaaa"}`,
		`{"email": "carol@example.com", "password": "CAROL@example.com"}`,
		`{"email": "carol@example.com", "password": "qwerty123456"}`,
	} {
		w := e.do(t, noAuth(v1("POST", "/api/v1/register", body)))
		if p := decode[problemDoc](t, w); w.Code != http.StatusBadRequest || p.Field != "password" || !strings.Contains(p.Detail, "choose") && !strings.Contains(p.Detail, "Choose") {
			t.Errorf("register %s = %d %+v, want 400 on password saying what to choose", body, w.Code, p)
		}
	}
	change := v1("PUT", "/api/v1/account/password", `{"current_password": "correct horse", "new_password": "alice@example.com"}`)
	change.bearer = e.a
	if w := e.do(t, change); w.Code != http.StatusBadRequest {
		t.Errorf("change to the email = %d, want 400", w.Code)
	}
	if _, err := e.srv.Register(t.Context(), "dan@example.com", "sunshine"); err == nil {
		t.Errorf("Register (freezerd users add) with a common password: no error")
	}

	// An account from before the rules, with an 8-character password.
	old, _ := bcrypt.GenerateFromPassword([]byte("sesame12"), bcrypt.MinCost)
	if _, err := e.store.CreateAccount(context.Background(), "old@example.com", old, make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	if w := e.do(t, post("/api/v1/login", `{"email": "old@example.com", "password": "sesame12"}`)); w.Code != http.StatusOK {
		t.Errorf("login with a password set before the rules = %d %s, want 200", w.Code, w.Body)
	}
}

// acctLoginToken signs alice in and returns the new token.
func acctLoginToken(t *testing.T, e *env, password string) string {
	t.Helper()
	w := e.do(t, post("/api/v1/login", fmt.Sprintf(`{"email": "alice@example.com", "password": %q}`, password)))
	if w.Code != http.StatusOK {
		t.Fatalf("login = %d %s", w.Code, w.Body)
	}
	return decode[struct{ Token string }](t, w).Token
}

func acctAccountCode(t *testing.T, e *env, token string) int {
	t.Helper()
	r := v1("GET", "/api/v1/account", "")
	r.bearer = token
	return e.do(t, r).Code
}

// A password change signs every other device out, except the tokens the
// request names.
func TestAcctPasswordChangeRevokesOtherTokens(t *testing.T) {
	e := newEnv(t)
	phone, laptop, stolen := acctLoginToken(t, e, "correct horse"), acctLoginToken(t, e, "correct horse"), acctLoginToken(t, e, "correct horse")
	r := v1("PUT", "/api/v1/account/password", fmt.Sprintf(`{"current_password": "correct horse", "new_password": "plum jam tart", "keep_tokens": [%q]}`, strings.ToUpper(laptop)))
	r.bearer = phone
	if w := e.do(t, r); w.Code != http.StatusNoContent {
		t.Fatalf("change password = %d %s, want 204", w.Code, w.Body)
	}
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"the token that made the change", phone, http.StatusOK},
		{"a token named in keep_tokens", laptop, http.StatusOK},
		{"another device's token", stolen, http.StatusUnauthorized},
		{"the registration token", e.a, http.StatusUnauthorized},
		{"another account's token", e.b, http.StatusOK},
	} {
		if got := acctAccountCode(t, e, tc.token); got != tc.want {
			t.Errorf("%s after the change = %d, want %d", tc.name, got, tc.want)
		}
	}
	if code := e.do(t, acctLogin("plum jam tart", "192.0.2.9")).Code; code != http.StatusOK {
		t.Errorf("login with the new password = %d, want 200", code)
	}

	bad := v1("PUT", "/api/v1/account/password", `{"current_password": "plum jam tart", "new_password": "fig and walnut", "keep_tokens": ["nope"]}`)
	bad.bearer = phone
	if w := e.do(t, bad); w.Code != http.StatusBadRequest || decode[problemDoc](t, w).Field != "keep_tokens" {
		t.Errorf("keep_tokens with a malformed token = %d %s, want 400 on keep_tokens", w.Code, w.Body)
	}
}

// acctRegister registers email from address.
func acctRegister(t *testing.T, e *env, email, address string) *problemDoc {
	t.Helper()
	r := noAuth(v1("POST", "/api/v1/register", fmt.Sprintf(`{"email": %q, "password": "plum jam tart"}`, email)))
	r.remote = address + ":5555"
	w := e.do(t, r)
	if w.Code == http.StatusCreated {
		return nil
	}
	p := decode[problemDoc](t, w)
	return &p
}

// Registrations have a global limit per minute, over every address.
func TestAcctRegistrationLimit(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.RegistrationsPerMinute = 3 })
	e.clock.Add(-today.Sub(today.Truncate(time.Minute))) // start of a minute
	for i := range 3 {
		if p := acctRegister(t, e, fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("198.51.100.%d", i+1)); p != nil {
			t.Fatalf("registration %d = %+v, want 201", i+1, p)
		}
	}
	p := acctRegister(t, e, "user3@example.com", "203.0.113.50")
	if p == nil || p.Status != http.StatusTooManyRequests || !strings.Contains(p.Detail, "Too many new accounts") {
		t.Fatalf("4th registration in the minute, from a new address = %+v, want 429 saying there were too many new accounts", p)
	}
	// An invalid registration is refused for what it is, not counted.
	if p := acctRegister(t, e, "not an email", "203.0.113.50"); p == nil || p.Status != http.StatusBadRequest {
		t.Errorf("invalid registration over the limit = %+v, want 400", p)
	}
	e.clock.Add(time.Minute)
	if p := acctRegister(t, e, "user3@example.com", "203.0.113.50"); p != nil {
		t.Errorf("registration in the next minute = %+v, want 201", p)
	}
}

// With registration closed, the route says how accounts are made, and
// "freezerd users add" (Register) still makes them.
func TestAcctRegistrationClosed(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.RegistrationClosed = true })
	p := acctRegister(t, e, "carol@example.com", "192.0.2.1")
	if p == nil || p.Status != http.StatusForbidden || !strings.Contains(p.Detail, "freezerd users add") {
		t.Fatalf("register while closed = %+v, want 403 naming freezerd users add", p)
	}
	if _, err := e.srv.Register(t.Context(), "carol@example.com", "plum jam tart"); err != nil {
		t.Fatalf("Register (freezerd users add) while closed = %v", err)
	}
	if code := e.do(t, post("/api/v1/login", `{"email": "carol@example.com", "password": "plum jam tart"}`)).Code; code != http.StatusOK {
		t.Errorf("login of an account made by the administrator = %d, want 200", code)
	}
}
