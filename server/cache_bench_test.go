package server

import (
	"sync/atomic"
	"testing"
)

// benchCache is a cache of n entries of 2 KB, all within its bound.
func benchCache(n int) *respCache {
	body := make([]byte, 2048)
	c := newRespCache(int64(n) * entrySize(key(0), len(body)))
	for a := range int64(n) {
		c.put(key(a), 1, body)
	}
	return c
}

// BenchmarkCacheGet is one hit: a map lookup and a move to the front.
func BenchmarkCacheGet(b *testing.B) {
	const n = 4096
	c := benchCache(n)
	var a int64
	for b.Loop() {
		if _, ok := c.get(key(a%n), 1); !ok {
			b.Fatal("miss")
		}
		a++
	}
}

// BenchmarkCacheGetParallel is hits from every P at once (go test -bench
// CacheGetParallel -cpu 1,2,4): the cost of the one mutex under
// contention.
func BenchmarkCacheGetParallel(b *testing.B) {
	const n = 4096
	c := benchCache(n)
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		a := next.Add(997)
		for pb.Next() {
			if _, ok := c.get(key(a%n), 1); !ok {
				b.Error("miss")
				return
			}
			a++
		}
	})
}

// BenchmarkCachePutEvict is a put into a full cache: it evicts one entry.
func BenchmarkCachePutEvict(b *testing.B) {
	const n = 4096
	c := benchCache(n)
	body := make([]byte, 2048)
	a := int64(n)
	for b.Loop() {
		c.put(key(a), 1, body)
		a++
	}
	if entries, _ := c.stats(); entries != n {
		b.Fatalf("cache holds %d entries, want %d", entries, n)
	}
}
