package sqlstore

import (
	"context"
	"testing"
	"time"

	"freezer/domain"
	"freezer/sync/protocol"
)

func barcodePush(device string, b domain.Barcode, ts domain.Timestamp) protocol.PushRequest {
	return protocol.PushRequest{Version: protocol.Version, Device: device, Mutations: []protocol.Mutation{{
		ID: domain.NewID().String(), Entity: domain.EntityBarcode, EntityID: domain.BarcodeID(b.Code), Op: domain.OpCreate,
		Fields: domain.BarcodeValues(b), Stamp: ts}}}
}

func pulledBarcodes(t *testing.T, db *DB, account int64) []protocol.BarcodeState {
	t.Helper()
	page, err := db.Pull(context.Background(), account, 0, protocol.MaxPullPage, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []protocol.BarcodeState
	for _, c := range page.Changes {
		if c.Entity == domain.EntityBarcode {
			b, err := protocol.DecodeBarcode(c)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

// TestBarcodesPerAccount: one barcode remembered in two households is two
// rows, each household's own (its id is the same everywhere); a repeated
// push is a duplicate; barcodes count in the quota; deleting an account
// deletes its barcodes and leaves the other's.
func TestBarcodesPerAccount(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	anne, bob := mustAccount(t, db, "anne@example.com"), mustAccount(t, db, "bob@example.com")
	ts := domain.Timestamp{Wall: db.Now().Add(-time.Minute).UnixMilli(), Node: "dev1"} // the store's clock may be pinned
	peas := domain.Barcode{Code: "5410041001204", Name: "Petits pois", TypeID: 12, PeriodMonths: 8}
	req := barcodePush("dev1", peas, ts)
	for _, acct := range []int64{anne, bob} {
		resp, err := db.Push(ctx, acct, req)
		if err != nil || len(resp.Results) != 1 || resp.Results[0].Status != protocol.StatusApplied || resp.Results[0].Seq == 0 {
			t.Fatalf("push to account %d = %+v, %v; want applied, the device's own", acct, resp.Results, err)
		}
	}
	if resp, err := db.Push(ctx, anne, req); err != nil || resp.Results[0].Status != protocol.StatusDuplicate {
		t.Fatalf("repeated push = %+v, %v; want a duplicate", resp.Results, err)
	}
	bobs := peas
	bobs.Name = "Pois de Bob"
	if _, err := db.Push(ctx, bob, barcodePush("dev2", bobs, domain.Timestamp{Wall: ts.Wall + 1, Node: "dev2"})); err != nil {
		t.Fatal(err)
	}
	if got := pulledBarcodes(t, db, anne); len(got) != 1 || got[0].Barcode != peas {
		t.Fatalf("anne's barcodes = %+v, want her own peas", got)
	}
	if got := pulledBarcodes(t, db, bob); len(got) != 1 || got[0].Barcode.Name != "Pois de Bob" {
		t.Fatalf("bob's barcodes = %+v, want his renamed peas", got)
	}
	var held int
	if err := db.read(ctx, func(tx *tx) error {
		var err error
		held, err = tx.entityCount(ctx, anne)
		return err
	}); err != nil || held != 1 {
		t.Fatalf("anne's entity count = %d, %v; want her barcode counted", held, err)
	}
	if err := db.DeleteAccount(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if got := pulledBarcodes(t, db, anne); len(got) != 1 {
		t.Fatalf("deleting bob's account took anne's barcode: %+v", got)
	}
	var left int
	if err := db.read(ctx, func(tx *tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM barcodes WHERE account_id = ?`, bob).Scan(&left)
	}); err != nil || left != 0 {
		t.Fatalf("bob's barcodes after deleting his account = %d, %v", left, err)
	}
}
