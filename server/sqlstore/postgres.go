package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresDialect: one pool for reads and writes; reads see one snapshot
// (REPEATABLE READ, read only); a write that changes an account first
// locks the account's row (FOR NO KEY UPDATE: writers of the account wait
// for each other, while a login adding a token, which only references the
// row, does not wait), so that instances sharing the database take turns
// per account, not globally; the migrations run under an advisory lock,
// so several instances may start at once.
var postgresDialect = &dialect{
	name:           "PostgreSQL",
	dollar:         true,
	migrations:     "migrations/postgres",
	steps:          map[string]func(context.Context, *tx) error{"migrations/postgres/0001_init.sql": storeEpoch},
	readTx:         &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	lockAccount:    `SELECT id FROM accounts WHERE id = ? FOR NO KEY UPDATE`,
	lockMigrations: lockPostgresMigrations,
}

// migrationLockKey is the advisory lock the migrations and the seeding of
// types run under ("frzr" in ASCII).
const migrationLockKey = 0x66727a72

// openPostgres opens the PostgreSQL database at the URL target.
func openPostgres(ctx context.Context, target string, opts Options) (*DB, error) {
	where := redactURL(target)
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	pool := stdlib.OpenDB(*cfg)
	n := opts.Conns
	if n <= 0 {
		n = max(8, 4*runtime.GOMAXPROCS(0))
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := newDB(pool, postgresDialect, opts)
	if err := probeWrite(ctx, pool); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	if err := db.openSchema(ctx, opts.NoMigrate); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	if err := db.ready(ctx); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("open store %s: %w", where, err)
	}
	return db, nil
}

// Redact returns target as messages and logs may show it: a PostgreSQL
// URL without its password, a SQLite path as it is.
func Redact(target string) string {
	if !IsPostgres(target) {
		return target
	}
	return redactURL(target)
}

// redactURL is target without its password, for messages and logs.
func redactURL(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "(a PostgreSQL URL that does not parse)"
	}
	return u.Redacted()
}

// lockPostgresMigrations takes the migrations' advisory lock on a
// connection of its own, waiting for another instance that holds it.
func lockPostgresMigrations(ctx context.Context, pool *sql.DB) (func(), error) {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
		_ = conn.Close()
	}, nil
}

// PostgreSQL error codes the store tells apart.
const (
	pgUniqueViolation       = "23505"
	pgReadOnlyTransaction   = "25006"
	pgInsufficientPrivilege = "42501"
)

// postgresUniqueViolation reports whether err is PostgreSQL's refusal of a
// duplicate key.
func postgresUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

// postgresNotWritable reports whether err says the database cannot be
// written (a read-only server or transaction, a role without the right).
func postgresNotWritable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgReadOnlyTransaction || pe.Code == pgInsufficientPrivilege)
}
