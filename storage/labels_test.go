package storage_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
)

func TestRecordLabelsPrinted(t *testing.T) {
	ctx := context.Background()
	db := syncOpen(t)
	f, err := db.CreateFreezer(ctx, "garage", 2)
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateFreezer(ctx, "cave", 1)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.AddProduct(ctx, syncProduct(f.ID, 1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.AddProduct(ctx, syncProduct(other.ID, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.LabelsPrinted(ctx, uuid.Nil); err != nil || len(got) != 0 {
		t.Fatalf("LabelsPrinted() before any print = %v, %v; want none", got, err)
	}
	if n, err := db.RecordLabelsPrinted(ctx, a.ID, b.ID); err != nil || n != 0 {
		t.Fatalf("RecordLabelsPrinted() = %d, %v; want 0 notices cleared", n, err)
	}
	got, err := db.LabelsPrinted(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[a.ID].At != a.Location {
		t.Fatalf("LabelsPrinted(garage) = %+v, want only %s at %+v", got, a.ID, a.Location)
	}
	// A move leaves the record where the label was printed; a new print
	// moves it.
	moved := domain.Location{FreezerID: f.ID, Box: 2, Slot: 4}
	if _, err := db.UpdateProduct(ctx, a.ID, storage.ProductUpdate{Location: &moved}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.LabelsPrinted(ctx, f.ID); got[a.ID].At != a.Location {
		t.Fatalf("after a move, the label is at %+v, want the old place %+v", got[a.ID].At, a.Location)
	}
	if _, err := db.RecordLabelsPrinted(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.LabelsPrinted(ctx, f.ID); got[a.ID].At != moved {
		t.Fatalf("after a new print, the label is at %+v, want %+v", got[a.ID].At, moved)
	}
	// An unknown product changes nothing, the others named included.
	if _, err := db.RecordLabelsPrinted(ctx, b.ID, domain.NewID()); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RecordLabelsPrinted(unknown) error = %v, want not found", err)
	}
	all, _ := db.LabelsPrinted(ctx, uuid.Nil)
	if len(all) != 2 {
		t.Fatalf("LabelsPrinted(all) = %d records, want 2", len(all))
	}
}

func TestPrintingClearsRelabelNotice(t *testing.T) {
	ctx := context.Background()
	db, moved, _, _ := pulledNotice(t)
	before, err := db.FindProduct(ctx, moved.ID)
	if err != nil || before.Relabel == nil {
		t.Fatalf("FindProduct() = %+v, %v; want a relabel notice", before.Relabel, err)
	}
	pending, err := db.PendingCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.RecordLabelsPrinted(ctx, moved.ID)
	if err != nil || n != 1 {
		t.Fatalf("RecordLabelsPrinted() = %d, %v; want 1 notice cleared", n, err)
	}
	after, err := db.FindProduct(ctx, moved.ID)
	if err != nil || after.Relabel != nil {
		t.Fatalf("after printing, the notice is %+v (%v), want none", after.Relabel, err)
	}
	// The clearing is queued, so every device clears it when it syncs.
	if now, err := db.PendingCount(ctx); err != nil || now != pending+1 {
		t.Fatalf("Pending() = %d, %v; want %d (the clearing queued)", now, err, pending+1)
	}
	got, _ := db.LabelsPrinted(ctx, moved.Location.FreezerID)
	if got[moved.ID].At != moved.Location {
		t.Fatalf("the label is recorded at %+v, want %+v (where the server put it)", got[moved.ID].At, moved.Location)
	}
}
