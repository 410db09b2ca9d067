package ui_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

const bigN = 10000

// mustBigDB is a store with bigN synthetic products.
func mustBigDB(tb testing.TB) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), tb.TempDir()+"/big.db")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.GenerateProducts(context.Background(), bigN, 1); err != nil {
		tb.Fatal(err)
	}
	return db
}

func bigRows(b *testing.B) []ui.IndexedRow {
	db := mustBigDB(b)
	rows, err := app.New(db).Products(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	names := map[int]string{}
	for _, t := range domain.DefaultProductTypes() {
		names[t.ID] = t.NameEN
	}
	return ui.ExportIndexRows(rows, names)
}

// BenchmarkSearchKeystroke is the work behind one keystroke in the search
// field: filter every row by text and sort what is left.
func BenchmarkSearchKeystroke(b *testing.B) {
	rows := bigRows(b)
	for _, text := range []string{"", "s", "so", "sou", "zzz"} {
		b.Run(fmt.Sprintf("text=%q", text), func(b *testing.B) {
			f := ui.RowFilter{Where: ui.WhereAll, Text: text}
			for b.Loop() {
				ui.ExportFilterRows(rows, f, ui.SortSpec{Col: ui.ColDeadline})
			}
		})
	}
}

func BenchmarkSortByName(b *testing.B) {
	rows := bigRows(b)
	for b.Loop() {
		ui.ExportFilterRows(rows, ui.RowFilter{Where: ui.WhereAll}, ui.SortSpec{Col: ui.ColName})
	}
}

// BenchmarkIndexRows is the indexing of a load: cold (the first load:
// every name folded and collated once, see BenchmarkTextIndexRows for the
// French keys) and reload (the rows of the previous load are reused where
// the text did not change: a reload after an edit).
func BenchmarkIndexRows(b *testing.B) {
	db := mustBigDB(b)
	rows, err := app.New(db).Products(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	names := map[int]string{}
	for _, t := range domain.DefaultProductTypes() {
		names[t.ID] = t.NameEN
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			ui.ExportReindexRows(rows, names, "en", nil)
		}
	})
	// The generated products have 30 names; a name per product is the
	// worst case (a key made for each).
	distinct := slices.Clone(rows)
	for i := range distinct {
		distinct[i].Name += " " + strconv.Itoa(i)
	}
	b.Run("cold-distinct-names", func(b *testing.B) {
		for b.Loop() {
			ui.ExportReindexRows(distinct, names, "en", nil)
		}
	})
	prev := ui.ExportReindexRows(rows, names, "en", nil)
	rows[len(rows)/2].Name += " (edited)"
	b.Run("reload", func(b *testing.B) {
		for b.Loop() {
			ui.ExportReindexRows(rows, names, "en", prev)
		}
	})
}

// BenchmarkProductsScreenLoad is the products screen's refresh: read every
// product from the store, index (reusing the previous load's keys), filter,
// sort, and refresh the table.
func BenchmarkProductsScreenLoad(b *testing.B) {
	db := mustBigDB(b)
	lang := "en"
	a := test.NewTempApp(b)
	w := test.NewTempWindow(b, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &lang, Screen: ui.ScreenProducts})
	b.Cleanup(u.Close)
	cpu := cpuPerOp(b)
	for b.Loop() {
		u.RefreshProducts()
	}
	cpu()
}

// cpuPerOp starts counting the process's CPU time; the function it returns
// reports it per op as cpu-ms/op. On a machine busy with other work the
// wall time (ns/op) moves with the load; the CPU time much less.
func cpuPerOp(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		}
	}
}

// TestBigInventory opens the products screen over 10,000 products, reloads
// it and types a search, and checks that the table builds only the cells
// it shows. It logs the times; the budgets (a load under 500 ms, a
// keystroke under 100 ms) are held by the benchmarks below.
func TestBigInventory(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 products")
	}
	db := mustBigDB(t)
	lang := "en"
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	start := time.Now()
	u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &lang, Screen: ui.ScreenProducts})
	t.Cleanup(u.Close)
	open := time.Since(start)
	if n := len(u.ProductNames()); n == 0 {
		t.Fatal("no rows")
	}
	start = time.Now()
	u.RefreshProducts()
	load := time.Since(start)
	start = time.Now()
	test.Type(u.SearchEntry(), "s")
	key := time.Since(start)
	t.Logf("UI built with every screen: %v; products reload: %v; keystroke: %v; cells built: %d", open, load, key, u.CellsMade())
	// The times are logged, not asserted: performance lives in the
	// benchmarks (make bench-ui, docs/BENCHMARKS.md); a time budget here
	// failed on a loaded machine with nothing wrong. What is asserted holds
	// on any machine: only the visible cells are built.
	if c := u.CellsMade(); c > 40*8 {
		t.Errorf("the table built %d cells for %d rows, want only the visible ones", c, bigN)
	}
}

// narrowBenchUI opens the products screen over bigN products in a window
// of size (the narrow list below 900 px, the table above).
// It also returns how long the UI took to open (every screen built and
// loaded).
func narrowBenchUI(tb testing.TB, size fyne.Size) (*ui.UI, time.Duration) {
	tb.Helper()
	db := mustBigDB(tb)
	lang := "en"
	a := test.NewTempApp(tb)
	w := test.NewTempWindow(tb, widget.NewLabel(""))
	w.Resize(size)
	start := time.Now()
	u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &lang, Screen: ui.ScreenProducts})
	w.Resize(size) // the content is laid out for this width: list or table
	took := time.Since(start)
	tb.Cleanup(u.Close)
	return u, took
}

// BenchmarkNarrowListLoad is BenchmarkProductsScreenLoad with the narrow
// list showing (a 600 px window): read, index, filter, sort, refresh.
func BenchmarkNarrowListLoad(b *testing.B) {
	u, _ := narrowBenchUI(b, fyne.NewSize(600, 900))
	if !u.LayoutNarrow() {
		b.Fatal("the list does not show at 600 px")
	}
	for b.Loop() {
		u.RefreshProducts()
	}
}

// BenchmarkScreenKeystroke is one keystroke in the search field with the
// table (1280 px) and with the narrow list (600 px) showing: filter every
// row, sort, and refresh the visible rows.
func BenchmarkScreenKeystroke(b *testing.B) {
	for _, tt := range []struct {
		name string
		size fyne.Size
	}{{"table", fyne.NewSize(1280, 800)}, {"list", fyne.NewSize(600, 900)}} {
		b.Run(tt.name, func(b *testing.B) {
			u, _ := narrowBenchUI(b, tt.size)
			texts := []string{"s", "so", "sou", "so", ""}
			i := 0
			for b.Loop() {
				u.SearchEntry().SetText(texts[i%len(texts)])
				i++
			}
		})
	}
}

// TestNarrowBigInventory opens the products screen's narrow list over
// 10,000 products, reloads it and types a search, and checks that the list
// builds only the rows it shows. Times are logged (the budgets are held by
// the benchmarks above).
func TestNarrowBigInventory(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 products")
	}
	u, open := narrowBenchUI(t, fyne.NewSize(600, 900))
	if !u.LayoutNarrow() || len(u.ProductNames()) == 0 {
		t.Fatalf("narrow %v, rows %d: want the list over the products", u.LayoutNarrow(), len(u.ProductNames()))
	}
	start := time.Now()
	u.RefreshProducts()
	load := time.Since(start)
	start = time.Now()
	test.Type(u.SearchEntry(), "s")
	key := time.Since(start)
	t.Logf("UI built with the list: %v; products reload: %v; keystroke: %v; rows built: %d", open, load, key, u.LayoutRowsMade())
	if n := u.LayoutRowsMade(); n > 40 {
		t.Errorf("the list built %d rows for %d products, want only the visible ones", n, bigN)
	}
}
