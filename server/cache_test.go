package server

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// entrySize is what an entry of body size n under key k costs.
func entrySize(k cacheKey, n int) int64 { return int64(n+len(k.what)) + cacheEntryOverhead }

// keysMRU lists the cached keys, most recently used first, checking the
// list against the map and the byte count on the way.
func keysMRU(t *testing.T, c *respCache) []cacheKey {
	t.Helper()
	var keys []cacheKey
	var size int64
	for e := c.lru.next; e != &c.lru; e = e.next {
		if e.next.prev != e {
			t.Fatalf("list broken after %v", e.key)
		}
		if c.entries[e.key] != e {
			t.Fatalf("entry %v is in the list, not in the map", e.key)
		}
		keys = append(keys, e.key)
		size += e.size
	}
	if len(keys) != len(c.entries) {
		t.Fatalf("list holds %d entries, map %d", len(keys), len(c.entries))
	}
	if size != c.size {
		t.Fatalf("entries sum to %d bytes, cache counts %d", size, c.size)
	}
	if c.size > c.max {
		t.Fatalf("cache holds %d bytes, bound %d", c.size, c.max)
	}
	return keys
}

func key(account int64) cacheKey { return cacheKey{account, "freezers"} }

func TestCacheEvictsLeastRecentlyUsedOneAtATime(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 1000)
	c := newRespCache(3 * entrySize(key(1), len(body))) // room for 3
	for a := int64(1); a <= 3; a++ {
		c.put(key(a), 1, body)
	}
	if _, ok := c.get(key(1), 1); !ok { // 1 becomes the most recent
		t.Fatal("get(1) missed before any eviction")
	}
	steps := []struct {
		put  int64
		want []int64 // most recent first
	}{
		{4, []int64{4, 1, 3}}, // 2 was the least recently used
		{5, []int64{5, 4, 1}}, // then 3
		{6, []int64{6, 5, 4}}, // then 1
	}
	for _, s := range steps {
		c.put(key(s.put), 1, body)
		var want []cacheKey
		for _, a := range s.want {
			want = append(want, key(a))
		}
		if got := keysMRU(t, c); !slices.Equal(got, want) {
			t.Fatalf("after put(%d) cache holds %v, want %v", s.put, got, want)
		}
	}
}

func TestCacheServesOnlyTheExactSequence(t *testing.T) {
	c := newRespCache(0)
	c.put(key(1), 5, []byte("at 5"))
	for _, seq := range []int64{4, 6, 0, -5} {
		if body, ok := c.get(key(1), seq); ok {
			t.Errorf("get(seq %d) = %q, want a miss (built at 5)", seq, body)
		}
	}
	if body, ok := c.get(key(1), 5); !ok || string(body) != "at 5" {
		t.Fatalf("get(seq 5) = %q, %v, want \"at 5\"", body, ok)
	}
	c.put(key(1), 6, []byte("at 6"))
	if body, ok := c.get(key(1), 5); ok {
		t.Errorf("get(seq 5) after a put at 6 = %q, want a miss", body)
	}
	if body, ok := c.get(key(1), 6); !ok || string(body) != "at 6" {
		t.Errorf("get(seq 6) = %q, %v, want \"at 6\"", body, ok)
	}
	if body, ok := c.get(key(2), 6); ok {
		t.Errorf("another account's get = %q, want a miss", body)
	}
	// An older build landing late replaces the newer entry: it is served
	// only at its own sequence, never at the newer one.
	c.put(key(1), 5, []byte("at 5 again"))
	if body, ok := c.get(key(1), 6); ok {
		t.Errorf("get(seq 6) after a late put at 5 = %q, want a miss", body)
	}
}

func TestCacheSkipsEntriesLargerThanTheBound(t *testing.T) {
	small := []byte("small")
	c := newRespCache(entrySize(key(1), 100))
	c.put(key(1), 1, small)
	c.put(key(2), 1, bytes.Repeat([]byte("y"), 101))
	if _, ok := c.get(key(2), 1); ok {
		t.Error("an entry larger than the bound was cached")
	}
	if _, ok := c.get(key(1), 1); !ok {
		t.Error("caching nothing evicted a smaller entry")
	}
	// A new body too large for the bound drops the key's old entry.
	c.put(key(1), 2, bytes.Repeat([]byte("y"), 101))
	if n, size := c.stats(); n != 0 || size != 0 {
		t.Errorf("stats() = %d entries, %d bytes, want an empty cache", n, size)
	}
}

func TestCacheBounds(t *testing.T) {
	if c := newRespCache(0); c.max != DefaultCacheBytes {
		t.Errorf("newRespCache(0) bound = %d, want %d", c.max, DefaultCacheBytes)
	}
	off := newRespCache(-1)
	off.put(key(1), 1, []byte("[]"))
	if _, ok := off.get(key(1), 1); ok {
		t.Error("a cache with a negative bound cached an entry")
	}
}

// TestCacheCountsSpareCapacity: a body with spare capacity is copied, so
// the bytes counted are the bytes held.
func TestCacheCountsSpareCapacity(t *testing.T) {
	c := newRespCache(0)
	body := make([]byte, 10, 4096)
	c.put(key(1), 1, body)
	e := c.entries[key(1)]
	if cap(e.body) >= 4096 {
		t.Fatalf("cached body keeps capacity %d", cap(e.body))
	}
	if want := entrySize(key(1), cap(e.body)); e.size != want {
		t.Errorf("entry size = %d, want %d", e.size, want)
	}
}

// TestCacheBoundHoldsProperty runs random puts and gets of random sizes
// against a model LRU: after every step the cache holds exactly the model's
// entries in the model's order, and never more than its bound.
func TestCacheBoundHoldsProperty(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			bound := int64(rng.IntN(20_000))
			c := newRespCache(max(bound, 1))
			var model []cacheKey // most recent first
			sizes := map[cacheKey]int64{}
			seqs := map[cacheKey]int64{}
			for step := range 2000 {
				k := cacheKey{int64(rng.IntN(40)), fmt.Sprint("what", rng.IntN(3))}
				if rng.IntN(3) == 0 {
					_, ok := c.get(k, seqs[k])
					if i := slices.Index(model, k); i >= 0 {
						model = append([]cacheKey{k}, slices.Delete(model, i, i+1)...)
						if !ok {
							t.Fatalf("step %d: get(%v) missed a cached entry", step, k)
						}
					} else if ok {
						t.Fatalf("step %d: get(%v) hit an entry the model evicted", step, k)
					}
				} else {
					seqs[k]++
					n := rng.IntN(6000)
					c.put(k, seqs[k], make([]byte, n))
					model = slices.DeleteFunc(model, func(m cacheKey) bool { return m == k })
					if size := entrySize(k, n); size <= c.max {
						sizes[k] = size
						model = append([]cacheKey{k}, model...)
					}
					for total(model, sizes) > c.max {
						model = model[:len(model)-1]
					}
				}
				if got := keysMRU(t, c); !slices.Equal(got, model) {
					t.Fatalf("step %d: cache holds %v, model %v", step, got, model)
				}
			}
		})
	}
}

func total(keys []cacheKey, sizes map[cacheKey]int64) int64 {
	var n int64
	for _, k := range keys {
		n += sizes[k]
	}
	return n
}

// TestCacheConcurrentUse runs readers and writers on a small cache (run it
// with -race): every hit returns the body built for its sequence.
func TestCacheConcurrentUse(t *testing.T) {
	c := newRespCache(20 * entrySize(key(1), 8))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 2))
			for range 5000 {
				k, seq := key(int64(rng.IntN(50))), int64(rng.IntN(4))
				want := fmt.Sprintf("%04d/%03d", k.account, seq)
				if rng.IntN(2) == 0 {
					c.put(k, seq, []byte(want))
				} else if body, ok := c.get(k, seq); ok && string(body) != want {
					errs <- fmt.Errorf("get(%v, %d) = %q, want %q", k, seq, body, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, size := c.stats(); size > c.max {
		t.Errorf("cache holds %d bytes, bound %d", size, c.max)
	}
}
