package sqlstore

import (
	"context"
	"testing"

	"freezer/domain"
	"freezer/server"
)

// TestCreateProductInFreezerNum: the compat add's freezer is found by its
// number in the write's transaction: the product lands in that freezer; an
// unknown number, another account's, or a deleted freezer's is ENotFound
// and stores nothing; the place is checked as CreateProduct checks it.
func TestCreateProductInFreezerNum(t *testing.T) {
	db := mustOpen(t, newTarget(t))
	ctx := context.Background()
	a := mustAccount(t, db, "a@example.com")
	b := mustAccount(t, db, "b@example.com")
	cave, err := db.CreateFreezer(ctx, a, domain.Freezer{Name: "cave", Boxes: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := db.CreateFreezer(ctx, a, domain.Freezer{Name: "old", Boxes: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteFreezer(ctx, a, gone.ID); err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateFreezer(ctx, b, domain.Freezer{Name: "b's", Boxes: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := domain.Product{Name: "soupe", TypeID: 1, Quantity: 2, DateIn: domain.NewDate(2018, 1, 1), PeriodMonths: 6,
		Location: domain.Location{FreezerID: other.ID, Box: 1, Slot: 1}} // the id is ignored: the number names the freezer
	got, err := db.CreateProductInFreezerNum(ctx, a, cave.Num, p)
	if err != nil {
		t.Fatalf("CreateProductInFreezerNum(cave) error = %v", err)
	}
	if got.Location.FreezerID != cave.ID || got.FreezerNum != cave.Num || got.FreezerName != "cave" {
		t.Errorf("product in %v (num %d, %q), want the cave %v (num %d)", got.Location.FreezerID, got.FreezerNum, got.FreezerName, cave.ID, cave.Num)
	}
	stored, err := db.FindProduct(ctx, a, got.ID)
	if err != nil || stored.Location.FreezerID != cave.ID {
		t.Errorf("FindProduct() = %v, %v; want it in the cave", stored.Location, err)
	}
	if _, err := db.CreateProductInFreezerNum(ctx, a, cave.Num, p); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("the same slot again: error = %v, want a conflict", err)
	}
	for name, num := range map[string]int64{"unknown": cave.Num + 100, "deleted": gone.Num, "another account's": other.Num, "zero": 0} {
		if _, err := db.CreateProductInFreezerNum(ctx, a, num, p); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("%s freezer (num %d): error = %v, want ENotFound", name, num, err)
		}
	}
	all, err := db.FindProducts(ctx, a, server.ProductFilter{})
	if err != nil || len(all) != 1 {
		t.Errorf("account's products = %d, %v; want the one added", len(all), err)
	}
}

// TestCreateProductChecksPlaceThenType: an added product's slot and type
// are checked in one statement when it is inside, and answered as two
// checks one after the other were: a taken slot before an unknown type,
// the type alone when the slot is free or the product is out, through
// either way of naming the freezer. Nothing is stored.
func TestCreateProductChecksPlaceThenType(t *testing.T) {
	db := mustOpen(t, newTarget(t))
	ctx := context.Background()
	a := mustAccount(t, db, "a@example.com")
	f, err := db.CreateFreezer(ctx, a, domain.Freezer{Name: "cave", Boxes: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := domain.Product{Name: "soupe", TypeID: 1, Quantity: 2, DateIn: domain.NewDate(2018, 1, 1), PeriodMonths: 6,
		Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1}}
	if _, err := db.CreateProduct(ctx, a, p); err != nil {
		t.Fatal(err)
	}
	add := map[string]func(domain.Product) error{
		"by id":     func(p domain.Product) error { _, err := db.CreateProduct(ctx, a, p); return err },
		"by number": func(p domain.Product) error { _, err := db.CreateProductInFreezerNum(ctx, a, f.Num, p); return err },
	}
	for way, add := range add {
		bad := p
		bad.TypeID = 999
		if err := add(bad); domain.ErrorCode(err) != domain.EConflict || domain.ErrorField(err) != domain.FieldLocation {
			t.Errorf("%s: taken slot and unknown type: error = %v, want the slot's conflict", way, err)
		}
		bad.Location.Slot = 2
		if err := add(bad); domain.ErrorField(err) != domain.FieldType {
			t.Errorf("%s: free slot, unknown type: error = %v, want the type's", way, err)
		}
		bad.DateOut, bad.Outcome = domain.NewDate(2018, 2, 1), domain.OutcomeEaten
		if err := add(bad); domain.ErrorField(err) != domain.FieldType {
			t.Errorf("%s: product out, unknown type: error = %v, want the type's", way, err)
		}
	}
	all, err := db.FindProducts(ctx, a, server.ProductFilter{})
	if err != nil || len(all) != 1 {
		t.Errorf("account's products = %d, %v; want the first one only", len(all), err)
	}
}
