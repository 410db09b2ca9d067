package synctest_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// Product delete and restore across devices (sync protocol version 3): a
// delete is a tombstone (the product's deleted field) merged like any
// field, and a restore is a new write of the earlier values.

// serverProduct returns the server's state of product id.
func serverProduct(t *testing.T, srv synctest.Backend, id uuid.UUID) protocol.ProductState {
	t.Helper()
	for _, p := range srv.Products() {
		if p.Product.ID == id {
			return p
		}
	}
	t.Fatalf("the server holds no product %s", id)
	return protocol.ProductState{}
}

// wantGone fails unless device d neither finds nor lists product id.
func wantGone(t *testing.T, d *synctest.Device, id uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.DB.FindProduct(ctx, id); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("%s: FindProduct(deleted) error = %v, want %s", d.Name, err, domain.ENotFound)
	}
	rows, err := d.DB.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ID == id {
			t.Errorf("%s: FindProducts(all) lists the deleted product %q", d.Name, r.Name)
		}
	}
}

func mustDelete(t *testing.T, d *synctest.Device, id uuid.UUID) domain.Product {
	t.Helper()
	before, err := d.DB.DeleteProduct(context.Background(), id)
	if err != nil {
		t.Fatalf("%s: DeleteProduct() = %v", d.Name, err)
	}
	return before
}

func mustRestore(t *testing.T, d *synctest.Device, before domain.Product) domain.Product {
	t.Helper()
	p, err := d.DB.RestoreProduct(context.Background(), before)
	if err != nil {
		t.Fatalf("%s: RestoreProduct() = %v", d.Name, err)
	}
	return p
}

// TestProductDeleteSyncs: device A deletes a product; after a sync device
// B no longer finds or lists it, its history stays readable there, and B
// puts another product in the freed slot with no repair.
func TestProductDeleteSyncs(t *testing.T) { forEachBackend(t, testProductDeleteSyncs) }

func testProductDeleteSyncs(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	p := mustProduct(t, a.DB, "soupe en double", f.ID, 2, 3)
	c.converge()

	mustDelete(t, a, p.ID)
	c.sync(a)
	c.sync(b)
	wantGone(t, b, p.ID)
	history, err := b.DB.ProductHistory(ctx, p.ID)
	if err != nil {
		t.Fatalf("b: ProductHistory(deleted) = %v", err)
	}
	if last := history[len(history)-1]; last.Kind != storage.ChangeDeleted {
		t.Errorf("b: last history entry = %q, want %q", last.Kind, storage.ChangeDeleted)
	}
	q := mustProduct(t, b.DB, "soupe", f.ID, 2, 3)
	rep, err := b.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Moves) != 0 || len(rep.Rejected) != 0 {
		t.Fatalf("b: sync of a product in the freed slot = moves %v, rejected %v; want neither", rep.Moves, rep.Rejected)
	}
	c.converge()
	c.wantSameStamps()
	if got := product(t, a.DB, q.ID); got.Location != q.Location || got.Relabel != nil {
		t.Errorf("a: the new product at %+v (relabel %v), want %+v with no notice", got.Location, got.Relabel, q.Location)
	}
	if s := serverProduct(t, c.srv, p.ID); !s.Product.Deleted || s.Stamps[domain.FieldDeleted].IsZero() {
		t.Errorf("server: product deleted=%t stamped %s, want a stamped tombstone", s.Product.Deleted, s.Stamps[domain.FieldDeleted])
	}
}

// TestProductDeleteWhileEditedOffline: A deletes a product while B, offline,
// renames it. Fields merge one by one: the delete stands (an edit of
// another field does not bring a deleted product back; only a restore
// does), and the rename is kept in the tombstone, on every replica.
func TestProductDeleteWhileEditedOffline(t *testing.T) {
	forEachBackend(t, testProductDeleteWhileEditedOffline)
}

func testProductDeleteWhileEditedOffline(t *testing.T) {
	for _, order := range []string{"delete first", "rename first"} {
		t.Run(order, func(t *testing.T) {
			c := newCluster(t, 0, 0)
			a, b := c.devices[0], c.devices[1]
			ctx := context.Background()
			f := mustFreezer(t, a.DB, "garage", 4)
			p := mustProduct(t, a.DB, "soupe", f.ID, 1, 1)
			c.converge()
			if order == "rename first" {
				if _, err := b.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("soupe de Noël")}); err != nil {
					t.Fatal(err)
				}
				mustDelete(t, a, p.ID)
				c.sync(b)
				c.sync(a)
			} else {
				mustDelete(t, a, p.ID)
				if _, err := b.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("soupe de Noël")}); err != nil {
					t.Fatal(err)
				}
				c.sync(a)
				c.sync(b)
			}
			c.converge()
			c.wantSameStamps()
			for _, d := range c.devices {
				wantGone(t, d, p.ID)
			}
			if s := serverProduct(t, c.srv, p.ID); !s.Product.Deleted || s.Product.Name != "soupe de Noël" {
				t.Errorf("server: product %q deleted=%t, want the rename kept in a tombstone", s.Product.Name, s.Product.Deleted)
			}
		})
	}
}

// TestProductRestoreAfterSync: a take out and a delete, each synced to
// both devices, are undone on one device with RestoreProduct; after a sync
// the product is back in its slot on both.
func TestProductRestoreAfterSync(t *testing.T) { forEachBackend(t, testProductRestoreAfterSync) }

func testProductRestoreAfterSync(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	p := mustProduct(t, a.DB, "soupe", f.ID, 3, 2)
	c.converge()

	if _, err := a.DB.TakeOutProduct(ctx, p.ID, domain.Date{}, domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	c.converge()
	if got := product(t, b.DB, p.ID); got.Inside() {
		t.Fatalf("b: product still inside after the take out synced")
	}
	if got := mustRestore(t, a, p); got.Location != p.Location {
		t.Fatalf("a: restored at %+v, want %+v", got.Location, p.Location)
	}
	c.converge()
	if got := product(t, b.DB, p.ID); !got.Inside() || got.Location != p.Location {
		t.Errorf("b: after the undone take out, product inside=%t at %+v, want inside at %+v", got.Inside(), got.Location, p.Location)
	}

	before := mustDelete(t, b, p.ID)
	c.converge()
	wantGone(t, a, p.ID)
	mustRestore(t, a, before)
	c.converge()
	c.wantSameStamps()
	for _, d := range c.devices {
		if got := product(t, d.DB, p.ID); !got.Inside() || got.Location != p.Location {
			t.Errorf("%s: after the undone delete, product inside=%t at %+v, want inside at %+v", d.Name, got.Inside(), got.Location, p.Location)
		}
	}
}

// TestProductRestoreIntoTakenSlot: while a product is deleted, another
// device puts a product in its slot. Restored on a device that has seen
// the newcomer, it goes to the next free slot of its box there; restored on
// a device that has not, the server moves it there (a relabel notice). In
// both cases every replica ends with the restored product in the next free
// slot and the newcomer where it was put.
func TestProductRestoreIntoTakenSlot(t *testing.T) {
	forEachBackend(t, testProductRestoreIntoTakenSlot)
}

func testProductRestoreIntoTakenSlot(t *testing.T) {
	for _, seen := range []bool{true, false} {
		name := map[bool]string{true: "newcomer seen", false: "newcomer not seen"}[seen]
		t.Run(name, func(t *testing.T) {
			c := newCluster(t, 0, 0)
			a, b := c.devices[0], c.devices[1]
			f := mustFreezer(t, a.DB, "garage", 4)
			mustProduct(t, a.DB, "pain", f.ID, 1, 1)
			p := mustProduct(t, a.DB, "soupe", f.ID, 1, 2)
			c.converge()

			before := mustDelete(t, a, p.ID)
			c.sync(a)
			c.sync(b)
			q := mustProduct(t, b.DB, "glace", f.ID, 1, 2)
			c.sync(b)
			if seen {
				c.sync(a)
			}
			got := mustRestore(t, a, before)
			if wantLocal := map[bool]int{true: 3, false: 2}[seen]; got.Location.Slot != wantLocal {
				t.Fatalf("a: restored in slot %d, want %d", got.Location.Slot, wantLocal)
			}
			c.converge()
			for _, d := range c.devices {
				if got := product(t, d.DB, p.ID); !got.Inside() || got.Location.Slot != 3 {
					t.Errorf("%s: restored product inside=%t in slot %d, want inside in slot 3", d.Name, got.Inside(), got.Location.Slot)
				}
				if got := product(t, d.DB, q.ID); got.Location != q.Location {
					t.Errorf("%s: the newcomer at %+v, want %+v", d.Name, got.Location, q.Location)
				}
			}
		})
	}
}

// TestDeletedProductOlderDevice: a device of version 2 keeps syncing while
// others delete products. It is not told of the delete (the field is left
// out of its pulls), so it keeps the product as it was; its own edits of
// that product are merged field by field and leave it deleted; a product
// it adds syncs to the others.
func TestDeletedProductOlderDevice(t *testing.T) { forEachBackend(t, testDeletedProductOlderDevice) }

func testDeletedProductOlderDevice(t *testing.T) {
	c := newCluster(t, 0, 0)
	old, cur := c.devices[0], c.devices[1]
	v2 := speak(old, 2)
	ctx := context.Background()
	f := mustFreezer(t, cur.DB, "garage", 4)
	p := mustProduct(t, cur.DB, "soupe", f.ID, 1, 1)
	c.sync(cur)
	c.sync(old)
	mustDelete(t, cur, p.ID)
	c.sync(cur)
	if _, err := old.Sync(ctx); err != nil {
		t.Fatalf("version 2 device: sync after a delete = %v", err)
	}
	if got := product(t, old.DB, p.ID); !got.Inside() {
		t.Errorf("version 2 device: product inside=%t, want it kept as it was", got.Inside())
	}
	if _, err := old.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	peas := mustProduct(t, old.DB, "peas", f.ID, 2, 1)
	rep, err := old.Sync(ctx)
	if err != nil {
		t.Fatalf("version 2 device: sync of an edit of a deleted product = %v", err)
	}
	if len(rep.Rejected) != 0 {
		t.Errorf("version 2 device: rejected %v, want none", rep.Rejected)
	}
	c.sync(cur)
	wantGone(t, cur, p.ID)
	if got := product(t, cur.DB, peas.ID); got.Name != "peas" {
		t.Errorf("current device: the older device's product = %q", got.Name)
	}
	if s := serverProduct(t, c.srv, p.ID); !s.Product.Deleted || s.Product.Quantity != 3 {
		t.Errorf("server: product deleted=%t quantity %d, want still deleted with quantity 3", s.Product.Deleted, s.Product.Quantity)
	}
	for _, v := range v2.seen {
		if v != 2 {
			t.Fatalf("the server answered the version 2 device in version %d", v)
		}
	}
}
