package synctest_test

// A slot repair settles the collision it was made for and nothing else: a
// person's location write that comes after the colliding write, in clock
// order, wins over the repair on the server and on every device, whichever
// order the pushes arrive in (docs/SYNC.md).

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/synctest"
)

// move puts product id at loc on d, as a person would.
func move(t *testing.T, d *synctest.Device, id uuid.UUID, loc domain.Location) {
	t.Helper()
	if _, err := d.DB.UpdateProduct(context.Background(), id, storage.ProductUpdate{Location: &loc}); err != nil {
		t.Fatalf("move on %s to %+v: %v", d.Name, loc, err)
	}
}

// locationStamp is the stamp of the location of product id on d.
func locationStamp(t *testing.T, d *synctest.Device, id uuid.UUID) domain.Timestamp {
	t.Helper()
	st, err := d.DB.EntityStamps(context.Background(), domain.EntityProduct, id)
	if err != nil {
		t.Fatal(err)
	}
	return st[domain.FieldLocation]
}

// laterThan waits until d's clock reads after ts's wall time, so that the
// next edit on d orders after ts by its wall time, not only by its node.
func laterThan(d *synctest.Device, ts domain.Timestamp) {
	for d.Now().UnixMilli() <= ts.Wall {
		time.Sleep(time.Millisecond)
	}
}

// wantPlacedEverywhere checks, after converge, that product id is at want
// on the server and on every device, with no relabel flag anywhere.
func (c *cluster) wantPlacedEverywhere(id uuid.UUID, want domain.Location) {
	c.t.Helper()
	for _, s := range c.srv.Products() {
		if s.Product.ID != id {
			continue
		}
		if s.Product.Location != want || s.Relabel != nil {
			c.t.Fatalf("server: product at %+v moved=%t, want %+v, not moved", s.Product.Location, s.Relabel != nil, want)
		}
	}
	for _, d := range c.devices {
		if got := product(c.t, d.DB, id).Location; got != want {
			c.t.Fatalf("device %s: product at %+v, want %+v", d.Name, got, want)
		}
		moved, err := d.DB.MovedProducts(context.Background())
		if err != nil {
			c.t.Fatal(err)
		}
		for _, m := range moved {
			if m.ID == id {
				c.t.Fatalf("device %s: product still flagged to relabel", d.Name)
			}
		}
	}
}

// wantNoMove fails when rep tells the person to relabel product id.
func wantNoMove(t *testing.T, who string, rep client.Report, id uuid.UUID) {
	t.Helper()
	for _, m := range rep.Moves {
		if m.ProductID == id.String() {
			t.Fatalf("%s is told to relabel the product: %+v", who, m)
		}
	}
}

func TestRepairThenLaterMoveOnOneDevice(t *testing.T) {
	forEachBackend(t, testRepairThenLaterMoveOnOneDevice)
}

// testRepairThenLaterMoveOnOneDevice: a adds P into box 3 slot 4, which b
// has already filled on the server; before syncing, a moves P to box 4
// slot 2. The move is later than the colliding add: P stays where the
// person put it last, and nobody is told to relabel it.
func testRepairThenLaterMoveOnOneDevice(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	c.converge()
	q := mustProduct(t, b.DB, "peas", f.ID, 3, 4)
	c.sync(b)
	p := mustProduct(t, a.DB, "soup", f.ID, 3, 4) // a has not heard of peas
	laterThan(a, locationStamp(t, a, p.ID))
	later := domain.Location{FreezerID: f.ID, Box: 4, Slot: 2}
	move(t, a, p.ID, later)
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.converge()
	c.wantPlacedEverywhere(p.ID, later)
	c.wantPlacedEverywhere(q.ID, domain.Location{FreezerID: f.ID, Box: 3, Slot: 4})
	if rep.Pushed != 2 || rep.Applied != 2 {
		t.Fatalf("a pushed %d changes (%d applied), want 2 (2 applied)", rep.Pushed, rep.Applied)
	}
	wantNoMove(t, "a", rep, p.ID)
}

func TestRepairThenLaterCollidingMove(t *testing.T) {
	forEachBackend(t, testRepairThenLaterCollidingMove)
}

// testRepairThenLaterCollidingMove: as above, but the later move collides
// too. It wins over the first repair and gets its own: P ends in the box
// the person chose last, in its next free slot, and a is told where it was
// put and where it is now.
func testRepairThenLaterCollidingMove(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	c.converge()
	mustProduct(t, b.DB, "peas", f.ID, 3, 4)
	mustProduct(t, b.DB, "beans", f.ID, 4, 1)
	c.sync(b)
	p := mustProduct(t, a.DB, "soup", f.ID, 3, 4)
	laterThan(a, locationStamp(t, a, p.ID))
	move(t, a, p.ID, domain.Location{FreezerID: f.ID, Box: 4, Slot: 1})
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Location{FreezerID: f.ID, Box: 4, Slot: 2}
	c.converge()
	for _, d := range c.devices {
		if got := product(t, d.DB, p.ID).Location; got != want {
			t.Fatalf("soup at %+v on %s, want %+v", got, d.Name, want)
		}
	}
	if len(rep.Moves) != 1 {
		t.Fatalf("moves = %+v, want one for soup", rep.Moves)
	}
	m := rep.Moves[0]
	if m.ProductID != p.ID.String() || m.Name != "soup" ||
		m.PutAt.Location != (domain.Location{FreezerID: f.ID, Box: 4, Slot: 1}) || m.PutAt.Freezer != "garage" ||
		m.NowAt.Location != want || m.NowAt.Freezer != "garage" {
		t.Fatalf("move = %+v, want soup put in garage box 4 slot 1, now in garage box 4 slot 2", m)
	}
}

func TestRepairThenLaterMoveOnAnotherDevice(t *testing.T) {
	forEachBackend(t, testRepairThenLaterMoveOnAnotherDevice)
}

// testRepairThenLaterMoveOnAnotherDevice: a puts P into box 3 slot 4 of
// the garage, which b has already filled on the server; later (in clock
// order) b moves P to the chest. Whichever push reaches the server first,
// P ends in the chest everywhere and b is never told to relabel it.
func testRepairThenLaterMoveOnAnotherDevice(t *testing.T) {
	for _, order := range []string{"later move first", "colliding write first"} {
		t.Run(order, func(t *testing.T) {
			c := newCluster(t, 0, 0)
			a, b := c.devices[0], c.devices[1]
			ctx := context.Background()
			garage := mustFreezer(t, a.DB, "garage", 4)
			chest := mustFreezer(t, a.DB, "chest", 2)
			p := mustProduct(t, a.DB, "soup", garage.ID, 1, 0)
			c.converge()
			mustProduct(t, b.DB, "peas", garage.ID, 3, 4)
			c.sync(b)
			colliding := domain.Location{FreezerID: garage.ID, Box: 3, Slot: 4}
			move(t, a, p.ID, colliding) // a has not heard of peas
			laterThan(b, locationStamp(t, a, p.ID))
			later := domain.Location{FreezerID: chest.ID, Box: 2, Slot: 1}
			move(t, b, p.ID, later)
			if !locationStamp(t, b, p.ID).After(locationStamp(t, a, p.ID)) {
				t.Fatalf("b's move does not order after a's")
			}
			// a syncs with a background syncer's rounds, whose status
			// keeps the moves of earlier rounds.
			sa, err := client.NewSyncer(a.DB, client.Config{Server: c.url, Token: c.srv.AuthToken(), Now: a.Now})
			if err != nil {
				t.Fatal(err)
			}
			syncs := map[*synctest.Device]func(context.Context) (client.Report, error){a: sa.SyncNow, b: b.Sync}
			first, second := b, a
			if order == "colliding write first" {
				first, second = a, b
			}
			rep := map[*synctest.Device]client.Report{}
			for _, d := range []*synctest.Device{first, second} {
				r, err := syncs[d](ctx)
				if err != nil {
					t.Fatal(err)
				}
				rep[d] = r
			}
			c.converge()
			c.wantPlacedEverywhere(p.ID, later)
			wantNoMove(t, "b", rep[b], p.ID)
			if first == a {
				// a heard of the repair before b's move reached the server.
				wantRepairReported(t, rep[a], p.ID, colliding, domain.Location{FreezerID: garage.ID, Box: 3, Slot: 1})
			} else {
				wantNoMove(t, "a", rep[a], p.ID)
			}
			if _, err := sa.SyncNow(ctx); err != nil {
				t.Fatal(err)
			}
			wantNoMove(t, "a's syncer, after b's move reached it,", client.Report{Moves: sa.Status().Moves}, p.ID)
		})
	}
}

// wantRepairReported checks that rep tells the person that product id,
// put at put, is now at now.
func wantRepairReported(t *testing.T, rep client.Report, id uuid.UUID, put, now domain.Location) {
	t.Helper()
	for _, m := range rep.Moves {
		if m.ProductID == id.String() && m.PutAt.Location == put && m.NowAt.Location == now {
			return
		}
	}
	t.Fatalf("moves = %+v, want product %s put at %+v, now at %+v", rep.Moves, id, put, now)
}
