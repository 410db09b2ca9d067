package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/bcrypt"

	"freezer/domain"
)

// DefaultRegistrationsPerMinute bounds registrations over every address.
const DefaultRegistrationsPerMinute = 30

// accounts is what the account routes share: the login throttle, the
// bcrypt semaphore and the registration limit.
type accounts struct {
	throttle LoginThrottle
	// registrations bounds the registrations per calendar minute, counted
	// by the server's RateCounter (0: no bound).
	registrations int
	closed        bool
	cost          int
	// bcryptSlots bounds the bcrypt work running at once to the cores, so
	// that a burst of logins or sign-ups leaves CPU to every other request.
	bcryptSlots chan struct{}
	// dummyHash is compared against when the email is unknown, so a login
	// takes as long whether the account exists or not: same cost as real
	// hashes, made once on first use.
	dummyHash func() []byte
	// verified counts the bcrypt verifications (tests read it).
	verified atomic.Int64
}

func newAccounts(cfg Config) *accounts {
	a := &accounts{
		throttle:    cfg.LoginThrottle,
		closed:      cfg.RegistrationClosed,
		cost:        cfg.BcryptCost,
		bcryptSlots: make(chan struct{}, runtime.NumCPU()),
	}
	if a.throttle == nil {
		a.throttle = newMemThrottle(cfg.Now)
	}
	if a.cost == 0 {
		a.cost = bcrypt.DefaultCost
	}
	switch n := cfg.RegistrationsPerMinute; {
	case n == 0:
		a.registrations = DefaultRegistrationsPerMinute
	case n > 0:
		a.registrations = n
	}
	cost := a.cost
	a.dummyHash = sync.OnceValue(func() []byte {
		h, err := bcrypt.GenerateFromPassword([]byte("not a real password"), cost)
		if err != nil { // only for a cost out of bcrypt's range
			h, _ = bcrypt.GenerateFromPassword([]byte("not a real password"), bcrypt.DefaultCost)
		}
		return h
	})
	return a
}

// acquire takes a bcrypt slot, or gives up when ctx ends.
func (a *accounts) acquire(ctx context.Context) error {
	select {
	case a.bcryptSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for a bcrypt slot: %w", ctx.Err())
	}
}

func (a *accounts) release() { <-a.bcryptSlots }

// hashPassword hashes a new password at the configured cost.
func (a *accounts) hashPassword(ctx context.Context, password string) ([]byte, error) {
	if err := a.acquire(ctx); err != nil {
		return nil, err
	}
	defer a.release()
	h, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// verifyPassword reports whether password matches hash (a nil hash
// compares against the dummy hash and never matches). err is set only
// when the check could not run.
func (a *accounts) verifyPassword(ctx context.Context, hash []byte, password string) (bool, error) {
	dummy := hash == nil
	if dummy {
		hash = a.dummyHash()
	}
	if err := a.acquire(ctx); err != nil {
		return false, err
	}
	defer a.release()
	a.verified.Add(1)
	err := bcrypt.CompareHashAndPassword(hash, []byte(password))
	switch {
	case err == nil:
		return !dummy, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, fmt.Errorf("verify password: %w", err)
	}
}

// NewToken returns a new token (32 random bytes as 64 lowercase hex
// characters) and the hash the store keeps of it.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = hex.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the SHA-256 of a normalized token: only that is stored.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// normalizeToken matches tokens as the original did, without regard to
// case or surrounding spaces; ok is false for anything but 64 hex digits.
func normalizeToken(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != 64 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return s, true
}

// authenticate returns the account owning token. A token that is
// malformed or unknown answers EUnauthorized.
func (s *Server) authenticate(ctx context.Context, token string) (Account, error) {
	t, ok := normalizeToken(token)
	if !ok {
		return Account{}, domain.Errorf(domain.EUnauthorized, "This token is not valid: log in again.")
	}
	a, err := s.store.FindAccountByToken(ctx, HashToken(t))
	if domain.ErrorCode(err) == domain.ENotFound {
		return Account{}, domain.Errorf(domain.EUnauthorized, "This token is not valid: log in again.")
	}
	return a, err
}

// v1 wraps an /api/v1 handler that needs the bearer token's account.
func (s *Server) v1(h func(http.ResponseWriter, *http.Request, Account)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="freezerd"`)
			s.problem(w, r, http.StatusUnauthorized, domain.EUnauthorized, "Send your token as Authorization: Bearer <token>.")
			return
		}
		a, err := s.authenticate(r.Context(), token)
		if err != nil {
			if domain.ErrorCode(err) == domain.EUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="freezerd", error="invalid_token"`)
			}
			if errors.Is(err, ErrDeviceRemoved) {
				s.problem(w, r, http.StatusUnauthorized, CodeDeviceRemoved, MsgDeviceRemoved)
				return
			}
			s.v1Error(w, r, err)
			return
		}
		h(w, r, a)
	}
}

// bearerToken is the token of the Authorization header, as sent.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return token, ok && strings.EqualFold(scheme, "Bearer")
}

// compatAccount reads the token path segment of a compat route; on failure
// it has answered 400 BAD_TOKEN (or 500).
func (s *Server) compatAccount(w http.ResponseWriter, r *http.Request) (Account, bool) {
	a, err := s.authenticate(r.Context(), r.PathValue("token"))
	switch domain.ErrorCode(err) {
	case "":
		return a, true
	case domain.EUnauthorized:
		writeCompatError(w, http.StatusBadRequest, textBadToken)
	default:
		s.logFailure(r, "authenticate", err)
		writeCompatError(w, http.StatusInternalServerError, textServerError)
	}
	return Account{}, false
}
