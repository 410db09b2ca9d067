package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"freezer/domain"
)

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
		auth := r.Header.Get("Authorization")
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="freezerd"`)
			s.problem(w, r, http.StatusUnauthorized, domain.EUnauthorized, "Send your token as Authorization: Bearer <token>.")
			return
		}
		a, err := s.authenticate(r.Context(), token)
		if err != nil {
			if domain.ErrorCode(err) == domain.EUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="freezerd", error="invalid_token"`)
			}
			s.v1Error(w, r, err)
			return
		}
		h(w, r, a)
	}
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
		s.log.Error("authenticate", "route", routeName(r), "err", err)
		writeCompatError(w, http.StatusInternalServerError, textServerError)
	}
	return Account{}, false
}
