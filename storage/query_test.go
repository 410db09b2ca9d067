package storage

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"freezer/domain"
)

// queryFixture is a small inventory around testToday (2025-06-15).
type queryFixture struct {
	db   *DB
	a, b domain.Freezer // "frigo 1" (4 boxes), "frigo 2" (2 boxes)
}

func newQueryFixture(t *testing.T) queryFixture {
	t.Helper()
	db := mustOpenDB(t)
	fx := queryFixture{db: db}
	fx.a = mustCreateFreezer(t, db, "frigo 1", 4)
	fx.b = mustCreateFreezer(t, db, "frigo 2", 2)
	add := func(f domain.Freezer, box int, name, desc string, typ, qty int, in domain.Date, period int) domain.Product {
		t.Helper()
		return mustAddProduct(t, db, domain.Product{Name: name, Description: desc, TypeID: typ, Quantity: qty,
			Location: domain.Location{FreezerID: f.ID, Box: box}, DateIn: in, PeriodMonths: period})
	}
	// Deadlines: date in + 1 month, except where said.
	add(fx.a, 1, "Crème brûlée", "dessert maison", 40, 2, date(t, "2025-05-15"), 1)           // deadline today: due soon
	add(fx.a, 1, "Soupe de légumes", "carottes et poireaux", 1, 4, date(t, "2025-05-14"), 1)  // today-1: overdue
	add(fx.a, 2, "soupe champignons", "champignons de Paris", 1, 1, date(t, "2025-05-29"), 1) // today+14: due soon
	add(fx.b, 1, "Glace vanille", "vanille de Madagascar", 24, 3, date(t, "2025-05-30"), 1)   // today+15: ok
	add(fx.a, 2, "CRÈME fraîche", "", 37, 1, date(t, "2025-05-14"), 3)                        // 2025-08-14: ok
	cab := add(fx.b, 2, "Cabillaud", "premium", 13, 2, date(t, "2025-03-01"), 6)              // out
	pain := add(fx.a, 3, "Pain", "baguette", 27, 1, date(t, "2025-04-01"), 3)                 // out
	mustTakeOut(t, db, cab.ID, date(t, "2025-06-01"), domain.OutcomeEaten)
	mustTakeOut(t, db, pain.ID, date(t, "2025-05-10"), domain.OutcomeDiscarded)
	return fx
}

func TestFindProductsFilters(t *testing.T) {
	fx := newQueryFixture(t)
	a, b := fx.a.ID, fx.b.ID
	inside := []string{"Crème brûlée", "CRÈME fraîche", "Glace vanille", "soupe champignons", "Soupe de légumes"}
	tests := []struct {
		name string
		f    ProductFilter
		want []string // in name order
	}{
		{"zero filter: inside", ProductFilter{}, inside},
		{"inside", ProductFilter{Where: Inside}, inside},
		{"out", ProductFilter{Where: Out}, []string{"Cabillaud", "Pain"}},
		{"all", ProductFilter{Where: All}, []string{"Cabillaud", "Crème brûlée", "CRÈME fraîche", "Glace vanille", "Pain", "soupe champignons", "Soupe de légumes"}},
		{"freezer", ProductFilter{FreezerID: &b}, []string{"Glace vanille"}},
		{"freezer, all", ProductFilter{FreezerID: &b, Where: All}, []string{"Cabillaud", "Glace vanille"}},
		{"box of any freezer", ProductFilter{Box: ptr(2)}, []string{"CRÈME fraîche", "soupe champignons"}},
		{"box of any freezer, all", ProductFilter{Box: ptr(2), Where: All}, []string{"Cabillaud", "CRÈME fraîche", "soupe champignons"}},
		{"freezer and box", ProductFilter{FreezerID: &a, Box: ptr(1)}, []string{"Crème brûlée", "Soupe de légumes"}},
		{"empty box", ProductFilter{FreezerID: &a, Box: ptr(4)}, []string{}},
		{"type", ProductFilter{TypeID: ptr(1)}, []string{"soupe champignons", "Soupe de légumes"}},
		{"type, out", ProductFilter{TypeID: ptr(13), Where: Out}, []string{"Cabillaud"}},
		{"text without accents", ProductFilter{Text: "creme"}, []string{"Crème brûlée", "CRÈME fraîche"}},
		{"text in capitals with accents", ProductFilter{Text: "CRÈME"}, []string{"Crème brûlée", "CRÈME fraîche"}},
		{"text brulee", ProductFilter{Text: "brulee"}, []string{"Crème brûlée"}},
		{"text brûlée", ProductFilter{Text: "brûlée"}, []string{"Crème brûlée"}},
		{"text Legumes", ProductFilter{Text: "Legumes"}, []string{"Soupe de légumes"}},
		{"text in the description", ProductFilter{Text: "madagascar"}, []string{"Glace vanille"}},
		{"text part of a word", ProductFilter{Text: "champi"}, []string{"soupe champignons"}},
		{"every word must match", ProductFilter{Text: "creme maison"}, []string{"Crème brûlée"}},
		{"words across name and description", ProductFilter{Text: "  soupe   PARIS "}, []string{"soupe champignons"}},
		{"one word missing", ProductFilter{Text: "soupe xyz"}, []string{}},
		{"blank text", ProductFilter{Text: "   "}, inside},
		{"text with SQL", ProductFilter{Text: "' OR 1=1 --"}, []string{}},
		{"text with %", ProductFilter{Text: "%"}, []string{}},
		{"text, out", ProductFilter{Text: "baguette", Where: Out}, []string{"Pain"}},
		{"overdue", ProductFilter{Statuses: []domain.Status{domain.StatusOverdue}}, []string{"Soupe de légumes"}},
		{"due soon", ProductFilter{Statuses: []domain.Status{domain.StatusDueSoon}}, []string{"Crème brûlée", "soupe champignons"}},
		{"ok", ProductFilter{Statuses: []domain.Status{domain.StatusOK}}, []string{"CRÈME fraîche", "Glace vanille"}},
		{"overdue or due soon", ProductFilter{Statuses: []domain.Status{domain.StatusOverdue, domain.StatusDueSoon}},
			[]string{"Crème brûlée", "soupe champignons", "Soupe de légumes"}},
		{"status out, all", ProductFilter{Where: All, Statuses: []domain.Status{domain.StatusOut}}, []string{"Cabillaud", "Pain"}},
		{"status ok, out", ProductFilter{Where: Out, Statuses: []domain.Status{domain.StatusOK}}, []string{}},
		{"status and text", ProductFilter{Text: "soupe", Statuses: []domain.Status{domain.StatusDueSoon}}, []string{"soupe champignons"}},
		{"date in from", ProductFilter{InFrom: date(t, "2025-05-15")}, []string{"Crème brûlée", "Glace vanille", "soupe champignons"}},
		{"date in to", ProductFilter{InTo: date(t, "2025-05-14")}, []string{"CRÈME fraîche", "Soupe de légumes"}},
		{"date in range", ProductFilter{InFrom: date(t, "2025-05-15"), InTo: date(t, "2025-05-29")}, []string{"Crème brûlée", "soupe champignons"}},
		{"date in range, all", ProductFilter{Where: All, InFrom: date(t, "2025-03-01"), InTo: date(t, "2025-04-01")}, []string{"Cabillaud", "Pain"}},
		{"date out from", ProductFilter{Where: All, OutFrom: date(t, "2025-06-01")}, []string{"Cabillaud"}},
		{"date out to", ProductFilter{Where: All, OutTo: date(t, "2025-05-31")}, []string{"Pain"}},
		{"date out range", ProductFilter{Where: All, OutFrom: date(t, "2025-05-10"), OutTo: date(t, "2025-06-01")}, []string{"Cabillaud", "Pain"}},
		{"date out, inside", ProductFilter{OutFrom: date(t, "2025-01-01")}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := mustFind(t, fx.db, tt.f)
			if rows == nil {
				t.Errorf("FindProducts() = nil, want an empty list")
			}
			if got := names(rows); !slices.Equal(got, tt.want) {
				t.Errorf("FindProducts() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindProductsStatusBoundaries(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 1)
	tests := []struct {
		days int // deadline - today
		want domain.Status
	}{
		{-30, domain.StatusOverdue},
		{-1, domain.StatusOverdue},
		{0, domain.StatusDueSoon},
		{1, domain.StatusDueSoon},
		{14, domain.StatusDueSoon},
		{15, domain.StatusOK},
		{100, domain.StatusOK},
	}
	for _, tt := range tests {
		p := product(f, 1, 0, fmt.Sprintf("deadline %+d", tt.days))
		p.PeriodMonths = 12
		p.DateIn = inForDeadline(t, testToday.AddDays(tt.days), 12)
		mustAddProduct(t, db, p)
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("deadline %+d days", tt.days), func(t *testing.T) {
			name := fmt.Sprintf("deadline %+d", tt.days)
			// The row's own status and the SQL status filter agree.
			for _, r := range mustFind(t, db, ProductFilter{}) {
				if r.Name == name && r.Status != tt.want {
					t.Errorf("FindProducts() status of %q = %q, want %q", name, r.Status, tt.want)
				}
			}
			rows := mustFind(t, db, ProductFilter{Statuses: []domain.Status{tt.want}})
			if !slices.Contains(names(rows), name) {
				t.Errorf("FindProducts(%s) = %q, want it to hold %q", tt.want, names(rows), name)
			}
			for _, other := range []domain.Status{domain.StatusOverdue, domain.StatusDueSoon, domain.StatusOK} {
				if other == tt.want {
					continue
				}
				if rows := mustFind(t, db, ProductFilter{Statuses: []domain.Status{other}}); slices.Contains(names(rows), name) {
					t.Errorf("FindProducts(%s) holds %q, want it only under %s", other, name, tt.want)
				}
			}
		})
	}
}

// sortFixture adds ties on every sort key to the query fixture.
func newSortFixture(t *testing.T) queryFixture {
	t.Helper()
	fx := newQueryFixture(t)
	// Same name, date in, period, type and quantity: only the id tells them apart.
	for range 3 {
		p := product(fx.b, 1, 0, "Glace vanille")
		p.TypeID, p.Quantity, p.DateIn, p.PeriodMonths = 24, 3, date(t, "2025-05-30"), 1
		mustAddProduct(t, fx.db, p)
	}
	twin := product(fx.a, 4, 0, "cabillaud") // same name key and date out as "Cabillaud"
	twin.DateIn = date(t, "2025-03-01")
	twin = mustAddProduct(t, fx.db, twin)
	mustTakeOut(t, fx.db, twin.ID, date(t, "2025-06-01"), domain.OutcomeEaten)
	return fx
}

func TestFindProductsSort(t *testing.T) {
	fx := newSortFixture(t)
	all := mustFind(t, fx.db, ProductFilter{Where: All})
	// The expected orders are computed here, independently of the SQL.
	keys := map[SortKey]func(a, b ProductRow) int{
		SortName:   func(a, b ProductRow) int { return 0 },
		SortDateIn: func(a, b ProductRow) int { return a.DateIn.Compare(b.DateIn) },
		SortDeadline: func(a, b ProductRow) int {
			return a.Deadline.Compare(b.Deadline)
		},
		SortLocation: func(a, b ProductRow) int {
			return cmp.Or(domain.CompareNames(sortLang, a.FreezerName, b.FreezerName), cmp.Compare(a.Location.FreezerID.String(), b.Location.FreezerID.String()),
				cmp.Compare(a.Location.Box, b.Location.Box), cmp.Compare(a.Location.Slot, b.Location.Slot))
		},
		SortType:     func(a, b ProductRow) int { return cmp.Compare(a.TypeID, b.TypeID) },
		SortQuantity: func(a, b ProductRow) int { return cmp.Compare(a.Quantity, b.Quantity) },
		SortDateOut:  func(a, b ProductRow) int { return cmp.Compare(a.DateOut.String(), b.DateOut.String()) },
	}
	for key, by := range keys {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("key %d desc %t", key, desc), func(t *testing.T) {
				want := slices.Clone(all)
				slices.SortFunc(want, func(a, b ProductRow) int {
					c := cmp.Or(by(a, b), bytes.Compare(domain.SortKey(sortLang, a.Name), domain.SortKey(sortLang, b.Name)),
						cmp.Compare(a.ID.String(), b.ID.String()))
					if desc {
						return -c
					}
					return c
				})
				got := mustFind(t, fx.db, ProductFilter{Where: All, Sort: key, Desc: desc})
				if len(got) != len(want) {
					t.Fatalf("FindProducts() = %d rows, want %d", len(got), len(want))
				}
				for i := range want {
					if got[i].ID != want[i].ID {
						t.Fatalf("FindProducts()[%d] = %q %s, want %q %s\ngot  %q\nwant %q", i, got[i].Name, got[i].ID,
							want[i].Name, want[i].ID, names(got), names(want))
					}
				}
				// A total order pages without overlap or gap.
				var paged []ProductRow
				for off := 0; off < len(all)+3; off += 3 {
					paged = append(paged, mustFind(t, fx.db, ProductFilter{Where: All, Sort: key, Desc: desc, Limit: 3, Offset: off})...)
				}
				if len(paged) != len(got) {
					t.Fatalf("pages of 3 = %d rows, want %d", len(paged), len(got))
				}
				for i := range got {
					if paged[i].ID != got[i].ID {
						t.Fatalf("pages of 3: row %d = %q, want %q", i, paged[i].Name, got[i].Name)
					}
				}
			})
		}
	}
}

// TestFindProductsSortByHand checks a few orders written out by hand.
func TestFindProductsSortByHand(t *testing.T) {
	fx := newQueryFixture(t)
	tests := []struct {
		name string
		f    ProductFilter
		want []string
	}{
		{"name, case and accents ignored", ProductFilter{},
			[]string{"Crème brûlée", "CRÈME fraîche", "Glace vanille", "soupe champignons", "Soupe de légumes"}},
		{"name desc", ProductFilter{Desc: true},
			[]string{"Soupe de légumes", "soupe champignons", "Glace vanille", "CRÈME fraîche", "Crème brûlée"}},
		{"deadline", ProductFilter{Sort: SortDeadline},
			[]string{"Soupe de légumes", "Crème brûlée", "soupe champignons", "Glace vanille", "CRÈME fraîche"}},
		{"date in, ties by name", ProductFilter{Sort: SortDateIn},
			[]string{"CRÈME fraîche", "Soupe de légumes", "Crème brûlée", "soupe champignons", "Glace vanille"}},
		{"date in desc, ties by name desc", ProductFilter{Sort: SortDateIn, Desc: true},
			[]string{"Glace vanille", "soupe champignons", "Crème brûlée", "Soupe de légumes", "CRÈME fraîche"}},
		{"location", ProductFilter{Sort: SortLocation},
			[]string{"Crème brûlée", "Soupe de légumes", "soupe champignons", "CRÈME fraîche", "Glace vanille"}},
		{"quantity", ProductFilter{Sort: SortQuantity},
			[]string{"CRÈME fraîche", "soupe champignons", "Crème brûlée", "Glace vanille", "Soupe de légumes"}},
		{"type", ProductFilter{Sort: SortType},
			[]string{"soupe champignons", "Soupe de légumes", "Glace vanille", "CRÈME fraîche", "Crème brûlée"}},
		{"date out", ProductFilter{Where: Out, Sort: SortDateOut}, []string{"Pain", "Cabillaud"}},
		{"limit", ProductFilter{Limit: 2}, []string{"Crème brûlée", "CRÈME fraîche"}},
		{"limit and offset", ProductFilter{Limit: 2, Offset: 2}, []string{"Glace vanille", "soupe champignons"}},
		{"last page", ProductFilter{Limit: 2, Offset: 4}, []string{"Soupe de légumes"}},
		{"offset past the end", ProductFilter{Limit: 2, Offset: 10}, []string{}},
		{"negative offset", ProductFilter{Limit: 1, Offset: -5}, []string{"Crème brûlée"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(mustFind(t, fx.db, tt.f)); !slices.Equal(got, tt.want) {
				t.Errorf("FindProducts() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOverview(t *testing.T) {
	ctx := context.Background()
	fx := newQueryFixture(t)
	tests := []struct {
		name       string
		window     int
		want       Overview
		wantAlerts []string
	}{
		{"default window", domain.DefaultDueSoon,
			Overview{Inside: 5, OK: 2, DueSoon: 2, Overdue: 1, OutThisMonth: 1},
			[]string{"Soupe de légumes", "Crème brûlée", "soupe champignons"}},
		{"0 days", 0,
			Overview{Inside: 5, OK: 3, DueSoon: 1, Overdue: 1, OutThisMonth: 1},
			[]string{"Soupe de légumes", "Crème brûlée"}},
		{"15 days", 15,
			Overview{Inside: 5, OK: 1, DueSoon: 3, Overdue: 1, OutThisMonth: 1},
			[]string{"Soupe de légumes", "Crème brûlée", "soupe champignons", "Glace vanille"}},
		{"negative is 0", -3,
			Overview{Inside: 5, OK: 3, DueSoon: 1, Overdue: 1, OutThisMonth: 1},
			[]string{"Soupe de légumes", "Crème brûlée"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx.db.SetDueSoonDays(tt.window)
			t.Cleanup(func() { fx.db.SetDueSoonDays(domain.DefaultDueSoon) })
			got, err := fx.db.Overview(ctx)
			if err != nil {
				t.Fatalf("Overview() error: %v", err)
			}
			alerts := got.Alerts
			got.Alerts = nil
			if got.Inside != tt.want.Inside || got.OK != tt.want.OK || got.DueSoon != tt.want.DueSoon ||
				got.Overdue != tt.want.Overdue || got.OutThisMonth != tt.want.OutThisMonth {
				t.Errorf("Overview() = %+v, want %+v", got, tt.want)
			}
			if names := names(alerts); !slices.Equal(names, tt.wantAlerts) {
				t.Errorf("Overview().Alerts = %q, want %q", names, tt.wantAlerts)
			}
			for _, a := range alerts {
				if a.Status != domain.StatusOverdue && a.Status != domain.StatusDueSoon {
					t.Errorf("Overview().Alerts: %q has status %q, want overdue or due soon", a.Name, a.Status)
				}
			}
			// FindProducts uses the same window.
			soon := mustFind(t, fx.db, ProductFilter{Statuses: []domain.Status{domain.StatusDueSoon}})
			if got, want := len(soon), tt.want.DueSoon; got != want {
				t.Errorf("FindProducts(due soon) = %d products, want %d", got, want)
			}
		})
	}
	t.Run("out this month starts on the 1st", func(t *testing.T) {
		db := mustOpenDB(t)
		f := mustCreateFreezer(t, db, "frigo 1", 1)
		for i, day := range []string{"2025-05-31", "2025-06-01", "2025-06-15"} {
			p := mustAddProduct(t, db, product(f, 1, 0, fmt.Sprint(i)))
			p.DateIn = date(t, "2025-05-01")
			if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{DateIn: &p.DateIn}); err != nil {
				t.Fatal(err)
			}
			mustTakeOut(t, db, p.ID, date(t, day), domain.OutcomeEaten)
		}
		got, err := db.Overview(ctx)
		if err != nil {
			t.Fatalf("Overview() error: %v", err)
		}
		if got.OutThisMonth != 2 || got.Inside != 0 || len(got.Alerts) != 0 {
			t.Errorf("Overview() = %+v, want 2 out this month, nothing inside", got)
		}
	})
}

func TestAllProducts(t *testing.T) {
	fx := newQueryFixture(t)
	got, err := fx.db.AllProducts(context.Background())
	if err != nil {
		t.Fatalf("AllProducts() error: %v", err)
	}
	if len(got) != 7 {
		t.Errorf("AllProducts() = %d products, want 7 (inside and out)", len(got))
	}
}
