package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/server"
	"freezer/sync/protocol"
)

// groupFixture is a SQLite store with an account and a freezer, and a
// way to make writes wait so that they commit as one group.
type groupFixture struct {
	db      *DB
	account int64
	f       server.Freezer
}

func newGroupFixture(t *testing.T) groupFixture {
	t.Helper()
	sqliteOnly(t, "group commit is SQLite's write path; PostgreSQL writers run side by side")
	db := mustOpen(t, newTarget(t))
	if db.group == nil {
		t.Fatal("a SQLite store commits without groups")
	}
	account := mustAccount(t, db, "a@example.com")
	f, err := db.CreateFreezer(context.Background(), account, domain.Freezer{Name: "frigo", Boxes: 2}, server.UniqueName)
	if err != nil {
		t.Fatal(err)
	}
	return groupFixture{db: db, account: account, f: f}
}

// group runs writes as one group: the writer is held by a write that
// waits, each write is queued in turn (in this order), then the writer is
// let go. It returns each write's error.
func (g groupFixture) group(t *testing.T, writes ...func() error) []error {
	t.Helper()
	return g.groupAfter(t, nil, writes...)
}

// groupAfter is group, calling before (when not nil) once every write is
// queued, before the writer is let go.
func (g groupFixture) groupAfter(t *testing.T, before func(), writes ...func() error) []error {
	t.Helper()
	release, held := make(chan struct{}), make(chan struct{})
	blocker := make(chan error, 1)
	go func() {
		blocker <- g.db.write(context.Background(), func(*tx) error { close(held); <-release; return nil })
	}()
	<-held
	errs := make([]chan error, len(writes))
	for i, w := range writes {
		errs[i] = make(chan error, 1)
		go func() { errs[i] <- w() }()
		for deadline := time.Now().Add(5 * time.Second); len(g.db.group.reqs) < i+1; {
			if time.Now().After(deadline) {
				t.Fatalf("write %d was not queued", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	commits := g.db.group.commits.Load()
	if before != nil {
		before()
	}
	close(release)
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	out := make([]error, len(writes))
	for i := range errs {
		out[i] = <-errs[i]
	}
	if got := g.db.group.commits.Load() - commits; got != 2 && before == nil {
		t.Fatalf("%d commits for the held write and %d queued ones, want 2: they did not form one group", got, len(writes))
	}
	return out
}

func (g groupFixture) add(name string, typeID, slot int) func() error {
	return func() error {
		_, err := g.db.CreateProduct(context.Background(), g.account, domain.Product{Name: name, TypeID: typeID, Quantity: 1,
			PeriodMonths: 3, DateIn: domain.NewDate(2018, 1, 2), Location: domain.Location{FreezerID: g.f.ID, Box: 1, Slot: slot}})
		return err
	}
}

func (g groupFixture) names(t *testing.T) map[string]server.Product {
	t.Helper()
	ps, err := g.db.FindProducts(context.Background(), g.account, server.ProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]server.Product{}
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

// A refused write inside a group is undone alone: the writes before and
// after it in the group are applied.
func TestGroupRefusedWriteLeavesTheOthers(t *testing.T) {
	g := newGroupFixture(t)
	errs := g.group(t, g.add("soupe", 1, 1), g.add("pas de type", 999, 2), g.add("glace", 24, 3))
	if errs[0] != nil || errs[2] != nil || domain.ErrorField(errs[1]) != domain.FieldType {
		t.Fatalf("group answered %v; want the unknown type refused alone", errs)
	}
	got := g.names(t)
	if len(got) != 2 || got["soupe"].Location.Slot != 1 || got["glace"].Location.Slot != 3 {
		t.Fatalf("stored %v; want soupe in 1 and glace in 3", got)
	}
}

// Two adds into one slot in one group end as one after the other would:
// the first takes the slot, the second is refused; through sync, the
// second device's product moves to the box's first free slot. Sequences follow
// the order of the group.
func TestGroupCollisionsAsOneAfterAnother(t *testing.T) {
	g := newGroupFixture(t)
	errs := g.group(t, g.add("first", 1, 5), g.add("second", 1, 5))
	if errs[0] != nil || domain.ErrorCode(errs[1]) != domain.EConflict {
		t.Fatalf("two adds into slot 5 answered %v; want the second refused", errs)
	}
	pushes := make([]protocol.PushResponse, 2)
	ids := []uuid.UUID{domain.NewID(), domain.NewID()}
	push := func(i int) func() error {
		return func() error {
			var err error
			pushes[i], err = g.db.Push(context.Background(), g.account, groupPush(g.f.ID, ids[i], fmt.Sprint("device", i), fmt.Sprint("pushed", i)))
			return err
		}
	}
	if errs := g.group(t, push(0), push(1)); errs[0] != nil || errs[1] != nil {
		t.Fatalf("pushes answered %v", errs)
	}
	got := g.names(t)
	// One after the other, the second moves to the smallest free slot of
	// the box: 1 (the first add holds 5, the first push 7).
	if got["pushed0"].Location.Slot != 7 || got["pushed1"].Location.Slot != 1 || pushes[1].Results[0].Status != protocol.StatusMoved {
		t.Fatalf("pushed into slot 7: %d and %d (%s); want 7 and the second moved to 1",
			got["pushed0"].Location.Slot, got["pushed1"].Location.Slot, pushes[1].Results[0].Status)
	}
	if !(got["first"].Seq < got["pushed0"].Seq && got["pushed0"].Seq < got["pushed1"].Seq) {
		t.Fatalf("sequences %d, %d, %d: want them in the order of the writes", got["first"].Seq, got["pushed0"].Seq, got["pushed1"].Seq)
	}
}

// groupPush is a push from device creating product id, named name, in
// slot 7 of box 1 of freezer f.
func groupPush(f, id uuid.UUID, device, name string) protocol.PushRequest {
	stamp := domain.Timestamp{Wall: time.Date(2018, 2, 10, 11, 0, 0, 0, time.UTC).UnixMilli(), Node: device}
	fields := domain.ProductValues(domain.Product{ID: id, Name: name, TypeID: 1, Quantity: 1, PeriodMonths: 3,
		DateIn: domain.NewDate(2018, 1, 2), Location: domain.Location{FreezerID: f, Box: 1, Slot: 7}})
	return protocol.PushRequest{Version: protocol.Version, Device: device, Mutations: []protocol.Mutation{{
		ID: device + "-1", Entity: domain.EntityProduct, EntityID: id, Op: domain.OpCreate, Fields: fields, Stamp: stamp}}}
}

// A write whose request ended while it waited for its group is not
// applied, and the others of the group are.
func TestGroupEndedRequestNotApplied(t *testing.T) {
	g := newGroupFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	gone := func() error {
		_, err := g.db.CreateProduct(ctx, g.account, domain.Product{Name: "gone", TypeID: 1, Quantity: 1, PeriodMonths: 3,
			DateIn: domain.NewDate(2018, 1, 2), Location: domain.Location{FreezerID: g.f.ID, Box: 1, Slot: 1}})
		return err
	}
	errs := g.groupAfter(t, cancel, gone, g.add("kept", 1, 2))
	if errs[0] == nil || errs[1] != nil {
		t.Fatalf("answers %v; want the ended request refused, the other applied", errs)
	}
	if got := g.names(t); len(got) != 1 || got["kept"].Name == "" {
		t.Fatalf("stored %v; want only kept", got)
	}
}

// TestWriterCheckpointsEvery8000Frames: the writer's connections copy the
// log into the database every walCheckpointFrames frames, not SQLite's
// 1,000 (sqlite.go says why).
func TestWriterCheckpointsEvery8000Frames(t *testing.T) {
	g := newGroupFixture(t)
	for range 3 { // the write pool's connections, whichever answers
		var n int
		if err := g.db.wdb.QueryRowContext(context.Background(), `PRAGMA wal_autocheckpoint`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != walCheckpointFrames {
			t.Fatalf("wal_autocheckpoint = %d, want %d", n, walCheckpointFrames)
		}
	}
}
