package sqlstore

import (
	"context"
	"database/sql"
	"strings"
)

// dialect is what differs between the databases the store runs on; the
// queries do not.
type dialect struct {
	name string // for messages: "SQLite", "PostgreSQL"
	// dollar rewrites `?` into `$1, $2...` (DB.q).
	dollar bool
	// migrations is the folder of the embedded migrations.
	migrations string
	// steps are the Go steps of migrations that SQL cannot do, by
	// migration file; each runs after its file's SQL, in its transaction.
	steps map[string]func(context.Context, *tx) error
	// readTx begins read transactions (nil: the driver's default).
	readTx *sql.TxOptions
	// lockAccount locks an account's row until the transaction ends,
	// taking the account id ("": writers already take turns).
	lockAccount string
	// lockMigrations holds other processes off the migrations and the
	// seeding of types until the returned release runs (nil: Open's
	// single writer connection already does).
	lockMigrations func(ctx context.Context, db *sql.DB) (release func(), err error)
}

// newDB returns the store over pool, whose reads and writes go through
// the one pool until the dialect's Open gives reads their own.
func newDB(pool *sql.DB, d *dialect, opts Options) *DB {
	return &DB{rdb: pool, wdb: pool, dialect: d, Now: opts.Now, Clock: opts.Clock,
		MaxEntities: opts.MaxEntities, logger: opts.Logger}
}

// IsPostgres reports whether target names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// isUniqueViolation reports whether err is the database's refusal of a
// duplicate key.
func isUniqueViolation(err error) bool {
	return sqliteUniqueViolation(err) || postgresUniqueViolation(err)
}
