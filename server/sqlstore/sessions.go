package sqlstore

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"time"

	"freezer/domain"
	"freezer/server"
)

// The household page's sessions, administrators and keys
// (server.SessionStore; migration 0008, PostgreSQL 0004).

var _ server.SessionStore = (*DB)(nil)

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// CreateSession stores a session and deletes the ended ones.
func (db *DB) CreateSession(ctx context.Context, accountID int64, idHash []byte, expires time.Time) error {
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM web_sessions WHERE expires_at < ?`, db.now()); err != nil {
			return fmt.Errorf("delete ended sessions: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO web_sessions (id_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hex.EncodeToString(idHash), accountID, db.now(), stamp(expires)); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return nil
	})
}

// FindSession looks the session up by the hash of its id, compares the
// stored hash in constant time and refuses an ended one.
func (db *DB) FindSession(ctx context.Context, idHash []byte, now time.Time) (server.WebSession, error) {
	want := hex.EncodeToString(idHash)
	var s server.WebSession
	err := db.read(ctx, func(tx *tx) error {
		var got, expires string
		var admin int
		if err := tx.queryRow(ctx, `SELECT s.id_hash, s.account_id, s.expires_at, a.email, a.admin FROM web_sessions s
 JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?`, want).Scan(&got, &s.AccountID, &expires, &s.Email, &admin); err != nil {
			return fmt.Errorf("find session: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 || expires <= stamp(now) {
			return domain.Errorf(domain.ENotFound, "Not found.")
		}
		s.Admin = admin != 0
		var err error
		if s.Expires, err = time.Parse(time.RFC3339, expires); err != nil {
			return fmt.Errorf("session end %q: %w", expires, err)
		}
		return nil
	})
	if err != nil {
		return server.WebSession{}, err
	}
	return s, nil
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, idHash []byte) error {
	return db.write(ctx, func(tx *tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM web_sessions WHERE id_hash = ?`, hex.EncodeToString(idHash)); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}

// DeleteOtherSessions ends the account's sessions but one.
func (db *DB) DeleteOtherSessions(ctx context.Context, accountID int64, keepHash []byte) error {
	return db.write(ctx, func(tx *tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM web_sessions WHERE account_id = ? AND id_hash <> ?`, accountID, hex.EncodeToString(keepHash)); err != nil {
			return fmt.Errorf("delete other sessions: %w", err)
		}
		return nil
	})
}

// SetAdmin sets or clears the account's administrator flag.
func (db *DB) SetAdmin(ctx context.Context, accountID int64, admin bool) error {
	flag := 0
	if admin {
		flag = 1
	}
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE accounts SET admin = ? WHERE id = ?`, flag, accountID); err != nil {
			return fmt.Errorf("set admin: %w", err)
		}
		return nil
	})
}

// PageKey returns the key called name, storing fresh first if there is
// none: the first instance's key wins, the others read it.
func (db *DB) PageKey(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	var keyHex string
	err := db.write(ctx, func(tx *tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO web_keys (name, key_hex) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, hex.EncodeToString(fresh)); err != nil {
			return fmt.Errorf("store key %s: %w", name, err)
		}
		if err := tx.queryRow(ctx, `SELECT key_hex FROM web_keys WHERE name = ?`, name).Scan(&keyHex); err != nil {
			return fmt.Errorf("read key %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(keyHex)
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	return key, nil
}
