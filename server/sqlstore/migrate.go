package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// ErrNotMigrated is wrapped by Open's error when Options.NoMigrate is set
// and the database misses migrations; the error names them.
var ErrNotMigrated = errors.New("the database is not at the latest migration")

// Applied returns the migrations this Open applied, in order (none when
// the database was already at the latest one).
func (db *DB) Applied() []string { return slices.Clone(db.applied) }

// openSchema applies the pending migrations or, with noMigrate, refuses a
// database that has any; then it seeds the default product types into an
// empty types table. Other processes opening the database wait meanwhile
// (dialect.lockMigrations).
func (db *DB) openSchema(ctx context.Context, noMigrate bool) error {
	if lock := db.dialect.lockMigrations; lock != nil {
		release, err := lock(ctx, db.wdb)
		if err != nil {
			return err
		}
		defer release()
	}
	if err := db.checkOrMigrate(ctx, noMigrate); err != nil {
		return err
	}
	return db.seedTypes(ctx)
}

func (db *DB) checkOrMigrate(ctx context.Context, noMigrate bool) error {
	if !noMigrate {
		return db.migrate(ctx)
	}
	pending, err := db.pending(ctx)
	if err != nil {
		// No migrations table: nothing was ever applied (a new file).
		return fmt.Errorf("%w: no migration recorded (%w)", ErrNotMigrated, err)
	}
	if len(pending) > 0 {
		return fmt.Errorf("%w: %s not applied", ErrNotMigrated, strings.Join(pending, ", "))
	}
	return nil
}

// pending lists the embedded migrations not recorded in schema_migrations,
// in order, by file name without its folder.
func (db *DB) pending(ctx context.Context) ([]string, error) {
	names, err := fs.Glob(migrations, db.dialect.migrations+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	rows, err := db.wdb.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	defer func() { _ = rows.Close() }()
	done := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		done[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	var pending []string
	for _, name := range names {
		if !done[name] {
			pending = append(pending, strings.TrimPrefix(name, db.dialect.migrations+"/"))
		}
	}
	return pending, nil
}

// migrate applies the embedded migrations not yet recorded, in order, one
// transaction each. Migrations are forward-only.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.wdb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	pending, err := db.pending(ctx)
	if err != nil {
		return err
	}
	for _, name := range pending {
		applied, err := db.migrateOne(ctx, db.dialect.migrations+"/"+name)
		if err != nil {
			return err
		}
		if applied {
			db.applied = append(db.applied, name)
		}
	}
	return nil
}

// migrateOne applies migration name in one transaction, unless another
// opening applied it meanwhile; applied says whether this one did.
func (db *DB) migrateOne(ctx context.Context, name string) (applied bool, err error) {
	tx, err := db.wdb.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if n > 0 {
		return false, nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if err := db.runStep(ctx, name, tx); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), name, db.now()); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	return true, nil
}
