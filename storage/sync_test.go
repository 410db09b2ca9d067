package storage_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
)

func syncOpen(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "sync.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func allStamps(fields []string, ts domain.Timestamp) map[string]domain.Timestamp {
	out := map[string]domain.Timestamp{}
	for _, f := range fields {
		out[f] = ts
	}
	return out
}

func syncProduct(fid uuid.UUID, slot int) domain.Product {
	return domain.Product{ID: domain.NewID(), Name: "soup", TypeID: 1, Quantity: 1, PeriodMonths: 6,
		DateIn: domain.NewDate(2026, 1, 1), Location: domain.Location{FreezerID: fid, Box: 1, Slot: slot}}
}

func TestApplyPullRebasesQueuedEdits(t *testing.T) {
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
	// Everything so far was pushed and acknowledged.
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
	// A local rename waits in the outbox while the server sends an older
	// rename and a newer quantity.
	if _, err := db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptrTo("local name")}); err != nil {
		t.Fatal(err)
	}
	older := domain.Timestamp{Wall: time.Now().Add(-time.Hour).UnixMilli(), Node: "other"}
	newer := domain.Timestamp{Wall: time.Now().Add(time.Hour).UnixMilli(), Node: "other"}
	server := p
	server.Name, server.Quantity = "server name", 5
	stamps := allStamps(domain.ProductFields, older)
	stamps[domain.FieldQuantity] = newer
	res, err := db.ApplyPull(ctx, storage.PulledPage{Products: []storage.PulledProduct{{Product: server, Stamps: stamps}}, Cursor: 42, Epoch: "e1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Products != 1 {
		t.Fatalf("ApplyPull changed %d products, want 1", res.Products)
	}
	got, err := db.FindProduct(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "local name" || got.Quantity != 5 {
		t.Fatalf("after the pull: name %q quantity %d; want the queued name and the server's quantity", got.Name, got.Quantity)
	}
	st, err := db.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Cursor != 42 || st.Epoch != "e1" {
		t.Fatalf("sync state = %+v, want cursor 42, epoch e1", st)
	}
	// The clock moved past the server's stamps: the next edit orders after them.
	if !db.Clock().Last().After(newer) {
		t.Fatalf("clock %v did not move past the pulled stamp %v", db.Clock().Last(), newer)
	}
}

func TestApplyPullFlagsMovesAndKeepsTakenSlots(t *testing.T) {
	ctx := context.Background()
	db := syncOpen(t)
	f, err := db.CreateFreezer(ctx, "garage", 2)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := db.AddProduct(ctx, syncProduct(f.ID, 1))
	if err != nil {
		t.Fatal(err)
	}
	ts := domain.Timestamp{Wall: time.Now().Add(time.Minute).UnixMilli(), Node: "server"}
	moved := mine
	moved.Location.Slot = 3
	other := syncProduct(f.ID, 3) // pulled data may share a slot for a moment: no check
	batch, _ := db.OutboxBatch(ctx, 100)
	var acks []storage.Ack
	for _, m := range batch {
		acks = append(acks, storage.Ack{MutationID: m.ID})
	}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	res, err := db.ApplyPull(ctx, storage.PulledPage{Products: []storage.PulledProduct{
		{Product: moved, Stamps: allStamps(append(slices.Clip(domain.ProductFields), domain.FieldRelabel), ts),
			Relabel: &domain.Relabel{PutAt: mine.Location, By: "cafe", At: time.UnixMilli(ts.Wall).UTC()}},
		{Product: other, Stamps: allStamps(domain.ProductFields, ts)},
	}, Cursor: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Moves) != 1 || res.Moves[0].PutAt.Location != mine.Location || res.Moves[0].NowAt.Location != moved.Location ||
		res.Moves[0].PutAt.Freezer != "garage" || res.Moves[0].NowAt.Freezer != "garage" {
		t.Fatalf("moves = %+v, want slot 1 -> 3 in garage", res.Moves)
	}
	if got, want := res.Moves[0].PutAt.String()+" -> "+res.Moves[0].NowAt.String(), "garage box 1 slot 1 -> garage box 1 slot 3"; got != want {
		t.Fatalf("places = %q, want %q", got, want)
	}
	list, err := db.MovedProducts(ctx)
	if err != nil || len(list) != 1 || list[0].ID != mine.ID {
		t.Fatalf("MovedProducts = %+v, %v", list, err)
	}
	// Moving it by hand settles the relabel notice.
	loc := domain.Location{FreezerID: f.ID, Box: 2, Slot: 1}
	if _, err := db.UpdateProduct(ctx, mine.ID, storage.ProductUpdate{Location: &loc}); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.MovedProducts(ctx); len(list) != 0 {
		t.Fatalf("MovedProducts after a manual move = %d products, want 0", len(list))
	}
}

func TestAcknowledgeDropsRefusedCreates(t *testing.T) {
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
	if _, err := db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: ptrTo(3)}); err != nil {
		t.Fatal(err)
	}
	batch, _ := db.OutboxBatch(ctx, 2)
	if err := db.Acknowledge(ctx, []storage.Ack{
		{MutationID: batch[0].ID},
		{MutationID: batch[1].ID, Drop: true, Entity: domain.EntityProduct, EntityID: p.ID},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindProduct(ctx, p.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("FindProduct after a dropped create = %v, want not found", err)
	}
	if n, _ := db.PendingCount(ctx); n != 0 {
		t.Fatalf("pending = %d, want 0 (the product's queued update left too)", n)
	}
}

func TestReconcileQueuesWhatTheServerLacks(t *testing.T) {
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
	q, err := db.AddProduct(ctx, syncProduct(f.ID, 2))
	if err != nil {
		t.Fatal(err)
	}
	// Everything was acknowledged; then p is renamed and queued.
	batch, _ := db.OutboxBatch(ctx, 100)
	var acks []storage.Ack
	for _, m := range batch {
		acks = append(acks, storage.Ack{MutationID: m.ID})
	}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptrTo("renamed")}); err != nil {
		t.Fatal(err)
	}
	pStamps, _ := db.EntityStamps(ctx, domain.EntityProduct, p.ID)
	qStamps, _ := db.EntityStamps(ctx, domain.EntityProduct, q.ID)
	fStamps, _ := db.EntityStamps(ctx, domain.EntityFreezer, f.ID)

	// A restored server: it has the freezer as it was, q with older
	// stamps, and not p.
	if err := db.BeginReconcile(ctx, "e2"); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.SyncState(ctx); !st.Reconciling || st.Cursor != 0 || st.Epoch != "e2" {
		t.Fatalf("state after BeginReconcile = %+v", st)
	}
	if batch, _ := db.OutboxBatch(ctx, 100); len(batch) != 1 || batch[0].Op != domain.OpCreate || len(batch[0].Fields) != len(domain.ProductFields) {
		t.Fatalf("outbox after BeginReconcile = %+v, want p's rename turned into a full create", batch)
	}
	old := domain.Timestamp{Wall: 1, Node: "server"}
	oldQ := q
	oldQ.Quantity = 9
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Reconcile: true, Cursor: 2,
		Freezers: []storage.PulledFreezer{{Freezer: f, Stamps: fStamps}},
		Products: []storage.PulledProduct{{Product: oldQ, Stamps: allStamps(domain.ProductFields, old)}}}); err != nil {
		t.Fatal(err)
	}
	n, err := db.FinishReconcile(ctx, map[string]storage.Seen{"freezer/" + f.ID.String(): {Boxes: 2}, "product/" + q.ID.String(): {}})
	if err != nil || n != 1 {
		t.Fatalf("FinishReconcile = %d, %v; want p queued", n, err)
	}
	got, _ := db.FindProduct(ctx, q.ID)
	if got.Quantity != 1 {
		t.Fatalf("q's quantity = %d, want the local newer 1 kept", got.Quantity)
	}
	batch, err = db.OutboxBatch(ctx, 100)
	if err != nil || len(batch) != 2 {
		t.Fatalf("outbox = %d rows, %v; want q and p", len(batch), err)
	}
	want := map[uuid.UUID]map[string]domain.Timestamp{p.ID: pStamps, q.ID: qStamps}
	for _, m := range batch {
		for f, ts := range want[m.EntityID] {
			if m.Stamps[f] != ts {
				t.Fatalf("%s field %s queued with %v, want its stored stamp %v", m.EntityID, f, m.Stamps[f], ts)
			}
		}
	}
	if st, _ := db.SyncState(ctx); st.Reconciling {
		t.Fatalf("still reconciling after FinishReconcile")
	}
}

func TestSetSyncServer(t *testing.T) {
	ctx := context.Background()
	db := syncOpen(t)
	if _, err := db.CreateFreezer(ctx, "garage", 2); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSyncServer(ctx, "https://a.example/"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Cursor: 9, Epoch: "e1"}); err != nil {
		t.Fatal(err)
	}
	st, _ := db.SyncState(ctx)
	if st.Server != "https://a.example" || st.Cursor != 9 {
		t.Fatalf("state = %+v", st)
	}
	// Another server starts over.
	if err := db.SetSyncServer(ctx, "https://b.example"); err != nil {
		t.Fatal(err)
	}
	st, _ = db.SyncState(ctx)
	if st.Server != "https://b.example" || st.Cursor != 0 || st.Epoch != "" {
		t.Fatalf("state after changing server = %+v", st)
	}
}

func TestApplyPullUpdatesProductTypes(t *testing.T) {
	ctx := context.Background()
	db := syncOpen(t)
	types := append(domain.DefaultProductTypes(), domain.ProductType{ID: 44, NameEN: "kimchi", NameFR: "kimchi"})
	types[0].NameEN = "soups"
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Types: types, TypesTag: "t1"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.ProductTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 44 || got[0].NameEN != "soups" || got[43].NameEN != "kimchi" {
		t.Fatalf("types = %d, first %+v", len(got), got[0])
	}
	if st, _ := db.SyncState(ctx); st.TypesTag != "t1" {
		t.Fatalf("types tag = %q", st.TypesTag)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestClockOffsetIsKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offset.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveClockOffset(ctx, -90*time.Minute); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.ClockOffset(); got != -90*time.Minute {
		t.Fatalf("ClockOffset() after reopening = %v, want -1h30m", got)
	}
}

// TestApplyPullIsAllOrNothing cancels the application of a large page
// while it runs: either every product and the cursor are stored, or none of
// them, never the cursor ahead of the data.
func TestApplyPullIsAllOrNothing(t *testing.T) {
	db := syncOpen(t)
	fid := domain.NewID()
	ts := domain.Timestamp{Wall: time.Now().UnixMilli(), Node: "server"}
	var page storage.PulledPage
	for i := range 1000 {
		page.Products = append(page.Products, storage.PulledProduct{Product: syncProduct(fid, i+1), Stamps: allStamps(domain.ProductFields, ts)})
	}
	page.Cursor = 1000
	for _, delay := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), delay)
		_, err := db.ApplyPull(ctx, page)
		cancel()
		st, serr := db.SyncState(context.Background())
		if serr != nil {
			t.Fatal(serr)
		}
		rows, ferr := db.FindProducts(context.Background(), storage.ProductFilter{Where: storage.All})
		if ferr != nil {
			t.Fatal(ferr)
		}
		switch {
		case err == nil && (st.Cursor != 1000 || len(rows) != 1000):
			t.Fatalf("applied page: cursor %d, %d products", st.Cursor, len(rows))
		case err != nil && st.Cursor == 0 && len(rows) != 0:
			t.Fatalf("cancelled after %v: cursor 0 but %d products stored", delay, len(rows))
		case err != nil && st.Cursor != 0 && len(rows) != 1000:
			t.Fatalf("cancelled after %v: cursor %d ahead of %d products", delay, st.Cursor, len(rows))
		}
		if err == nil {
			return // applied: nothing more to cancel
		}
	}
}
