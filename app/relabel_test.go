package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"freezer/app"
	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// TestOverviewListsRelabelNotices: the overview lists the products with a
// relabel notice, naming the device that put them ("" for this one), and
// ClearRelabel clears them and queues the clearing for the other devices.
func TestOverviewListsRelabelNotices(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	f, err := db.CreateFreezer(ctx, "garage", 2)
	if err != nil {
		t.Fatal(err)
	}
	var placed []domain.Product
	for _, by := range []string{db.DeviceID(), "cafe0123cafe0123"} {
		p, err := db.AddProduct(ctx, domain.Product{Name: "soup " + by[:4], TypeID: 1, PeriodMonths: 6,
			DateIn: domain.NewDate(2026, 1, 10), Location: domain.Location{FreezerID: f.ID, Box: 1}})
		if err != nil {
			t.Fatal(err)
		}
		placed = append(placed, p)
	}
	batch, err := db.OutboxBatch(ctx, 100) // pushed: the server's state wins on pull
	if err != nil {
		t.Fatal(err)
	}
	var acks []storage.Ack
	for _, m := range batch {
		acks = append(acks, storage.Ack{MutationID: m.ID})
	}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	// The server moved both 5 slots on, each put by its own device.
	put := time.Now().UTC().Truncate(time.Millisecond)
	var pulled []storage.PulledProduct
	for i, by := range []string{db.DeviceID(), "cafe0123cafe0123"} {
		ts := domain.Timestamp{Wall: put.UnixMilli(), Node: by}.Repair()
		stamps := map[string]domain.Timestamp{domain.FieldRelabel: ts}
		for _, fl := range domain.ProductFields {
			stamps[fl] = ts
		}
		moved := placed[i]
		moved.Location.Slot += 5
		pulled = append(pulled, storage.PulledProduct{Product: moved, Stamps: stamps,
			Relabel: &domain.Relabel{PutAt: placed[i].Location, By: by, At: put}})
	}
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Products: pulled, Cursor: 1}); err != nil {
		t.Fatal(err)
	}
	inv := app.New(db)
	ov, err := inv.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var by []string
	for _, r := range ov.Relabel {
		if r.Relabel == nil || r.Relabel.PutAt != (ui.Place{Freezer: "garage", Box: 1, Slot: r.Location.Slot - 5}) || !r.Relabel.At.Equal(put) {
			t.Fatalf("overview notice of %s = %+v, want put in garage box 1 slot %d at %v", r.Name, r.Relabel, r.Location.Slot-5, put)
		}
		by = append(by, r.Relabel.By)
	}
	slices.Sort(by)
	if want := []string{"", "cafe0123cafe0123"}; !slices.Equal(by, want) {
		t.Fatalf("notices by %q, want %q (this device, then the other)", by, want)
	}
	before, _ := db.PendingCount(ctx)
	if err := inv.ClearRelabel(ctx); err != nil {
		t.Fatal(err)
	}
	if ov, _ := inv.Overview(ctx); len(ov.Relabel) != 0 {
		t.Fatalf("notices after ClearRelabel = %+v, want none", ov.Relabel)
	}
	if after, _ := db.PendingCount(ctx); after != before+2 {
		t.Fatalf("pending = %d, want %d (two clearings queued)", after, before+2)
	}
}
