package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"freezer/domain"
)

// listInventory is a store with what ListProducts must read as
// FindProducts does: generated products inside and taken out (dates on
// every day of the month), a name and a description with spaces, quotes,
// a line break and letters of two to four bytes, a freezer pulled with
// the name of another (shown "freezer 1 (2)"), a deleted freezer whose
// taken-out product shows its stored name, a product moved by sync with
// its relabel notice, deleted products, and month-end and leap-day dates.
func listInventory(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := mustOpenDB(t)
	if err := db.GenerateProducts(ctx, 900, 7); err != nil {
		t.Fatalf("GenerateProducts() error: %v", err)
	}
	ts := domain.Timestamp{Wall: testNow.UnixMilli(), Node: "other"}
	stamps := func(fields []string) map[string]domain.Timestamp {
		out := map[string]domain.Timestamp{}
		for _, f := range fields {
			out[f] = ts
		}
		return out
	}
	twin := domain.Freezer{ID: domain.NewID(), Name: "freezer 1", Boxes: 3}
	moved := product(twin, 1, 2, "moved soup")
	moved.ID, moved.DateIn = domain.NewID(), testToday
	notice := &domain.Relabel{PutAt: domain.Location{FreezerID: twin.ID, Box: 1, Slot: 1}, By: "other", At: testNow.Add(-time.Hour)}
	if _, err := db.ApplyPull(ctx, PulledPage{
		Freezers: []PulledFreezer{{Freezer: twin, Stamps: stamps(domain.FreezerFields)}},
		Products: []PulledProduct{{Product: moved, Stamps: stamps(append(slices.Clip(domain.ProductFields), domain.FieldRelabel)), Relabel: notice}},
		Cursor:   1}); err != nil {
		t.Fatalf("ApplyPull() error: %v", err)
	}
	mustAddProduct(t, db, product(twin, 2, 0, "in the twin"))
	odd := product(twin, 2, 0, "Crème brûlée 🍮 x 2")
	odd.Description = "deux\nlignes, ' et \" "
	mustAddProduct(t, db, odd)
	old := mustCreateFreezer(t, db, "old chest", 2)
	gone := mustAddProduct(t, db, product(old, 1, 0, "eaten long ago"))
	mustTakeOut(t, db, gone.ID, testToday, domain.OutcomeEaten)
	if err := db.DeleteFreezer(ctx, old.ID); err != nil {
		t.Fatalf("DeleteFreezer() error: %v", err)
	}
	for _, d := range []string{"2024-02-29", "2025-01-31", "2025-03-30", "2024-12-29"} {
		p := product(twin, 3, 0, "dated "+d)
		p.DateIn, p.PeriodMonths = date(t, d), 1
		mustAddProduct(t, db, p)
	}
	all := mustFind(t, db, ProductFilter{Where: All})
	for _, r := range all[:40:40] {
		if _, err := db.DeleteProduct(ctx, r.ID); err != nil {
			t.Fatalf("DeleteProduct() error: %v", err)
		}
	}
	return db
}

// inParts makes listProducts read any table of two rowids and more in
// parts parts (a large table's way), until the test ends.
func inParts(t *testing.T, parts int64) {
	t.Helper()
	from, n := listPartsFrom, listParts
	listPartsFrom, listParts = 2, parts
	t.Cleanup(func() { listPartsFrom, listParts = from, n })
}

// wantListed checks that ListProducts, with a few size hints, reads the
// products FindProducts reads, field for field, the table read whole and
// in parts.
func wantListed(t *testing.T, db *DB, want []ProductRow) {
	t.Helper()
	byID := func(a, b ProductRow) int { return cmp.Compare(a.ID.String(), b.ID.String()) }
	want = slices.SortedFunc(slices.Values(want), byID)
	for _, parts := range []int64{0, 1, 7} {
		for _, hint := range []int{0, 10, len(want), 5000} {
			t.Run(fmt.Sprintf("parts=%d/hint=%d", parts, hint), func(t *testing.T) {
				if parts > 0 {
					inParts(t, parts)
				}
				got, err := db.ListProducts(context.Background(), hint)
				if err != nil {
					t.Fatalf("ListProducts(%d) error: %v", hint, err)
				}
				slices.SortFunc(got, byID)
				if len(got) != len(want) {
					t.Fatalf("ListProducts(%d) read %d products, FindProducts %d", hint, len(got), len(want))
				}
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("ListProducts(%d) read\n%+v\nFindProducts read\n%+v", hint, got[i], want[i])
					}
				}
			})
		}
	}
}

// TestListProductsInPartsKeepsTheOrder reads the products whole and in
// parts: the same products in the same order (the products screen finds
// each row of a reload at its old place).
func TestListProductsInPartsKeepsTheOrder(t *testing.T) {
	ctx := context.Background()
	db := listInventory(t)
	ids := func() []string {
		t.Helper()
		rows, err := db.ListProducts(ctx, 0)
		if err != nil {
			t.Fatalf("ListProducts() error: %v", err)
		}
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.ID.String()
		}
		return out
	}
	whole := ids()
	if len(whole) < 800 || listPartsFrom <= int64(len(whole))+40 {
		t.Fatalf("read %d products whole; want them read whole (listPartsFrom %d)", len(whole), listPartsFrom)
	}
	for _, parts := range []int64{1, 2, 7, 1000, 5000} {
		t.Run(fmt.Sprint(parts), func(t *testing.T) {
			inParts(t, parts)
			if got := ids(); !slices.Equal(got, whole) {
				t.Errorf("read in %d parts: %d products, not in the order of the whole read (%d)", parts, len(got), len(whole))
			}
		})
	}
}

// TestListProductsEmpty reads a store with no product, whole and in parts.
func TestListProductsEmpty(t *testing.T) {
	db := mustOpenDB(t)
	for _, parts := range []int64{0, 3} {
		if parts > 0 {
			inParts(t, parts)
		}
		got, err := db.ListProducts(context.Background(), 0)
		if err != nil || len(got) != 0 {
			t.Errorf("ListProducts() in %d parts = %d products, %v; want none", parts, len(got), err)
		}
	}
}

func TestListProductsReadsWhatFindProductsReads(t *testing.T) {
	ctx := context.Background()
	db := listInventory(t)
	want := mustFind(t, db, ProductFilter{Where: All})
	// The packed read, not its fallback, reads this inventory.
	if _, err := listProducts(ctx, db, 0, func(r *ProductRow) ProductRow { return *r }); err != nil {
		t.Fatalf("listProducts() error: %v", err)
	}
	wantListed(t, db, want)
	// The inventory has what the comparison must cover.
	var out, relabel, twin, oldChest, monthEnd int
	for _, r := range want {
		if r.Deleted {
			t.Errorf("FindProducts listed the deleted product %s", r.ID)
		}
		switch {
		case !r.DateOut.IsZero():
			out++
		case r.Relabel != nil:
			relabel++
		}
		switch r.FreezerName {
		case "freezer 1 (2)":
			twin++
		case "old chest":
			oldChest++
		}
		if r.DateIn.Day > 28 || r.Deadline.Day > 28 {
			monthEnd++
		}
	}
	if out == 0 || relabel != 1 || twin < 2 || oldChest != 1 || monthEnd == 0 || len(want) != 900+8-40 {
		t.Errorf("the inventory has %d products: %d out, %d with a notice, %d in the twin, %d in the deleted freezer, %d dated after the 28th",
			len(want), out, relabel, twin, oldChest, monthEnd)
	}
}

// TestListProductsFallsBack stores numbers that one character cannot
// carry (above U+10FFFF, below 0, a surrogate, U+FFFD itself): the packed
// read gives up and ListProducts reads them as FindProducts does.
func TestListProductsFallsBack(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	if err := db.GenerateProducts(ctx, 30, 3); err != nil {
		t.Fatalf("GenerateProducts() error: %v", err)
	}
	all := mustFind(t, db, ProductFilter{Where: All})
	for i, set := range []string{"quantity = 2000000", "slot = -1", "period = 55296", "box = 65533"} {
		if _, err := db.w.ExecContext(ctx, `UPDATE products SET `+set+` WHERE id = ?`, all[i].ID.String()); err != nil {
			t.Fatalf("set %s: %v", set, err)
		}
		for _, parts := range []int64{0, 4} {
			t.Run(fmt.Sprintf("%s/parts=%d", set, parts), func(t *testing.T) {
				if parts > 0 {
					inParts(t, parts)
				}
				if _, err := listProducts(ctx, db, 0, func(r *ProductRow) ProductRow { return *r }); !errors.Is(err, errListFallback) {
					t.Errorf("after %s, listProducts() error = %v, want errListFallback", set, err)
				}
			})
		}
		wantListed(t, db, mustFind(t, db, ProductFilter{Where: All}))
		if _, err := db.w.ExecContext(ctx, `UPDATE products SET quantity = 1, slot = 1, period = 1, box = 1 WHERE id = ?`, all[i].ID.String()); err != nil {
			t.Fatalf("set back: %v", err)
		}
	}
}

func TestParseStoredDate(t *testing.T) {
	for _, s := range []string{"", "2025-06-15", "2024-02-29", "2025-02-29", "2025-01-31", "2025-04-31", "2025-13-01",
		"2025-00-10", "2025-06-00", "0999-01-01", "2025-6-15", "2025/06/15", "20250615xx", "abcd-ef-gh"} {
		got, err := parseStoredDate(s)
		var want domain.Date
		wantErr := want.UnmarshalText([]byte(s))
		if got != want || (err == nil) != (wantErr == nil) {
			t.Errorf("parseStoredDate(%q) = %v, %v; want %v, %v", s, got, err, want, wantErr)
		}
	}
}

// BenchmarkListProducts is the products screen's read of 10,000 products
// (ListProducts); BenchmarkFindProductsAll the same products read with
// FindProducts, by name.
func BenchmarkListProducts(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	n := 0
	for b.Loop() {
		rows, err := db.ListProducts(ctx, n)
		if err != nil {
			b.Fatalf("ListProducts() error: %v", err)
		}
		n = len(rows)
	}
	b.ReportMetric(float64(n), "rows")
}

func BenchmarkFindProductsAll(b *testing.B) {
	ctx := context.Background()
	db := mustBenchDB(b)
	n := 0
	for b.Loop() {
		rows, err := db.FindProducts(ctx, ProductFilter{Where: All})
		if err != nil {
			b.Fatalf("FindProducts() error: %v", err)
		}
		n = len(rows)
	}
	b.ReportMetric(float64(n), "rows")
}
