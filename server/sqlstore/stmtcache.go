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
// The statements are prepared on the connection the grouper owns
// (group.go), the first time a query runs, even inside a transaction; a
// statement of a *sql.Conn runs on it directly, with no per-transaction
// copy (what tx.StmtContext made for every query before).
type stmtCache struct {
	conn *sql.Conn
	mu   sync.Mutex
	m    map[string]*sql.Stmt
}

func newStmtCache(conn *sql.Conn) *stmtCache {
	return &stmtCache{conn: conn, m: map[string]*sql.Stmt{}}
}

// in returns query's statement, prepared now if it is new, or nil when it
// cannot be kept (the cache is full, or the query failed to prepare: it
// then runs as text and reports its error there).
func (c *stmtCache) in(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[query]
	if ok || len(c.m) >= stmtCacheMax {
		return st
	}
	st, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		st = nil
	}
	c.m[query] = st
	return st
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
