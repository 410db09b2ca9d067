package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// DefaultCacheBytes bounds the compat response cache when
// Config.CacheBytes is 0.
const DefaultCacheBytes = 64 << 20

// cacheEntryOverhead is what an entry costs beyond its key's text and its
// body: the entry struct (about 80 bytes), its map slot (about 40 bytes,
// up to twice that while the map is half full after growing) and the
// allocator's rounding. Counting it keeps a cache of many tiny entries
// within its bound too.
const cacheEntryOverhead = 160

// respCache keeps the JSON of hot compat reads (the freezer list, the
// product lists) per account, tagged with the account's change sequence
// read while authenticating. Every write to an account's freezers or
// products bumps that sequence in its transaction, so an entry is served
// only while nothing of the account changed, whichever process or server
// instance made the change: the cache needs no invalidation. Its contract
// is that simple on purpose: an entry is served only for the exact
// sequence it was built at, never for an older or a newer one.
//
// The cache holds at most max bytes (bodies, keys and a fixed overhead per
// entry) and evicts the least recently used entries one at a time to make
// room. One mutex guards it: a hit moves its entry to the front, so even a
// read writes. The lock is held for a map lookup and a few pointer moves,
// which BenchmarkCacheGetParallel measures against a request's database
// read.
type respCache struct {
	mu      sync.Mutex
	max     int64 // bound in bytes; 0: nothing is cached
	size    int64 // bytes held, sum of the entries' size
	entries map[cacheKey]*cacheEntry
	// lru is the sentinel of a circular list of the entries: lru.next is
	// the most recently used, lru.prev the least.
	lru cacheEntry
}

type cacheKey struct {
	account int64
	what    string
}

type cacheEntry struct {
	key        cacheKey
	seq        int64
	body       []byte
	size       int64 // what the entry counts against the bound
	prev, next *cacheEntry
}

// newRespCache returns a cache bounded by maxBytes (DefaultCacheBytes when
// 0; a negative bound caches nothing).
func newRespCache(maxBytes int64) *respCache {
	if maxBytes == 0 {
		maxBytes = DefaultCacheBytes
	}
	c := &respCache{max: max(maxBytes, 0), entries: map[cacheKey]*cacheEntry{}}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// get returns the body cached for k at sequence seq and marks it the most
// recently used.
func (c *respCache) get(k cacheKey, seq int64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[k]
	if e == nil || e.seq != seq {
		return nil, false
	}
	c.unlink(e)
	c.pushFront(e)
	return e.body, true
}

// put caches body for k at sequence seq, in place of k's previous entry,
// then evicts the least recently used entries until the cache is within
// its bound. A body too large for the bound is not cached. The cache keeps
// body: the caller must not change it afterwards.
func (c *respCache) put(k cacheKey, seq int64, body []byte) {
	size := int64(len(body)+len(k.what)) + cacheEntryOverhead
	if size <= c.max && cap(body) > len(body) {
		// A bytes.Buffer's spare capacity would be held unaccounted.
		body = bytes.Clone(body)
		size += int64(cap(body) - len(body))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[k]; old != nil {
		c.remove(old)
	}
	if size > c.max {
		return
	}
	e := &cacheEntry{key: k, seq: seq, body: body, size: size}
	c.entries[k] = e
	c.pushFront(e)
	c.size += size
	for c.size > c.max {
		c.remove(c.lru.prev)
	}
}

// remove drops e from the list and the map.
func (c *respCache) remove(e *cacheEntry) {
	c.unlink(e)
	delete(c.entries, e.key)
	c.size -= e.size
}

func (c *respCache) unlink(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (c *respCache) pushFront(e *cacheEntry) {
	e.prev, e.next = &c.lru, c.lru.next
	c.lru.next.prev = e
	c.lru.next = e
}

// stats returns how many entries the cache holds and their bytes.
func (c *respCache) stats() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.size
}

// cachedJSON answers 200 with the cached JSON of (account, what) when the
// account has not changed since, else with the JSON of build's value,
// which it caches. build answers errors itself and returns ok false.
func (s *Server) cachedJSON(w http.ResponseWriter, a Account, what string, build func() (any, bool)) {
	k := cacheKey{a.ID, what}
	body, ok := s.cache.get(k, a.Seq)
	if !ok {
		v, ok := build()
		if !ok {
			return
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			writeCompatError(w, http.StatusInternalServerError, textServerError)
			return
		}
		body = buf.Bytes()
		s.cache.put(k, a.Seq, body)
	}
	h := w.Header()
	h["Content-Type"] = hdrJSON // shared, as secureHeaders' values
	// The length, known: without it net/http sends an answer over 2 KB
	// in chunks (Transfer-Encoding: chunked).
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
