package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"freezer/internal/dbfile"
)

// ErrNotWritable is wrapped by Open's error when the database opens but
// cannot be written: a read-only or immutable file, a read-only mount.
// freezerd answers it with one sentence rather than starting and failing
// every write with a 500.
var ErrNotWritable = errors.New("the database cannot be written")

// prepareFiles creates the database file 0600 when it is new, and
// tightens an existing database, -wal or -shm file that the group or
// others may read, logging each change. Open joins a failure here to the
// write probe's, so that an immutable file (whose mode cannot change
// either) is still reported as ErrNotWritable.
func prepareFiles(path string, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.Default()
	}
	changes, err := dbfile.Prepare(path)
	for _, c := range changes {
		logger.Info("tightened the mode of a database file: other users could read it", "file", c.Path,
			"from", fmt.Sprintf("%04o", c.From), "to", fmt.Sprintf("%04o", c.To))
	}
	if err != nil {
		return fmt.Errorf("keep the database private: %w", err)
	}
	return nil
}

// probeWrite begins a write transaction (on SQLite IMMEDIATE: it takes
// the write lock, which a read-only database refuses), creates a table in
// it, and rolls back, so nothing is left behind (PostgreSQL's DDL is
// transactional too).
func probeWrite(ctx context.Context, wdb *sql.DB) error {
	tx, err := wdb.BeginTx(ctx, nil)
	if err != nil {
		return notWritable(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE freezerd_write_probe (x INTEGER)`); err != nil {
		return notWritable(err)
	}
	return nil
}

// notWritable wraps ErrNotWritable around the errors that say the
// database cannot be written (a read-only file or server, no permission);
// others, such as a lock held too long, pass through.
func notWritable(err error) error {
	if sqliteNotWritable(err) || postgresNotWritable(err) {
		return fmt.Errorf("%w: %w", ErrNotWritable, err)
	}
	return fmt.Errorf("write probe: %w", err)
}
