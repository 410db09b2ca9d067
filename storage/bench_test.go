package storage

import (
	"context"
	"fmt"
	"io"
	"testing"
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
