package storage

import (
	"context"
	"testing"
	"time"

	"freezer/domain"
)

const (
	peasEAN = "5410041001204"
	colaUPC = "036000291452" // its EAN-13: 0036000291452
)

// ackAll acknowledges every queued mutation, as a push would.
func ackAll(t *testing.T, db *DB) {
	t.Helper()
	batch, err := db.OutboxBatch(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var acks []Ack
	for _, m := range batch {
		acks = append(acks, Ack{MutationID: m.ID})
	}
	if err := db.Acknowledge(context.Background(), acks); err != nil {
		t.Fatal(err)
	}
}

// A barcode is remembered with its name, type and period and queued as a
// create with every field; a UPC-A finds its EAN-13; remembering it again
// unchanged writes nothing; a change queues only the changed fields.
func TestRememberBarcode(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	if _, err := db.FindBarcode(ctx, peasEAN); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("FindBarcode() of an unknown barcode = %v, want not found", err)
	}
	b, changed, err := db.RememberBarcode(ctx, domain.Barcode{Code: " " + peasEAN + "\n", Name: " Petits pois ", TypeID: 12, PeriodMonths: 8})
	if err != nil || !changed {
		t.Fatalf("RememberBarcode() = %v, changed %t", err, changed)
	}
	want := domain.Barcode{Code: peasEAN, Name: "Petits pois", TypeID: 12, PeriodMonths: 8}
	if b != want {
		t.Fatalf("RememberBarcode() = %+v, want %+v", b, want)
	}
	if got, err := db.FindBarcode(ctx, peasEAN); err != nil || got != want {
		t.Fatalf("FindBarcode() = %+v, %v; want %+v", got, err, want)
	}
	batch, err := db.OutboxBatch(ctx, 10)
	if err != nil || len(batch) != 1 {
		t.Fatalf("outbox = %d rows, %v; want the create", len(batch), err)
	}
	m := batch[0]
	if m.Entity != domain.EntityBarcode || m.EntityID != domain.BarcodeID(peasEAN) || m.Op != domain.OpCreate || len(m.Fields) != len(domain.BarcodeFields) {
		t.Fatalf("queued %s %s %s with %d fields, want a barcode create with every field", m.Entity, m.EntityID, m.Op, len(m.Fields))
	}
	ackAll(t, db)

	if _, changed, err := db.RememberBarcode(ctx, want); err != nil || changed {
		t.Fatalf("RememberBarcode() unchanged = changed %t, %v; want nothing written", changed, err)
	}
	if n, _ := db.PendingCount(ctx); n != 0 {
		t.Fatalf("an unchanged barcode queued %d mutations", n)
	}
	before, _ := db.EntityStamps(ctx, domain.EntityBarcode, domain.BarcodeID(peasEAN))
	want.PeriodMonths = 10
	if _, changed, err := db.RememberBarcode(ctx, want); err != nil || !changed {
		t.Fatalf("RememberBarcode() new period = changed %t, %v", changed, err)
	}
	batch, _ = db.OutboxBatch(ctx, 10)
	if len(batch) != 1 || batch[0].Op != domain.OpUpdate || len(batch[0].Fields) != 1 || batch[0].Fields[domain.FieldPeriod] == nil {
		t.Fatalf("outbox after a new period = %+v, want one update of the period", batch)
	}
	after, _ := db.EntityStamps(ctx, domain.EntityBarcode, domain.BarcodeID(peasEAN))
	if after[domain.FieldName] != before[domain.FieldName] || !after[domain.FieldPeriod].After(before[domain.FieldPeriod]) {
		t.Fatalf("stamps %v -> %v: want only the period stamped again", before, after)
	}

	// UPC-A: remembered and found under its EAN-13, by either form.
	if _, _, err := db.RememberBarcode(ctx, domain.Barcode{Code: colaUPC, Name: "Cola", TypeID: 43, PeriodMonths: 3}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{colaUPC, "0" + colaUPC} {
		if got, err := db.FindBarcode(ctx, code); err != nil || got.Code != "0"+colaUPC || got.Name != "Cola" {
			t.Errorf("FindBarcode(%q) = %+v, %v", code, got, err)
		}
	}
	all, err := db.Barcodes(ctx)
	if err != nil || len(all) != 2 || all[0].Code != "0"+colaUPC {
		t.Errorf("Barcodes() = %+v, %v", all, err)
	}
}

// Bad input is refused with the field it breaks and changes nothing.
func TestRememberBarcodeRefused(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	good := domain.Barcode{Code: peasEAN, Name: "Petits pois", TypeID: 12, PeriodMonths: 8}
	tests := []struct {
		name  string
		edit  func(*domain.Barcode)
		field string
	}{
		{"wrong check digit", func(b *domain.Barcode) { b.Code = "5410041001205" }, domain.FieldCode},
		{"not a barcode", func(b *domain.Barcode) { b.Code = "FRZ:B:x:1" }, domain.FieldCode},
		{"no name", func(b *domain.Barcode) { b.Name = " " }, domain.FieldName},
		{"unknown type", func(b *domain.Barcode) { b.TypeID = 999 }, domain.FieldType},
		{"period 0", func(b *domain.Barcode) { b.PeriodMonths = 0 }, domain.FieldPeriod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good
			tt.edit(&b)
			_, _, err := db.RememberBarcode(ctx, b)
			if domain.ErrorCode(err) != domain.EInvalid || domain.ErrorField(err) != tt.field {
				t.Fatalf("RememberBarcode() = %v (field %q), want invalid %q", err, domain.ErrorField(err), tt.field)
			}
		})
	}
	if all, _ := db.Barcodes(ctx); len(all) != 0 {
		t.Errorf("refused barcodes stored: %+v", all)
	}
	if n, _ := db.PendingCount(ctx); n != 0 {
		t.Errorf("refused barcodes queued %d mutations", n)
	}
	if _, err := db.FindBarcode(ctx, "12"); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("FindBarcode(\"12\") = %v, want invalid", err)
	}
}

// A pulled barcode takes the server's state with the queued fields whose
// stamps are newer put back on top; a refused create drops it.
func TestApplyPullBarcode(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	if _, _, err := db.RememberBarcode(ctx, domain.Barcode{Code: peasEAN, Name: "Petits pois", TypeID: 12, PeriodMonths: 8}); err != nil {
		t.Fatal(err)
	}
	// The store's clock is pinned to testNow.
	older := domain.Timestamp{Wall: testNow.Add(-time.Hour).UnixMilli(), Node: "other"}
	newer := domain.Timestamp{Wall: testNow.Add(time.Hour).UnixMilli(), Node: "other"}
	stamps := map[string]domain.Timestamp{domain.FieldCode: older, domain.FieldName: older, domain.FieldType: newer, domain.FieldPeriod: older}
	server := domain.Barcode{Code: peasEAN, Name: "Pois fins", TypeID: 11, PeriodMonths: 3}
	other := domain.Barcode{Code: "4006381333931", Name: "Frites", TypeID: 20, PeriodMonths: 6}
	res, err := db.ApplyPull(ctx, PulledPage{Cursor: 5, Barcodes: []PulledBarcode{
		{Barcode: server, Stamps: stamps},
		{Barcode: other, Stamps: map[string]domain.Timestamp{domain.FieldCode: older, domain.FieldName: older, domain.FieldType: older, domain.FieldPeriod: older}},
	}})
	if err != nil || res.Barcodes != 2 {
		t.Fatalf("ApplyPull() = %+v, %v; want 2 barcodes changed", res, err)
	}
	got, _ := db.FindBarcode(ctx, peasEAN)
	if want := (domain.Barcode{Code: peasEAN, Name: "Petits pois", TypeID: 11, PeriodMonths: 8}); got != want {
		t.Fatalf("after the pull = %+v, want the queued name and period and the server's newer type: %+v", got, want)
	}
	if got, _ := db.FindBarcode(ctx, other.Code); got != other {
		t.Fatalf("pulled barcode = %+v, want %+v", got, other)
	}
	if !db.Clock().Last().After(newer) {
		t.Fatalf("the clock did not move past the pulled stamps")
	}
	batch, _ := db.OutboxBatch(ctx, 10)
	if err := db.Acknowledge(ctx, []Ack{{MutationID: batch[0].ID, Drop: true, Entity: domain.EntityBarcode, EntityID: domain.BarcodeID(peasEAN)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindBarcode(ctx, peasEAN); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("a dropped barcode is still found (%v)", err)
	}
}

// A reconciliation queues again, in full and with their stored stamps,
// the barcodes the server lacks.
func TestReconcileBarcodes(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	if _, _, err := db.RememberBarcode(ctx, domain.Barcode{Code: peasEAN, Name: "Petits pois", TypeID: 12, PeriodMonths: 8}); err != nil {
		t.Fatal(err)
	}
	ackAll(t, db)
	stamps, _ := db.EntityStamps(ctx, domain.EntityBarcode, domain.BarcodeID(peasEAN))
	if err := db.BeginReconcile(ctx, "e2"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.FinishReconcile(ctx, map[string]Seen{}); err != nil || n != 1 {
		t.Fatalf("FinishReconcile() = %d, %v; want the barcode queued", n, err)
	}
	batch, _ := db.OutboxBatch(ctx, 10)
	if len(batch) != 1 || batch[0].Entity != domain.EntityBarcode || len(batch[0].Fields) != len(domain.BarcodeFields) {
		t.Fatalf("outbox = %+v, want the barcode in full", batch)
	}
	for f, ts := range stamps {
		if batch[0].Stamps[f] != ts {
			t.Errorf("field %s queued with %s, want its stored stamp %s", f, batch[0].Stamps[f], ts)
		}
	}
}

// Migration 9 makes the table and starts the pull cursor over: the server
// left barcodes out of what it sent the older app.
func TestMigrationBarcodes(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/freezer.db"
	w := mustOldStore(t, path, 8)
	if err := setMeta(ctx, w, metaSyncCursor, "42"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db := mustOpenPath(t, path)
	if st, err := db.SyncState(ctx); err != nil || st.Cursor != 0 {
		t.Fatalf("cursor after the migration = %d, %v; want 0 (pull everything again)", st.Cursor, err)
	}
	if all, err := db.Barcodes(ctx); err != nil || len(all) != 0 {
		t.Fatalf("Barcodes() after the migration = %+v, %v", all, err)
	}
}
