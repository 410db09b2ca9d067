package storage

import (
	"context"
	"errors"
	"testing"

	"freezer/domain"
)

// TestWriteIsAtomic injects a failure between the entity write and its
// outbox row: both must be missing afterwards, and the same call must work
// once the failure is gone.
func TestWriteIsAtomic(t *testing.T) {
	ctx := context.Background()
	type fixture struct {
		f      domain.Freezer // 4 boxes, holds inside and out
		empty  domain.Freezer // holds nothing
		inside domain.Product // in f, box 1, slot 1
		out    domain.Product // taken out of f, box 2, slot 1
	}
	tests := []struct {
		name  string
		call  func(db *DB, fx fixture) error
		check func(t *testing.T, db *DB, fx fixture) // after the call that worked
	}{
		{
			name: "CreateFreezer",
			call: func(db *DB, fx fixture) error { _, err := db.CreateFreezer(ctx, "frigo 3", 2); return err },
			check: func(t *testing.T, db *DB, fx fixture) {
				if got, want := countRows(t, db, "freezers"), 3; got != want {
					t.Errorf("freezers = %d, want %d", got, want)
				}
			},
		},
		{
			name: "UpdateFreezer",
			call: func(db *DB, fx fixture) error {
				_, err := db.UpdateFreezer(ctx, fx.f.ID, FreezerUpdate{Name: ptr("garage"), Boxes: ptr(6)})
				return err
			},
			check: func(t *testing.T, db *DB, fx fixture) {
				f, err := db.FindFreezer(ctx, fx.f.ID)
				if err != nil || f.Name != "garage" || f.Boxes != 6 {
					t.Errorf("FindFreezer() = %+v, %v, want garage with 6 boxes", f, err)
				}
			},
		},
		{
			name: "DeleteFreezer",
			call: func(db *DB, fx fixture) error { return db.DeleteFreezer(ctx, fx.empty.ID) },
			check: func(t *testing.T, db *DB, fx fixture) {
				f, err := db.FindFreezer(ctx, fx.empty.ID)
				if err != nil || !f.Deleted {
					t.Errorf("FindFreezer() = %+v, %v, want Deleted", f, err)
				}
			},
		},
		{
			name: "AddProduct",
			call: func(db *DB, fx fixture) error { _, err := db.AddProduct(ctx, product(fx.f, 3, 0, "porc")); return err },
			check: func(t *testing.T, db *DB, fx fixture) {
				if got, want := len(mustFind(t, db, ProductFilter{})), 2; got != want {
					t.Errorf("products inside = %d, want %d", got, want)
				}
			},
		},
		{
			name: "UpdateProduct",
			call: func(db *DB, fx fixture) error {
				_, err := db.UpdateProduct(ctx, fx.inside.ID, ProductUpdate{Name: ptr("glace moka"), Quantity: ptr(3)})
				return err
			},
			check: func(t *testing.T, db *DB, fx fixture) {
				if r := mustFindProduct(t, db, fx.inside.ID); r.Name != "glace moka" || r.Quantity != 3 {
					t.Errorf("FindProduct() = %q x%d, want %q x3", r.Name, r.Quantity, "glace moka")
				}
			},
		},
		{
			name: "UpdateProduct move",
			call: func(db *DB, fx fixture) error {
				_, err := db.UpdateProduct(ctx, fx.inside.ID, ProductUpdate{Location: &domain.Location{FreezerID: fx.empty.ID, Box: 1, Slot: 1}})
				return err
			},
			check: func(t *testing.T, db *DB, fx fixture) {
				if r := mustFindProduct(t, db, fx.inside.ID); r.Location.FreezerID != fx.empty.ID {
					t.Errorf("FindProduct().Location = %+v, want in freezer %s", r.Location, fx.empty.ID)
				}
			},
		},
		{
			name: "TakeOutProduct",
			call: func(db *DB, fx fixture) error {
				_, err := db.TakeOutProduct(ctx, fx.inside.ID, testToday, domain.OutcomeDiscarded)
				return err
			},
			check: func(t *testing.T, db *DB, fx fixture) {
				if r := mustFindProduct(t, db, fx.inside.ID); r.Inside() {
					t.Errorf("FindProduct().DateOut = %v, want taken out", r.DateOut)
				}
			},
		},
		{
			name: "PutBackProduct",
			call: func(db *DB, fx fixture) error { _, err := db.PutBackProduct(ctx, fx.out.ID); return err },
			check: func(t *testing.T, db *DB, fx fixture) {
				if r := mustFindProduct(t, db, fx.out.ID); !r.Inside() {
					t.Errorf("FindProduct().DateOut = %v, want inside", r.DateOut)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			var fx fixture
			fx.f = mustCreateFreezer(t, db, "frigo 1", 4)
			fx.empty = mustCreateFreezer(t, db, "frigo 2", 2)
			fx.inside = mustAddProduct(t, db, product(fx.f, 1, 1, "glace vanille"))
			fx.out = mustAddProduct(t, db, product(fx.f, 2, 1, "pain"))
			mustTakeOut(t, db, fx.out.ID, testToday, domain.OutcomeEaten)
			before := snapshot(t, db)

			boom := errors.New("boom")
			db.failAfterEntity = func() error { return boom }
			err := tt.call(db, fx)
			if !errors.Is(err, boom) {
				t.Fatalf("%s with a failing outbox: error = %v, want %v", tt.name, err, boom)
			}
			if got := snapshot(t, db); got != before {
				t.Errorf("after the failed %s: outbox %d, history %d, export changed %t; want outbox %d, history %d, unchanged",
					tt.name, got.outbox, got.history, got.export != before.export, before.outbox, before.history)
			}

			db.failAfterEntity = nil
			if err := tt.call(db, fx); err != nil {
				t.Fatalf("%s error: %v", tt.name, err)
			}
			if got, want := pendingCount(t, db), before.outbox+1; got != want {
				t.Errorf("outbox after %s = %d, want %d", tt.name, got, want)
			}
			tt.check(t, db, fx)
		})
	}
}
