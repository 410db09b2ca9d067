package storage

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

func TestCreateFreezer(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "  frigo 1 ", 4)
	if got, want := f.Name, "frigo 1"; got != want {
		t.Errorf("CreateFreezer().Name = %q, want %q", got, want)
	}
	if f.ID.Version() != 7 {
		t.Errorf("CreateFreezer().ID = %s (version %d), want a UUID v7", f.ID, f.ID.Version())
	}
	got, err := db.FindFreezer(ctx, f.ID)
	if err != nil {
		t.Fatalf("FindFreezer() error: %v", err)
	}
	if got != f {
		t.Errorf("FindFreezer() = %+v, want %+v", got, f)
	}
}

func TestCreateFreezerInvalid(t *testing.T) {
	tests := []struct {
		name      string
		fname     string
		boxes     int
		wantField string
	}{
		{"empty name", "", 4, domain.FieldName},
		{"blank name", "   ", 4, domain.FieldName},
		{"zero boxes", "frigo", 0, domain.FieldBoxes},
		{"negative boxes", "frigo", -2, domain.FieldBoxes},
		{"too many boxes", "frigo", domain.MaxBoxes + 1, domain.FieldBoxes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			_, err := db.CreateFreezer(context.Background(), tt.fname, tt.boxes)
			wantError(t, "CreateFreezer()", err, domain.EInvalid, tt.wantField)
			if got := countRows(t, db, "freezers"); got != 0 {
				t.Errorf("freezers after a refused create = %d, want 0", got)
			}
			if got := pendingCount(t, db); got != 0 {
				t.Errorf("outbox after a refused create = %d, want 0", got)
			}
		})
	}
}

func TestUpdateFreezer(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		u         FreezerUpdate
		wantName  string
		wantBoxes int
		wantField string // error field; "" when the update works
	}{
		{"rename", FreezerUpdate{Name: ptr(" garage ")}, "garage", 4, ""},
		{"more boxes", FreezerUpdate{Boxes: ptr(8)}, "frigo 1", 8, ""},
		{"fewer empty boxes", FreezerUpdate{Boxes: ptr(2)}, "frigo 1", 2, ""},
		{"both", FreezerUpdate{Name: ptr("cave"), Boxes: ptr(5)}, "cave", 5, ""},
		{"nothing", FreezerUpdate{}, "frigo 1", 4, ""},
		{"empty name", FreezerUpdate{Name: ptr("")}, "frigo 1", 4, domain.FieldName},
		{"zero boxes", FreezerUpdate{Boxes: ptr(0)}, "frigo 1", 4, domain.FieldBoxes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			mustAddProduct(t, db, product(f, 1, 1, "porc"))
			_, err := db.UpdateFreezer(ctx, f.ID, tt.u)
			if tt.wantField != "" {
				wantError(t, "UpdateFreezer()", err, domain.EInvalid, tt.wantField)
			} else if err != nil {
				t.Fatalf("UpdateFreezer() error: %v", err)
			}
			got, err := db.FindFreezer(ctx, f.ID)
			if err != nil {
				t.Fatalf("FindFreezer() error: %v", err)
			}
			if got.Name != tt.wantName || got.Boxes != tt.wantBoxes {
				t.Errorf("FindFreezer() = %q with %d boxes, want %q with %d", got.Name, got.Boxes, tt.wantName, tt.wantBoxes)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		db := mustOpenDB(t)
		_, err := db.UpdateFreezer(ctx, uuid.New(), FreezerUpdate{Name: ptr("x")})
		wantError(t, "UpdateFreezer(unknown)", err, domain.ENotFound, "-")
	})
	t.Run("deleted", func(t *testing.T) {
		db := mustOpenDB(t)
		f := mustCreateFreezer(t, db, "frigo 1", 4)
		if err := db.DeleteFreezer(ctx, f.ID); err != nil {
			t.Fatalf("DeleteFreezer() error: %v", err)
		}
		_, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Name: ptr("x")})
		wantError(t, "UpdateFreezer(deleted)", err, domain.ENotFound, "-")
	})
}

func TestUpdateFreezerFewerBoxes(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	mustAddProduct(t, db, product(f, 1, 1, "porc"))
	p3 := mustAddProduct(t, db, product(f, 3, 1, "cabillaud"))
	p4 := mustAddProduct(t, db, product(f, 4, 1, "glace moka"))
	outbox := pendingCount(t, db)

	_, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Boxes: ptr(3)})
	wantError(t, "UpdateFreezer(3 boxes) with a product in box 4", err, domain.EConflict, domain.FieldBoxes, "Box 4")
	_, err = db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Boxes: ptr(2)})
	wantError(t, "UpdateFreezer(2 boxes) with products in boxes 3 and 4", err, domain.EConflict, domain.FieldBoxes, "Box 4")
	if got, _ := db.FindFreezer(ctx, f.ID); got.Boxes != 4 {
		t.Errorf("FindFreezer().Boxes after refusals = %d, want 4", got.Boxes)
	}
	if got := pendingCount(t, db); got != outbox {
		t.Errorf("outbox after refusals = %d, want %d", got, outbox)
	}

	// Products taken out do not hold their box.
	mustTakeOut(t, db, p4.ID, testToday, domain.OutcomeEaten)
	if _, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Boxes: ptr(3)}); err != nil {
		t.Fatalf("UpdateFreezer(3 boxes) with box 4 emptied: %v", err)
	}
	mustTakeOut(t, db, p3.ID, testToday, domain.OutcomeDiscarded)
	got, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Boxes: ptr(1)})
	if err != nil {
		t.Fatalf("UpdateFreezer(1 box) with boxes 2-4 emptied: %v", err)
	}
	if got.Boxes != 1 {
		t.Errorf("UpdateFreezer().Boxes = %d, want 1", got.Boxes)
	}
	// The history of the products that were in the removed boxes stays.
	if r := mustFindProduct(t, db, p4.ID); r.Location.Box != 4 || r.FreezerName != "frigo 1" {
		t.Errorf("FindProduct(taken out of box 4) = box %d in %q, want box 4 in %q", r.Location.Box, r.FreezerName, "frigo 1")
	}
}

func TestDeleteFreezer(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "vieux frigo", 2)
	keep := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 1, 1, "Soupe de Noël"))

	err := db.DeleteFreezer(ctx, f.ID)
	wantError(t, "DeleteFreezer() with a product inside", err, domain.EConflict, "-", "vieux frigo")
	if got, _ := db.FindFreezer(ctx, f.ID); got.Deleted {
		t.Fatalf("FindFreezer().Deleted after a refused delete = true, want false")
	}

	mustTakeOut(t, db, p.ID, testToday, domain.OutcomeEaten)
	if err := db.DeleteFreezer(ctx, f.ID); err != nil {
		t.Fatalf("DeleteFreezer() with only taken-out products: %v", err)
	}
	got, err := db.FindFreezer(ctx, f.ID)
	if err != nil {
		t.Fatalf("FindFreezer(deleted) error: %v", err)
	}
	if !got.Deleted || got.Name != "vieux frigo" {
		t.Errorf("FindFreezer(deleted) = %+v, want Deleted with its name", got)
	}
	list, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	if len(list) != 1 || list[0].ID != keep.ID {
		t.Errorf("ListFreezers() = %+v, want only %q", list, keep.Name)
	}
	// The history of what was in it stays readable, with the freezer's name.
	r := mustFindProduct(t, db, p.ID)
	if got, want := r.FreezerName, "vieux frigo"; got != want {
		t.Errorf("FindProduct().FreezerName = %q, want %q", got, want)
	}
	out := mustFind(t, db, ProductFilter{Where: Out})
	if len(out) != 1 || out[0].ID != p.ID || out[0].FreezerName != "vieux frigo" {
		t.Errorf("FindProducts(Out) = %+v, want %q from %q", out, p.Name, "vieux frigo")
	}
	hist, err := db.ProductHistory(ctx, p.ID)
	if err != nil || len(hist) != 2 {
		t.Errorf("ProductHistory() = %d entries, %v; want 2", len(hist), err)
	}
	// Nothing goes into a deleted freezer.
	_, err = db.AddProduct(ctx, product(f, 1, 1, "porc"))
	wantError(t, "AddProduct() into a deleted freezer", err, domain.EInvalid, domain.FieldLocation)
	_, err = db.PutBackProduct(ctx, p.ID)
	wantError(t, "PutBackProduct() into a deleted freezer", err, domain.EInvalid, domain.FieldLocation)

	wantError(t, "DeleteFreezer(unknown)", db.DeleteFreezer(ctx, uuid.New()), domain.ENotFound, "-")
	_, err = db.FindFreezer(ctx, uuid.New())
	wantError(t, "FindFreezer(unknown)", err, domain.ENotFound, "-")
}

func TestListFreezers(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	b := mustCreateFreezer(t, db, "frigo B", 3)
	a := mustCreateFreezer(t, db, "frigo A", 2)
	empty := mustCreateFreezer(t, db, "garage", 5)
	gone := mustCreateFreezer(t, db, "cave", 1)
	if err := db.DeleteFreezer(ctx, gone.ID); err != nil {
		t.Fatalf("DeleteFreezer() error: %v", err)
	}
	add := func(f domain.Freezer, box int, deadline domain.Date) domain.Product {
		t.Helper()
		p := product(f, box, 0, "p")
		p.PeriodMonths = 12 // a date in far enough back for every deadline
		p.DateIn = inForDeadline(t, deadline, p.PeriodMonths)
		return mustAddProduct(t, db, p)
	}
	add(b, 1, testToday.AddDays(-1))  // overdue
	add(b, 1, testToday)              // due soon
	add(b, 3, testToday.AddDays(14))  // due soon
	add(b, 3, testToday.AddDays(15))  // ok
	add(b, 3, testToday.AddDays(200)) // ok
	out := add(b, 2, testToday.AddDays(-30))
	mustTakeOut(t, db, out.ID, testToday, domain.OutcomeEaten) // not counted
	add(a, 2, testToday.AddDays(-100))                         // overdue

	got, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	want := []FreezerSummary{
		{Freezer: a, Inside: 1, Overdue: 1, DueSoon: 0, BoxFill: []int{0, 1}},
		{Freezer: b, Inside: 5, Overdue: 1, DueSoon: 2, BoxFill: []int{2, 0, 3}},
		{Freezer: empty, Inside: 0, BoxFill: []int{0, 0, 0, 0, 0}},
	}
	if len(got) != len(want) {
		t.Fatalf("ListFreezers() = %d freezers %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Freezer != w.Freezer || g.Inside != w.Inside || g.Overdue != w.Overdue || g.DueSoon != w.DueSoon || !slices.Equal(g.BoxFill, w.BoxFill) {
			t.Errorf("ListFreezers()[%d] = %+v, want %+v", i, g, w)
		}
	}

	db.SetDueSoonDays(0)
	got, err = db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	if g := got[1]; g.DueSoon != 1 || g.Overdue != 1 {
		t.Errorf("ListFreezers() with a 0-day window: %q due soon %d, overdue %d; want 1, 1", g.Name, g.DueSoon, g.Overdue)
	}
}

func TestNextFreeSlots(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 3)
	mustAddProduct(t, db, product(f, 1, 1, "a"))
	mustAddProduct(t, db, product(f, 1, 2, "b"))
	mustAddProduct(t, db, product(f, 1, 4, "c"))
	out := mustAddProduct(t, db, product(f, 2, 1, "d"))
	mustTakeOut(t, db, out.ID, testToday, domain.OutcomeEaten)
	got, err := db.NextFreeSlots(ctx, f.ID)
	if err != nil {
		t.Fatalf("NextFreeSlots() error: %v", err)
	}
	want := map[int]int{1: 3, 2: 1, 3: 1}
	if len(got) != len(want) {
		t.Fatalf("NextFreeSlots() = %v, want %v", got, want)
	}
	for box, slot := range want {
		if got[box] != slot {
			t.Errorf("NextFreeSlots()[box %d] = %d, want %d", box, got[box], slot)
		}
	}
	_, err = db.NextFreeSlots(ctx, uuid.New())
	wantError(t, "NextFreeSlots(unknown)", err, domain.ENotFound, "-")
}
