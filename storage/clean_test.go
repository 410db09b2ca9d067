package storage

import (
	"context"
	"strings"
	"testing"

	"freezer/domain"
)

// TestBoundsMigrationCleansDeviceData: a store of version 5 holding what
// earlier versions accepted (control and direction-override characters in
// names and descriptions, a stamp whose node is not a device id, the same
// in a queued change) comes out of migration 6 valid, with its folded
// columns following the cleaned name, and its queue still pushable.
func TestBoundsMigrationCleansDeviceData(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/freezer.db"
	w := mustOldStore(t, path, 5)
	freezer, product := domain.NewID(), domain.NewID()
	badStamp := "001764583200000-00000-dev_1 \u202E"
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := w.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO freezers (id, name, boxes, name_ts) VALUES (?, ?, 2, ?)`, freezer.String(), "frigo\x00 1", badStamp)
	exec(`INSERT INTO products (id, name, name_key, description, search, type_id, freezer_id, box, slot, quantity, date_in, period, deadline, location_ts)
		VALUES (?, ?, 'x', ?, 'x', 1, ?, 1, 1, 1, '2025-05-01', 3, '2025-08-01', ?)`,
		product.String(), "Soupe\u202E de Noël", "ligne 1\nligne\t2", freezer.String(), badStamp)
	exec(`INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, stamps, created_at)
		VALUES ('m1', 'product', ?, 'update', ?, ?, ?, '2025-05-01T00:00:00Z')`,
		product.String(), `{"name":"Soupe\u0000 2","quantity":2}`, badStamp, `{"quantity":"`+badStamp+`"}`)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	db := mustOpenPath(t, path)
	row, err := db.FindProduct(ctx, product)
	if err != nil {
		t.Fatalf("FindProduct() after the migration: %v", err)
	}
	if row.Name != "Soupe de Noël" || row.Description != "ligne 1\nligne2" {
		t.Fatalf("cleaned product = %q, %q", row.Name, row.Description)
	}
	if got := mustFind(t, db, ProductFilter{Text: "noel"}); len(got) != 1 {
		t.Fatalf("search for noel = %d products, want the cleaned one (its folded columns follow)", len(got))
	}
	stamps, err := db.EntityStamps(ctx, domain.EntityProduct, product)
	if err != nil {
		t.Fatalf("EntityStamps() after the migration: %v", err)
	}
	if got := stamps[domain.FieldLocation].Node; got != "dev1" {
		t.Fatalf("cleaned location stamp node = %q, want dev1", got)
	}
	freezers, err := db.ListFreezers(ctx)
	if err != nil || len(freezers) != 1 || freezers[0].Name != "frigo 1" {
		t.Fatalf("freezers after the migration = %+v, %v", freezers, err)
	}
	batch, err := db.OutboxBatch(ctx, 10)
	if err != nil || len(batch) != 1 {
		t.Fatalf("OutboxBatch() = %d, %v; want the queued change", len(batch), err)
	}
	if string(batch[0].Fields[domain.FieldName]) != `"Soupe 2"` || batch[0].Stamps[domain.FieldQuantity].Node != "dev1" {
		t.Fatalf("queued change = %s %v, want cleaned", batch[0].Fields[domain.FieldName], batch[0].Stamps)
	}
	if !strings.HasPrefix(batch[0].Stamps[domain.FieldName].String(), "001764583200000-00000-") {
		t.Fatalf("queued change's common stamp = %s, want its time kept", batch[0].Stamps[domain.FieldName])
	}
}
