package main

import (
	"os"
	"runtime/debug"
)

// gcPercent and gcAllowance set Go's collector for freezerd (tuneGC).
const (
	gcPercent   = 400
	gcAllowance = 128 << 20
)

// tuneGC sets the collector for a server whose live heap is small but for
// its response cache. With Go's default (GOGC=100) a heap of a few MB is
// collected every few MB allocated: twenty times a second under a write
// burst, each collection's fixed work and write barriers costing about a
// tenth of an added product's CPU. The heap may now grow to five times its
// live bytes, and a soft memory limit of the cache's bound plus a fixed
// allowance keeps the whole heap under that bound once the cache is full,
// nearer than twice the live bytes did. GOGC and GOMEMLIMIT in the
// environment keep their meaning. cacheBytes is the cache's bound, 0 or
// less for none.
func tuneGC(cacheBytes int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(max(cacheBytes, 0) + gcAllowance)
	}
}
