package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// seedRow is a row of the seed's sample household.
type seedRow struct {
	box, slot   int
	dateIn      string
	period      int
	name        string
	persons     int
	description string
	typeID      int
}

func TestLoadSample(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	if err := db.LoadSample(ctx); err != nil {
		t.Fatalf("LoadSample() error: %v", err)
	}
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	if len(freezers) != 2 || freezers[0].Name != "frigo 1" || freezers[0].Boxes != 4 ||
		freezers[1].Name != "frigo 2" || freezers[1].Boxes != 8 {
		t.Fatalf("ListFreezers() = %+v, want \"frigo 1\" (4 boxes) and \"frigo 2\" (8 boxes)", freezers)
	}
	if freezers[0].Inside != 10 || freezers[1].Inside != 0 {
		t.Errorf("products inside = %d and %d, want 10 and 0", freezers[0].Inside, freezers[1].Inside)
	}
	// The seed's table (seed-api.md, "Sample household"), as written there.
	want := []seedRow{
		{1, 4, "2017-12-26", 6, "Soupe de Noël", 4, "Soupe à base de tomates, brocoli et poisson", 1},
		{1, 5, "2018-02-01", 1, "soupe champignons", 1, "soupe aux champignons et noix", 1},
		{1, 6, "2018-01-29", 12, "glace cookies", 2, "glace vanille aux cookies dough", 24},
		{2, 2, "2017-07-23", 12, "glace moka", 3, "glace moka", 24},
		{1, 2, "2017-07-23", 12, "glace vanille", 3, "glace à la vanille de Madagascar", 24},
		{2, 1, "2017-05-23", 24, "filet de dinde", 1, "filet de dinde cuit", 7},
		{3, 1, "2017-06-17", 24, "porc", 3, "porc", 7},
		{4, 1, "2017-11-30", 12, "filet de veau", 3, "filet de veau", 7},
		{4, 2, "2017-09-02", 12, "cabillaud", 2, "cabillaud premium", 13},
		{3, 2, "2017-09-16", 12, "cabillaud", 2, "cabillaud premium", 13},
	}
	rows := mustFind(t, db, ProductFilter{Sort: SortLocation})
	if len(rows) != len(want) {
		t.Fatalf("FindProducts() = %d products, want %d", len(rows), len(want))
	}
	slices.SortFunc(want, func(a, b seedRow) int {
		return cmp.Or(cmp.Compare(a.box, b.box), cmp.Compare(a.slot, b.slot))
	})
	years := -1
	for i, w := range want {
		t.Run(fmt.Sprintf("box %d slot %d", w.box, w.slot), func(t *testing.T) {
			r := rows[i]
			if r.Location.FreezerID != freezers[0].ID || r.Location.Box != w.box || r.Location.Slot != w.slot {
				t.Errorf("location = %+v, want frigo 1, box %d, slot %d", r.Location, w.box, w.slot)
			}
			if r.Name != w.name || r.Description != w.description || r.TypeID != w.typeID ||
				r.Quantity != w.persons || r.PeriodMonths != w.period {
				t.Errorf("product = %q %q type %d x%d %d months, want %q %q type %d x%d %d months",
					r.Name, r.Description, r.TypeID, r.Quantity, r.PeriodMonths, w.name, w.description, w.typeID, w.persons, w.period)
			}
			// Dates keep day and month and move by the same whole number of years.
			seed := date(t, w.dateIn)
			shift := r.DateIn.Year - seed.Year
			if r.DateIn != seed.AddMonths(12*shift) {
				t.Errorf("date in = %v, want %v moved by whole years", r.DateIn, seed)
			}
			if years >= 0 && shift != years {
				t.Errorf("date in moved by %d years, want %d like the others", shift, years)
			}
			years = shift
			if r.DateIn.After(testToday) {
				t.Errorf("date in = %v, after today %v", r.DateIn, testToday)
			}
		})
	}
	// The newest product went in less than a year ago.
	if newest := date(t, "2018-02-01").AddMonths(12 * years); testToday.DaysUntil(newest) < -366 {
		t.Errorf("newest date in = %v, want within a year of %v", newest, testToday)
	}
}

func TestGenerateProducts(t *testing.T) {
	ctx := context.Background()
	// fingerprint lists the generated products in the order they were made
	// (their description is "lot N").
	fingerprint := func(t *testing.T, db *DB) []string {
		t.Helper()
		rows := mustFind(t, db, ProductFilter{Where: All})
		lot := func(r ProductRow) int {
			n, err := strconv.Atoi(strings.TrimPrefix(r.Description, "lot "))
			if err != nil {
				t.Fatalf("description %q, want \"lot N\"", r.Description)
			}
			return n
		}
		slices.SortFunc(rows, func(a, b ProductRow) int { return cmp.Compare(lot(a), lot(b)) })
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = fmt.Sprintf("%s|%s|%d|%d|%d|%d|%s|%d|%s|%s", r.Name, r.FreezerName, r.Location.Box, r.Location.Slot,
				r.TypeID, r.Quantity, r.DateIn, r.PeriodMonths, r.DateOut, r.Outcome)
		}
		return out
	}
	generate := func(t *testing.T, n int, seed int64) *DB {
		t.Helper()
		db := mustOpenDB(t)
		if err := db.GenerateProducts(ctx, n, seed); err != nil {
			t.Fatalf("GenerateProducts(%d, %d) error: %v", n, seed, err)
		}
		return db
	}

	a, b, c := generate(t, 500, 7), generate(t, 500, 7), generate(t, 500, 8)
	fa, fb, fc := fingerprint(t, a), fingerprint(t, b), fingerprint(t, c)
	if len(fa) != 500 {
		t.Fatalf("GenerateProducts(500) made %d products, want 500", len(fa))
	}
	if !slices.Equal(fa, fb) {
		t.Errorf("GenerateProducts() with the same seed differ:\n%q\n%q", fa[:3], fb[:3])
	}
	if slices.Equal(fa, fc) {
		t.Errorf("GenerateProducts() with seeds 7 and 8 are the same")
	}
	if got, want := pendingCount(t, a), 500+2; got != want { // 2 freezers of about 400
		t.Errorf("outbox after GenerateProducts(500) = %d, want %d", got, want)
	}
	// Every product is valid, and no two inside share a slot.
	slots := map[string]string{}
	out := 0
	for _, r := range mustFind(t, a, ProductFilter{Where: All}) {
		if err := r.Validate(testToday); err != nil {
			t.Errorf("generated product %q is invalid: %v", r.Description, err)
		}
		if !r.Inside() {
			out++
			continue
		}
		key := fmt.Sprintf("%s/%d/%d", r.Location.FreezerID, r.Location.Box, r.Location.Slot)
		if other, ok := slots[key]; ok {
			t.Errorf("%q and %q share slot %s", r.Description, other, key)
		}
		slots[key] = r.Description
	}
	if out < 50 || out > 200 {
		t.Errorf("generated products taken out = %d of 500, want about a quarter", out)
	}

	t.Run("adds to existing freezers", func(t *testing.T) {
		db := mustOpenDB(t)
		if err := db.LoadSample(ctx); err != nil {
			t.Fatalf("LoadSample() error: %v", err)
		}
		if err := db.GenerateProducts(ctx, 30, 1); err != nil {
			t.Fatalf("GenerateProducts() error: %v", err)
		}
		if got, want := len(mustFind(t, db, ProductFilter{Where: All})), 40+len(sampleHistory); got != want {
			t.Errorf("products = %d, want %d", got, want)
		}
		if got := countRows(t, db, "freezers"); got != 2 {
			t.Errorf("freezers = %d, want the sample's 2", got)
		}
	})
	t.Run("zero and negative", func(t *testing.T) {
		db := mustOpenDB(t)
		if err := db.GenerateProducts(ctx, 0, 1); err != nil {
			t.Errorf("GenerateProducts(0) error: %v", err)
		}
		wantError(t, "GenerateProducts(-1)", db.GenerateProducts(ctx, -1, 1), domain.EInvalid, "-")
	})
}

// TestLoadSampleIsAtomic checks that LoadSample writes in one transaction:
// a failure at any entity's outbox row leaves the store as it was, and a
// load that works writes exactly what a freezer-by-freezer,
// product-by-product load (one transaction each, as LoadSample used to do)
// writes.
func TestLoadSampleIsAtomic(t *testing.T) {
	ctx := context.Background()
	entities := 12 + len(sampleHistory) // 2 freezers, 10 products and the history, one outbox row each
	for _, failAt := range []int{1, 2, 3, 7, entities} {
		t.Run(fmt.Sprintf("failure at entity %d", failAt), func(t *testing.T) {
			db := mustOpenDB(t)
			before := snapshot(t, db)
			boom := errors.New("boom")
			calls := 0
			db.failAfterEntity = func() error {
				if calls++; calls == failAt {
					return boom
				}
				return nil
			}
			if err := db.LoadSample(ctx); !errors.Is(err, boom) {
				t.Fatalf("LoadSample() with entity %d failing: error = %v, want %v", failAt, err, boom)
			}
			if calls != failAt {
				t.Fatalf("LoadSample() wrote %d outbox rows before stopping, want %d", calls, failAt)
			}
			if got := snapshot(t, db); got != before {
				t.Errorf("after the failed LoadSample(): outbox %d, history %d, export changed %t; want outbox %d, history %d, unchanged",
					got.outbox, got.history, got.export != before.export, before.outbox, before.history)
			}
			for _, table := range []string{"freezers", "products"} {
				if got := countRows(t, db, table); got != 0 {
					t.Errorf("%s after the failed LoadSample() = %d rows, want 0", table, got)
				}
			}

			db.failAfterEntity = nil
			if err := db.LoadSample(ctx); err != nil {
				t.Fatalf("LoadSample() once the failure is gone: error: %v", err)
			}
			if got := pendingCount(t, db); got != entities {
				t.Errorf("outbox after LoadSample() = %d, want %d", got, entities)
			}
		})
	}

	t.Run("writes what one write per entity writes", func(t *testing.T) {
		db, ref := mustOpenDB(t), mustOpenDB(t)
		if err := db.LoadSample(ctx); err != nil {
			t.Fatalf("LoadSample() error: %v", err)
		}
		loadSampleByParts(t, ref)
		got, want := storeWrites(t, db), storeWrites(t, ref)
		if len(got) != len(want) {
			t.Fatalf("LoadSample() wrote %d rows, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("LoadSample() row %d =\n%s\nwant\n%s", i, got[i], want[i])
			}
		}
		if got := len(mustOutbox(t, db, 0)); got != entities {
			t.Errorf("outbox after LoadSample() = %d rows, want %d", got, entities)
		}
	})
}

// loadSampleByParts loads the sample household the way LoadSample did
// before it was one transaction: CreateFreezer twice, then AddProduct for
// each product inside, its date moved forward by whole years, then for each
// product taken out (the history).
func loadSampleByParts(tb testing.TB, db *DB) {
	tb.Helper()
	f1 := mustCreateFreezer(tb, db, "frigo 1", 4)
	mustCreateFreezer(tb, db, "frigo 2", 8)
	newest := date(tb, "2018-02-01")
	years := testToday.Year - newest.Year
	if newest.AddMonths(12 * years).After(testToday) {
		years--
	}
	for _, s := range sampleProducts {
		mustAddProduct(tb, db, domain.Product{Name: s.name, Description: s.description, TypeID: s.typeID,
			Location: domain.Location{FreezerID: f1.ID, Box: s.box, Slot: s.slot}, Quantity: s.persons,
			DateIn: date(tb, s.dateIn).AddMonths(12 * years), PeriodMonths: s.period})
	}
	for _, h := range sampleHistory {
		day := testToday.AddDays(-h.daysAgo)
		mustAddProduct(tb, db, domain.Product{Name: h.name, TypeID: h.typeID, Location: domain.Location{FreezerID: f1.ID, Box: 1, Slot: 1},
			Quantity: h.persons, DateIn: day.AddDays(-40), PeriodMonths: 3, DateOut: day, Outcome: h.how})
	}
}

// storeWrites describes, without ids and device names (which differ from
// store to store), what a store holds: its outbox rows in order with their
// fields and stamps, its freezers, its products with their history, and
// its stored clock.
func storeWrites(tb testing.TB, db *DB) []string {
	tb.Helper()
	ctx := context.Background()
	stamp := func(ts domain.Timestamp) string { return fmt.Sprintf("%d.%d", ts.Wall, ts.Counter) }
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		tb.Fatalf("ListFreezers() error: %v", err)
	}
	rows := mustFind(tb, db, ProductFilter{Where: All, Sort: SortLocation})
	var labels []string // id, label, id, label...
	for _, f := range freezers {
		labels = append(labels, f.ID.String(), "freezer "+f.Name)
	}
	for _, r := range rows {
		labels = append(labels, r.ID.String(), fmt.Sprintf("product %s@%d/%d", r.Name, r.Location.Box, r.Location.Slot))
	}
	unID := strings.NewReplacer(labels...).Replace
	var out []string
	for _, m := range mustOutbox(tb, db, 0) {
		var stamps []string
		for _, name := range slices.Sorted(maps.Keys(m.Stamps)) {
			stamps = append(stamps, name+"="+stamp(m.Stamps[name]))
		}
		fields, err := json.Marshal(m.Fields)
		if err != nil {
			tb.Fatalf("encode fields: %v", err)
		}
		out = append(out, unID(fmt.Sprintf("outbox %s %s %s %s stamp %s stamps %s created %s",
			m.Entity, m.Op, m.EntityID, fields, stamp(m.Stamp), strings.Join(stamps, ","), m.Created.Format(time.RFC3339Nano))))
	}
	entityStamps := func(entity string, id uuid.UUID) {
		tb.Helper()
		ts, err := db.EntityStamps(ctx, entity, id)
		if err != nil {
			tb.Fatalf("EntityStamps(%s, %s) error: %v", entity, id, err)
		}
		for _, name := range slices.Sorted(maps.Keys(ts)) {
			out = append(out, unID(fmt.Sprintf("stamp %s %s %s", id, name, stamp(ts[name]))))
		}
	}
	for _, f := range freezers {
		out = append(out, fmt.Sprintf("freezer %s boxes %d inside %d deleted %t", f.Name, f.Boxes, f.Inside, f.Deleted))
		entityStamps(domain.EntityFreezer, f.ID)
	}
	for _, r := range rows {
		out = append(out, unID(fmt.Sprintf("product %s %q %q type %d in %s x%d %s+%d out %s %s deadline %s",
			r.ID, r.Name, r.Description, r.TypeID, r.FreezerName, r.Quantity, r.DateIn, r.PeriodMonths, r.DateOut, r.Outcome, r.Deadline)))
		history, err := db.ProductHistory(ctx, r.ID)
		if err != nil {
			tb.Fatalf("ProductHistory() error: %v", err)
		}
		for _, h := range history {
			out = append(out, unID(fmt.Sprintf("history %s %s at %s changes %v", r.ID, h.Kind, h.At.Format(time.RFC3339Nano), h.Changes)))
		}
		entityStamps(domain.EntityProduct, r.ID)
	}
	last, err := db.storedClock(ctx, db.r)
	if err != nil {
		tb.Fatalf("read clock: %v", err)
	}
	return append(out, "clock "+stamp(last))
}
