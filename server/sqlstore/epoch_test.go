package sqlstore

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"freezer/internal/pgtest"

	"freezer/sync/protocol"
)

func epochOf(t *testing.T, db *DB) string {
	t.Helper()
	e, err := db.Epoch(context.Background())
	if err != nil || e == "" {
		t.Fatalf("Epoch() = %q, %v", e, err)
	}
	return e
}

// TestEpochNamesTheDatabase: two openings of one file at once (two
// freezerd processes) and a reopening (a restart) answer the same epoch,
// in pulls and pushes alike.
func TestEpochNamesTheDatabase(t *testing.T) {
	ctx := context.Background()
	path := newTarget(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	acct := mustAccount(t, a, "anne@example.com")
	first := epochOf(t, a)
	if got := epochOf(t, b); got != first {
		t.Fatalf("second opening's epoch = %q, want %q", got, first)
	}
	push, err := b.Push(ctx, acct, protocol.PushRequest{Version: protocol.Version, Device: "dev1", Epoch: first})
	if err != nil || push.Epoch != first {
		t.Fatalf("push through the second opening = epoch %q, %v; want %q", push.Epoch, err, first)
	}
	pull, err := a.Pull(ctx, acct, 0, 10, "", nil)
	if err != nil || pull.Epoch != first {
		t.Fatalf("pull = epoch %q, %v; want %q", pull.Epoch, err, first)
	}
	if err := errors.Join(a.Close(), b.Close()); err != nil {
		t.Fatal(err)
	}
	if got := epochOf(t, mustOpen(t, path)); got != first {
		t.Fatalf("epoch after a restart = %q, want %q", got, first)
	}
}

// TestEpochRenewedForEveryOpening: RenewEpoch (freezerd restore-done)
// changes the epoch that every opening answers, and a push naming the old
// one applies nothing.
func TestEpochRenewedForEveryOpening(t *testing.T) {
	ctx := context.Background()
	path := newTarget(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	acct := mustAccount(t, a, "anne@example.com")
	old := epochOf(t, a)
	renewed, err := a.RenewEpoch(ctx)
	if err != nil || renewed == old || renewed == "" {
		t.Fatalf("RenewEpoch() = %q, %v; want a new epoch (old %q)", renewed, err, old)
	}
	if got := epochOf(t, b); got != renewed {
		t.Fatalf("other opening's epoch = %q, want the renewed %q", got, renewed)
	}
	req := protocol.PushRequest{Version: protocol.Version, Device: "dev1", Epoch: old, Mutations: []protocol.Mutation{{}}}
	push, err := b.Push(ctx, acct, req)
	if err != nil || push.Epoch != renewed || len(push.Results) != 0 {
		t.Fatalf("push naming the old epoch = %+v, %v; want no results and epoch %q", push, err, renewed)
	}
}

// TestEpochMigrationKeepsAnEarlierEpoch: a database whose epoch an
// earlier version made at first use keeps it; one without gets one.
func TestEpochMigrationKeepsAnEarlierEpoch(t *testing.T) {
	sqliteOnly(t, "migration 0006 keeps the epoch earlier versions made in SQLite; the PostgreSQL schema begins after it")
	ctx := context.Background()
	for _, tc := range []struct {
		name, setup string
		keep        bool
	}{
		{"made at first use", `UPDATE server_meta SET value = 'earlier' WHERE key = 'epoch'`, true},
		{"never made", `DELETE FROM server_meta WHERE key = 'epoch'`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newTarget(t)
			db := mustOpen(t, path)
			for _, q := range []string{tc.setup, `DELETE FROM schema_migrations WHERE name = 'migrations/0006_epoch.sql'`} {
				if _, err := db.wdb.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			db = mustOpen(t, path)
			if got := db.Applied(); !slices.Equal(got, []string{"0006_epoch.sql"}) {
				t.Fatalf("Applied() = %v, want the epoch migration", got)
			}
			got := epochOf(t, db)
			if tc.keep != (got == "earlier") {
				t.Fatalf("epoch = %q; keep the earlier one: %t", got, tc.keep)
			}
		})
	}
}

// TestEpochOpenNoMigrate: with NoMigrate, Open refuses a new file and a
// database that misses a migration, naming it, and opens one at the latest
// migration; a plain Open then applies what was missing.
func TestEpochOpenNoMigrate(t *testing.T) {
	ctx := context.Background()
	path := newTarget(t)
	if _, err := Open(ctx, path, Options{NoMigrate: true}); !errors.Is(err, ErrNotMigrated) {
		t.Fatalf("Open(NoMigrate) of a new file = %v, want ErrNotMigrated", err)
	}
	db := mustOpen(t, path)
	files, _ := fs.Glob(migrations, db.dialect.migrations+"/*.sql")
	if len(db.Applied()) != len(files) {
		t.Fatalf("Applied() of a new database = %v, want every migration (%d)", db.Applied(), len(files))
	}
	last := files[len(files)-1]
	if _, err := db.wdb.ExecContext(ctx, db.q(`DELETE FROM schema_migrations WHERE name = ?`), last); err != nil {
		t.Fatal(err)
	}
	lastName := strings.TrimPrefix(last, db.dialect.migrations+"/")
	_, err := Open(ctx, path, Options{NoMigrate: true})
	if !errors.Is(err, ErrNotMigrated) || !strings.Contains(err.Error(), lastName) {
		t.Fatalf("Open(NoMigrate) missing %s = %v, want ErrNotMigrated naming it", lastName, err)
	}
	if pgtest.Postgres() {
		// The PostgreSQL schema is one migration so far: it cannot be
		// applied twice, so its record is put back rather than the
		// migration run again.
		if _, err := db.wdb.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, 'now')`), last); err != nil {
			t.Fatal(err)
		}
	} else {
		again := mustOpen(t, path)
		if got := again.Applied(); !slices.Equal(got, []string{lastName}) {
			t.Fatalf("Applied() = %v, want the missing migration", got)
		}
	}
	ok, err := Open(ctx, path, Options{NoMigrate: true})
	if err != nil {
		t.Fatalf("Open(NoMigrate) at the latest migration: %v", err)
	}
	defer func() { _ = ok.Close() }()
	if len(ok.Applied()) != 0 {
		t.Fatalf("Applied() with NoMigrate = %v, want none", ok.Applied())
	}
}
