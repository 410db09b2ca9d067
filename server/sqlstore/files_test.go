//go:build unix

package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"freezer/internal/pgtest"
)

// opsModes returns the permission bits of the database, -wal and -shm
// files at path.
func opsModes(t *testing.T, path string) map[string]fs.FileMode {
	t.Helper()
	out := map[string]fs.FileMode{}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("stat %s: %v", p, err)
		}
		out[filepath.Base(p)] = fi.Mode().Perm()
	}
	return out
}

// TestOpenCreatesPrivateFiles: freezerd.db, -wal and -shm are 0600 even
// under the usual umask 022, since they hold password hashes.
func TestOpenCreatesPrivateFiles(t *testing.T) {
	sqliteOnly(t, "file modes; PostgreSQL keeps its own files")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "freezerd.db")
	db := mustOpen(t, path)
	mustAccount(t, db, "anne@example.com") // a write: the WAL has content
	for name, mode := range opsModes(t, path) {
		if mode != 0o600 {
			t.Errorf("%s mode = %04o, want 0600", name, mode)
		}
	}
}

// TestOpenTightensWideModes: files an earlier freezerd made 0644 are
// tightened at the next open, and the log says which.
func TestOpenTightensWideModes(t *testing.T) {
	sqliteOnly(t, "file modes; PostgreSQL keeps its own files")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "freezerd.db")
	db := mustOpen(t, path)
	mustAccount(t, db, "anne@example.com")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	db2, err := Open(context.Background(), path, Options{Now: db.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	defer db2.Close()
	for name, mode := range opsModes(t, path) {
		if mode != 0o600 {
			t.Errorf("%s mode = %04o after reopening, want 0600", name, mode)
		}
	}
	for _, suffix := range []string{".db from=0644", ".db-wal from=0644", ".db-shm from=0644"} {
		if !strings.Contains(logs.String(), suffix) {
			t.Errorf("the log does not name %q:\n%s", suffix, logs.String())
		}
	}
	// A file already private is left alone and not logged.
	logs.Reset()
	db3, err := Open(context.Background(), path, Options{Now: db.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	defer db3.Close()
	if strings.Contains(logs.String(), "tightened") {
		t.Errorf("a third open logged a change:\n%s", logs.String())
	}
}

// TestOpenRefusesReadOnly: a database that opens read-only fails Open with
// ErrNotWritable rather than opening and failing every write later.
// On PostgreSQL the database is made read-only for new sessions, as a
// standby or a read-only role would be.
func TestOpenRefusesReadOnly(t *testing.T) {
	path := newTarget(t)
	db := mustOpen(t, path)
	mustAccount(t, db, "anne@example.com")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	pgtest.MakeReadOnly(t, path)
	db2, err := Open(context.Background(), path, Options{})
	if err == nil {
		_ = db2.Close()
		t.Fatalf("Open() of a read-only database succeeded")
	}
	if !errors.Is(err, ErrNotWritable) {
		t.Errorf("Open() error = %v, want ErrNotWritable", err)
	}
}
