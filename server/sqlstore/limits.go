package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"freezer/server"
)

// SharedLimits returns the rate counter and the login throttle that the
// instances sharing this PostgreSQL database count together in
// (migrations/postgres/0002_limits.sql), for server.Config. On SQLite ok
// is false: a household's freezerd is one process and counts in memory
// (the server's default).
func (db *DB) SharedLimits() (server.RateCounter, server.LoginThrottle, bool) {
	if db.dialect != postgresDialect {
		return nil, nil, false
	}
	return &rateCounter{db: db, swept: sweeper{batch: sweepBatch}}, &loginThrottle{db: db, swept: sweeper{batch: sweepBatch}}, true
}

// Expired rows of the limits' tables are deleted by the requests
// themselves, in batches: one batch per table at most once per
// sweepEvery in each process, or at every request while the batches come
// back full (after a busy day), so that no request pays for more than
// one batch, and the tables hold about a day of keys.
const (
	sweepEvery   = time.Minute
	sweepBatch   = 5000
	sweepTimeout = 10 * time.Second
)

// sweeper decides when the requests of this process sweep a table.
type sweeper struct {
	mu    sync.Mutex
	last  time.Time
	more  bool // the last batch was full
	batch int  // rows per delete (sweepBatch; tests use fewer)
}

// due reports whether a sweep is due at now, and takes it if so.
func (s *sweeper) due(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := now.Sub(s.last); !s.more && d >= 0 && d < sweepEvery {
		return false
	}
	s.last, s.more = now, false
	return true
}

// sweep runs the deletes of a sweep (each selects up to a batch of the
// rows older than cutoff and deletes them). Each runs on its own
// (autocommit): none waits for a row lock while holding another, so a
// sweep never deadlocks with a Reserve. It outlives a request that gives
// up, within sweepTimeout. A failed sweep is logged, not returned: the
// request that ran it is not at fault, and the next sweep deletes the
// same rows.
func (db *DB) sweep(ctx context.Context, s *sweeper, what string, queries []string, cutoff int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sweepTimeout)
	defer cancel()
	for _, q := range queries {
		res, err := db.wdb.ExecContext(ctx, db.q(q), cutoff, s.batch)
		var n int64
		if err == nil {
			n, err = res.RowsAffected()
		}
		if err != nil {
			logger := db.logger
			if logger == nil {
				logger = slog.Default()
			}
			logger.Warn("delete expired "+what+": the tables keep them until the next try, a minute later", "err", err)
			return
		}
		if n >= int64(s.batch) {
			s.mu.Lock()
			s.more = true
			s.mu.Unlock()
		}
	}
}

// maxLimitKey is the longest key or address stored as it is; longer ones
// (a login's email can be anything up to the body's bound) are stored as
// their SHA-256, within the bound of PostgreSQL's index entries.
const maxLimitKey = 200

func limitKey(s string) string {
	if len(s) <= maxLimitKey {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// rateCounter is the server.RateCounter of instances sharing a
// PostgreSQL database.
type rateCounter struct {
	db    *DB
	swept sweeper
}

var _ server.RateCounter = (*rateCounter)(nil)

// rateUpsert counts one request on a key in one statement, atomic over
// instances: the row's lock holds concurrent ones off until it commits,
// and the WHERE, evaluated on the latest row, refuses (no row returned,
// nothing written) when a bounded window is full. A window older than the
// request's starts again from 1; a request from an instance whose clock
// lags behind counts in the newer window already stored.
const rateUpsert = `INSERT INTO rate_counts (key, minute, in_minute, day, in_day) VALUES (?, ?, 1, ?, 1)
ON CONFLICT (key) DO UPDATE SET
	in_minute = CASE WHEN excluded.minute > rate_counts.minute THEN 1 ELSE rate_counts.in_minute + 1 END,
	minute = CASE WHEN excluded.minute > rate_counts.minute THEN excluded.minute ELSE rate_counts.minute END,
	in_day = CASE WHEN excluded.day > rate_counts.day THEN 1 ELSE rate_counts.in_day + 1 END,
	day = CASE WHEN excluded.day > rate_counts.day THEN excluded.day ELSE rate_counts.day END
WHERE (excluded.day > rate_counts.day OR ? = 0 OR rate_counts.in_day < ?)
	AND (excluded.minute > rate_counts.minute OR ? = 0 OR rate_counts.in_minute < ?)
RETURNING in_minute`

// Allow implements server.RateCounter.
func (c *rateCounter) Allow(ctx context.Context, key string, perMinute, perDay int, now time.Time) (bool, time.Duration, error) {
	perMinute, perDay = max(perMinute, 0), max(perDay, 0)
	if perMinute == 0 && perDay == 0 {
		return true, 0, nil
	}
	minuteStart, dayStart := server.RateWindows(now)
	minute, day := minuteStart.Unix(), dayStart.Unix()
	if c.swept.due(now) {
		c.db.sweep(ctx, &c.swept, "rate limit windows", []string{
			`DELETE FROM rate_counts WHERE key IN (SELECT key FROM rate_counts WHERE day < ? LIMIT ?)`,
		}, day)
	}
	key = limitKey(key)
	var n int
	err := c.db.wdb.QueryRowContext(ctx, c.db.q(rateUpsert), key, minute, day, perDay, perDay, perMinute, perMinute).Scan(&n)
	if err == nil {
		return true, 0, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, 0, fmt.Errorf("count a request against the rate limits: %w", err)
	}
	// Refused: which window is full only sets the wait's length, so it is
	// read apart from the count.
	var inDay int
	var storedDay int64
	if err := c.db.wdb.QueryRowContext(ctx, c.db.q(`SELECT in_day, day FROM rate_counts WHERE key = ?`), key).Scan(&inDay, &storedDay); err != nil {
		return false, 0, fmt.Errorf("read the window that refused a request: %w", err)
	}
	return false, server.RateRetry(now, perDay > 0 && storedDay >= day && inDay >= perDay), nil
}

// loginThrottle is the server.LoginThrottle of instances sharing a
// PostgreSQL database, with the rules of server.LoginWait. Every change
// to a key's failures first locks the key's row in login_keys, so that
// attempts on one key take turns over all instances.
type loginThrottle struct {
	db    *DB
	swept sweeper
}

var _ server.LoginThrottle = (*loginThrottle)(nil)

// errWait rolls back a Reserve that must wait: nothing is counted.
var errWait = errors.New("the attempt must wait")

// limitsTx begins the throttle's transactions READ COMMITTED whatever the
// server's default: each statement then reads what the previous holder
// of the key's lock committed.
var limitsTx = &sql.TxOptions{Isolation: sql.LevelReadCommitted}

// Reserve implements server.LoginThrottle.
func (t *loginThrottle) Reserve(ctx context.Context, key, addr string) (time.Duration, error) {
	now := t.db.Now()
	t.sweepExpired(ctx, now)
	key, addr = limitKey(key), limitKey(addr)
	var wait time.Duration
	err := t.db.inTx(ctx, t.db.wdb, limitsTx, func(tx *tx) error {
		k, err := tx.lockLoginKey(ctx, key)
		if err != nil {
			return err
		}
		p, known, err := tx.loginPair(ctx, key, addr)
		if err != nil {
			return err
		}
		var pair *server.LoginFailures
		if known {
			pair = &p
		}
		if wait = server.LoginWait(pair, k, now); wait > 0 {
			return errWait
		}
		p, k = p.Add(now), k.Add(now)
		if _, err := tx.exec(ctx, `INSERT INTO login_failures (key, addr, n, last_ns) VALUES (?, ?, ?, ?)
ON CONFLICT (key, addr) DO UPDATE SET n = excluded.n, last_ns = excluded.last_ns`, key, addr, p.N, p.Last.UnixNano()); err != nil {
			return fmt.Errorf("count a failure of an address: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE login_keys SET n = ?, last_ns = ? WHERE key = ?`, k.N, k.Last.UnixNano(), key); err != nil {
			return fmt.Errorf("count a failure of a key: %w", err)
		}
		return nil
	})
	if errors.Is(err, errWait) {
		return wait, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reserve a password attempt: %w", err)
	}
	return 0, nil
}

// lockLoginKey locks the key's row until the transaction ends, creating
// it (no failures) if needed, and returns its failures.
func (t *tx) lockLoginKey(ctx context.Context, key string) (server.LoginFailures, error) {
	var n int
	var last int64
	if err := t.queryRow(ctx, `INSERT INTO login_keys (key, n, last_ns) VALUES (?, 0, 0)
ON CONFLICT (key) DO UPDATE SET n = login_keys.n RETURNING n, last_ns`, key).Scan(&n, &last); err != nil {
		return server.LoginFailures{}, fmt.Errorf("lock the failures of a key: %w", err)
	}
	return server.LoginFailures{N: n, Last: time.Unix(0, last)}, nil
}

// loginPair returns the failures of addr on key; known is false when
// the address has none on record.
func (t *tx) loginPair(ctx context.Context, key, addr string) (f server.LoginFailures, known bool, err error) {
	var last int64
	err = t.queryRow(ctx, `SELECT n, last_ns FROM login_failures WHERE key = ? AND addr = ?`, key, addr).Scan(&f.N, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return server.LoginFailures{}, false, nil
	}
	if err != nil {
		return server.LoginFailures{}, false, fmt.Errorf("read the failures of an address: %w", err)
	}
	f.Last = time.Unix(0, last)
	return f, true, nil
}

// takeBackKey takes one failure back from key (locking its row first,
// as Reserve does, so that the two take turns).
const takeBackKey = `UPDATE login_keys SET n = CASE WHEN n > 0 THEN n - 1 ELSE 0 END WHERE key = ?`

// Succeeded implements server.LoginThrottle.
func (t *loginThrottle) Succeeded(ctx context.Context, key, addr string) error {
	key, addr = limitKey(key), limitKey(addr)
	err := t.db.inTx(ctx, t.db.wdb, limitsTx, func(tx *tx) error {
		if _, err := tx.exec(ctx, takeBackKey, key); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ? AND addr = ?`, key, addr)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget the failures of a successful password: %w", err)
	}
	return nil
}

// Cancel implements server.LoginThrottle.
func (t *loginThrottle) Cancel(ctx context.Context, key, addr string) error {
	key, addr = limitKey(key), limitKey(addr)
	err := t.db.inTx(ctx, t.db.wdb, limitsTx, func(tx *tx) error {
		if _, err := tx.exec(ctx, takeBackKey, key); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE login_failures SET n = n - 1 WHERE key = ? AND addr = ? AND n > 0`, key, addr)
		return err
	})
	if err != nil {
		return fmt.Errorf("take back a password attempt: %w", err)
	}
	return nil
}

// sweepExpired deletes the failures older than the rules remember, an
// address's before its key's (a key's last failure is its addresses'
// latest).
func (t *loginThrottle) sweepExpired(ctx context.Context, now time.Time) {
	if !t.swept.due(now) {
		return
	}
	t.db.sweep(ctx, &t.swept, "login failures", []string{
		`DELETE FROM login_failures WHERE (key, addr) IN (SELECT key, addr FROM login_failures WHERE last_ns < ? LIMIT ?)`,
		`DELETE FROM login_keys WHERE key IN (SELECT key FROM login_keys WHERE last_ns < ? LIMIT ?)`,
	}, now.Add(-server.ForgetLoginFailures).UnixNano())
}
