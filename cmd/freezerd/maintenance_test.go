package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"freezer/internal/pgtest"
	"freezer/server/sqlstore"
)

func epochDB(t *testing.T, path string) string {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	e, err := db.Epoch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEpochRestoreDoneCommand: "freezerd restore-done" gives the database
// a new epoch, which it prints, and keeps the accounts.
func TestEpochRestoreDoneCommand(t *testing.T) {
	db := testDB(t, "restored.db")
	if out, err := runAdmin(t, "a long password\n", "users", "add", "-email", "anne@example.com", "-db", db); err != nil {
		t.Fatalf("users add = %q, %v", out, err)
	}
	before := epochDB(t, db)
	if again := epochDB(t, db); again != before {
		t.Fatalf("epoch changed from %q to %q on a reopening", before, again)
	}
	out, err := runAdmin(t, "", "restore-done", "-db", db)
	if err != nil || !strings.Contains(out, "has a new sync epoch") {
		t.Fatalf("restore-done = %q, %v", out, err)
	}
	after := epochDB(t, db)
	if after == before || !strings.Contains(out, after) {
		t.Fatalf("epoch after restore-done = %q (before %q), output %q: want a new one, printed", after, before, out)
	}
	if out, err := runAdmin(t, "", "users", "list", "-db", db); err != nil || !strings.Contains(out, "anne@example.com") {
		t.Fatalf("users list after restore-done = %q, %v", out, err)
	}
	if !pgtest.Postgres() {
		missing := filepath.Join(filepath.Dir(db), "missing.db")
		if _, err := runAdmin(t, "", "restore-done", "-db", missing); err == nil || !strings.Contains(err.Error(), "does not exist: put the backup back there first") {
			t.Fatalf("restore-done of a missing file: %v", err)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("restore-done created %s", missing)
		}
	}
	if _, err := runAdmin(t, "", "restore-done", "-db", db, "extra"); err == nil || !strings.Contains(err.Error(), `unexpected argument "extra"`) {
		t.Fatalf("restore-done with an extra argument: %v", err)
	}
}

// epochLockedBuffer is a bytes.Buffer safe for the server's logger and the
// test reading it at once.
type epochLockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *epochLockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *epochLockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// epochServe runs freezerd with args until it logs that it listens, then
// stops it; it returns the log and run's error.
func epochServe(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr epochLockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, strings.NewReader(""), &bytes.Buffer{}, &stderr) }()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case err := <-done:
			return stderr.String(), err
		case <-deadline:
			t.Fatalf("freezerd %s neither failed nor listened:\n%s", strings.Join(args, " "), stderr.String())
		case <-time.After(10 * time.Millisecond):
			if strings.Contains(stderr.String(), "freezerd listening") {
				cancel()
			}
		}
	}
}

// TestEpochMigrateCommandAndNoMigrate: "freezerd migrate" applies the
// migrations and exits; -migrate=false refuses a database that misses one
// with one sentence naming the fix, and serves one at the latest migration.
func TestEpochMigrateCommandAndNoMigrate(t *testing.T) {
	db := testDB(t, "freezerd.db")
	serve := []string{"-addr", "127.0.0.1:0", "-db", db, "-migrate=false"}
	log, err := epochServe(t, serve...)
	want := "the database " + db + ` is not at the latest migration and -migrate=false forbids migrating at start: run "freezerd migrate -db ` + db + `", then start freezerd again`
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(log, "listening") {
		t.Fatalf("-migrate=false on a new file: %v\n%s\nwant an error containing %q", err, log, want)
	}
	out, err := runAdmin(t, "", "migrate", "-db", db)
	last := "applied 0006_epoch.sql\n"
	if pgtest.Postgres() {
		last = "applied 0002_limits.sql\n"
	}
	if err != nil || !strings.Contains(out, "applied 0001_init.sql\n") || !strings.Contains(out, last) {
		t.Fatalf("migrate = %q, %v", out, err)
	}
	if out, err := runAdmin(t, "", "migrate", "-db", db); err != nil || out != db+" is at the latest migration: nothing to apply\n" {
		t.Fatalf("migrate again = %q, %v", out, err)
	}
	if log, err := epochServe(t, serve...); err != nil || !strings.Contains(log, "freezerd listening") {
		t.Fatalf("-migrate=false at the latest migration: %v\n%s", err, log)
	}

	if pgtest.Postgres() {
		return // what follows edits a SQLite file as an older freezerd left it
	}
	// A database one migration behind (an older freezerd made it).
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.Exec(`DELETE FROM schema_migrations WHERE name = 'migrations/0006_epoch.sql'`)
	if cerr := sqldb.Close(); err != nil || cerr != nil {
		t.Fatalf("forget a migration: %v, %v", err, cerr)
	}
	_, err = epochServe(t, serve...)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "0006_epoch.sql not applied") {
		t.Fatalf("-migrate=false one migration behind: %v", err)
	}
	if log, err := epochServe(t, "-addr", "127.0.0.1:0", "-db", db); err != nil || !strings.Contains(log, "freezerd listening") {
		t.Fatalf("freezerd migrating at start: %v\n%s", err, log)
	}
	if out, err := runAdmin(t, "", "migrate", "-db", db); err != nil || !strings.Contains(out, "nothing to apply") {
		t.Fatalf("migrate after a start that migrated = %q, %v", out, err)
	}
}
