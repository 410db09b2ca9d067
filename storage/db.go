package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"freezer/domain"
	"freezer/internal/dbfile"
	"freezer/internal/typesql"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the device's store. Its methods are safe for concurrent use: writes
// are serialized through one connection, reads use a pool (WAL lets readers
// run beside the writer).
type DB struct {
	// Now returns the current time; tests replace it to pin the clock.
	Now func() time.Time

	path   string
	w      *sql.DB // one connection, every write transaction
	r      *sql.DB // readers
	device string
	clock  *domain.Clock
	stmts  *writeStmts // prepared on w

	mu          sync.Mutex
	dueSoon     int
	clockOffset time.Duration // added to Now for clock stamps: the server's correction

	// failAfterEntity, when set by a test, is called between the entity
	// write and the outbox write of a mutation, to inject a failure.
	failAfterEntity func() error
}

// DefaultPath returns the database path used when none is given: freezer.db
// in the user's configuration directory.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration directory: %w", err)
	}
	return filepath.Join(dir, "freezer", "freezer.db"), nil
}

// Open opens the store at path, creating the file, its folder and the
// schema when missing and applying any newer migration.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, domain.Errorf(domain.EInvalid, "No database path was given.")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open store: create folder %s: %w", dir, err)
		}
	}
	if err := registerCollation(); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := privateFiles(path); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db := &DB{Now: time.Now, path: path, dueSoon: domain.DefaultDueSoon}
	var err error
	dsn := storeDSN(path)
	if db.w, err = sql.Open("sqlite", writerDSN(path)); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.w.SetMaxOpenConns(1)
	// Readers get a 16 MB page cache (the default is 2 MB): lists and the
	// overview read every product, and a store of 10,000 products no longer
	// fits in 2 MB, so each list re-read pages from the file. They also map
	// the file (readerMmap).
	if db.r, err = sql.Open("sqlite", dsn+"&_pragma=query_only(ON)&_pragma=cache_size(-16000)"+readerMmap); err != nil {
		db.w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.r.SetMaxOpenConns(4)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := db.loadIdentity(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := db.loadClockOffset(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if db.stmts, err = prepareWrites(ctx, db.w); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return db, nil
}

// storeDSN is the modernc DSN of the store's file with the pragmas every
// connection gets: busy_timeout first so the other pragmas wait for a busy
// file instead of failing; synchronous(FULL) makes every commit durable in
// WAL mode.
func storeDSN(path string) string {
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=synchronous(FULL)"
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
}

// readerMmap has the readers read the file through a memory mapping (up to
// 256 MB of it) instead of a read call and a copy per page: the app's first
// list of 10,000 products, with the page cache empty, took 82-101 ms and
// now takes 31-38 ms; warm reads are no slower (docs/BENCHMARKS.md). The
// writer does not map the file. Nothing in the store truncates the file
// (no VACUUM, no auto_vacuum), the case where a mapping needs care.
const readerMmap = "&_pragma=mmap_size(268435456)"

// writerDSN is storeDSN for the writer connection, whose transactions
// begin IMMEDIATE (they take the write lock at BEGIN, so two writers never
// deadlock upgrading a read lock).
func writerDSN(path string) string { return storeDSN(path) + "&_txlock=immediate" }

// privateFiles creates the database file 0600 when new (SQLite gives the
// -wal and -shm files the same mode) and tightens the files an earlier
// version left readable by others, saying so in the log: the household's
// computer may have other users.
func privateFiles(path string) error {
	changes, err := dbfile.Prepare(path)
	for _, c := range changes {
		slog.Info("tightened the mode of a database file: other users could read it", "file", c.Path,
			"from", fmt.Sprintf("%04o", c.From), "to", fmt.Sprintf("%04o", c.To))
	}
	if err != nil {
		return fmt.Errorf("keep the database private: %w", err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.stmts != nil {
		err = db.stmts.Close()
	}
	return errors.Join(err, db.r.Close(), db.w.Close())
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// DeviceID returns this store's device id, made at its creation; it names
// the device in clock stamps and history.
func (db *DB) DeviceID() string { return db.device }

// Clock returns the store's hybrid logical clock.
func (db *DB) Clock() *domain.Clock { return db.clock }

// SetDueSoonDays sets how many days before its deadline a product counts as
// due soon (at least 0).
func (db *DB) SetDueSoonDays(n int) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.dueSoon = max(n, 0)
}

// DueSoonDays returns the due-soon window in days.
func (db *DB) DueSoonDays() int {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.dueSoon
}

// SetClockOffset sets the correction added to this device's time when it
// stamps changes, as measured against the server's time by the syncer, so
// that a device with a wrong clock neither loses nor wins every conflict.
func (db *DB) SetClockOffset(d time.Duration) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.clockOffset = d
}

// ClockOffset returns the correction set by SetClockOffset.
func (db *DB) ClockOffset() time.Duration {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.clockOffset
}

func (db *DB) today() domain.Date { return domain.DateOf(db.Now()) }

// migrate applies, in order and one transaction each, the embedded
// migrations not yet recorded in schema_migrations.
func (db *DB) migrate(ctx context.Context) error { return db.migrateTo(ctx, math.MaxInt) }

// migrateTo is migrate stopping after version last: tests make a store as
// an older version left it, then open it.
func (db *DB) migrateTo(ctx context.Context, last int) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	for i, name := range names[:min(last, len(names))] {
		version := i + 1
		if want := fmt.Sprintf("migrations/%04d_", version); !strings.HasPrefix(name, want) {
			return fmt.Errorf("migration %s is out of sequence (want %s...)", name, want)
		}
		if err := db.applyMigration(ctx, version, name); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, version int, name string) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if step := migrationSteps[name]; step != nil {
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		version, name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

func seedTypes(ctx context.Context, tx *sql.Tx) error {
	return typesql.Seed(ctx, tx)
}

// Meta keys.
const (
	metaDevice = "device_id"
	metaClock  = "clock"
)

// loadIdentity reads (or makes, on first open) the device id and restores
// the clock past the last stamp this store made.
func (db *DB) loadIdentity(ctx context.Context) error {
	device, err := db.meta(ctx, db.w, metaDevice)
	if err != nil {
		return err
	}
	if device == "" {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("make device id: %w", err)
		}
		device = hex.EncodeToString(b)
		if err := setMeta(ctx, db.w, metaDevice, device); err != nil {
			return err
		}
	}
	db.device = device
	db.clock = domain.NewClock(device, func() time.Time { return db.Now().Add(db.ClockOffset()) })
	// Read on a reader: it maps the file, and the newest stamp reads the
	// whole outbox (about 7 ms instead of 24 for 10,000 queued changes).
	// This store writes nothing meanwhile (it is still opening), and a
	// reader sees another process's commits as the writer does.
	last, err := db.storedClock(ctx, db.r)
	if err != nil {
		return err
	}
	db.clock.Observe(last)
	return nil
}

// storedClock returns the last stamp this store made or learned: the later
// of the clock in meta and the newest stamp in the outbox. A local change
// stamps its outbox row and leaves meta alone (one write less per change);
// meta is moved to the clock's reading whenever outbox rows leave (an
// acknowledgement, a reconcile) and at every pull, so the stamps of every
// entity row stay at or before one of the two.
func (db *DB) storedClock(ctx context.Context, q queryer) (domain.Timestamp, error) {
	stored, err := db.meta(ctx, q, metaClock)
	if err != nil {
		return domain.Timestamp{}, err
	}
	var newest string
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(stamp), '') FROM outbox`).Scan(&newest); err != nil {
		return domain.Timestamp{}, fmt.Errorf("read clock: %w", err)
	}
	last := domain.Timestamp{}
	for _, s := range []string{stored, newest} {
		ts, err := domain.ParseTimestamp(s)
		if err != nil {
			return domain.Timestamp{}, fmt.Errorf("read clock: %w", err)
		}
		if ts.After(last) {
			last = ts
		}
	}
	return last, nil
}

// saveClock moves the clock in meta to the clock's reading, in a write
// transaction that removes outbox rows (see storedClock).
func (db *DB) saveClock(ctx context.Context, tx *sql.Tx) error {
	return setMeta(ctx, tx, metaClock, db.clock.Last().String())
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) meta(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", key, err)
	}
	return v, nil
}

func setMeta(ctx context.Context, e execer, key, value string) error {
	if _, err := e.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	return nil
}

// write runs fn in one write transaction and commits it.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ProductTypes returns the product types, by id.
func (db *DB) ProductTypes(ctx context.Context) ([]domain.ProductType, error) {
	return typesql.List(ctx, db.r)
}

// scanIDs reads a one-column result of ids and closes rows.
func scanIDs(rows *sql.Rows) ([]uuid.UUID, error) {
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("bad id %q: %w", s, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
