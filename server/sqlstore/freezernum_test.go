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
