package storage

import (
	"context"
	"slices"
	"testing"

	"freezer/domain"
)

// TestDeleteProduct: a deleted product is listed nowhere, frees its slot,
// keeps its history (with a "deleted" entry) and queues a tombstone.
func TestDeleteProduct(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 2, 1, "glace moka"))
	keep := mustAddProduct(t, db, product(f, 2, 2, "porc"))
	outbox := pendingCount(t, db)

	before, err := db.DeleteProduct(ctx, p.ID)
	if err != nil {
		t.Fatalf("DeleteProduct() error: %v", err)
	}
	if before != p {
		t.Errorf("DeleteProduct() = %+v, want the product as it was %+v", before, p)
	}
	_, err = db.FindProduct(ctx, p.ID)
	wantError(t, "FindProduct(deleted)", err, domain.ENotFound, "-", "deleted")
	for _, where := range []Where{Inside, Out, All} {
		if got := names(mustFind(t, db, ProductFilter{Where: where})); slices.Contains(got, "glace moka") {
			t.Errorf("FindProducts(where %d) = %q, want no deleted product", where, got)
		}
	}
	o, err := db.Overview(ctx)
	if err != nil {
		t.Fatalf("Overview() error: %v", err)
	}
	if o.Inside != 1 {
		t.Errorf("Overview().Inside = %d, want 1 (the deleted product is not counted)", o.Inside)
	}
	list, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	if len(list) != 1 || list[0].Inside != 1 {
		t.Errorf("ListFreezers() = %+v, want 1 freezer holding 1 product", list)
	}
	// The slot is free: the next free slot is 1 again, and a product can go there.
	slots, err := db.NextFreeSlots(ctx, f.ID)
	if err != nil {
		t.Fatalf("NextFreeSlots() error: %v", err)
	}
	if slots[2] != 1 {
		t.Errorf("NextFreeSlots()[2] = %d, want 1 (the deleted product's slot)", slots[2])
	}
	mustAddProduct(t, db, product(f, 2, 1, "cabillaud"))

	history, err := db.ProductHistory(ctx, p.ID)
	if err != nil {
		t.Fatalf("ProductHistory(deleted) error: %v", err)
	}
	if got := historyKinds(history); !slices.Equal(got, []string{ChangeCreated, ChangeDeleted}) {
		t.Errorf("ProductHistory(deleted) kinds = %q, want %q", got, []string{ChangeCreated, ChangeDeleted})
	}
	ms := mustOutbox(t, db, 0)
	if got := len(ms); got != outbox+2 {
		t.Fatalf("outbox = %d rows, want %d (the delete, then the add)", got, outbox+2)
	}
	m := ms[outbox]
	if m.EntityID != p.ID || m.Op != domain.OpDelete || len(m.Fields) != 1 || string(m.Fields[domain.FieldDeleted]) != "true" {
		t.Errorf("queued delete = %s %s %s, want %s delete {deleted: true}", m.EntityID, m.Op, m.Fields, p.ID)
	}
	if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Name: ptr("x")}); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("UpdateProduct(deleted) error = %v, want %s", err, domain.ENotFound)
	}
	if got := mustFindProduct(t, db, keep.ID); got.Product != keep {
		t.Errorf("the other product = %+v, want it unchanged %+v", got.Product, keep)
	}
}

// TestDeleteProductRefused: deleting an unknown or an already deleted
// product is refused with ENotFound and writes nothing.
func TestDeleteProductRefused(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
	if _, err := db.DeleteProduct(ctx, p.ID); err != nil {
		t.Fatalf("DeleteProduct() error: %v", err)
	}
	before := snapshot(t, db)
	_, err := db.DeleteProduct(ctx, p.ID)
	wantError(t, "DeleteProduct(already deleted)", err, domain.ENotFound, "-", `"porc" was deleted`)
	_, err = db.DeleteProduct(ctx, domain.NewID())
	wantError(t, "DeleteProduct(unknown)", err, domain.ENotFound, "-", "does not exist")
	if got := snapshot(t, db); got != before {
		t.Errorf("a refused delete changed the store: %+v, want %+v", got, before)
	}
}

// TestRestoreProduct: RestoreProduct undoes a delete and a take out, in the
// product's own slot when it is free, with a new write each time.
func TestRestoreProduct(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		undo     func(*DB, domain.Product) (domain.Product, error)
		wantKind string
	}{
		{"delete", func(db *DB, p domain.Product) (domain.Product, error) { return db.DeleteProduct(ctx, p.ID) }, ChangeRestored},
		{"take out", func(db *DB, p domain.Product) (domain.Product, error) {
			if _, err := db.TakeOutProduct(ctx, p.ID, testToday, domain.OutcomeDiscarded); err != nil {
				return domain.Product{}, err
			}
			return p, nil
		}, ChangePutBack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 4)
			p := mustAddProduct(t, db, product(f, 3, 4, "Soupe de Noël"))
			before, err := tt.undo(db, p)
			if err != nil {
				t.Fatalf("%s error: %v", tt.name, err)
			}
			outbox := pendingCount(t, db)
			got, err := db.RestoreProduct(ctx, before)
			if err != nil {
				t.Fatalf("RestoreProduct() error: %v", err)
			}
			if got != p {
				t.Errorf("RestoreProduct() = %+v, want %+v", got, p)
			}
			if row := mustFindProduct(t, db, p.ID); row.Product != p || row.Status == domain.StatusOut {
				t.Errorf("FindProduct() after restore = %+v status %s, want %+v inside", row.Product, row.Status, p)
			}
			if got := pendingCount(t, db); got != outbox+1 {
				t.Errorf("outbox after restore = %d rows, want %d", got, outbox+1)
			}
			history, err := db.ProductHistory(ctx, p.ID)
			if err != nil {
				t.Fatalf("ProductHistory() error: %v", err)
			}
			if kinds := historyKinds(history); kinds[len(kinds)-1] != tt.wantKind {
				t.Errorf("ProductHistory() kinds = %q, want the last %q", kinds, tt.wantKind)
			}
			// A second restore changes nothing and writes nothing.
			if again, err := db.RestoreProduct(ctx, before); err != nil || again != p {
				t.Errorf("RestoreProduct() again = %+v, %v, want %+v, nil", again, err, p)
			}
			if got := pendingCount(t, db); got != outbox+1 {
				t.Errorf("outbox after a second restore = %d rows, want %d", got, outbox+1)
			}
		})
	}
}

// TestRestoreProductSlotTaken: when another product took the slot
// meanwhile, the restored product goes to the next free slot of its box.
func TestRestoreProductSlotTaken(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	mustAddProduct(t, db, product(f, 2, 1, "porc"))
	p := mustAddProduct(t, db, product(f, 2, 2, "glace moka"))
	mustAddProduct(t, db, product(f, 2, 3, "cabillaud"))
	for _, remove := range []struct {
		name string
		call func() (domain.Product, error)
	}{
		{"delete", func() (domain.Product, error) { return db.DeleteProduct(ctx, p.ID) }},
		{"take out", func() (domain.Product, error) {
			_, err := db.TakeOutProduct(ctx, p.ID, testToday, domain.OutcomeEaten)
			return p, err
		}},
	} {
		before, err := remove.call()
		if err != nil {
			t.Fatalf("%s error: %v", remove.name, err)
		}
		taker := mustAddProduct(t, db, product(f, 2, 2, "intrus "+remove.name))
		got, err := db.RestoreProduct(ctx, before)
		if err != nil {
			t.Fatalf("RestoreProduct() after %s error: %v", remove.name, err)
		}
		if got.Location.Box != 2 || got.Location.Slot != 4 {
			t.Errorf("RestoreProduct() after %s = box %d slot %d, want box 2 slot 4 (the next free)", remove.name, got.Location.Box, got.Location.Slot)
		}
		if row := mustFindProduct(t, db, taker.ID); row.Location != taker.Location {
			t.Errorf("the product that took the slot moved to %+v", row.Location)
		}
		// Free slot 4 again for the next round, and put p back in slot 2's place.
		if _, err := db.DeleteProduct(ctx, taker.ID); err != nil {
			t.Fatalf("DeleteProduct(taker) error: %v", err)
		}
		if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Location: &before.Location}); err != nil {
			t.Fatalf("UpdateProduct(back to slot 2) error: %v", err)
		}
	}
}

// TestRestoreProductRefused: restoring a product this device does not hold
// is refused with a clear ENotFound; one whose freezer was deleted is
// refused by the location rules.
func TestRestoreProductRefused(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	_, err := db.RestoreProduct(ctx, domain.Product{ID: domain.NewID(), Name: "fantôme"})
	wantError(t, "RestoreProduct(unknown)", err, domain.ENotFound, "-", `"fantôme" cannot be put back`)

	f := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
	before, err := db.DeleteProduct(ctx, p.ID)
	if err != nil {
		t.Fatalf("DeleteProduct() error: %v", err)
	}
	if err := db.DeleteFreezer(ctx, f.ID); err != nil {
		t.Fatalf("DeleteFreezer() (empty once the product is deleted) error: %v", err)
	}
	_, err = db.RestoreProduct(ctx, before)
	wantError(t, "RestoreProduct(freezer deleted)", err, domain.EInvalid, domain.FieldLocation, "freezer does not exist")
}

func historyKinds(h []HistoryEntry) []string {
	out := make([]string, len(h))
	for i, e := range h {
		out[i] = e.Kind
	}
	return out
}

// TestMigrationProductDeleted: a store of the previous version gets the
// deleted field (its products are not deleted, never stamped) and pulls
// everything again at its next sync (the cursor starts over), so that it
// learns of the deletes its older app was not told of.
func TestMigrationProductDeleted(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/freezer.db"
	w := mustOldStore(t, path, 4)
	freezer := domain.NewID().String()
	if _, err := w.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes) VALUES (?, 'frigo 1', 2)`, freezer); err != nil {
		t.Fatalf("insert freezer: %v", err)
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO products (id, name, name_key, description, search, type_id,
		freezer_id, box, slot, quantity, date_in, period, deadline) VALUES (?, 'Soupe de Noël', 'soupe de noel', '',
		'soupe de noel', 1, ?, 1, 1, 1, '2025-05-01', 3, '2025-08-01')`, domain.NewID().String(), freezer); err != nil {
		t.Fatalf("insert product: %v", err)
	}
	if err := setMeta(ctx, w, metaSyncCursor, "42"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db := mustOpenPath(t, path)
	st, err := db.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Cursor != 0 {
		t.Errorf("cursor after the migration = %d, want 0 (pull everything again)", st.Cursor)
	}
	rows := mustFind(t, db, ProductFilter{})
	if len(rows) != 1 || rows[0].Deleted {
		t.Fatalf("products after the migration = %+v, want the one product, not deleted", rows)
	}
	stamps, err := db.EntityStamps(ctx, domain.EntityProduct, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stamps[domain.FieldDeleted].IsZero() {
		t.Errorf("deleted stamp after the migration = %s, want none", stamps[domain.FieldDeleted])
	}
}
