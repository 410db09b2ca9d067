package protocol_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// memStore is a MergeStore over maps.
type memStore struct {
	freezers map[uuid.UUID]protocol.FreezerState
	products map[uuid.UUID]protocol.ProductState
	barcodes map[uuid.UUID]protocol.BarcodeState // barcode_test.go
	seq      int64
	touched  []uuid.UUID
}

func newMem() *memStore {
	return &memStore{freezers: map[uuid.UUID]protocol.FreezerState{}, products: map[uuid.UUID]protocol.ProductState{},
		barcodes: map[uuid.UUID]protocol.BarcodeState{}}
}

func (m *memStore) Freezer(id uuid.UUID) (protocol.FreezerState, bool, error) {
	f, ok := m.freezers[id]
	return f, ok, nil
}

func (m *memStore) Product(id uuid.UUID) (protocol.ProductState, bool, error) {
	p, ok := m.products[id]
	return p, ok, nil
}

func (m *memStore) Inside(freezer uuid.UUID, box int) ([]domain.Product, error) {
	var out []domain.Product
	for _, p := range m.products {
		if p.Product.Inside() && p.Product.Location.FreezerID == freezer && (box == 0 || p.Product.Location.Box == box) {
			out = append(out, p.Product)
		}
	}
	return out, nil
}

func (m *memStore) TypeExists(id int) (bool, error) { return id >= 1 && id <= 43, nil }

func (m *memStore) PutFreezer(s protocol.FreezerState, _ bool) error {
	m.freezers[s.Freezer.ID] = s
	m.seq++
	return nil
}

func (m *memStore) PutProduct(s protocol.ProductState, _ bool) error {
	m.products[s.Product.ID] = s
	m.seq++
	return nil
}

func (m *memStore) Touch(_ string, id uuid.UUID) error {
	m.touched = append(m.touched, id)
	m.seq++
	return nil
}

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func stampAt(d time.Duration, node string) domain.Timestamp {
	return domain.Timestamp{Wall: now.Add(d).UnixMilli(), Node: node}
}

func newMerger() *protocol.Merger {
	c := domain.NewClock("server", func() time.Time { return now })
	c.MaxAhead = protocol.MaxAhead
	return &protocol.Merger{Clock: c, Now: func() time.Time { return now }}
}

func createFreezer(id uuid.UUID, name string, boxes int, ts domain.Timestamp) protocol.Mutation {
	return protocol.Mutation{ID: domain.NewID().String(), Entity: domain.EntityFreezer, EntityID: id, Op: domain.OpCreate,
		Fields: domain.FreezerValues(domain.Freezer{ID: id, Name: name, Boxes: boxes}), Stamp: ts}
}

func createProduct(p domain.Product, ts domain.Timestamp) protocol.Mutation {
	return protocol.Mutation{ID: domain.NewID().String(), Entity: domain.EntityProduct, EntityID: p.ID, Op: domain.OpCreate,
		Fields: domain.ProductValues(p), Stamp: ts}
}

func update(entity string, id uuid.UUID, field string, value any, ts domain.Timestamp) protocol.Mutation {
	b, _ := json.Marshal(value)
	return protocol.Mutation{ID: domain.NewID().String(), Entity: entity, EntityID: id, Op: domain.OpUpdate,
		Fields: map[string]json.RawMessage{field: b}, Stamp: ts}
}

func mustApply(t *testing.T, m *protocol.Merger, st protocol.MergeStore, mu protocol.Mutation, want string) protocol.Result {
	t.Helper()
	res, err := m.Apply(st, mu)
	if err != nil {
		t.Fatalf("Apply(%s %s) error: %v", mu.Entity, mu.Op, err)
	}
	if res.Status != want {
		t.Fatalf("Apply(%s %s) = %+v, want status %s", mu.Entity, mu.Op, res, want)
	}
	return res
}

func product(fid uuid.UUID, box, slot int) domain.Product {
	return domain.Product{ID: domain.NewID(), Name: "soup", TypeID: 1, Quantity: 1, PeriodMonths: 6,
		DateIn: domain.NewDate(2026, 1, 1), Location: domain.Location{FreezerID: fid, Box: box, Slot: slot}}
}

func TestMergeRules(t *testing.T) {
	m, st := newMerger(), newMem()
	fid := domain.NewID()
	mustApply(t, m, st, createFreezer(fid, "garage", 2, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	p := product(fid, 1, 1)
	mustApply(t, m, st, createProduct(p, stampAt(-time.Hour, "a")), protocol.StatusApplied)

	t.Run("later stamp wins, earlier one loses", func(t *testing.T) {
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldName, "later", stampAt(-time.Minute, "b")), protocol.StatusApplied)
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldName, "earlier", stampAt(-2*time.Minute, "c")), protocol.StatusApplied)
		if got := st.products[p.ID].Product.Name; got != "later" {
			t.Fatalf("name = %q, want %q", got, "later")
		}
	})
	t.Run("equal wall times are ordered by node", func(t *testing.T) {
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldQuantity, 2, stampAt(-30*time.Second, "z")), protocol.StatusApplied)
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldQuantity, 3, stampAt(-30*time.Second, "y")), protocol.StatusApplied)
		if got := st.products[p.ID].Product.Quantity; got != 2 {
			t.Fatalf("quantity = %d, want 2 (node z orders after y)", got)
		}
	})
	t.Run("a stamp far ahead is re-stamped with the server's clock", func(t *testing.T) {
		res := mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldDescription, "future", stampAt(365*24*time.Hour, "d")), protocol.StatusApplied)
		if len(res.Restamped) != 1 {
			t.Fatalf("restamped = %v, want [description]", res.Restamped)
		}
		ts := st.products[p.ID].Stamps[domain.FieldDescription]
		if ts.Time().After(now.Add(protocol.MaxAhead)) || ts.Node != "server" {
			t.Fatalf("stored stamp %v by %s, want the server's, within the bound", ts.Time(), ts.Node)
		}
		// A later normal edit can still win.
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldDescription, "now", stampAt(30*time.Second, "e")), protocol.StatusApplied)
		if got := st.products[p.ID].Product.Description; got != "now" {
			t.Fatalf("description = %q, want %q", got, "now")
		}
	})
	t.Run("slot collision moves the newcomer", func(t *testing.T) {
		q := product(fid, 1, 1) // slot 1 is p's
		res := mustApply(t, m, st, createProduct(q, stampAt(0, "b")), protocol.StatusMoved)
		if res.Location == nil || res.Location.Slot != 2 || st.products[q.ID].Relabel == nil {
			t.Fatalf("result %+v, moved %t; want slot 2, flagged", res, st.products[q.ID].Relabel != nil)
		}
		if st.products[p.ID].Product.Location.Slot != 1 {
			t.Fatalf("the product holding the slot moved")
		}
	})
	t.Run("freezer deletion is refused while a product is inside", func(t *testing.T) {
		res := mustApply(t, m, st, update(domain.EntityFreezer, fid, domain.FieldDeleted, true, stampAt(time.Second, "a")), protocol.StatusRejected)
		if res.Missing || st.freezers[fid].Freezer.Deleted || len(st.touched) == 0 || st.touched[len(st.touched)-1] != fid {
			t.Fatalf("result %+v; freezer deleted %t; want refused, kept and touched", res, st.freezers[fid].Freezer.Deleted)
		}
	})
	t.Run("an update of an unknown entity is refused as missing", func(t *testing.T) {
		res := mustApply(t, m, st, update(domain.EntityProduct, domain.NewID(), domain.FieldName, "x", stampAt(0, "a")), protocol.StatusRejected)
		if !res.Missing {
			t.Fatalf("result %+v, want missing", res)
		}
	})
	t.Run("a bad value is refused, not an error", func(t *testing.T) {
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldQuantity, "many", stampAt(0, "a")), protocol.StatusRejected)
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, "colour", "red", stampAt(0, "a")), protocol.StatusRejected)
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldType, 99, stampAt(2*time.Second, "a")), protocol.StatusRejected)
		noStamp := update(domain.EntityProduct, p.ID, domain.FieldName, "x", domain.Timestamp{})
		mustApply(t, m, st, noStamp, protocol.StatusRejected)
	})
	t.Run("a product placed in a deleted freezer brings it back", func(t *testing.T) {
		gid := domain.NewID()
		mustApply(t, m, st, createFreezer(gid, "chest", 1, stampAt(5*time.Second, "a")), protocol.StatusApplied)
		mustApply(t, m, st, update(domain.EntityFreezer, gid, domain.FieldDeleted, true, stampAt(6*time.Second, "a")), protocol.StatusApplied)
		mustApply(t, m, st, createProduct(product(gid, 1, 1), stampAt(4*time.Second, "b")), protocol.StatusApplied)
		if g := st.freezers[gid]; g.Freezer.Deleted || g.Stamps[domain.FieldDeleted].Node != "server" {
			t.Fatalf("freezer = %+v, want it back, stamped by the server", g)
		}
	})
	t.Run("reducing boxes under a product inside is refused", func(t *testing.T) {
		r := product(fid, 2, 1)
		mustApply(t, m, st, createProduct(r, stampAt(3*time.Second, "a")), protocol.StatusApplied)
		mustApply(t, m, st, update(domain.EntityFreezer, fid, domain.FieldBoxes, 1, stampAt(4*time.Second, "b")), protocol.StatusRejected)
	})
}

func TestCompactStamps(t *testing.T) {
	a, b := stampAt(0, "a"), stampAt(time.Second, "b")
	common, rest := protocol.CompactStamps(protocol.Stamps{"name": a, "quantity": a, "out": b})
	if common != a || len(rest) != 1 || rest["out"] != b {
		t.Fatalf("CompactStamps = %v, %v", common, rest)
	}
	m := protocol.Mutation{Stamp: common, Stamps: rest}
	if m.StampOf("name") != a || m.StampOf("out") != b {
		t.Fatalf("StampOf disagrees with CompactStamps")
	}
}

func TestWireValuesRoundTrip(t *testing.T) {
	p := product(domain.NewID(), 3, 7)
	p.DateOut, p.Outcome = domain.NewDate(2026, 2, 3), domain.OutcomeDiscarded
	c := protocol.ProductChange(protocol.ProductState{Product: p, Stamps: protocol.Stamps{"name": stampAt(0, "a")}}, 5)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back protocol.Change
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got, err := protocol.DecodeProduct(back)
	if err != nil {
		t.Fatal(err)
	}
	if got.Product != p {
		t.Fatalf("round trip = %+v, want %+v", got.Product, p)
	}
}

// TestSlotRepairSettlesOnlyItsCollision: a repaired location is stamped
// just after the colliding write's location stamp, so a person's later
// location write wins over it in either order of arrival, and an earlier
// one does not.
func TestSlotRepairSettlesOnlyItsCollision(t *testing.T) {
	loc := func(fid uuid.UUID, box, slot int) domain.WireLocation {
		return domain.WireLocation{FreezerID: fid, Box: box, Slot: slot}
	}
	type setup struct {
		m              *protocol.Merger
		st             *memStore
		garage, chest  uuid.UUID
		p              domain.Product
		colliding, end protocol.Mutation
	}
	newSetup := func(t *testing.T) setup {
		s := setup{m: newMerger(), st: newMem(), garage: domain.NewID(), chest: domain.NewID()}
		mustApply(t, s.m, s.st, createFreezer(s.garage, "garage", 4, stampAt(-time.Hour, "a")), protocol.StatusApplied)
		mustApply(t, s.m, s.st, createFreezer(s.chest, "chest", 2, stampAt(-time.Hour, "a")), protocol.StatusApplied)
		mustApply(t, s.m, s.st, createProduct(product(s.garage, 3, 4), stampAt(-time.Hour, "b")), protocol.StatusApplied)
		s.p = product(s.garage, 1, 1)
		mustApply(t, s.m, s.st, createProduct(s.p, stampAt(-time.Hour, "a")), protocol.StatusApplied)
		s.colliding = update(domain.EntityProduct, s.p.ID, domain.FieldLocation, loc(s.garage, 3, 4), stampAt(-10*time.Minute, "a"))
		s.end = update(domain.EntityProduct, s.p.ID, domain.FieldLocation, loc(s.chest, 2, 1), stampAt(-5*time.Minute, "c"))
		return s
	}

	t.Run("the repair is stamped just after the colliding write", func(t *testing.T) {
		s := newSetup(t)
		res := mustApply(t, s.m, s.st, s.colliding, protocol.StatusMoved)
		got := s.st.products[s.p.ID]
		if res.Location == nil || *res.Location != (domain.Location{FreezerID: s.garage, Box: 3, Slot: 1}) || got.Relabel == nil {
			t.Fatalf("result %+v, moved %t; want box 3 slot 1, flagged", res, got.Relabel != nil)
		}
		if ts, want := got.Stamps[domain.FieldLocation], s.colliding.Stamp.Repair(); ts != want {
			t.Fatalf("location stamp = %v, want %v", ts, want)
		}
		// An earlier location write loses to the repair.
		mustApply(t, s.m, s.st, update(domain.EntityProduct, s.p.ID, domain.FieldLocation, loc(s.chest, 1, 1), stampAt(-20*time.Minute, "c")), protocol.StatusApplied)
		if got := s.st.products[s.p.ID]; got.Product.Location.Slot != 1 || got.Product.Location.Box != 3 || got.Relabel == nil {
			t.Fatalf("after an earlier write: %+v, want the repair kept", got)
		}
	})
	for _, order := range []string{"colliding write first", "later write first"} {
		t.Run("a later location write wins, "+order, func(t *testing.T) {
			s := newSetup(t)
			first, second := s.colliding, s.end
			if order == "later write first" {
				first, second = s.end, s.colliding
			}
			for _, mu := range []protocol.Mutation{first, second} {
				if _, err := s.m.Apply(s.st, mu); err != nil {
					t.Fatal(err)
				}
			}
			got := s.st.products[s.p.ID]
			if want := (domain.Location{FreezerID: s.chest, Box: 2, Slot: 1}); got.Product.Location != want || got.Relabel != nil {
				t.Fatalf("product at %+v, moved %t; want %+v, not moved", got.Product.Location, got.Relabel != nil, want)
			}
			if ts := got.Stamps[domain.FieldLocation]; ts != s.end.Stamp {
				t.Fatalf("location stamp = %v, want the later write's %v", ts, s.end.Stamp)
			}
		})
	}
	t.Run("a product going back in is repaired after its location's stamp", func(t *testing.T) {
		s := newSetup(t)
		out := domain.WireOut{Date: domain.NewDate(2026, 2, 1), Outcome: domain.OutcomeEaten}
		mustApply(t, s.m, s.st, update(domain.EntityProduct, s.p.ID, domain.FieldOut, out, stampAt(-50*time.Minute, "a")), protocol.StatusApplied)
		mustApply(t, s.m, s.st, createProduct(product(s.garage, 1, 1), stampAt(-40*time.Minute, "b")), protocol.StatusApplied)
		mustApply(t, s.m, s.st, update(domain.EntityProduct, s.p.ID, domain.FieldOut, domain.WireOut{}, stampAt(-30*time.Minute, "a")), protocol.StatusMoved)
		got := s.st.products[s.p.ID]
		if ts, want := got.Stamps[domain.FieldLocation], stampAt(-time.Hour, "a").Repair(); ts != want || got.Product.Location.Slot != 2 {
			t.Fatalf("location %+v stamped %v, want slot 2 stamped %v", got.Product.Location, ts, want)
		}
	})
}
