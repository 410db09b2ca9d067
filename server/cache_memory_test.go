package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/server"
	"freezer/server/sqlstore"
)

// Each account of the memory tests holds one product whose description
// makes its compat product list about 3 KB, like a household of a dozen
// products.
var memDescription = strings.Repeat("soupe de légumes ", 2500/17)

// memWriters make the accounts at once (group commit batches them).
const memWriters = 32

// raceEnabled is true under -race (cache_race_test.go), which slows SQLite
// twentyfold: the memory test then skips, and TestCacheConcurrentUse is
// the cache's race test.
var raceEnabled bool

// TestCacheMemoryStaysBounded reads 2,000 accounts' product lists in turn
// through the compat API with a 1 MB cache: the live Go heap grows at most
// the bound plus 2 MB (measured: about 0.2 MB beyond the bound). With an
// unbounded cache the heap grows past that (about 6 MB), which shows the
// measure sees the cache. BenchmarkCacheMemory runs 20,000 accounts.
func TestCacheMemoryStaysBounded(t *testing.T) {
	if pgtest.Postgres() || raceEnabled {
		t.Skip("measured on SQLite only, without -race: the cache is the same over both stores")
	}
	const bound, overhead = 1 << 20, 2 << 20
	store := mustOpenMemStore(t)
	tokens := mustMakeAccounts(t, store, 2000)
	m := readInTurn(t, store, tokens, bound)
	if m.heapGrew > bound+overhead {
		t.Errorf("live heap grew %.1f MB with a 1 MB cache, want at most %.1f MB", mb(m.heapGrew), mb(bound+overhead))
	}
	if entries, size := m.entries, m.size; size > bound || entries == 0 {
		t.Errorf("cache holds %d entries, %d bytes, want some and at most %d bytes", entries, size, bound)
	}
	unbounded := readInTurn(t, store, tokens, 1<<40)
	if unbounded.heapGrew <= bound+overhead {
		t.Errorf("live heap grew only %.1f MB with an unbounded cache: the measure does not see the cache", mb(unbounded.heapGrew))
	}
	t.Logf("live heap grew %.1f MB with a 1 MB cache, %.1f MB unbounded", mb(m.heapGrew), mb(unbounded.heapGrew))
}

// BenchmarkCacheMemory is issue #15's measure: 20,000 accounts read their
// product lists in turn, with the cache off, bounded at 8 and 32 MB, and
// unbounded. It reports the live heap's growth and the process's RSS
// (VmRSS, sampled before each GC) and fails when the live heap grows past
// a bound plus 2 MB, or the RSS past twice the bound plus 16 MB. Run it
// alone, on SQLite:
//
//	FREEZER_TEST_BACKENDS=sqlite go test -tags migrated_fynedo ./server/ -run '^$' -bench CacheMemory
func BenchmarkCacheMemory(b *testing.B) {
	if pgtest.Postgres() {
		b.Skip("measured on SQLite only: the cache is the same over both stores")
	}
	// overhead is the live heap's growth beyond the cache (measured:
	// 0.2 MB); rssOverhead the RSS's growth with the cache off (measured:
	// 9 MB, the reader connections' SQLite page caches and the garbage of
	// the requests).
	const overhead, rssOverhead = 2 << 20, 16 << 20
	store := mustOpenMemStore(b)
	tokens := mustMakeAccounts(b, store, 20_000)
	for _, bound := range []int64{-1, 8 << 20, 32 << 20, 1 << 40} {
		name := map[int64]string{-1: "off", 1 << 40: "unbounded"}[bound]
		if name == "" {
			name = fmt.Sprintf("%dMB", bound>>20)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				m := readInTurn(b, store, tokens, bound)
				if bound < 1<<40 && m.heapGrew > max(bound, 0)+overhead {
					b.Errorf("live heap grew %.1f MB, want at most %.1f MB", mb(m.heapGrew), mb(max(bound, 0)+overhead))
				}
				// The GC lets the heap reach twice its live bytes (GOGC=100)
				// before it collects, so RSS may grow twice the bound.
				if rssBound := 2*max(bound, 0) + rssOverhead; bound < 1<<40 && m.peakRSS-m.baseRSS > rssBound {
					b.Errorf("RSS grew %.1f MB, want at most %.1f MB", mb(m.peakRSS-m.baseRSS), mb(rssBound))
				}
				b.ReportMetric(mb(m.heapGrew), "heap-grew-MB")
				b.ReportMetric(mb(m.baseRSS), "rss-start-MB")
				b.ReportMetric(mb(m.peakRSS), "rss-peak-MB")
				b.ReportMetric(mb(m.size), "cache-MB")
			}
		})
	}
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func mustOpenMemStore(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	store, err := sqlstore.Open(context.Background(), storeTarget(tb), sqlstore.Options{})
	if err != nil {
		tb.Fatalf("Open() error = %v", err)
	}
	tb.Cleanup(func() {
		if err := store.Close(); err != nil {
			tb.Errorf("Close() error = %v", err)
		}
	})
	return store
}

// mustMakeAccounts makes n accounts with one freezer and one product each,
// through the store, and returns their tokens.
func mustMakeAccounts(tb testing.TB, store *sqlstore.DB, n int) []string {
	tb.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	if err != nil {
		tb.Fatal(err)
	}
	tokens := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, memWriters)
	for w := range memWriters {
		wg.Go(func() {
			for i := w; i < n; i += memWriters {
				token, err := makeAccount(store, i, hash)
				if err != nil {
					errs <- err
					return
				}
				tokens[i] = token
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	return tokens
}

func makeAccount(store *sqlstore.DB, i int, passwordHash []byte) (string, error) {
	ctx := context.Background()
	token, tokenHash := server.NewToken()
	a, err := store.CreateAccount(ctx, fmt.Sprintf("user%d@example.com", i), passwordHash, tokenHash)
	if err != nil {
		return "", fmt.Errorf("create account %d: %w", i, err)
	}
	f, err := store.CreateFreezer(ctx, a.ID, domain.Freezer{Name: "cave", Boxes: 4}, server.UniqueName)
	if err != nil {
		return "", fmt.Errorf("create account %d's freezer: %w", i, err)
	}
	p := domain.Product{
		Name: "soupe", Description: memDescription, TypeID: 1, Quantity: 2, PeriodMonths: 6,
		DateIn: domain.NewDate(2026, 1, 2), Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1},
	}
	if _, err := store.CreateProduct(ctx, a.ID, p); err != nil {
		return "", fmt.Errorf("create account %d's product: %w", i, err)
	}
	return token, nil
}

// memMeasure is what readInTurn saw.
type memMeasure struct {
	heapGrew         int64 // most the live heap grew, after a GC
	baseRSS, peakRSS int64 // RSS before the reads, highest RSS seen
	entries          int   // the cache's entries and bytes at the end
	size             int64
}

// readInTurn reads every account's product list once through a new server
// whose cache holds cacheBytes. Every 500 reads it samples the RSS, then
// measures the live heap after a GC.
func readInTurn(tb testing.TB, store *sqlstore.DB, tokens []string, cacheBytes int64) memMeasure {
	tb.Helper()
	base := liveHeap()
	m := memMeasure{baseRSS: rss(tb)}
	srv := server.New(server.Config{
		Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: server.Limits{Disabled: true}, CacheBytes: cacheBytes,
	})
	for i, token := range tokens {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/get_product/all/0/"+token, nil))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), memDescription) {
			tb.Fatalf("account %d's products = %d %.200s", i, w.Code, w.Body)
		}
		if (i+1)%500 == 0 {
			m.peakRSS = max(m.peakRSS, rss(tb))
			m.heapGrew = max(m.heapGrew, liveHeap()-base)
		}
	}
	m.entries, m.size = srv.CacheStats()
	runtime.KeepAlive(srv)
	return m
}

// liveHeap returns the bytes of live Go objects after a full GC.
func liveHeap() int64 {
	debug.FreeOSMemory() // a GC, then memory handed back to the OS
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// rss returns the process's resident set size (0 where /proc is missing).
func rss(tb testing.TB) int64 {
	tb.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				tb.Fatalf("read VmRSS %q: %v", v, err)
			}
			return kb << 10
		}
	}
	return 0
}
