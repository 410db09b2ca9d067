package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"freezer/domain"
	"freezer/storage"
)

// relabelFields are the product's fields with its relabel notice.
var relabelFields = append(slices.Clip(domain.ProductFields), domain.FieldRelabel)

// mustAckAll acknowledges every queued mutation, as a push would.
func mustAckAll(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	batch, err := db.OutboxBatch(ctx, 100)
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
}

// pulledNotice sets up a device that pulled its own product back moved from
// slot 1 to slot 2 with a relabel notice stamped ts (the repair's stamp).
func pulledNotice(t *testing.T) (*storage.DB, domain.Product, *domain.Relabel, domain.Timestamp) {
	t.Helper()
	ctx := context.Background()
	db := syncOpen(t)
	f, err := db.CreateFreezer(ctx, "garage", 2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.AddProduct(ctx, syncProduct(f.ID, 1))
	if err != nil {
		t.Fatal(err)
	}
	mustAckAll(t, db)
	ts := domain.Timestamp{Wall: time.Now().UnixMilli(), Node: "cafe"}.Repair()
	notice := &domain.Relabel{PutAt: p.Location, By: "cafe", At: time.UnixMilli(ts.Wall).UTC()}
	moved := p
	moved.Location.Slot = 2
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Products: []storage.PulledProduct{
		{Product: moved, Stamps: allStamps(relabelFields, ts), Relabel: notice}}, Cursor: 1}); err != nil {
		t.Fatal(err)
	}
	return db, moved, notice, ts
}

func TestPulledRelabelNoticeIsListed(t *testing.T) {
	ctx := context.Background()
	db, p, notice, _ := pulledNotice(t)
	row, err := db.FindProduct(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Relabel == nil || *row.Relabel != *notice {
		t.Fatalf("FindProduct().Relabel = %+v, want %+v", row.Relabel, notice)
	}
	list, err := db.MovedProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != p.ID || list[0].Relabel == nil {
		t.Fatalf("MovedProducts() = %+v, want the product with its notice", list)
	}
}

func TestClearRelabelQueuesTheClearing(t *testing.T) {
	ctx := context.Background()
	db, p, notice, ts := pulledNotice(t)
	n, err := db.ClearRelabel(ctx)
	if err != nil || n != 1 {
		t.Fatalf("ClearRelabel() = %d, %v; want 1", n, err)
	}
	if row, _ := db.FindProduct(ctx, p.ID); row.Relabel != nil {
		t.Fatalf("notice %+v left after ClearRelabel", row.Relabel)
	}
	batch, err := db.OutboxBatch(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(batch) != 1 || batch[0].EntityID != p.ID || len(batch[0].Fields) != 1 ||
		string(batch[0].Fields[domain.FieldRelabel]) != "null" || !batch[0].Stamps[domain.FieldRelabel].After(ts) {
		t.Fatalf("outbox = %+v, want one clearing of the notice stamped after %v", batch, ts)
	}
	// The server's notice pulled again loses to the queued clearing (rebase).
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Products: []storage.PulledProduct{
		{Product: p, Stamps: allStamps(relabelFields, ts), Relabel: notice}}, Cursor: 2}); err != nil {
		t.Fatal(err)
	}
	if row, _ := db.FindProduct(ctx, p.ID); row.Relabel != nil {
		t.Fatalf("the pulled notice came back over the queued clearing")
	}
	// Once acknowledged, a pull of the cleared state keeps it cleared; a
	// second ClearRelabel has nothing to do.
	stamps := allStamps(relabelFields, ts)
	stamps[domain.FieldRelabel] = batch[0].Stamps[domain.FieldRelabel]
	mustAckAll(t, db)
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Products: []storage.PulledProduct{
		{Product: p, Stamps: stamps}}, Cursor: 3}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ClearRelabel(ctx, p.ID); err != nil || n != 0 {
		t.Fatalf("ClearRelabel() again = %d, %v; want 0", n, err)
	}
}

func TestLocalMoveSettlesRelabelNotice(t *testing.T) {
	ctx := context.Background()
	db, p, _, _ := pulledNotice(t)
	to := p.Location
	to.Slot = 5
	if _, err := db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Location: &to}); err != nil {
		t.Fatal(err)
	}
	row, _ := db.FindProduct(ctx, p.ID)
	stamps, err := db.EntityStamps(ctx, domain.EntityProduct, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Relabel != nil || stamps[domain.FieldRelabel] != stamps[domain.FieldLocation] {
		t.Fatalf("after a move: notice %+v stamped %v, want none stamped like the location %v",
			row.Relabel, stamps[domain.FieldRelabel], stamps[domain.FieldLocation])
	}
}

// TestReconcileResendsRelabelNotice: a device queues a product again in
// full after a restore, notice and its stamp included.
func TestReconcileResendsRelabelNotice(t *testing.T) {
	ctx := context.Background()
	db, p, notice, ts := pulledNotice(t)
	if err := db.BeginReconcile(ctx, "restored"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishReconcile(ctx, map[string]storage.Seen{}); err != nil { // the server sent nothing back
		t.Fatal(err)
	}
	batch, err := db.OutboxBatch(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range batch {
		if m.EntityID != p.ID {
			continue
		}
		got, err := domain.ParseRelabel(m.Fields[domain.FieldRelabel])
		if err != nil || got == nil || *got != *notice || m.Stamps[domain.FieldRelabel] != ts {
			t.Fatalf("re-sent notice %s stamped %v, want %+v stamped %v", m.Fields[domain.FieldRelabel], m.Stamps[domain.FieldRelabel], notice, ts)
		}
		return
	}
	t.Fatalf("the product was not queued again: %+v", batch)
}
