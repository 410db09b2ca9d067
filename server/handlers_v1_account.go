package server

import (
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"freezer/domain"
)

// Account routes of /api/v1: register, log in, the account, its token and
// its password.

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 8

// maxPasswordBytes is bcrypt's limit.
const maxPasswordBytes = 72

type tokenResponse struct {
	Token string `json:"token"`
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) bcryptCost() int {
	if s.cfg.BcryptCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.cfg.BcryptCost
}

// checkCredentials validates an email and a new password.
func checkCredentials(c credentials) error {
	email := strings.TrimSpace(c.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return domain.FieldErrorf("email", "Give a valid email address, like name@example.com.")
	}
	return checkPassword(c.Password)
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return domain.FieldErrorf("password", "The password needs at least %d characters.", MinPasswordLength)
	}
	if len(p) > maxPasswordBytes {
		return domain.FieldErrorf("password", "The password is too long: at most %d bytes.", maxPasswordBytes)
	}
	return nil
}

// Register validates the credentials and creates an account; it returns
// the account's first token. The admin command uses it too.
func (s *Server) Register(ctx context.Context, email, password string) (string, error) {
	c := credentials{Email: strings.TrimSpace(email), Password: password}
	if err := checkCredentials(c); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(c.Password), s.bcryptCost())
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	token, tokenHash := NewToken()
	if _, err := s.store.CreateAccount(ctx, c.Email, hash, tokenHash); err != nil {
		return "", err
	}
	return token, nil
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !s.decodeV1(w, r, &c) {
		return
	}
	token, err := s.Register(r.Context(), c.Email, c.Password)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.log.Info("account registered")
	writeJSON(w, http.StatusCreated, tokenResponse{token})
}

// dummyHash is compared against when the email is unknown, so that a login
// takes as long whether the account exists or not.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a real password"), bcrypt.MinCost)

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !s.decodeV1(w, r, &c) {
		return
	}
	key := strings.ToLower(strings.TrimSpace(c.Email))
	if wait := s.logins.wait(key); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		s.problem(w, r, http.StatusTooManyRequests, domain.ERateLimited, "Too many failed logins for this email: wait a little before trying again.")
		return
	}
	a, err := s.store.FindAccountByEmail(r.Context(), c.Email)
	switch domain.ErrorCode(err) {
	case "":
		err = bcrypt.CompareHashAndPassword(a.PasswordHash, []byte(c.Password))
	case domain.ENotFound:
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(c.Password))
	default:
		s.v1Error(w, r, err)
		return
	}
	if err != nil {
		s.logins.failed(key)
		s.log.Info("login failed")
		s.problem(w, r, http.StatusUnauthorized, domain.EUnauthorized, "The email or the password is not right.")
		return
	}
	s.logins.succeeded(key)
	token, hash := NewToken()
	if err := s.store.AddToken(r.Context(), a.ID, hash); err != nil {
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

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request, a Account) {
	var body struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	full, err := s.store.FindAccountByEmail(r.Context(), a.Email)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	if bcrypt.CompareHashAndPassword(full.PasswordHash, []byte(body.Current)) != nil {
		s.v1Error(w, r, domain.FieldErrorf("current_password", "The current password is not right."))
		return
	}
	if err := checkPassword(body.New); err != nil {
		s.v1Error(w, r, err)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(body.New), s.bcryptCost())
	if err != nil {
		s.v1Error(w, r, fmt.Errorf("hash password: %w", err))
		return
	}
	if err := s.store.SetPassword(r.Context(), a.ID, hash); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
