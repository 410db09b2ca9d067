// Package sqlstore is freezerd's store (server.Store and the sync store)
// over SQL: SQLite (modernc.org/sqlite, no cgo) for a household, or
// PostgreSQL (github.com/jackc/pgx/v5) for a hosted service with several
// instances. Queries are plain SQL with `?` placeholders that go through
// one rebind function and avoid either database's own functions, so both
// run the same queries; what differs (opening, migrations, locking,
// errors) is in the dialect (sqlite.go, postgres.go).
package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"freezer/domain"
	"freezer/internal/typesql"
	"freezer/server"
)

// DB is the SQL store. Reads go through a pool of connections (WAL lets
// readers run beside the writer); writes go through a pool of one
// connection whose transactions begin IMMEDIATE, because SQLite has one
// writer and a deferred transaction that upgrades from read to write can
// fail with SQLITE_BUSY instead of waiting.
type DB struct {
	rdb, wdb *sql.DB
	// Now returns the current time; rules that depend on the day use it.
	Now func() time.Time
	// Clock stamps every field a write changes.
	Clock *domain.Clock
	// dialect is what differs between SQLite and PostgreSQL.
	dialect *dialect
	// applied lists the migrations this Open applied (Applied).
	applied []string
	// MaxEntities is the quota of freezers and products per account
	// (DefaultMaxEntities when 0; quota.go).
	MaxEntities int
	// logger hears what the migrations cleaned (Options.Logger).
	logger *slog.Logger
	// group commits the writes on SQLite (group.go); nil: each write
	// is a transaction of its own (PostgreSQL, and while opening).
	group *grouper
	// findToken is the prepared token lookup (FindAccountByToken).
	findToken *sql.Stmt
	// auth keeps recent token lookups while the database is unchanged
	// (authcache.go); nil on PostgreSQL, and where the wal-index cannot
	// be mapped. pinned is the read connection held open meanwhile.
	auth   *authCache
	pinned *sql.Conn
}

var _ server.Store = (*DB)(nil)

// Options tune Open.
type Options struct {
	Now   func() time.Time // time.Now when nil
	Clock *domain.Clock    // a clock with node "server" when nil
	// Logger hears about database files whose modes Open tightened
	// (slog.Default() when nil).
	Logger *slog.Logger
	// MaxEntities is the quota of freezers and products per account
	// (DefaultMaxEntities when 0).
	MaxEntities int
	// NoMigrate makes Open refuse (ErrNotMigrated) a database that misses
	// migrations instead of applying them (freezerd -migrate=false).
	NoMigrate bool
	// NoGroupCommit gives each write a transaction and a commit of its
	// own on SQLite, as before group commit (benchmarks compare the two).
	NoGroupCommit bool
	// NoAuthCache looks every token up in the database (SQLite keeps
	// recent lookups while the database is unchanged: authcache.go).
	NoAuthCache bool
	// Conns bounds the connections to PostgreSQL (4 per core, at least
	// 8, when 0); SQLite has one writer and a reader pool of its own.
	Conns int
}

// Open opens the store at target: a PostgreSQL URL (postgres://... or
// postgresql://...) or else the path of a SQLite file, created if needed.
// It applies the pending migrations (or checks there are none, with
// Options.NoMigrate) and seeds the default product types into an empty
// types table.
func Open(ctx context.Context, target string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Clock == nil {
		opts.Clock = domain.NewClock("server", opts.Now)
	}
	if IsPostgres(target) {
		return openPostgres(ctx, target, opts)
	}
	return openSQLite(ctx, target, opts)
}

// ready prepares the statements every request runs and moves the clock
// past the stored stamps: the end of every Open.
func (db *DB) ready(ctx context.Context) error {
	// Every authenticated request looks its token up: prepared once (on
	// each connection of the pool as it is used), SQLite does not parse
	// and plan the query again each time.
	stmt, err := db.rdb.PrepareContext(ctx, db.q(`SELECT a.id, a.email, a.last_seq, t.token_hash, t.id, t.revoked_at, t.last_sync FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = ?`))
	if err != nil {
		return fmt.Errorf("prepare the token lookup: %w", err)
	}
	db.findToken = stmt
	return db.observeStamps(ctx)
}

// observeStamps moves the clock past every stamp stored, so that a server
// whose system clock went back after a restart still stamps later edits
// after earlier ones.
func (db *DB) observeStamps(ctx context.Context) error {
	cols := map[string][]string{
		"freezers": {"name_ts", "boxes_ts", "deleted_ts"},
		"products": {"name_ts", "description_ts", "type_ts", "location_ts", "quantity_ts", "date_in_ts", "period_ts", "out_ts", "deleted_ts"},
	}
	for table, names := range cols {
		for _, col := range names {
			var last sql.NullString
			if err := db.rdb.QueryRowContext(ctx, `SELECT MAX(`+col+`) FROM `+table).Scan(&last); err != nil {
				return fmt.Errorf("read latest %s.%s: %w", table, col, err)
			}
			if !last.Valid {
				continue
			}
			ts, err := domain.ParseTimestamp(last.String)
			if err != nil {
				return fmt.Errorf("latest %s.%s: %w", table, col, err)
			}
			db.Clock.Observe(ts)
		}
	}
	return nil
}

// Close waits for the group of writes being committed, then closes the
// pools.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	if db.pinned != nil {
		_ = db.pinned.Close()
	}
	if db.findToken != nil {
		_ = db.findToken.Close()
	}
	var err error
	if db.rdb == db.wdb {
		err = db.wdb.Close()
	} else {
		err = errors.Join(db.rdb.Close(), db.wdb.Close())
	}
	// Last: closing the wal-index's descriptor before SQLite's
	// connections would drop their locks (walindex_unix.go).
	_ = db.auth.close()
	return err
}

// q rewrites a query's placeholders for the database in use.
func (db *DB) q(query string) string {
	if !db.dialect.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (db *DB) seedTypes(ctx context.Context) error {
	return db.write(ctx, func(tx *tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM product_types`).Scan(&n); err != nil {
			return fmt.Errorf("count types: %w", err)
		}
		if n > 0 {
			return nil
		}
		return typesql.Seed(ctx, tx)
	})
}

func (db *DB) now() string { return db.Now().UTC().Format(time.RFC3339) }

func (db *DB) today() domain.Date { return domain.DateOf(db.Now()) }

// tx is a transaction whose queries go through DB.q.
type tx struct {
	db *DB
	tx runner
	// ctx, when set, replaces the context each query is given: a group
	// commit's (group.go).
	ctx context.Context
	// stmts, when set, runs the queries prepared (a group's transaction:
	// stmtcache.go).
	stmts *stmtCache
	// own, in a group's transaction, is what the write running changed
	// of what a token lookup returns (group.go, authcache.go).
	own ownWrite
}

// ownWrite is what one write of a group changed of what a token lookup
// returns.
type ownWrite struct {
	// scoped: the write went through writeAccount, whose writes change
	// an account's freezers, products and change sequence only (no
	// token, device or e-mail).
	scoped bool
	// seqs are the change sequences it moved (account → the last).
	seqs map[int64]int64
}

// runner runs statements: a *sql.Tx, or the connection a group commit's
// transaction holds (a *sql.Conn, group.go).
type runner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// c returns the context a query runs under.
func (t *tx) c(ctx context.Context) context.Context {
	if t.ctx != nil {
		return t.ctx
	}
	return ctx
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmts.in(t.c(ctx), t.db.q(query)); st != nil {
		return st.ExecContext(t.c(ctx), args...)
	}
	return t.tx.ExecContext(t.c(ctx), t.db.q(query), args...)
}

// ExecContext is exec, for the SQL shared with the device (typesql).
func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.exec(ctx, query, args...)
}

// queryer is the read pool, with placeholders rewritten by DB.q.
type queryer struct{ db *DB }

func (q queryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.db.rdb.QueryContext(ctx, q.db.q(query), args...)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmts.in(t.c(ctx), t.db.q(query)); st != nil {
		return st.QueryContext(t.c(ctx), args...)
	}
	return t.tx.QueryContext(t.c(ctx), t.db.q(query), args...)
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmts.in(t.c(ctx), t.db.q(query)); st != nil {
		return st.QueryRowContext(t.c(ctx), args...)
	}
	return t.tx.QueryRowContext(t.c(ctx), t.db.q(query), args...)
}

// write runs fn in one write transaction: its own, or on SQLite once the
// store is open, a savepoint in the transaction of a group (group.go).
func (db *DB) write(ctx context.Context, fn func(*tx) error) error {
	if db.group != nil {
		return db.group.write(ctx, fn)
	}
	return db.inTx(ctx, db.wdb, nil, fn)
}

// writeAccount runs fn in one write transaction that first locks the
// account: on PostgreSQL, writers of one account from any number of
// instances take turns, so each reads what the previous one committed and
// the account's sequence grows in commit order (SQLite has one writer).
func (db *DB) writeAccount(ctx context.Context, accountID int64, fn func(*tx) error) error {
	return db.write(ctx, func(t *tx) error {
		t.own.scoped = true
		if err := t.lockAccount(ctx, accountID); err != nil {
			return err
		}
		return fn(t)
	})
}

// lockAccount locks the account's row until the transaction ends (a no-op
// on SQLite, whose write transactions already take turns).
func (t *tx) lockAccount(ctx context.Context, accountID int64) error {
	if t.db.dialect.lockAccount == "" {
		return nil
	}
	var id int64
	if err := t.queryRow(ctx, t.db.dialect.lockAccount, accountID).Scan(&id); err != nil {
		return fmt.Errorf("lock account %d: %w", accountID, err)
	}
	return nil
}

// read runs fn in one read-only transaction (one consistent snapshot).
func (db *DB) read(ctx context.Context, fn func(*tx) error) error {
	return db.inTx(ctx, db.rdb, db.dialect.readTx, fn)
}

func (db *DB) inTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return translate(fmt.Errorf("begin: %w", err))
	}
	defer func() { _ = sqlTx.Rollback() }()
	if err := fn(&tx{db: db, tx: sqlTx}); err != nil {
		return translate(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return translate(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// translate turns driver errors into domain errors: no rows is ENotFound, a
// uniqueness violation is EConflict. Domain errors pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENotFound, "Not found.")
	}
	if isUniqueViolation(err) {
		return fmt.Errorf("%w (%w)", domain.Errorf(domain.EConflict, "This already exists."), err)
	}
	return err
}

// nextSeq bumps and returns the account's change sequence, inside the
// transaction that commits the change, so a reader paging by seq never
// skips a committed change.
func (t *tx) nextSeq(ctx context.Context, accountID int64) (int64, error) {
	var seq int64
	if err := t.queryRow(ctx, `UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq`, accountID).Scan(&seq); err != nil {
		return 0, fmt.Errorf("next seq of account %d: %w", accountID, err)
	}
	if t.own.seqs != nil {
		t.own.seqs[accountID] = seq
	}
	return seq, nil
}

// Accounts.

// CreateAccount stores a new account with its first token.
func (db *DB) CreateAccount(ctx context.Context, email string, passwordHash, tokenHash []byte) (server.Account, error) {
	a := server.Account{Email: email, PasswordHash: passwordHash}
	err := db.write(ctx, func(tx *tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE email_key = ?`, emailKey(email)).Scan(&n); err != nil {
			return fmt.Errorf("find account: %w", err)
		}
		if n > 0 {
			return domain.Errorf(domain.EConflict, "An account with this email already exists: log in instead.")
		}
		now := db.now()
		if err := tx.queryRow(ctx, `INSERT INTO accounts (email, email_key, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			email, emailKey(email), string(passwordHash), now).Scan(&a.ID); err != nil {
			return fmt.Errorf("insert account: %w", err)
		}
		return tx.addToken(ctx, a.ID, tokenHash)
	})
	if err != nil {
		return server.Account{}, err
	}
	return a, nil
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// FindAccountByEmail returns the account with that email, whatever its case.
func (db *DB) FindAccountByEmail(ctx context.Context, email string) (server.Account, error) {
	var a server.Account
	err := db.read(ctx, func(tx *tx) error {
		var hash, created string
		if err := tx.queryRow(ctx, `SELECT id, email, password_hash, created_at FROM accounts WHERE email_key = ?`, emailKey(email)).
			Scan(&a.ID, &a.Email, &hash, &created); err != nil {
			return fmt.Errorf("find account by email: %w", err)
		}
		a.PasswordHash = []byte(hash)
		a.Created, _ = time.Parse(time.RFC3339, created)
		return nil
	})
	return a, err
}

// FindAccountByToken looks the token hash up through its index and compares
// the stored hash in constant time. A revoked device's token answers
// server.ErrDeviceRemoved.
func (db *DB) FindAccountByToken(ctx context.Context, tokenHash []byte) (server.Account, error) {
	// The cache's key is the hash's bytes: looking a []byte up as a
	// string key makes no copy, so a hit makes no hex string.
	a, at, cacheable, hit := db.auth.get(tokenHash)
	if hit {
		return a, nil
	}
	want := hex.EncodeToString(tokenHash)
	var got, revoked, lastSync string
	err := db.findToken.QueryRowContext(ctx, want).Scan(&a.ID, &a.Email, &a.Seq, &got, &a.DeviceID, &revoked, &lastSync)
	if err != nil {
		return server.Account{}, translate(fmt.Errorf("find account by token: %w", err))
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return server.Account{}, domain.Errorf(domain.ENotFound, "Not found.")
	}
	if revoked != "" {
		return server.Account{}, server.ErrDeviceRemoved
	}
	a.LastSync = parseTime(lastSync)
	if cacheable {
		db.auth.put(tokenHash, at, a)
	}
	return a, nil
}

// ReplaceTokens revokes every live token of the account and adds
// tokenHash; removed devices keep their tombstones.
func (db *DB) ReplaceTokens(ctx context.Context, accountID int64, tokenHash []byte) error {
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM tokens WHERE account_id = ? AND revoked_at = ''`, accountID); err != nil {
			return fmt.Errorf("revoke tokens: %w", err)
		}
		return tx.addToken(ctx, accountID, tokenHash)
	})
}

func (t *tx) accountExists(ctx context.Context, accountID int64) error {
	var id int64
	if err := t.queryRow(ctx, `SELECT id FROM accounts WHERE id = ?`, accountID).Scan(&id); err != nil {
		return fmt.Errorf("find account %d: %w", accountID, err)
	}
	return nil
}

// SetPassword replaces the account's password hash.
func (db *DB) SetPassword(ctx context.Context, accountID int64, passwordHash []byte) error {
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE accounts SET password_hash = ? WHERE id = ?`, string(passwordHash), accountID)
		return err
	})
}

// ChangePassword sets the password hash and revokes every token of the
// account but those in keep.
func (db *DB) ChangePassword(ctx context.Context, accountID int64, passwordHash []byte, keep [][]byte) error {
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE accounts SET password_hash = ? WHERE id = ?`, string(passwordHash), accountID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		query := `DELETE FROM tokens WHERE account_id = ? AND revoked_at = ''`
		args := []any{accountID}
		if len(keep) > 0 {
			query += ` AND token_hash NOT IN (?` + strings.Repeat(`, ?`, len(keep)-1) + `)`
			for _, h := range keep {
				args = append(args, hex.EncodeToString(h))
			}
		}
		if _, err := tx.exec(ctx, query, args...); err != nil {
			return fmt.Errorf("revoke other tokens: %w", err)
		}
		return nil
	})
}

// ListAccounts lists every account by id, with its number of tokens.
func (db *DB) ListAccounts(ctx context.Context) ([]server.Account, error) {
	var out []server.Account
	err := db.read(ctx, func(tx *tx) error {
		rows, err := tx.query(ctx, `SELECT a.id, a.email, a.created_at, (SELECT COUNT(*) FROM tokens t WHERE t.account_id = a.id AND t.revoked_at = '') FROM accounts a ORDER BY a.id`)
		if err != nil {
			return fmt.Errorf("list accounts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a server.Account
			var created string
			if err := rows.Scan(&a.ID, &a.Email, &created, &a.Tokens); err != nil {
				return fmt.Errorf("scan account: %w", err)
			}
			a.Created, _ = time.Parse(time.RFC3339, created)
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteAccount removes the account and everything it owns.
func (db *DB) DeleteAccount(ctx context.Context, accountID int64) error {
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM products WHERE account_id = ?`,
			`DELETE FROM freezers WHERE account_id = ?`,
			`DELETE FROM tokens WHERE account_id = ?`,
			`DELETE FROM pairing_codes WHERE account_id = ?`,
			`DELETE FROM feeds WHERE account_id = ?`,
			`DELETE FROM accounts WHERE id = ?`,
		} {
			if _, err := tx.exec(ctx, q, accountID); err != nil {
				return fmt.Errorf("delete account %d: %w", accountID, err)
			}
		}
		return nil
	})
}
