package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC: freezerd collects when the heap reaches five times its live
// bytes, within the cache's bound plus a fixed allowance; GOGC and
// GOMEMLIMIT, when set, win.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC(64 << 20)
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GC percent = %d, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != 64<<20+gcAllowance {
		t.Errorf("memory limit = %d, want %d", got, 64<<20+gcAllowance)
	}
	tuneGC(-1) // no cache
	if got := debug.SetMemoryLimit(-1); got != gcAllowance {
		t.Errorf("memory limit without a cache = %d, want %d", got, gcAllowance)
	}

	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(1 << 30)
	tuneGC(64 << 20)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GC percent with GOGC=150 = %d, want 150", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("memory limit with GOMEMLIMIT = %d, want 1 GiB", got)
	}
}
