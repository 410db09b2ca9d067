package sqlstore

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"freezer/domain"
	"freezer/internal/pgtest"
)

// TestAuthCacheSeesOtherProcesses: a token lookup the cache answered is
// answered from the database again once another process changed the
// database: a token revoked by `freezerd users reset-token` stops working
// at once, and the account's change sequence (which keys the compat
// cache) is the new one.
func TestAuthCacheSeesOtherProcesses(t *testing.T) {
	target := newTarget(t)
	db := mustOpen(t, target)
	ctx := context.Background()
	id := mustAccount(t, db, "a@example.com") // token "a@example.com"
	first, err := db.FindAccountByToken(ctx, []byte("a@example.com"))
	if err != nil {
		t.Fatalf("FindAccountByToken() error = %v", err)
	}
	for range 3 {
		if a, err := db.FindAccountByToken(ctx, []byte("a@example.com")); err != nil || a.ID != first.ID || a.Seq != first.Seq {
			t.Fatalf("FindAccountByToken() again = %+v, %v; want %+v", a, err, first)
		}
	}
	if !pgtest.Postgres() {
		if lookups, hits := db.AuthCacheStats(); lookups != 4 || hits != 3 {
			t.Fatalf("auth cache: %d lookups, %d hits; want 4 and 3", lookups, hits)
		}
	}

	// Another process replaces the account's tokens and adds a freezer.
	cmd := exec.Command(os.Args[0], "-test.run=^TestAuthCacheChildProcess$", "-test.count=1")
	// One pass in the child: it opens target, whichever database it is.
	cmd.Env = append(os.Environ(), "FREEZER_TEST_BACKENDS=sqlite", "FREEZER_AUTHCACHE_CHILD="+target, "FREEZER_AUTHCACHE_ACCOUNT="+strconv.FormatInt(id, 10))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}

	if _, err := db.FindAccountByToken(ctx, []byte("a@example.com")); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("revoked token after the other process: error %v, want not found", err)
	}
	a, err := db.FindAccountByToken(ctx, []byte("new token"))
	if err != nil {
		t.Fatalf("new token: %v", err)
	}
	if a.Seq <= first.Seq {
		t.Errorf("Seq after the other process's freezer = %d, want more than %d", a.Seq, first.Seq)
	}
	if again, err := db.FindAccountByToken(ctx, []byte("new token")); err != nil || again.ID != a.ID || again.Seq != a.Seq {
		t.Errorf("new token again = %+v, %v; want %+v", again, err, a)
	}
}

// TestAuthCacheChildProcess is the other process of
// TestAuthCacheSeesOtherProcesses; run alone, it does nothing.
func TestAuthCacheChildProcess(t *testing.T) {
	target := os.Getenv("FREEZER_AUTHCACHE_CHILD")
	if target == "" {
		return
	}
	id, _ := strconv.ParseInt(os.Getenv("FREEZER_AUTHCACHE_ACCOUNT"), 10, 64)
	db := mustOpen(t, target)
	ctx := context.Background()
	if err := db.ReplaceTokens(ctx, id, []byte("new token")); err != nil {
		t.Fatalf("ReplaceTokens() error = %v", err)
	}
	if _, err := db.CreateFreezer(ctx, id, domain.Freezer{Name: "cave", Boxes: 2}, 0); err != nil {
		t.Fatalf("CreateFreezer() error = %v", err)
	}
}

// TestAuthCacheSeesOwnWrites: in one process, a write through the store
// moves the account's change sequence the lookup returns, and a token
// replaced is refused at once.
func TestAuthCacheSeesOwnWrites(t *testing.T) {
	db := mustOpen(t, newTarget(t))
	ctx := context.Background()
	id := mustAccount(t, db, "b@example.com")
	before, err := db.FindAccountByToken(ctx, []byte("b@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFreezer(ctx, id, domain.Freezer{Name: "garage", Boxes: 3}, 0); err != nil {
		t.Fatal(err)
	}
	after, err := db.FindAccountByToken(ctx, []byte("b@example.com"))
	if err != nil || after.Seq <= before.Seq {
		t.Fatalf("Seq after a write = %d (%v), want more than %d", after.Seq, err, before.Seq)
	}
	if err := db.ReplaceTokens(ctx, id, []byte("b2")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindAccountByToken(ctx, []byte("b@example.com")); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("replaced token: error %v, want not found", err)
	}
}

// BenchmarkFindAccountByToken is the lookup every authenticated request
// makes, answered by the auth cache (the database unchanged) and, for
// comparison in the same run, by the database (NoAuthCache).
func BenchmarkFindAccountByToken(b *testing.B) {
	if pgtest.Postgres() {
		b.Skip("the auth cache is SQLite's: PostgreSQL looks every token up")
	}
	for _, c := range []struct {
		name string
		opts Options
	}{{"cache", Options{}}, {"database", Options{NoAuthCache: true}}} {
		b.Run(c.name, func(b *testing.B) {
			db, err := Open(context.Background(), filepath.Join(b.TempDir(), "s.db"), c.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			if _, err := db.CreateAccount(ctx, "a@example.com", []byte("hash"), []byte("token")); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := db.FindAccountByToken(ctx, []byte("token")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
