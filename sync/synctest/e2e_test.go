package synctest_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/synctest"
)

const token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// cluster is a server on loopback and its devices.
type cluster struct {
	t       *testing.T
	srv     synctest.Backend
	url     string
	devices []*synctest.Device
}

// backends are the servers every end-to-end test runs against: freezerd's
// real handler over a temporary SQLite file, and the in-memory reference.
var backends = []struct {
	name string
	new  func(t *testing.T) synctest.Backend
}{
	{"freezerd", func(t *testing.T) synctest.Backend {
		s, err := synctest.NewRealServer(t, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}},
	{"memory", func(t *testing.T) synctest.Backend { return synctest.NewServer(token) }},
}

// newCluster is set by forEachBackend.
var newCluster func(t *testing.T, skews ...time.Duration) *cluster

// forEachBackend runs test against every backend.
func forEachBackend(t *testing.T, test func(t *testing.T)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			newCluster = func(t *testing.T, skews ...time.Duration) *cluster {
				t.Helper()
				srv := b.new(t)
				ts := httptest.NewServer(srv)
				t.Cleanup(ts.Close)
				c := &cluster{t: t, srv: srv, url: ts.URL}
				for i, skew := range skews {
					c.devices = append(c.devices, synctest.NewDevice(t, string(rune('a'+i)), ts.URL, srv.AuthToken(), skew))
				}
				return c
			}
			test(t)
		})
	}
}

func (c *cluster) sync(d *synctest.Device) {
	c.t.Helper()
	if _, err := d.Sync(context.Background()); err != nil {
		c.t.Fatalf("sync %s: %v", d.Name, err)
	}
}

// converge syncs every device twice and checks that all of them and the
// server hold the same inventory, with no two products inside in one slot.
func (c *cluster) converge() string {
	c.t.Helper()
	for range 2 {
		for _, d := range c.devices {
			c.sync(d)
		}
	}
	want := synctest.DumpStates(c.srv.Freezers(), c.srv.Products())
	for _, d := range c.devices {
		got, err := d.Dump()
		if err != nil {
			c.t.Fatal(err)
		}
		if got != want {
			c.t.Fatalf("device %s differs from the server:\n%s\nserver:\n%s", d.Name, got, want)
		}
		if n, _ := d.DB.PendingCount(context.Background()); n != 0 {
			c.t.Fatalf("device %s still has %d pending mutations", d.Name, n)
		}
	}
	if v := synctest.SlotViolations(c.srv.Products()); v != "" {
		c.t.Fatalf("slot collision on the server: %s", v)
	}
	return want
}

func mustFreezer(t *testing.T, db *storage.DB, name string, boxes int) domain.Freezer {
	t.Helper()
	f, err := db.CreateFreezer(context.Background(), name, boxes)
	if err != nil {
		t.Fatalf("CreateFreezer(%q) = %v", name, err)
	}
	return f
}

func mustProduct(t *testing.T, db *storage.DB, name string, f uuid.UUID, box, slot int) domain.Product {
	t.Helper()
	p, err := db.AddProduct(context.Background(), domain.Product{Name: name, TypeID: 1, PeriodMonths: 6,
		DateIn: domain.NewDate(2026, 1, 10), Location: domain.Location{FreezerID: f, Box: box, Slot: slot}})
	if err != nil {
		t.Fatalf("AddProduct(%q) = %v", name, err)
	}
	return p
}

func product(t *testing.T, db *storage.DB, id uuid.UUID) storage.ProductRow {
	t.Helper()
	p, err := db.FindProduct(context.Background(), id)
	if err != nil {
		t.Fatalf("FindProduct(%s) = %v", id, err)
	}
	return p
}

func ptr[T any](v T) *T { return &v }

func TestFirstSyncOfExistingInventory(t *testing.T) {
	forEachBackend(t, testFirstSyncOfExistingInventory)
}

func testFirstSyncOfExistingInventory(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	if err := a.DB.LoadSample(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 2 freezers, 10 products inside and 23 taken out (the sample's history).
	if rep.Pushed != 35 || rep.Pending != 0 {
		t.Fatalf("first sync pushed %d, %d pending; want 35 and 0", rep.Pushed, rep.Pending)
	}
	rep, err = b.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pulled != 35 {
		t.Fatalf("new device pulled %d changes, want 35", rep.Pulled)
	}
	c.converge()
}

func TestConcurrentEditsOfDifferentFieldsBothSurvive(t *testing.T) {
	forEachBackend(t, testConcurrentEditsOfDifferentFieldsBothSurvive)
}

func testConcurrentEditsOfDifferentFieldsBothSurvive(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	p := mustProduct(t, a.DB, "soup", f.ID, 1, 0)
	c.converge()
	if _, err := a.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("tomato soup")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: ptr(4)}); err != nil {
		t.Fatal(err)
	}
	c.sync(b)
	c.sync(a)
	c.converge()
	got := product(t, b.DB, p.ID)
	if got.Name != "tomato soup" || got.Quantity != 4 {
		t.Fatalf("after merge: name %q quantity %d, want %q and 4", got.Name, got.Quantity, "tomato soup")
	}
}

func TestSameFieldLaterStampWins(t *testing.T) { forEachBackend(t, testSameFieldLaterStampWins) }

func testSameFieldLaterStampWins(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	p := mustProduct(t, a.DB, "soup", f.ID, 1, 0)
	c.converge()
	if _, err := a.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("first")}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if _, err := b.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("second")}); err != nil {
		t.Fatal(err)
	}
	c.sync(b) // the later edit reaches the server first
	c.sync(a)
	c.converge()
	if got := product(t, a.DB, p.ID).Name; got != "second" {
		t.Fatalf("name = %q, want the later edit %q", got, "second")
	}
}

func TestTakeOutAgainstRename(t *testing.T) { forEachBackend(t, testTakeOutAgainstRename) }

func testTakeOutAgainstRename(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	p := mustProduct(t, a.DB, "soup", f.ID, 1, 0)
	c.converge()
	if _, err := a.DB.TakeOutProduct(ctx, p.ID, domain.NewDate(2026, 2, 1), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("leek soup")}); err != nil {
		t.Fatal(err)
	}
	c.sync(a)
	c.sync(b)
	c.converge()
	got := product(t, a.DB, p.ID)
	if got.Inside() || got.Name != "leek soup" {
		t.Fatalf("after merge: inside %t name %q, want taken out and renamed", got.Inside(), got.Name)
	}
}

func TestSlotCollisionMovesTheNewcomer(t *testing.T) {
	forEachBackend(t, testSlotCollisionMovesTheNewcomer)
}

func testSlotCollisionMovesTheNewcomer(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	mustProduct(t, a.DB, "peas", f.ID, 2, 0) // slot 1
	c.converge()
	pa := mustProduct(t, a.DB, "soup", f.ID, 2, 0) // both take slot 2, offline
	pb := mustProduct(t, b.DB, "cake", f.ID, 2, 0)
	if pa.Location.Slot != 2 || pb.Location.Slot != 2 {
		t.Fatalf("slots %d and %d, want both 2", pa.Location.Slot, pb.Location.Slot)
	}
	c.sync(a)
	rep, err := b.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Moves) != 1 || rep.Moves[0].ProductID != pb.ID.String() || rep.Moves[0].NowAt.Slot != 3 || rep.Moves[0].Name != "cake" {
		t.Fatalf("moves = %+v, want cake moved to slot 3", rep.Moves)
	}
	c.converge()
	if got := product(t, a.DB, pa.ID).Location.Slot; got != 2 {
		t.Fatalf("soup slot = %d, want 2 (it held the slot first)", got)
	}
	if got := product(t, a.DB, pb.ID).Location.Slot; got != 3 {
		t.Fatalf("cake slot = %d, want 3", got)
	}
	hist, err := a.DB.ProductHistory(ctx, pb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) == 0 {
		t.Fatalf("cake has no history on device a")
	}
	hist, err = b.DB.ProductHistory(ctx, pb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := hist[len(hist)-1]; last.Kind != storage.ChangeMoved {
		t.Fatalf("cake's last history on b = %q, want %q", last.Kind, storage.ChangeMoved)
	}
}

func TestFreezerDeleteRefusedWhileAProductIsInside(t *testing.T) {
	forEachBackend(t, testFreezerDeleteRefusedWhileAProductIsInside)
}

func testFreezerDeleteRefusedWhileAProductIsInside(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "old chest", 2)
	c.converge()
	p := mustProduct(t, b.DB, "bread", f.ID, 1, 0) // b puts a product in while a deletes the freezer
	if err := a.DB.DeleteFreezer(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	c.sync(b)
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].EntityID != f.ID.String() {
		t.Fatalf("rejected = %+v, want the freezer's deletion", rep.Rejected)
	}
	c.converge()
	got, err := a.DB.FindFreezer(ctx, f.ID)
	if err != nil || got.Deleted {
		t.Fatalf("freezer on a: %+v, %v; want it back, not deleted", got, err)
	}
	// With only taken-out products, the freezer may go; their history stays.
	if _, err := b.DB.TakeOutProduct(ctx, p.ID, domain.NewDate(2026, 3, 1), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	c.converge()
	if err := a.DB.DeleteFreezer(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	c.converge()
	if got, _ := b.DB.FindFreezer(ctx, f.ID); !got.Deleted {
		t.Fatalf("freezer on b not deleted")
	}
	if got := product(t, b.DB, p.ID); got.Inside() || got.Location.FreezerID != f.ID {
		t.Fatalf("taken-out product on b = %+v, want kept with its freezer", got.Product)
	}
}

func TestNewProductTypeReachesDevices(t *testing.T) {
	forEachBackend(t, testNewProductTypeReachesDevices)
}

func testNewProductTypeReachesDevices(t *testing.T) {
	c := newCluster(t, 0, 0)
	c.converge()
	typ := c.srv.AddType("kimchi", "kimchi")
	c.converge()
	for _, d := range c.devices {
		types, err := d.DB.ProductTypes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(types) != 44 || types[43] != typ {
			t.Fatalf("device %s has %d types (last %+v), want 44 with %+v", d.Name, len(types), types[len(types)-1], typ)
		}
	}
	// A device uses the new type.
	a := c.devices[0]
	f := mustFreezer(t, a.DB, "garage", 2)
	if _, err := a.DB.AddProduct(context.Background(), domain.Product{Name: "cabbage", TypeID: typ.ID, PeriodMonths: 3,
		DateIn: domain.NewDate(2026, 1, 1), Location: domain.Location{FreezerID: f.ID, Box: 1}}); err != nil {
		t.Fatal(err)
	}
	c.converge()
}

func TestLostResponseIsAcknowledgedAsDuplicate(t *testing.T) {
	forEachBackend(t, testLostResponseIsAcknowledgedAsDuplicate)
}

func testLostResponseIsAcknowledgedAsDuplicate(t *testing.T) {
	c := newCluster(t, 0)
	a := c.devices[0]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 2)
	mustProduct(t, a.DB, "soup", f.ID, 1, 0)
	a.Faults.Inject(synctest.DropResponse)
	if _, err := a.Sync(ctx); err == nil {
		t.Fatalf("sync with a lost response succeeded")
	}
	if n, _ := a.DB.PendingCount(ctx); n != 2 {
		t.Fatalf("pending after a lost response = %d, want 2 (not acknowledged)", n)
	}
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Duplicates != 2 || rep.Applied != 0 {
		t.Fatalf("retry: %d duplicates, %d applied; want 2 and 0", rep.Duplicates, rep.Applied)
	}
	c.converge()
}

func TestRestoredServerGetsEverythingBack(t *testing.T) {
	forEachBackend(t, testRestoredServerGetsEverythingBack)
}

func testRestoredServerGetsEverythingBack(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	mustProduct(t, a.DB, "soup", f.ID, 1, 0)
	c.converge()
	if err := c.srv.Backup(); err != nil {
		t.Fatal(err)
	}
	p := mustProduct(t, b.DB, "cake", f.ID, 1, 0)
	c.converge()
	if err := c.srv.RestoreBackup(); err != nil { // the cake is lost on the server
		t.Fatal(err)
	}
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.EpochReset {
		t.Fatalf("device a did not notice the new epoch")
	}
	c.converge()
	product(t, a.DB, p.ID)
}

func TestRejectedCreateLeavesTheDevice(t *testing.T) {
	forEachBackend(t, testRejectedCreateLeavesTheDevice)
}

func testRejectedCreateLeavesTheDevice(t *testing.T) {
	c := newCluster(t, 0, 365*24*time.Hour) // b's calendar is a year ahead
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	c.converge()
	p, err := b.DB.AddProduct(ctx, domain.Product{Name: "soup", TypeID: 1, PeriodMonths: 6, // dated b's today
		Location: domain.Location{FreezerID: f.ID, Box: 1}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := b.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rejected) != 1 || !rep.Rejected[0].Dropped {
		t.Fatalf("rejected = %+v, want the product dropped", rep.Rejected)
	}
	if _, err := b.DB.FindProduct(ctx, p.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("FindProduct after rejection = %v, want not found", err)
	}
	c.converge()
}

// TestProductIntoADeletedFreezerBringsItBack: a freezer deleted on one
// device while another puts a product in it comes back with the product.
func TestProductIntoADeletedFreezerBringsItBack(t *testing.T) {
	forEachBackend(t, testProductIntoADeletedFreezerBringsItBack)
}

func testProductIntoADeletedFreezerBringsItBack(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	c.converge()
	if err := b.DB.DeleteFreezer(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	c.sync(b)
	p := mustProduct(t, a.DB, "soup", f.ID, 1, 0)
	c.converge()
	if got, _ := b.DB.FindFreezer(ctx, f.ID); got.Deleted {
		t.Fatalf("freezer still deleted on b")
	}
	product(t, b.DB, p.ID)
}

// TestRestoreReplaysInOrder: after a restore, a device sends back a new
// freezer before the product it moved into it, and the deletion of a
// freezer after the product it moved out of it.
func TestRestoreReplaysInOrder(t *testing.T) { forEachBackend(t, testRestoreReplaysInOrder) }

func testRestoreReplaysInOrder(t *testing.T) {
	c := newCluster(t, 0, 0)
	a := c.devices[0]
	ctx := context.Background()
	old := mustFreezer(t, a.DB, "old chest", 2)
	p := mustProduct(t, a.DB, "soup", old.ID, 1, 0)
	shelf := mustFreezer(t, a.DB, "shelf", 3)
	q := mustProduct(t, a.DB, "peas", shelf.ID, 3, 0)
	c.converge()
	if err := c.srv.Backup(); err != nil {
		t.Fatal(err)
	}
	newer := mustFreezer(t, a.DB, "new chest", 2)
	loc := domain.Location{FreezerID: newer.ID, Box: 2, Slot: 1}
	if _, err := a.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Location: &loc}); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.DeleteFreezer(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.TakeOutProduct(ctx, q.ID, domain.NewDate(2026, 3, 1), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.UpdateFreezer(ctx, shelf.ID, storage.FreezerUpdate{Boxes: ptr(1)}); err != nil {
		t.Fatal(err)
	}
	c.converge()
	if err := c.srv.RestoreBackup(); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.EpochReset || len(rep.Rejected) != 0 {
		t.Fatalf("sync after the restore: reset %t, rejected %+v", rep.EpochReset, rep.Rejected)
	}
	c.converge()
	got := product(t, c.devices[1].DB, p.ID)
	if got.Location != loc {
		t.Fatalf("product at %+v, want %+v", got.Location, loc)
	}
	if f, _ := c.devices[1].DB.FindFreezer(ctx, old.ID); !f.Deleted {
		t.Fatalf("old freezer not deleted after the restore")
	}
	if f, _ := c.devices[1].DB.FindFreezer(ctx, shelf.ID); f.Boxes != 1 {
		t.Fatalf("shelf has %d boxes after the restore, want 1", f.Boxes)
	}
}

// TestRefusalSurvivesALostAnswer: the answer refusing a create is lost;
// the repeat is refused again (not taken for a duplicate), so the device
// still drops the product the server never had.
func TestRefusalSurvivesALostAnswer(t *testing.T) { forEachBackend(t, testRefusalSurvivesALostAnswer) }

func testRefusalSurvivesALostAnswer(t *testing.T) {
	c := newCluster(t, 0, 365*24*time.Hour)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	c.converge()
	p, err := b.DB.AddProduct(ctx, domain.Product{Name: "soup", TypeID: 1, PeriodMonths: 6,
		Location: domain.Location{FreezerID: f.ID, Box: 1}})
	if err != nil {
		t.Fatal(err)
	}
	b.Faults.Inject(synctest.DropResponse)
	if _, err := b.Sync(ctx); err == nil {
		t.Fatalf("sync with a lost answer succeeded")
	}
	rep, err := b.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rejected) != 1 || !rep.Rejected[0].Dropped {
		t.Fatalf("repeat: rejected = %+v, want the product refused again and dropped", rep.Rejected)
	}
	if _, err := b.DB.FindProduct(ctx, p.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("FindProduct = %v, want not found", err)
	}
	c.converge()
}
