package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCacheMax bounds the statements kept: the store's queries are
// constant strings (a few with a table name filled in), about a hundred.
const stmtCacheMax = 512

// stmtCache keeps the statements of the group commit's transactions
// prepared for the life of the store. SQLite parses and plans a statement
// each time it is given as text: on the write path that was a quarter of
// an added product's CPU. (PostgreSQL needs none: pgx caches statements.)
//
// The write pool has one connection, which a group's transaction holds
// while its writes run; a statement cannot be prepared on the pool then.
// So a query seen for the first time runs as text and is noted; the
// grouper prepares the noted queries between two groups, when the
// connection is free, and the next transactions run them prepared
// (database/sql reuses a statement prepared on the transaction's
// connection).
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
	want map[string]bool
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, want: map[string]bool{}}
}

// in returns query's statement for the transaction tx, or nil when it is
// not prepared yet (it is noted) or cannot be kept (the cache is full).
func (c *stmtCache) in(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[query]
	if !ok && len(c.m)+len(c.want) < stmtCacheMax {
		c.want[query] = true
	}
	c.mu.Unlock()
	if st == nil {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// prepare prepares the queries noted since the last call; the pool's
// connection must be free. A query that fails to prepare is not noted
// again (it runs as text, and reports its error there).
func (c *stmtCache) prepare(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.want {
		delete(c.want, q)
		st, err := c.pool.PrepareContext(ctx, q)
		if err != nil {
			c.m[q] = nil
			continue
		}
		c.m[q] = st
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		if st != nil {
			_ = st.Close()
		}
		delete(c.m, q)
	}
}
