package synctest_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// TestRelabelNoticeSurvivesLostAnswerAndRestore: B's product collides and
// the server moves it to slot 2, but the answer to B's push is lost;
// another device pulls the moved product; the server is restored from a
// backup taken before; a device sends the product back. Every device ends
// with the relabel notice (where B put it, by whom, when), and the list
// `freezerctl status` prints (MovedProducts) names it. When a person marks
// the label changed on one device, the notice leaves every device.
func TestRelabelNoticeSurvivesLostAnswerAndRestore(t *testing.T) {
	for _, order := range []string{"the puller re-sends first", "b re-sends first"} {
		t.Run(order, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T) { testRelabelNoticeSurvivesRestore(t, order == "b re-sends first") })
		})
	}
}

func testRelabelNoticeSurvivesRestore(t *testing.T, bFirst bool) {
	c := newCluster(t, 0, 0, 0)
	a, b, other := c.devices[0], c.devices[1], c.devices[2]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	c.converge()
	if err := c.srv.Backup(); err != nil {
		t.Fatal(err)
	}
	c.converge() // freezerd restarted for the backup (the epoch stays)
	mustProduct(t, a.DB, "peas", f.ID, 2, 1)
	c.sync(a)
	// B has not pulled the peas: slot 1 of box 2 is free on B.
	q := mustProduct(t, b.DB, "glace moka", f.ID, 2, 1)
	put := q.Location
	b.Faults.Plan(synctest.Planned{Path: protocol.PushPath, Nth: 1, Fault: synctest.DropResponse})
	if _, err := b.Sync(ctx); err == nil {
		t.Fatalf("sync with a lost answer succeeded")
	}
	b.Faults.Clear()
	c.sync(other)
	wantNotice(t, other.Name, product(t, other.DB, q.ID).Relabel, put, b.DB.DeviceID())
	if err := c.srv.RestoreBackup(); err != nil { // the server never heard of the peas nor the glace moka
		t.Fatal(err)
	}
	first, second := other, b
	if bFirst {
		first, second = b, other
	}
	c.sync(first)
	c.sync(second)
	now := put
	now.Slot = 2
	var onServer bool
	for _, s := range c.srv.Products() {
		if s.Product.ID == q.ID {
			onServer = true
			if s.Product.Location != now {
				t.Fatalf("server: product at %+v, want %+v", s.Product.Location, now)
			}
			wantNotice(t, "server", s.Relabel, put, b.DB.DeviceID())
		}
	}
	if !onServer {
		t.Fatalf("the restored server did not get the product back")
	}
	c.converge()
	for _, d := range c.devices {
		p := product(t, d.DB, q.ID)
		if p.Location != now {
			t.Fatalf("device %s: product at %+v, want %+v", d.Name, p.Location, now)
		}
		wantNotice(t, d.Name, p.Relabel, put, b.DB.DeviceID())
		if !listed(t, d, q.ID) {
			t.Fatalf("device %s: MovedProducts (freezerctl status) does not list the product", d.Name)
		}
	}

	// The label is changed, and said so on one device: every device clears.
	if n, err := a.DB.ClearRelabel(ctx, q.ID); err != nil || n != 1 {
		t.Fatalf("ClearRelabel = %d, %v; want 1 notice cleared", n, err)
	}
	c.converge()
	for _, s := range c.srv.Products() {
		if s.Product.ID == q.ID && s.Relabel != nil {
			t.Fatalf("server: notice %+v left after it was cleared", s.Relabel)
		}
	}
	for _, d := range c.devices {
		if p := product(t, d.DB, q.ID); p.Relabel != nil || listed(t, d, q.ID) {
			t.Fatalf("device %s: notice %+v still there after it was cleared", d.Name, p.Relabel)
		}
	}
}

// wantNotice checks a relabel notice: put at put by the device by.
func wantNotice(t *testing.T, where string, got *domain.Relabel, put domain.Location, by string) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no relabel notice, want one", where)
	}
	if got.PutAt != put || got.By != by || got.At.IsZero() {
		t.Fatalf("%s: notice %+v, want put at %+v by %s, with its time", where, *got, put, by)
	}
}

// listed reports whether the device's list of products to relabel (what
// freezerctl status prints) names id.
func listed(t *testing.T, d *synctest.Device, id uuid.UUID) bool {
	t.Helper()
	moved, err := d.DB.MovedProducts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range moved {
		if p.ID == id {
			return true
		}
	}
	return false
}
