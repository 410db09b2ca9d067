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

// BenchmarkAddProductVsFloor adds a product and makes one floor commit
// (BenchmarkDurableCommitFloor) alternately, timing each: on a machine
// shared with other work the ratio of their medians ("x-floor") moves far
// less than the ratio of two benchmarks run minutes apart.
func BenchmarkAddProductVsFloor(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		b.Fatal(err)
	}
	commit := mustFloorDB(b)
	var adds, floors []time.Duration
	i := 0
	for b.Loop() {
		f := freezers[i%len(freezers)].Freezer
		p := product(f, 1+(i/len(freezers))%f.Boxes, 0, fmt.Sprintf("Soupe %d", i))
		t0 := time.Now()
		commit()
		t1 := time.Now()
		if _, err := db.AddProduct(ctx, p); err != nil {
			b.Fatalf("AddProduct() error: %v", err)
		}
		adds, floors = append(adds, time.Since(t1)), append(floors, t1.Sub(t0))
		i++
	}
	add, floor := medianOf(adds), medianOf(floors)
	b.ReportMetric(float64(add.Microseconds()), "add-us")
	b.ReportMetric(float64(floor.Microseconds()), "floor-us")
	b.ReportMetric(float64(add)/float64(floor), "x-floor")
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

// medianOf returns the median of d (which it sorts).
func medianOf(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
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
