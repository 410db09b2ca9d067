package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
)

// respCache keeps the JSON of hot compat reads (the freezer list, the
// product lists) per account, tagged with the account's change sequence
// read while authenticating. Every write to an account's freezers or
// products bumps that sequence in its transaction, so an entry is served
// only while nothing of the account changed, whichever process or server
// instance made the change: the cache needs no invalidation.
type respCache struct {
	mu      sync.RWMutex
	entries map[cacheKey]cacheEntry
}

type cacheKey struct {
	account int64
	what    string
}

type cacheEntry struct {
	seq  int64
	body []byte
}

// maxCacheEntries bounds the cache; past it, it starts over.
const maxCacheEntries = 8192

func newRespCache() *respCache { return &respCache{entries: map[cacheKey]cacheEntry{}} }

func (c *respCache) get(k cacheKey, seq int64) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[k]
	if !ok || e.seq != seq {
		return nil, false
	}
	return e.body, true
}

func (c *respCache) put(k cacheKey, seq int64, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCacheEntries {
		clear(c.entries)
	}
	c.entries[k] = cacheEntry{seq, body}
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
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
