package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"freezer/domain"
)

func sessionHash(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	anne := mustAccount(t, db, "anne@example.com")
	bob := mustAccount(t, db, "bob@example.com")
	if err := db.SetAdmin(ctx, anne, true); err != nil {
		t.Fatalf("SetAdmin() error = %v", err)
	}
	for _, s := range []struct {
		id      string
		account int64
		ends    time.Duration
	}{{"anne-1", anne, time.Hour}, {"anne-2", anne, time.Hour}, {"bob-1", bob, time.Hour}, {"anne-old", anne, -time.Minute}} {
		if err := db.CreateSession(ctx, s.account, sessionHash(s.id), now.Add(s.ends)); err != nil {
			t.Fatalf("CreateSession(%s) error = %v", s.id, err)
		}
	}
	got, err := db.FindSession(ctx, sessionHash("anne-1"), now)
	if err != nil || got.AccountID != anne || got.Email != "anne@example.com" || !got.Admin || !got.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("FindSession(anne-1) = %+v, %v", got, err)
	}
	if got, err := db.FindSession(ctx, sessionHash("bob-1"), now); err != nil || got.AccountID != bob || got.Admin {
		t.Errorf("FindSession(bob-1) = %+v, %v; want Bob, no administrator", got, err)
	}
	for _, id := range []string{"anne-old", "nobody"} {
		if _, err := db.FindSession(ctx, sessionHash(id), now); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("FindSession(%s) error = %v, want ENotFound", id, err)
		}
	}
	if _, err := db.FindSession(ctx, sessionHash("anne-1"), now.Add(time.Hour)); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("FindSession(anne-1) at its end: error = %v, want ENotFound", err)
	}
	if err := db.DeleteOtherSessions(ctx, anne, sessionHash("anne-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, sessionHash("anne-2"), now); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("anne-2 after DeleteOtherSessions: error = %v, want ENotFound", err)
	}
	for _, id := range []string{"anne-1", "bob-1"} {
		if _, err := db.FindSession(ctx, sessionHash(id), now); err != nil {
			t.Errorf("%s after DeleteOtherSessions(anne, anne-1): %v", id, err)
		}
	}
	if err := db.DeleteSession(ctx, sessionHash("anne-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, sessionHash("anne-1"), now); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("anne-1 after DeleteSession: error = %v, want ENotFound", err)
	}
	// Deleting an account ends its sessions.
	if err := db.DeleteAccount(ctx, bob); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.rdb.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM web_sessions WHERE account_id = ?`), bob).Scan(&n); err != nil || n != 0 {
		t.Errorf("a deleted account has %d sessions left (%v)", n, err)
	}
	if err := db.CreateSession(ctx, bob, sessionHash("bob-2"), now.Add(time.Hour)); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("CreateSession() for a deleted account: error = %v, want ENotFound", err)
	}
}

func TestSessionsKeepOnlyHashes(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	anne := mustAccount(t, db, "anne@example.com")
	if err := db.CreateSession(ctx, anne, sessionHash("the-secret-id"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := db.rdb.QueryRowContext(ctx, `SELECT id_hash FROM web_sessions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored == "the-secret-id" || len(stored) != 64 {
		t.Errorf("stored session id %q, want a 64-digit SHA-256", stored)
	}
}

func TestPageKeyFirstWins(t *testing.T) {
	ctx := context.Background()
	path := newTarget(t)
	one, two := mustOpen(t, path), mustOpen(t, path) // two instances on one database
	a, err := one.PageKey(ctx, "csrf", []byte("first key of 32 bytes, at least."))
	if err != nil {
		t.Fatal(err)
	}
	b, err := two.PageKey(ctx, "csrf", []byte("second key, which must not win.."))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, []byte("first key of 32 bytes, at least.")) || !bytes.Equal(a, b) {
		t.Errorf("PageKey() = %q then %q, want the first key both times", a, b)
	}
}
