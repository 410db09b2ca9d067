package server

import (
	"context"
	"time"
)

// WebSession is a signed-in session of the household page (package
// server/web): the account it belongs to, read with the session.
type WebSession struct {
	AccountID int64
	Email     string
	// Admin says whether the account may manage the product types and the
	// accounts from the page ("freezerd users add -admin", "freezerd users
	// admin").
	Admin   bool
	Expires time.Time
}

// SessionStore keeps the household page's sessions, the administrators and
// the page's keys in the database, so that several instances behind a load
// balancer share them. Only the SHA-256 hash of a session id is stored.
type SessionStore interface {
	// CreateSession stores a session of the account that ends at expires,
	// and deletes the sessions (of every account) that have ended.
	CreateSession(ctx context.Context, accountID int64, idHash []byte, expires time.Time) error
	// FindSession returns the session whose id hashes to idHash; one that
	// ended before now, or none, is ENotFound.
	FindSession(ctx context.Context, idHash []byte, now time.Time) (WebSession, error)
	// DeleteSession ends one session (no error when there is none).
	DeleteSession(ctx context.Context, idHash []byte) error
	// DeleteOtherSessions ends every session of the account but keepHash's.
	DeleteOtherSessions(ctx context.Context, accountID int64, keepHash []byte) error
	// SetAdmin makes the account an administrator of the page, or not.
	SetAdmin(ctx context.Context, accountID int64, admin bool) error
	// PageKey returns the secret key called name, storing fresh under
	// that name first when there is none yet: every instance then signs
	// with the first key stored.
	PageKey(ctx context.Context, name string, fresh []byte) ([]byte, error)
}
