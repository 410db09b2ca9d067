package storage

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

func TestAddProductDefaults(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	got := mustAddProduct(t, db, domain.Product{Name: "  Crème brûlée ", Description: " maison ", TypeID: 40,
		Location: domain.Location{FreezerID: f.ID, Box: 2}, PeriodMonths: 2})
	if got.ID.Version() != 7 {
		t.Errorf("AddProduct().ID = %s, want a UUID v7", got.ID)
	}
	if got.Name != "Crème brûlée" || got.Description != "maison" {
		t.Errorf("AddProduct() name, description = %q, %q, want trimmed", got.Name, got.Description)
	}
	if got.DateIn != testToday {
		t.Errorf("AddProduct().DateIn = %v, want today %v", got.DateIn, testToday)
	}
	if got.Quantity != 1 {
		t.Errorf("AddProduct().Quantity = %d, want 1", got.Quantity)
	}
	if got.Location.Slot != 1 {
		t.Errorf("AddProduct().Location.Slot = %d, want 1", got.Location.Slot)
	}
	row := mustFindProduct(t, db, got.ID)
	if row.Product != got {
		t.Errorf("FindProduct() = %+v, want %+v", row.Product, got)
	}
	if want := testToday.AddMonths(2); row.Deadline != want {
		t.Errorf("FindProduct().Deadline = %v, want %v", row.Deadline, want)
	}
	if row.FreezerName != "frigo 1" || row.Status != domain.StatusOK {
		t.Errorf("FindProduct() freezer %q status %q, want %q %q", row.FreezerName, row.Status, "frigo 1", domain.StatusOK)
	}
	// An id given by the caller is kept.
	id := domain.NewID()
	p := product(f, 1, 1, "porc")
	p.ID = id
	if got := mustAddProduct(t, db, p); got.ID != id {
		t.Errorf("AddProduct() with an id = %s, want %s", got.ID, id)
	}
}

func TestAddProductNextFreeSlot(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	g := mustCreateFreezer(t, db, "frigo 2", 4)
	for _, slot := range []int{1, 2, 4} {
		mustAddProduct(t, db, product(f, 1, slot, "x"))
	}
	mustAddProduct(t, db, product(g, 1, 3, "other freezer")) // does not count
	mustAddProduct(t, db, product(f, 2, 3, "other box"))     // does not count
	for _, want := range []int{3, 5, 6} {
		if got := mustAddProduct(t, db, product(f, 1, 0, "next")).Location.Slot; got != want {
			t.Errorf("AddProduct(slot 0).Slot = %d, want %d", got, want)
		}
	}
}

func TestAddProductTakenSlot(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	first := mustAddProduct(t, db, product(f, 2, 1, "glace moka"))
	mustAddProduct(t, db, product(f, 2, 2, "porc"))
	outbox := pendingCount(t, db)

	_, err := db.AddProduct(ctx, product(f, 2, 1, "cabillaud"))
	// The message names the product in the slot and a free one.
	wantError(t, "AddProduct() into a taken slot", err, domain.EConflict, domain.FieldLocation, `"glace moka"`, "3 is free")
	if got := pendingCount(t, db); got != outbox {
		t.Errorf("outbox after a refused add = %d, want %d", got, outbox)
	}

	// A taken-out product frees its slot.
	mustTakeOut(t, db, first.ID, testToday, domain.OutcomeEaten)
	if got := mustAddProduct(t, db, product(f, 2, 0, "cabillaud")).Location.Slot; got != 1 {
		t.Errorf("AddProduct(slot 0) after taking slot 1 out = slot %d, want 1", got)
	}
	mustTakeOut(t, db, mustFind(t, db, ProductFilter{Text: "cabillaud"})[0].ID, testToday, domain.OutcomeEaten)
	mustAddProduct(t, db, product(f, 2, 1, "glace vanille")) // slot 1 given explicitly
}

func TestAddProductInvalid(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		edit      func(p *domain.Product, f, deleted domain.Freezer)
		wantField string
	}{
		{"empty name", func(p *domain.Product, _, _ domain.Freezer) { p.Name = " " }, domain.FieldName},
		{"box beyond the freezer", func(p *domain.Product, _, _ domain.Freezer) { p.Location.Box = 5 }, domain.FieldLocation},
		{"box 0", func(p *domain.Product, _, _ domain.Freezer) { p.Location.Box = 0 }, domain.FieldLocation},
		{"negative slot", func(p *domain.Product, _, _ domain.Freezer) { p.Location.Slot = -1 }, domain.FieldLocation},
		{"unknown freezer", func(p *domain.Product, _, _ domain.Freezer) { p.Location.FreezerID = uuid.New() }, domain.FieldLocation},
		{"deleted freezer", func(p *domain.Product, _, d domain.Freezer) { p.Location.FreezerID = d.ID }, domain.FieldLocation},
		{"date in tomorrow", func(p *domain.Product, _, _ domain.Freezer) { p.DateIn = testToday.AddDays(1) }, domain.FieldDateIn},
		{"unknown type", func(p *domain.Product, _, _ domain.Freezer) { p.TypeID = 44 }, domain.FieldType},
		{"no type", func(p *domain.Product, _, _ domain.Freezer) { p.TypeID = 0 }, domain.FieldType},
		{"negative quantity", func(p *domain.Product, _, _ domain.Freezer) { p.Quantity = -1 }, domain.FieldQuantity},
		{"period 0", func(p *domain.Product, _, _ domain.Freezer) { p.PeriodMonths = 0 }, domain.FieldPeriod},
		{"period too long", func(p *domain.Product, _, _ domain.Freezer) { p.PeriodMonths = 121 }, domain.FieldPeriod},
		{"unknown outcome", func(p *domain.Product, _, _ domain.Freezer) { p.DateOut, p.Outcome = testToday, "lost" }, domain.FieldOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			deleted := mustCreateFreezer(t, db, "cave", 4)
			if err := db.DeleteFreezer(ctx, deleted.ID); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, db)
			p := product(f, 1, 1, "porc")
			tt.edit(&p, f, deleted)
			_, err := db.AddProduct(ctx, p)
			wantError(t, "AddProduct()", err, domain.EInvalid, tt.wantField)
			if got := snapshot(t, db); got != before {
				t.Errorf("store changed after a refused AddProduct()")
			}
		})
	}
}

func TestUpdateProduct(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		u    func(other domain.Freezer) ProductUpdate
		want func(p *domain.Product, other domain.Freezer)
	}{
		{"name", func(domain.Freezer) ProductUpdate { return ProductUpdate{Name: ptr(" Soupe de Noël ")} },
			func(p *domain.Product, _ domain.Freezer) { p.Name = "Soupe de Noël" }},
		{"description", func(domain.Freezer) ProductUpdate { return ProductUpdate{Description: ptr("à base de tomates")} },
			func(p *domain.Product, _ domain.Freezer) { p.Description = "à base de tomates" }},
		{"type", func(domain.Freezer) ProductUpdate { return ProductUpdate{TypeID: ptr(24)} },
			func(p *domain.Product, _ domain.Freezer) { p.TypeID = 24 }},
		{"quantity", func(domain.Freezer) ProductUpdate { return ProductUpdate{Quantity: ptr(4)} },
			func(p *domain.Product, _ domain.Freezer) { p.Quantity = 4 }},
		{"date in", func(domain.Freezer) ProductUpdate { return ProductUpdate{DateIn: ptr(testToday)} },
			func(p *domain.Product, _ domain.Freezer) { p.DateIn = testToday }},
		{"period", func(domain.Freezer) ProductUpdate { return ProductUpdate{PeriodMonths: ptr(12)} },
			func(p *domain.Product, _ domain.Freezer) { p.PeriodMonths = 12 }},
		{"move in the freezer", func(domain.Freezer) ProductUpdate {
			return ProductUpdate{Location: &domain.Location{Box: 4, Slot: 7}}
		}, func(p *domain.Product, _ domain.Freezer) { p.Location.Box, p.Location.Slot = 4, 7 }},
		{"move to another freezer", func(o domain.Freezer) ProductUpdate {
			return ProductUpdate{Location: &domain.Location{FreezerID: o.ID, Box: 8, Slot: 1}}
		}, func(p *domain.Product, o domain.Freezer) {
			p.Location = domain.Location{FreezerID: o.ID, Box: 8, Slot: 1}
		}},
		{"every field", func(o domain.Freezer) ProductUpdate {
			return ProductUpdate{Name: ptr("b"), Description: ptr("c"), TypeID: ptr(13), Quantity: ptr(2),
				DateIn: ptr(testToday.AddDays(-1)), PeriodMonths: ptr(6), Location: &domain.Location{FreezerID: o.ID, Box: 1, Slot: 2}}
		}, func(p *domain.Product, o domain.Freezer) {
			p.Name, p.Description, p.TypeID, p.Quantity, p.DateIn, p.PeriodMonths = "b", "c", 13, 2, testToday.AddDays(-1), 6
			p.Location = domain.Location{FreezerID: o.ID, Box: 1, Slot: 2}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			other := mustCreateFreezer(t, db, "frigo 2", 8)
			p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
			u := tt.u(other)
			if u.Location != nil && u.Location.FreezerID == uuid.Nil {
				u.Location.FreezerID = f.ID
			}
			want := p
			tt.want(&want, other)
			got, err := db.UpdateProduct(ctx, p.ID, u)
			if err != nil {
				t.Fatalf("UpdateProduct() error: %v", err)
			}
			if got != want {
				t.Errorf("UpdateProduct() = %+v, want %+v", got, want)
			}
			row := mustFindProduct(t, db, p.ID)
			if row.Product != want {
				t.Errorf("FindProduct() = %+v, want %+v", row.Product, want)
			}
			if got, want := row.Deadline, want.Deadline(); got != want {
				t.Errorf("FindProduct().Deadline = %v, want %v", got, want)
			}
			if got, want := row.FreezerName, map[uuid.UUID]string{f.ID: "frigo 1", other.ID: "frigo 2"}[want.Location.FreezerID]; got != want {
				t.Errorf("FindProduct().FreezerName = %q, want %q", got, want)
			}
		})
	}
}

func TestUpdateProductInvalid(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		u         func(f domain.Freezer) ProductUpdate
		wantCode  string
		wantField string
	}{
		{"empty name", func(domain.Freezer) ProductUpdate { return ProductUpdate{Name: ptr("")} }, domain.EInvalid, domain.FieldName},
		{"date in tomorrow", func(domain.Freezer) ProductUpdate { return ProductUpdate{DateIn: ptr(testToday.AddDays(1))} }, domain.EInvalid, domain.FieldDateIn},
		{"unknown type", func(domain.Freezer) ProductUpdate { return ProductUpdate{TypeID: ptr(99)} }, domain.EInvalid, domain.FieldType},
		{"quantity 0", func(domain.Freezer) ProductUpdate { return ProductUpdate{Quantity: ptr(0)} }, domain.EInvalid, domain.FieldQuantity},
		{"period 0", func(domain.Freezer) ProductUpdate { return ProductUpdate{PeriodMonths: ptr(0)} }, domain.EInvalid, domain.FieldPeriod},
		{"box beyond", func(f domain.Freezer) ProductUpdate {
			return ProductUpdate{Location: &domain.Location{FreezerID: f.ID, Box: 5, Slot: 1}}
		}, domain.EInvalid, domain.FieldLocation},
		{"unknown freezer", func(domain.Freezer) ProductUpdate {
			return ProductUpdate{Location: &domain.Location{FreezerID: uuid.New(), Box: 1, Slot: 1}}
		}, domain.EInvalid, domain.FieldLocation},
		{"taken slot", func(f domain.Freezer) ProductUpdate {
			return ProductUpdate{Location: &domain.Location{FreezerID: f.ID, Box: 2, Slot: 1}}
		}, domain.EConflict, domain.FieldLocation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
			mustAddProduct(t, db, product(f, 2, 1, "cabillaud"))
			before := snapshot(t, db)
			_, err := db.UpdateProduct(ctx, p.ID, tt.u(f))
			wantError(t, "UpdateProduct()", err, tt.wantCode, tt.wantField)
			if got := snapshot(t, db); got != before {
				t.Errorf("store changed after a refused UpdateProduct()")
			}
		})
	}
	t.Run("unknown product", func(t *testing.T) {
		db := mustOpenDB(t)
		_, err := db.UpdateProduct(ctx, uuid.New(), ProductUpdate{Name: ptr("x")})
		wantError(t, "UpdateProduct(unknown)", err, domain.ENotFound, "-")
	})
	t.Run("no change", func(t *testing.T) {
		db := mustOpenDB(t)
		f := mustCreateFreezer(t, db, "frigo 1", 4)
		p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
		before := snapshot(t, db)
		got, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Name: ptr("porc"), Quantity: ptr(p.Quantity)})
		if err != nil || got != p {
			t.Fatalf("UpdateProduct(same values) = %+v, %v, want %+v", got, err, p)
		}
		if after := snapshot(t, db); after != before {
			t.Errorf("UpdateProduct(same values) wrote: outbox %d -> %d, history %d -> %d", before.outbox, after.outbox, before.history, after.history)
		}
	})
}

func TestTakeOutProduct(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		day         domain.Date
		how         domain.Outcome
		wantDay     domain.Date
		wantOutcome domain.Outcome
	}{
		{"eaten", testToday.AddDays(-2), domain.OutcomeEaten, testToday.AddDays(-2), domain.OutcomeEaten},
		{"discarded", testToday, domain.OutcomeDiscarded, testToday, domain.OutcomeDiscarded},
		{"on the day it went in", testToday.AddDays(-10), domain.OutcomeEaten, testToday.AddDays(-10), domain.OutcomeEaten},
		{"defaults: today, eaten", domain.Date{}, domain.OutcomeNone, testToday, domain.OutcomeEaten},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
			got, err := db.TakeOutProduct(ctx, p.ID, tt.day, tt.how)
			if err != nil {
				t.Fatalf("TakeOutProduct() error: %v", err)
			}
			if got.DateOut != tt.wantDay || got.Outcome != tt.wantOutcome {
				t.Errorf("TakeOutProduct() = out %v %q, want %v %q", got.DateOut, got.Outcome, tt.wantDay, tt.wantOutcome)
			}
			row := mustFindProduct(t, db, p.ID)
			if row.DateOut != tt.wantDay || row.Outcome != tt.wantOutcome || row.Status != domain.StatusOut {
				t.Errorf("FindProduct() = out %v %q status %q, want %v %q %q", row.DateOut, row.Outcome, row.Status, tt.wantDay, tt.wantOutcome, domain.StatusOut)
			}
			if row.Location != p.Location {
				t.Errorf("FindProduct().Location = %+v, want %+v (kept as history)", row.Location, p.Location)
			}
		})
	}
}

func TestTakeOutProductRefused(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		day       domain.Date
		how       domain.Outcome
		wantField string
	}{
		{"date out tomorrow", testToday.AddDays(1), domain.OutcomeEaten, domain.FieldOut},
		{"date out before date in", testToday.AddDays(-11), domain.OutcomeEaten, domain.FieldOut},
		{"unknown outcome", testToday, "lost", domain.FieldOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			p := mustAddProduct(t, db, product(f, 1, 1, "porc")) // went in 10 days ago
			before := snapshot(t, db)
			_, err := db.TakeOutProduct(ctx, p.ID, tt.day, tt.how)
			wantError(t, "TakeOutProduct()", err, domain.EInvalid, tt.wantField)
			if got := snapshot(t, db); got != before {
				t.Errorf("store changed after a refused TakeOutProduct()")
			}
		})
	}
	t.Run("unknown product", func(t *testing.T) {
		db := mustOpenDB(t)
		_, err := db.TakeOutProduct(ctx, uuid.New(), testToday, domain.OutcomeEaten)
		wantError(t, "TakeOutProduct(unknown)", err, domain.ENotFound, "-")
	})
}

func TestTakeOutTwice(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		day  domain.Date
		how  domain.Outcome
	}{
		{"same date and outcome", testToday.AddDays(-1), domain.OutcomeEaten},
		{"another date", testToday, domain.OutcomeEaten},
		{"another outcome", testToday.AddDays(-1), domain.OutcomeDiscarded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
			mustTakeOut(t, db, p.ID, testToday.AddDays(-1), domain.OutcomeEaten)
			before := snapshot(t, db)
			_, err := db.TakeOutProduct(ctx, p.ID, tt.day, tt.how)
			wantError(t, "TakeOutProduct() twice", err, domain.EConflict, "-", `"porc" was already taken out`)
			// The refusal writes nothing: the first take-out stands.
			if got := snapshot(t, db); got != before {
				t.Errorf("TakeOutProduct() twice changed the store: outbox %d -> %d, history %d -> %d",
					before.outbox, got.outbox, before.history, got.history)
			}
			if r := mustFindProduct(t, db, p.ID); r.DateOut != testToday.AddDays(-1) || r.Outcome != domain.OutcomeEaten {
				t.Errorf("FindProduct() = out %v %q, want the first take-out %v %q", r.DateOut, r.Outcome, testToday.AddDays(-1), domain.OutcomeEaten)
			}
		})
	}
}

func TestPutBackProduct(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 3, 2, "glace moka"))
	mustTakeOut(t, db, p.ID, testToday, domain.OutcomeEaten)
	got, err := db.PutBackProduct(ctx, p.ID)
	if err != nil {
		t.Fatalf("PutBackProduct() error: %v", err)
	}
	if got != p {
		t.Errorf("PutBackProduct() = %+v, want %+v", got, p)
	}
	if r := mustFindProduct(t, db, p.ID); !r.Inside() || r.Outcome != domain.OutcomeNone || r.Location != p.Location {
		t.Errorf("FindProduct() after put back = %+v, want inside at %+v", r.Product, p.Location)
	}

	// Its slot was taken meanwhile: refused, and it stays out.
	mustTakeOut(t, db, p.ID, testToday, domain.OutcomeEaten)
	mustAddProduct(t, db, product(f, 3, 2, "porc"))
	before := snapshot(t, db)
	_, err = db.PutBackProduct(ctx, p.ID)
	wantError(t, "PutBackProduct() into a taken slot", err, domain.EConflict, domain.FieldLocation, `"porc"`)
	if got := snapshot(t, db); got != before {
		t.Errorf("store changed after a refused PutBackProduct()")
	}
	if r := mustFindProduct(t, db, p.ID); r.Inside() {
		t.Errorf("FindProduct() after a refused put back: inside, want still out")
	}
	_, err = db.PutBackProduct(ctx, uuid.New())
	wantError(t, "PutBackProduct(unknown)", err, domain.ENotFound, "-")
}

func TestFindProductNotFound(t *testing.T) {
	db := mustOpenDB(t)
	_, err := db.FindProduct(context.Background(), uuid.New())
	wantError(t, "FindProduct(unknown)", err, domain.ENotFound, "-")
	_, err = db.ProductHistory(context.Background(), uuid.New())
	wantError(t, "ProductHistory(unknown)", err, domain.ENotFound, "-")
}

func TestProductHistory(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f1 := mustCreateFreezer(t, db, "frigo 1", 4)
	f2 := mustCreateFreezer(t, db, "frigo 2", 8)
	p := mustAddProduct(t, db, product(f1, 2, 3, "glace vanille"))
	steps := []func() error{
		func() error {
			_, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Name: ptr("glace moka"), Quantity: ptr(3)})
			return err
		},
		func() error {
			_, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Location: &domain.Location{FreezerID: f2.ID, Box: 5, Slot: 1}})
			return err
		},
		func() error {
			_, err := db.TakeOutProduct(ctx, p.ID, testToday, domain.OutcomeDiscarded)
			return err
		},
		func() error { _, err := db.PutBackProduct(ctx, p.ID); return err },
		func() error {
			// A move with another change is an update.
			_, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Description: ptr("café"), Location: &domain.Location{FreezerID: f1.ID, Box: 2, Slot: 3}})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d error: %v", i+1, err)
		}
	}
	got, err := db.ProductHistory(ctx, p.ID)
	if err != nil {
		t.Fatalf("ProductHistory() error: %v", err)
	}
	want := []HistoryEntry{
		{Kind: ChangeCreated, Changes: []FieldChange{}},
		{Kind: ChangeUpdated, Changes: []FieldChange{
			{domain.FieldName, "glace vanille", "glace moka"},
			{domain.FieldQuantity, "1", "3"},
		}},
		{Kind: ChangeMoved, Changes: []FieldChange{
			{domain.FieldLocation, "frigo 1, box 2, slot 3", "frigo 2, box 5, slot 1"},
		}},
		{Kind: ChangeTakenOut, Changes: []FieldChange{{domain.FieldOut, "", "2025-06-15 discarded"}}},
		{Kind: ChangePutBack, Changes: []FieldChange{{domain.FieldOut, "2025-06-15 discarded", ""}}},
		{Kind: ChangeUpdated, Changes: []FieldChange{
			{domain.FieldDescription, "", "café"},
			{domain.FieldLocation, "frigo 2, box 5, slot 1", "frigo 1, box 2, slot 3"},
		}},
	}
	if len(got) != len(want) {
		t.Fatalf("ProductHistory() = %d entries %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Kind != w.Kind || !slices.Equal(g.Changes, w.Changes) {
			t.Errorf("ProductHistory()[%d] = %s %+v, want %s %+v", i, g.Kind, g.Changes, w.Kind, w.Changes)
		}
		if g.Device != db.DeviceID() {
			t.Errorf("ProductHistory()[%d].Device = %q, want %q", i, g.Device, db.DeviceID())
		}
		if !g.At.Equal(testNow) {
			t.Errorf("ProductHistory()[%d].At = %v, want %v", i, g.At, testNow)
		}
	}
}
