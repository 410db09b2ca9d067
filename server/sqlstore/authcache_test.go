package sqlstore

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/server"
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

// TestAuthCacheKeepsAcrossOwnGroups: a group of this process's product
// writes keeps the cached lookups, with the account's change sequence
// the database holds (the refused write's sequence is undone with it); a
// group with any other write (a device's last sync here, a token in
// TestAuthCacheSeesOwnWrites) empties the cache.
func TestAuthCacheKeepsAcrossOwnGroups(t *testing.T) {
	g := newGroupFixture(t)
	ctx := context.Background()
	token := []byte("a@example.com")
	lastSeq := func() int64 {
		t.Helper()
		var seq int64
		if err := g.db.rdb.QueryRowContext(ctx, `SELECT last_seq FROM accounts WHERE id = ?`, g.account).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		return seq
	}
	lookup := func() (server.Account, bool) {
		t.Helper()
		_, hits := g.db.AuthCacheStats()
		a, err := g.db.FindAccountByToken(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		_, after := g.db.AuthCacheStats()
		return a, after > hits
	}
	lookup()
	if _, hit := lookup(); !hit {
		t.Fatal("second lookup: not answered by the cache")
	}

	errs := g.group(t, g.add("soupe", 1, 1), g.add("pas de type", 999, 2), g.add("glace", 24, 3))
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("group answered %v; want the unknown type refused alone", errs)
	}
	a, hit := lookup()
	if !hit {
		t.Error("lookup after a group of product writes: not answered by the cache")
	}
	if want := lastSeq(); a.Seq != want {
		t.Errorf("Seq after the group = %d, want the database's %d", a.Seq, want)
	}

	at := time.Now().Add(time.Hour).Truncate(time.Second)
	errs = g.group(t, g.add("porc", 7, 4), func() error { return g.db.TouchDevice(ctx, a.DeviceID, at) })
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("group answered %v", errs)
	}
	a, hit = lookup()
	if hit {
		t.Error("lookup after a group with a device's write: answered by the cache")
	}
	if !a.LastSync.Equal(at) || a.Seq != lastSeq() {
		t.Errorf("lookup = last sync %v, seq %d; want %v and %d", a.LastSync, a.Seq, at, lastSeq())
	}
}

// TestAuthCacheAdoptsOnlyItsCommit drives the cache with versions made by
// hand: a commit of this process is adopted by the lookup that first sees
// it or by the end of the commit, and nothing else is.
func TestAuthCacheAdoptsOnlyItsCommit(t *testing.T) {
	var now walVersion
	next := func(commits uint32, salt byte) {
		*(*uint32)(unsafe.Pointer(&now[walChange])) += commits
		now[32] += salt
	}
	c := &authCache{version: func() (walVersion, bool) { return now, true }, m: map[string]server.Account{}, seqs: map[int64]int64{}}
	get := func() (server.Account, bool) {
		a, v, _, hit := c.get([]byte("k"))
		if !hit {
			c.put([]byte("k"), v, server.Account{ID: 1, Seq: 10})
		}
		return a, hit
	}
	get()

	// A commit seen first by a lookup, then ended.
	own := c.ownCommitStarts(map[int64]int64{1: 11})
	next(1, 0)
	if a, hit := get(); !hit || a.Seq != 11 {
		t.Fatalf("lookup during the own commit = %+v, hit %v; want seq 11 from the cache", a, hit)
	}
	c.ownCommitEnded(own, true)
	// A commit ended before any lookup.
	own = c.ownCommitStarts(map[int64]int64{1: 12})
	next(1, 0)
	c.ownCommitEnded(own, true)
	if a, hit := get(); !hit || a.Seq != 12 {
		t.Fatalf("lookup after the own commit = %+v, hit %v; want seq 12 from the cache", a, hit)
	}
	// A failed commit: nothing changes.
	own = c.ownCommitStarts(map[int64]int64{1: 13})
	c.ownCommitEnded(own, false)
	if a, hit := get(); !hit || a.Seq != 12 {
		t.Fatalf("lookup after a failed commit = %+v, hit %v; want seq 12 from the cache", a, hit)
	}
	// Our commit and another process's after it.
	c.ownCommitStarts(map[int64]int64{1: 13})
	next(2, 0)
	if _, hit := get(); hit {
		t.Fatal("lookup after our commit and another's: answered by the cache")
	}
	// Another process's commit with no commit of ours under way.
	get()
	next(1, 0)
	if _, hit := get(); hit {
		t.Fatal("lookup after another process's commit: answered by the cache")
	}
	// A checkpoint that restarted the log (no commit): a new version all
	// the same.
	get()
	own = c.ownCommitStarts(nil)
	next(0, 1)
	c.ownCommitEnded(own, true)
	if _, hit := get(); hit {
		t.Fatal("lookup after a restart of the log: answered by the cache")
	}
}
