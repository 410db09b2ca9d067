//go:build unix

package sqlstore

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"freezer/domain"
)

// shmDMS is the byte of the -shm file on which every process with the
// database open holds a read lock (os_unix.c: UNIX_SHM_DMS, 120 + 8): a
// process opening the database that finds it unlocked thinks it is the
// only one and truncates the file under the others.
const shmDMS = 128

// TestStoreKeepsItsSharedMemoryLocks: while a store is open, another
// process that opens the same database sees this process's lock on the
// wal-index, so it does not truncate and rebuild the wal-index under it;
// and this process's writes go on after the other process opened, wrote
// and closed the database, with a wal-index larger than the other
// process needs.
//
// Mapping the wal-index for the auth cache once opened and closed a
// second descriptor of the -shm file, and POSIX drops every lock a
// process holds on a file when it closes any descriptor of it: freezerd
// lost its locks at start, and the first `freezerd users` (or test
// reading the database beside it) truncated the wal-index, and freezerd's
// next commits failed (SQLITE_IOERR_IN_PAGE) or worse, two writers.
func TestStoreKeepsItsSharedMemoryLocks(t *testing.T) {
	sqliteOnly(t, "the wal-index and its locks are SQLite's")
	path := filepath.Join(t.TempDir(), "s.db")
	db := mustOpen(t, path)
	again := mustOpen(t, path) // a second store of the same file in this process, closed first
	ctx := context.Background()
	id := mustAccount(t, db, "c@example.com")
	// More than 4,096 frames: the wal-index grows to a second region.
	fill := func() {
		t.Helper()
		if _, err := db.wdb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS filler (b BLOB)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.wdb.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 4500) INSERT INTO filler SELECT randomblob(3000) FROM n`); err != nil {
			t.Fatalf("fill the log: %v", err)
		}
		if _, err := db.wdb.ExecContext(ctx, `DELETE FROM filler`); err != nil {
			t.Fatal(err)
		}
	}
	fill()
	// The log restarts from its first frame: the other process, rebuilding
	// the wal-index, would make it one region long.
	if _, err := db.wdb.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFreezer(ctx, id, domain.Freezer{Name: "cellier", Boxes: 2}, 0); err != nil {
		t.Fatal(err)
	}
	if err := again.Close(); err != nil {
		t.Fatalf("close the second store: %v", err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestStoreKeepsItsSharedMemoryLocksChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FREEZER_TEST_BACKENDS=sqlite", "FREEZER_SHM_CHILD="+path,
		"FREEZER_SHM_PARENT="+strconv.Itoa(os.Getpid()), "FREEZER_SHM_ACCOUNT="+strconv.FormatInt(id, 10))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the other process: %v\n%s", err, out)
	}

	fill()
	for i := range 3 {
		if _, err := db.CreateFreezer(ctx, id, domain.Freezer{Name: "garage " + strconv.Itoa(i), Boxes: 2}, 0); err != nil {
			t.Fatalf("a write after the other process: %v", err)
		}
	}
	var check string
	if err := db.wdb.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v; want ok", check, err)
	}
	fs, err := db.ListFreezers(ctx, id)
	if err != nil || len(fs) != 5 {
		t.Fatalf("ListFreezers() = %d freezers, %v; want 5 (this process's 4 and the other's)", len(fs), err)
	}
}

// TestStoreKeepsItsSharedMemoryLocksChild is the other process of
// TestStoreKeepsItsSharedMemoryLocks; run alone, it does nothing.
func TestStoreKeepsItsSharedMemoryLocksChild(t *testing.T) {
	path := os.Getenv("FREEZER_SHM_CHILD")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: shmDMS, Len: 1}
	err = syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk)
	_ = f.Close() // this process holds no lock yet
	if err != nil {
		t.Fatalf("F_GETLK: %v", err)
	}
	if lk.Type != syscall.F_RDLCK || strconv.Itoa(int(lk.Pid)) != os.Getenv("FREEZER_SHM_PARENT") {
		t.Fatalf("the wal-index's DMS byte: lock type %d held by process %d; want a read lock (%d) held by the store's process %s",
			lk.Type, lk.Pid, syscall.F_RDLCK, os.Getenv("FREEZER_SHM_PARENT"))
	}
	id, _ := strconv.ParseInt(os.Getenv("FREEZER_SHM_ACCOUNT"), 10, 64)
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFreezer(context.Background(), id, domain.Freezer{Name: "cave", Boxes: 2}, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
