package sqlstore

import (
	"context"
	"sync"
	"sync/atomic"

	"freezer/server"
)

// authCacheMax bounds the tokens the cache holds; when full it starts over
// (each entry is about 100 bytes: 4,096 of them stay under half a MB).
const authCacheMax = 4096

// authCache keeps the accounts of recent token lookups, so that a read the
// compat cache answers does not open a SQLite read transaction just to
// find its token (that transaction, with its shared-memory locks, was two
// thirds of a cached read's CPU).
//
// An entry holds only while the database has not changed since it was
// read: every lookup first reads the version of the database, the bytes
// of SQLite's wal-index header, which every commit by any connection of
// any process rewrites (walindex_unix.go). A token revoked, an account
// deleted or a product added, here or by `freezerd users` in another
// process, changes the header, and the next lookup goes to the database.
// Only successful lookups are kept: an unknown or revoked token is looked
// up every time.
type authCache struct {
	mu sync.Mutex // guards every field below but the counters
	// version reads the database's version; ok is false while a writer
	// is rewriting it (or when it cannot be read), and nothing is kept.
	// nil once closed: the memory it reads is gone.
	version func() (v walVersion, ok bool)
	release func() error
	at      walVersion // the version every entry of m was read at
	m       map[string]server.Account
	hits    atomic.Int64
	lookups atomic.Int64
}

// walVersion is the wal-index header's bytes.
type walVersion [walHeaderSize]byte

// get returns the cached account of the token whose hex hash is key, or,
// on a miss, the version to hand to put after looking the token up.
func (c *authCache) get(key []byte) (a server.Account, v walVersion, ok, hit bool) {
	if c == nil {
		return server.Account{}, v, false, false
	}
	c.lookups.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == nil { // closed
		return server.Account{}, v, false, false
	}
	if v, ok = c.version(); !ok {
		return server.Account{}, v, false, false
	}
	if c.at != v {
		clear(c.m)
		c.at = v
		return server.Account{}, v, true, false
	}
	a, hit = c.m[string(key)]
	if hit {
		c.hits.Add(1)
	}
	return a, v, true, hit
}

// put keeps a, read from the database at version v or later, if the
// database is still at v: a commit between the lookup and now may have
// changed what a holds.
func (c *authCache) put(key []byte, v walVersion, a server.Account) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == nil {
		return
	}
	if now, ok := c.version(); !ok || now != v || c.at != v {
		return
	}
	if len(c.m) >= authCacheMax {
		clear(c.m)
	}
	c.m[string(key)] = a
}

// close unmaps the wal-index; lookups running or to come read the
// database.
func (c *authCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version = nil
	if c.release == nil {
		return nil
	}
	release := c.release
	c.release = nil
	return release()
}

// startAuthCache pins a read connection, so that the wal-index stays, and
// maps it. The cache is an optimisation: when it cannot start (a system
// without mmap, a file system without shared memory), every lookup reads
// the database, as before, and the log says nothing.
func (db *DB) startAuthCache(ctx context.Context, path string) {
	conn, err := db.rdb.Conn(ctx)
	if err != nil {
		return
	}
	// A read opens the connection's wal-index (and creates the file).
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		_ = conn.Close()
		return
	}
	version, release, err := mapWALIndex(path)
	if err != nil {
		_ = conn.Close()
		return
	}
	db.pinned = conn
	db.auth = &authCache{version: version, release: release, m: map[string]server.Account{}}
}

// AuthCacheStats reports the token lookups and how many the cache
// answered (tests and benchmarks read them).
func (db *DB) AuthCacheStats() (lookups, hits int64) {
	if db.auth == nil {
		return 0, 0
	}
	return db.auth.lookups.Load(), db.auth.hits.Load()
}
