package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync/atomic"
	"testing"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/server"
)

// BenchmarkServerWrites adds products from 32 writers at once (as 32 wrk
// connections do), with group commit and with one transaction per write,
// beside the floor: one durable commit of one INSERT, same pragmas. Run
// with -cpu 2; ns/op is per write.
//
//	go test -tags migrated_fynedo -run '^$' -bench ServerWrites -benchtime 2s -count 5 ./server/sqlstore/
func BenchmarkServerWrites(b *testing.B) {
	if pgtest.Postgres() {
		b.Skip("group commit is SQLite's")
	}
	for _, mode := range []struct {
		name string
		opts Options
	}{{"group", Options{}}, {"one-per-write", Options{NoGroupCommit: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			db, err := Open(context.Background(), filepath.Join(b.TempDir(), "s.db"), mode.opts)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = db.Close() })
			benchWrites(b, db)
		})
	}
	b.Run("floor", benchCommitFloor)
}

func benchWrites(b *testing.B, db *DB) {
	ctx := context.Background()
	a, err := db.CreateAccount(ctx, "bench@example.com", []byte("h"), []byte("t"))
	if err != nil {
		b.Fatal(err)
	}
	f, err := db.CreateFreezer(ctx, a.ID, domain.Freezer{Name: "bench", Boxes: 100}, server.UniqueName)
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.SetParallelism(16) // 32 writers on 2 CPUs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			_, err := db.CreateProduct(ctx, a.ID, domain.Product{Name: "p", TypeID: 1, Quantity: 1, PeriodMonths: 3,
				DateIn: domain.NewDate(2018, 1, 2), Location: domain.Location{FreezerID: f.ID, Box: 1 + i%100, Slot: 1 + i/100}})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if g := db.group; g != nil && g.commits.Load() > 0 {
		b.ReportMetric(float64(g.writes.Load())/float64(g.commits.Load()), "writes/commit")
	}
}

// benchCommitFloor is one INSERT per transaction, durable (WAL,
// synchronous FULL): what one write costs at least without groups.
func benchCommitFloor(b *testing.B) {
	path := filepath.Join(b.TempDir(), "floor.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (v) VALUES ('x')`); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
