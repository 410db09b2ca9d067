package server

import (
	"context"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"freezer/domain"
)

// Account routes of /api/v1: register, log in, the account, its token and
// its password.

type tokenResponse struct {
	Token string `json:"token"`
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// checkCredentials validates an email and a new password.
func checkCredentials(c credentials) error {
	email := strings.TrimSpace(c.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return domain.FieldErrorf("email", "Give a valid email address, like name@example.com.")
	}
	return CheckNewPassword(email, c.Password)
}

// Register validates the credentials and creates an account; it returns
// the account's first token. The admin command uses it too: neither the
// registration switch nor its rate limit apply here.
func (s *Server) Register(ctx context.Context, email, password string) (string, error) {
	c := credentials{Email: strings.TrimSpace(email), Password: password}
	if err := checkCredentials(c); err != nil {
		return "", err
	}
	hash, err := s.acct.hashPassword(ctx, c.Password)
	if err != nil {
		return "", err
	}
	token, tokenHash := NewToken()
	if _, err := s.store.CreateAccount(ctx, c.Email, hash, tokenHash); err != nil {
		return "", err
	}
	return token, nil
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	if s.acct.closed {
		s.problem(w, r, http.StatusForbidden, domain.EForbidden,
			"Registration is closed on this server: ask its administrator for an account (they make one with \"freezerd users add\").")
		return
	}
	var c credentials
	if !s.decodeV1(w, r, &c) {
		return
	}
	// Invalid credentials are refused before they count: only the sign-ups
	// that would run bcrypt and write an account use the global allowance.
	if err := checkCredentials(credentials{Email: strings.TrimSpace(c.Email), Password: c.Password}); err != nil {
		s.v1Error(w, r, err)
		return
	}
	if n := s.acct.registrations; n > 0 {
		if ok, retry := s.allow(r.Context(), registrationsKey, n, 0); !ok {
			setRetryAfter(w, retry)
			s.problem(w, r, http.StatusTooManyRequests, domain.ERateLimited,
				"Too many new accounts on this server in the last minute: try again in a minute.")
			return
		}
	}
	token, err := s.Register(r.Context(), c.Email, c.Password)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.log.Info("account registered")
	writeJSON(w, http.StatusCreated, tokenResponse{token})
}

func setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
}

// reserveAttempt counts a password attempt on key from the request's
// address before the password is verified; when it may not go on, it has
// answered (429 or 500) and ok is false.
func (s *Server) reserveAttempt(w http.ResponseWriter, r *http.Request, key, tooMany string) (addr string, ok bool) {
	addr = s.clientIP(r)
	wait, err := s.acct.throttle.Reserve(r.Context(), key, addr)
	if err != nil {
		s.v1Error(w, r, err)
		return "", false
	}
	if wait > 0 {
		setRetryAfter(w, wait)
		s.problem(w, r, http.StatusTooManyRequests, domain.ERateLimited, tooMany)
		return "", false
	}
	return addr, true
}

// settleAttempt tells the throttle how a reserved attempt ended: err set
// (the password was never judged) takes it back, right forgets the
// failures, wrong leaves it counted.
func (s *Server) settleAttempt(ctx context.Context, key, addr string, right bool, err error) {
	var serr error
	switch {
	case err != nil:
		serr = s.acct.throttle.Cancel(ctx, key, addr)
	case right:
		serr = s.acct.throttle.Succeeded(ctx, key, addr)
	}
	if serr != nil {
		s.log.Error("login throttle", "err", serr)
	}
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	// device and app_version are optional: they name the new token's
	// device (devices.go).
	var c struct {
		credentials
		Device     string `json:"device"`
		AppVersion string `json:"app_version"`
	}
	if !s.decodeV1(w, r, &c) {
		return
	}
	nd, err := newDeviceOf(c.Device, c.AppVersion)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	key := strings.ToLower(strings.TrimSpace(c.Email))
	addr, ok := s.reserveAttempt(w, r, key, "Too many failed logins for this email from your address: wait a little before trying again.")
	if !ok {
		return
	}
	a, err := s.store.FindAccountByEmail(r.Context(), c.Email)
	right := false
	switch domain.ErrorCode(err) {
	case "":
		right, err = s.acct.verifyPassword(r.Context(), a.PasswordHash, c.Password)
	case domain.ENotFound:
		_, err = s.acct.verifyPassword(r.Context(), nil, c.Password)
	}
	s.settleAttempt(context.WithoutCancel(r.Context()), key, addr, right, err)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	if !right {
		s.log.Info("login failed")
		s.problem(w, r, http.StatusUnauthorized, domain.EUnauthorized, "The email or the password is not right.")
		return
	}
	token, hash := NewToken()
	if _, err := s.store.AddDevice(r.Context(), a.ID, hash, nd); err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{token})
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request, a Account) {
	writeJSON(w, http.StatusOK, map[string]any{"id": a.ID, "email": a.Email})
}

// handleRotateToken revokes every token of the account (this one too) and
// answers a new one.
func (s *Server) handleRotateToken(w http.ResponseWriter, r *http.Request, a Account) {
	token, hash := NewToken()
	if err := s.store.ReplaceTokens(r.Context(), a.ID, hash); err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{token})
}

// maxKeepTokens bounds the tokens a password change may keep.
const maxKeepTokens = 32

// handleChangePassword sets a new password once the current one is given
// (attempts throttled per account and address, like logins), then revokes
// every token of the account except the one making the request and those
// named in keep_tokens: the other devices must sign in again.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request, a Account) {
	var body struct {
		Current    string   `json:"current_password"`
		New        string   `json:"new_password"`
		KeepTokens []string `json:"keep_tokens"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	keep, err := keptTokens(r, body.KeepTokens)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	// The new password is checked first: a refusal costs no attempt.
	if err := CheckNewPassword(a.Email, body.New); err != nil {
		s.v1Error(w, r, err)
		return
	}
	full, err := s.store.FindAccountByEmail(r.Context(), a.Email)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	key := "account:" + strconv.FormatInt(a.ID, 10)
	addr, ok := s.reserveAttempt(w, r, key, "Too many wrong current passwords for this account: wait a little before trying again.")
	if !ok {
		return
	}
	right, err := s.acct.verifyPassword(r.Context(), full.PasswordHash, body.Current)
	s.settleAttempt(context.WithoutCancel(r.Context()), key, addr, right, err)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	if !right {
		s.v1Error(w, r, domain.FieldErrorf("current_password", "The current password is not right."))
		return
	}
	hash, err := s.acct.hashPassword(r.Context(), body.New)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	if err := s.store.ChangePassword(r.Context(), a.ID, hash, keep); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// keptTokens are the hashes of the tokens a password change keeps: the
// request's own and those it names.
func keptTokens(r *http.Request, named []string) ([][]byte, error) {
	if len(named) > maxKeepTokens {
		return nil, domain.FieldErrorf("keep_tokens", "Name at most %d tokens to keep.", maxKeepTokens)
	}
	own, _ := bearerToken(r)
	var keep [][]byte
	for i, t := range append([]string{own}, named...) {
		n, ok := normalizeToken(t)
		if !ok {
			if i == 0 {
				continue
			}
			return nil, domain.FieldErrorf("keep_tokens", "Token %d to keep is not a token: each is 64 hexadecimal digits.", i)
		}
		keep = append(keep, HashToken(n))
	}
	return keep, nil
}
