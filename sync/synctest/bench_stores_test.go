package synctest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"freezer/internal/pgtest"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/storage"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// envBenchPostgres names the PostgreSQL database BenchmarkSyncRoundStores
// uses (server/bench/compare.sh sets it to a database on a cluster with
// the server's default durability; the role needs no more than the right
// to create tables in it).
const envBenchPostgres = "FREEZER_BENCH_POSTGRES"

// benchAccounts numbers the accounts the benchmark registers, so that runs
// on one database never share one.
var benchAccounts atomic.Int64

// BenchmarkSyncRoundStores measures BenchmarkIncrementalRound's round (a
// device pushes 10 changed products and pulls 10 another device changed,
// over 1,000 products) with freezerd's store on SQLite and on PostgreSQL,
// with one instance, and with two instances on one database: the other
// device syncs through the second one. The PostgreSQL cases need
// FREEZER_BENCH_POSTGRES (server/bench/compare.sh starts a cluster and sets
// it); without it they are skipped, saying so. Every case runs in the
// SQLite pass of the package's tests (internal/pgtest): the PostgreSQL pass
// skips the benchmark, its throwaway cluster having durability off.
func BenchmarkSyncRoundStores(b *testing.B) {
	if pgtest.Postgres() {
		b.Skip("BenchmarkSyncRoundStores runs every store in the SQLite pass (" + pgtest.EnvBackends + "=sqlite)")
	}
	b.Run("store=sqlite", func(b *testing.B) {
		h := benchInstance(b, filepath.Join(b.TempDir(), "freezerd.db"))
		benchRounds(b, h, h)
	})
	pg := os.Getenv(envBenchPostgres)
	b.Run("store=postgres/instances=1", func(b *testing.B) {
		if pg == "" {
			b.Skip("set " + envBenchPostgres + " to a PostgreSQL database's URL, or run server/bench/compare.sh, which starts a cluster")
		}
		h := benchInstance(b, pg)
		benchRounds(b, h, h)
	})
	b.Run("store=postgres/instances=2", func(b *testing.B) {
		if pg == "" {
			b.Skip("set " + envBenchPostgres + " to a PostgreSQL database's URL, or run server/bench/compare.sh, which starts a cluster")
		}
		benchRounds(b, benchInstance(b, pg), benchInstance(b, pg))
	})
}

// benchInstance is freezerd's real handler over the store at target (a
// SQLite file or a PostgreSQL URL), rate limits off, served on loopback;
// it returns the server's URL.
func benchInstance(b *testing.B, target string) string {
	b.Helper()
	store, err := sqlstore.Open(context.Background(), target, sqlstore.Options{})
	if err != nil {
		b.Fatalf("open the store %s: %v", sqlstore.Redact(target), err)
	}
	b.Cleanup(func() { store.Close() })
	h := server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler),
		Limits: server.Limits{Disabled: true}, BcryptCost: 4})
	ts := httptest.NewServer(h)
	b.Cleanup(ts.Close)
	return ts.URL
}

// benchRegister makes a new account through the server at url and returns
// its token.
func benchRegister(b *testing.B, url string) string {
	b.Helper()
	email := fmt.Sprintf("bench-%d-%d@example.org", time.Now().UnixNano(), benchAccounts.Add(1))
	body := fmt.Sprintf(`{"email": %q, "password": "correct horse battery"}`, email)
	resp, err := http.Post(url+protocol.RegisterPath, "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatalf("register: %v", err)
	}
	defer resp.Body.Close()
	var tr protocol.TokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.Token == "" {
		b.Fatalf("register: status %d, %v", resp.StatusCode, err)
	}
	return tr.Token
}

// benchRounds runs the incremental round of device a through the server
// at urlA; the other device changes its 10 products and syncs through
// urlB beforehand, off the clock.
func benchRounds(b *testing.B, urlA, urlB string) {
	ctx := context.Background()
	tok := benchRegister(b, urlA)
	a := synctest.NewDevice(b, "a", urlA, tok, 0)
	o := synctest.NewDevice(b, "o", urlB, tok, 0)
	if err := a.DB.GenerateProducts(ctx, 1000, 1); err != nil {
		b.Fatal(err)
	}
	for _, d := range []*synctest.Device{a, o, a} {
		if _, err := d.Sync(ctx); err != nil {
			b.Fatalf("first sync of %s: %v", d.Name, err)
		}
	}
	rows, err := a.DB.FindProducts(ctx, storage.ProductFilter{Limit: 20})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		benchRoundEdits(b, a, o, rows, i)
		b.StartTimer()
		rep, err := a.Sync(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Pushed != 10 || rep.Pulled < 10 {
			b.Fatalf("round pushed %d, pulled %d; want 10 and 10 or more", rep.Pushed, rep.Pulled)
		}
	}
}
