package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"freezer/domain"
)

// What the household page (package server/web) uses of the server: the
// same password rules, login throttle, registration switch and limits as
// /api/v1, as methods that return domain errors instead of answering.

// Handle serves pattern with h behind the server's middleware (security
// headers, body limit, panics, logs) and the per-route rate limit, counted
// under pattern's path.
func (s *Server) Handle(pattern string, h http.Handler) {
	_, path, _ := strings.Cut(pattern, " ")
	if path == "" {
		path = pattern
	}
	s.mux.Handle(pattern, s.guard(path, route{pattern: pattern, handler: h.ServeHTTP, public: true}))
}

// ClientIP is the request's client address, as the rate limits see it
// (Config.ClientIPHeader).
func (s *Server) ClientIP(r *http.Request) string { return s.clientIP(r) }

// RegistrationOpen reports whether people may create their own account.
func (s *Server) RegistrationOpen() bool { return !s.acct.closed }

// SignIn checks an email and a password like POST /api/v1/login, with the
// same throttle per email and client address addr. A wrong pair is
// EUnauthorized, too many failures ERateLimited.
func (s *Server) SignIn(ctx context.Context, addr, email, password string) (Account, error) {
	key := strings.ToLower(strings.TrimSpace(email))
	var a Account
	err := s.throttled(ctx, key, addr, "Too many failed sign-ins for this email from your address: wait a little before trying again.", func() (bool, error) {
		var err error
		a, err = s.store.FindAccountByEmail(ctx, email)
		switch domain.ErrorCode(err) {
		case "":
			return s.acct.verifyPassword(ctx, a.PasswordHash, password)
		case domain.ENotFound:
			_, err = s.acct.verifyPassword(ctx, nil, password)
			return false, err
		}
		return false, err
	})
	if err != nil {
		return Account{}, err
	}
	return a, nil
}

// CheckPassword checks the account's current password, throttled per
// account and address like a password change. A wrong one is EInvalid on
// field current_password.
func (s *Server) CheckPassword(ctx context.Context, addr string, accountID int64, email, password string) error {
	full, err := s.store.FindAccountByEmail(ctx, email)
	if err != nil {
		return err
	}
	if full.ID != accountID {
		return domain.Errorf(domain.ENotFound, "This account does not exist any more.")
	}
	key := "account:" + strconv.FormatInt(accountID, 10)
	err = s.throttled(ctx, key, addr, "Too many wrong current passwords for this account: wait a little before trying again.", func() (bool, error) {
		return s.acct.verifyPassword(ctx, full.PasswordHash, password)
	})
	if domain.ErrorCode(err) == domain.EUnauthorized {
		return domain.FieldErrorf("current_password", "The current password is not right.")
	}
	return err
}

// ChangePasswordChecked sets a new password once the current one is
// right. signOutDevices revokes every device token of the account, as
// PUT /api/v1/account/password does; otherwise the devices stay signed in.
func (s *Server) ChangePasswordChecked(ctx context.Context, addr string, accountID int64, email, current, next string, signOutDevices bool) error {
	if err := CheckNewPassword(email, next); err != nil {
		return err
	}
	if err := s.CheckPassword(ctx, addr, accountID, email, current); err != nil {
		return err
	}
	hash, err := s.acct.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	if signOutDevices {
		return s.store.ChangePassword(ctx, accountID, hash, nil)
	}
	return s.store.SetPassword(ctx, accountID, hash)
}

// SignUp creates an account like POST /api/v1/register (the registration
// switch and limit apply) but gives it no token: the page signs in with a
// session, and devices get their own tokens by logging in or pairing.
func (s *Server) SignUp(ctx context.Context, email, password string) (Account, error) {
	if s.acct.closed {
		return Account{}, domain.Errorf(domain.EForbidden, "Registration is closed on this server: ask its administrator for an account.")
	}
	email = strings.TrimSpace(email)
	if err := checkCredentials(credentials{Email: email, Password: password}); err != nil {
		return Account{}, err
	}
	if n := s.acct.registrations; n > 0 {
		if ok, _ := s.allow(ctx, registrationsKey, n, 0); !ok {
			return Account{}, domain.Errorf(domain.ERateLimited, "Too many new accounts on this server in the last minute: try again in a minute.")
		}
	}
	hash, err := s.acct.hashPassword(ctx, password)
	if err != nil {
		return Account{}, err
	}
	_, tokenHash := NewToken()
	a, err := s.store.CreateAccount(ctx, email, hash, tokenHash)
	if err != nil {
		return Account{}, err
	}
	// The first token is nobody's: drop it, so no device is listed.
	if err := s.store.ChangePassword(ctx, a.ID, hash, nil); err != nil {
		return Account{}, err
	}
	s.log.Info("account registered", "from", "page")
	return a, nil
}

// throttled runs check (did the password match?) as one attempt of the
// login throttle on key and addr. A wrong password is EUnauthorized.
func (s *Server) throttled(ctx context.Context, key, addr, tooMany string, check func() (bool, error)) error {
	wait, err := s.acct.throttle.Reserve(ctx, key, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		return domain.Errorf(domain.ERateLimited, "%s", tooMany)
	}
	right, err := check()
	s.settleAttempt(context.WithoutCancel(ctx), key, addr, right, err)
	if err != nil {
		return err
	}
	if !right {
		return domain.Errorf(domain.EUnauthorized, "The email or the password is not right.")
	}
	return nil
}

// ResetPassword sets a new password for the account of email without the
// current one ("freezerd users password", for a forgotten password): the
// rules of CheckNewPassword apply; the devices stay signed in.
func (s *Server) ResetPassword(ctx context.Context, email, password string) (Account, error) {
	a, err := s.store.FindAccountByEmail(ctx, email)
	if err != nil {
		return Account{}, err
	}
	if err := CheckNewPassword(a.Email, password); err != nil {
		return Account{}, err
	}
	hash, err := s.acct.hashPassword(ctx, password)
	if err != nil {
		return Account{}, err
	}
	if err := s.store.SetPassword(ctx, a.ID, hash); err != nil {
		return Account{}, err
	}
	return a, nil
}
