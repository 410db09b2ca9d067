package storage

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// benchProducts is the size of the benchmark inventory.
const benchProducts = 10_000

// mustBenchDB builds a store of benchProducts generated products (about
// three quarters inside, 25 freezers of 10 boxes) before the timer starts.
func mustBenchDB(b *testing.B) *DB {
	b.Helper()
	db := mustOpenDB(b)
	if err := db.GenerateProducts(context.Background(), benchProducts, 1); err != nil {
		b.Fatalf("GenerateProducts(%d) error: %v", benchProducts, err)
	}
	return db
}

// BenchmarkAddProduct measures a durable add (synchronous commit) with its
// history and outbox rows, the slot chosen by the store.
func BenchmarkAddProduct(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		f := freezers[i%len(freezers)].Freezer
		p := product(f, 1+(i/len(freezers))%f.Boxes, 0, fmt.Sprintf("Soupe %d", i))
		if _, err := db.AddProduct(ctx, p); err != nil {
			b.Fatalf("AddProduct() error: %v", err)
		}
		i++
	}
}

// BenchmarkDurableCommitFloor is the floor of any durable write on this
// disk: one INSERT per transaction into a fresh database opened like the
// store's writer (same pragmas, one connection, BEGIN IMMEDIATE). make
// bench prints BenchmarkAddProduct's median over this one's.
func BenchmarkDurableCommitFloor(b *testing.B) {
	commit := mustFloorDB(b)
	for b.Loop() {
		commit()
	}
}

// BenchmarkAddProductVsFloor runs blocks of pairBlock adds and of
// pairBlock floor commits (BenchmarkDurableCommitFloor) alternately, and
// reports the median of the pairs' ratios ("x-floor"), with the medians of
// each block's mean time. This disk's commit time drifts by half within
// minutes, so the ratio of two benchmarks run minutes apart moves with it;
// two blocks a tenth of a second apart see nearly the same disk. On a slow
// disk this ratio flatters the add: a floor commit right after a block of
// adds waits on what they left the disk to do (docs/BENCHMARKS.md, "Two
// indexes less"). Single operations alternately would not do: the first
// commit after a switch to the other file costs 200 to 300 µs more, which
// every operation would pay.
func BenchmarkAddProductVsFloor(b *testing.B) {
	const pairBlock = 100
	ctx := context.Background()
	db := mustBenchDB(b)
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		b.Fatal(err)
	}
	commit := mustFloorDB(b)
	var adds, floors, ratios []float64
	i := 0
	for b.Loop() {
		t0 := time.Now()
		for range pairBlock {
			commit()
		}
		t1 := time.Now()
		for range pairBlock {
			f := freezers[i%len(freezers)].Freezer
			p := product(f, 1+(i/len(freezers))%f.Boxes, 0, fmt.Sprintf("Soupe %d", i))
			if _, err := db.AddProduct(ctx, p); err != nil {
				b.Fatalf("AddProduct() error: %v", err)
			}
			i++
		}
		add, floor := time.Since(t1).Seconds()/pairBlock, t1.Sub(t0).Seconds()/pairBlock
		adds, floors, ratios = append(adds, add), append(floors, floor), append(ratios, add/floor)
	}
	b.ReportMetric(medianOf(adds)*1e6, "add-us")
	b.ReportMetric(medianOf(floors)*1e6, "floor-us")
	b.ReportMetric(medianOf(ratios), "x-floor")
}

// mustFloorDB opens a fresh database in a temporary folder the way Open
// opens the store's writer and returns a function that commits one INSERT
// in a transaction of its own.
func mustFloorDB(b *testing.B) func() {
	b.Helper()
	ctx := context.Background()
	w, err := sql.Open("sqlite", writerDSN(filepath.Join(b.TempDir(), "floor.db")))
	if err != nil {
		b.Fatalf("open floor database: %v", err)
	}
	b.Cleanup(func() {
		if err := w.Close(); err != nil {
			b.Errorf("close floor database: %v", err)
		}
	})
	w.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT`); err != nil {
		b.Fatalf("create floor table: %v", err)
	}
	return func() {
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			b.Fatalf("begin: %v", err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, "Soupe"); err != nil {
			b.Fatalf("insert: %v", err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatalf("commit: %v", err)
		}
	}
}

// medianOf returns the median of v (which it sorts).
func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

// BenchmarkFindProductsFiltered is a search as typed in the list: products
// inside matching "soupe", by deadline.
func BenchmarkFindProductsFiltered(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	f := ProductFilter{Where: Inside, Text: "soupe", Sort: SortDeadline}
	var n int
	for b.Loop() {
		rows, err := db.FindProducts(ctx, f)
		if err != nil {
			b.Fatalf("FindProducts() error: %v", err)
		}
		n = len(rows)
	}
	b.ReportMetric(float64(n), "rows")
}

// BenchmarkFindProductsAllByName is the full list: every product inside, by name.
func BenchmarkFindProductsAllByName(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	var n int
	for b.Loop() {
		rows, err := db.FindProducts(ctx, ProductFilter{Where: Inside, Sort: SortName})
		if err != nil {
			b.Fatalf("FindProducts() error: %v", err)
		}
		n = len(rows)
	}
	b.ReportMetric(float64(n), "rows")
}

func BenchmarkOverview(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	var n int
	for b.Loop() {
		o, err := db.Overview(ctx)
		if err != nil {
			b.Fatalf("Overview() error: %v", err)
		}
		n = len(o.Alerts)
	}
	b.ReportMetric(float64(n), "alerts")
}

// BenchmarkMovedProducts is the read the app makes at start and at every
// sync status: the products with a relabel notice (none here) among
// 10,000.
func BenchmarkMovedProducts(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	for b.Loop() {
		if _, err := db.MovedProducts(ctx); err != nil {
			b.Fatalf("MovedProducts() error: %v", err)
		}
	}
}

func BenchmarkListFreezers(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	for b.Loop() {
		if _, err := db.ListFreezers(ctx); err != nil {
			b.Fatalf("ListFreezers() error: %v", err)
		}
	}
}

func BenchmarkExportJSON(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	for b.Loop() {
		if err := db.Export(ctx, io.Discard, FormatJSON, nil); err != nil {
			b.Fatalf("Export() error: %v", err)
		}
	}
}
