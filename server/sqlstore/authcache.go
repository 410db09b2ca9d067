package sqlstore

import (
	"context"
	"sync"
	"sync/atomic"
	"unsafe"

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
//
// This process's own group commits (group.go) would empty the cache at
// every commit of a write burst, when every request is a write that looks
// its token up. A commit whose writes changed nothing of what a lookup
// returns but accounts' change sequences is adopted instead: the grouper
// reads the version inside its transaction, holding SQLite's write lock,
// and tells the cache (ownCommitStarts) which sequences it moved. The
// next version with a change counter one above is that commit's and no
// other's, since no other connection of any process can commit while the
// lock is held; the entries stay, with those sequences. A version any
// further away (another process's commit, or ours followed by one)
// empties the cache as before.
type authCache struct {
	mu sync.Mutex // guards every field below but the counters
	// version reads the database's version; ok is false while a writer
	// is rewriting it (or when it cannot be read), and nothing is kept.
	// nil once closed: the memory it reads is gone.
	version func() (v walVersion, ok bool)
	release func() error
	at      walVersion // the version every entry of m was read at
	m       map[string]server.Account
	// seqs are accounts' change sequences moved by this process's commits
	// since the entries were read: they replace the entries' Seq.
	seqs map[int64]int64
	// own is this process's commit under way, when it can be adopted.
	own     *ownCommit
	hits    atomic.Int64
	lookups atomic.Int64
}

// walVersion is the wal-index header's bytes.
type walVersion [walHeaderSize]byte

// walChange is the offset of the header's change counter, which every
// commit moves up by one (and nothing else moves).
const walChange = 8

// change is the version's change counter (in the machine's byte order,
// as SQLite writes it).
func (v *walVersion) change() uint32 {
	return *(*uint32)(unsafe.Pointer(&v[walChange]))
}

// ownCommit is a commit of this process's writer under way: from is the
// version read inside its transaction, seqs the change sequences its
// writes moved (account → its last sequence).
type ownCommit struct {
	from walVersion
	seqs map[int64]int64
}

// adopt keeps the entries across the commit own if v is the version right
// after it; it reports whether it did. c.mu is held.
func (c *authCache) adopt(own *ownCommit, v walVersion) bool {
	if own == nil || c.at != own.from || v.change() != own.from.change()+1 {
		return false
	}
	if len(c.seqs)+len(own.seqs) > authCacheMax {
		return false
	}
	for id, seq := range own.seqs {
		c.seqs[id] = seq
	}
	c.at = v
	c.own = nil
	return true
}

// ownCommitStarts tells the cache that this process's writer, holding
// SQLite's write lock, is about to commit writes that changed nothing of
// what a token lookup returns but the change sequences in seqs. It
// returns what to hand to ownCommitEnded, nil when there is nothing to
// adopt (the cache is already behind, or closed).
func (c *authCache) ownCommitStarts(seqs map[int64]int64) *ownCommit {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == nil {
		return nil
	}
	v, ok := c.version()
	if !ok || v != c.at {
		return nil
	}
	c.own = &ownCommit{from: v, seqs: seqs}
	return c.own
}

// ownCommitEnded adopts the commit own if it was made (and no lookup
// adopted it already).
func (c *authCache) ownCommitEnded(own *ownCommit, committed bool) {
	if c == nil || own == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.own != own {
		return
	}
	c.own = nil
	if !committed || c.version == nil {
		return
	}
	if v, ok := c.version(); ok {
		c.adopt(own, v)
	}
}

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
	if c.at != v && !c.adopt(c.own, v) {
		clear(c.m)
		clear(c.seqs)
		c.own = nil
		c.at = v
		return server.Account{}, v, true, false
	}
	a, hit = c.m[string(key)]
	if hit {
		if seq := c.seqs[a.ID]; seq > a.Seq {
			a.Seq = seq
		}
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
		clear(c.seqs)
	}
	c.m[string(key)] = a
}

// close unmaps the wal-index; lookups running or to come read the
// database. The store calls it after closing its SQLite connections
// (mapWALIndex says why).
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
		if release != nil { // a closed cache: every lookup reads the database
			db.auth = &authCache{release: release, m: map[string]server.Account{}, seqs: map[int64]int64{}}
		}
		return
	}
	db.pinned = conn
	db.auth = &authCache{version: version, release: release, m: map[string]server.Account{}, seqs: map[int64]int64{}}
}

// AuthCacheStats reports the token lookups and how many the cache
// answered (tests and benchmarks read them).
func (db *DB) AuthCacheStats() (lookups, hits int64) {
	if db.auth == nil {
		return 0, 0
	}
	return db.auth.lookups.Load(), db.auth.hits.Load()
}
