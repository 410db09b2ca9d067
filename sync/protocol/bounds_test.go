package protocol_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/sync/protocol"
)

func TestBoundsPushCheck(t *testing.T) {
	mu := func(id string, fields int) protocol.Mutation {
		m := protocol.Mutation{ID: id, Entity: domain.EntityProduct, EntityID: domain.NewID(), Op: domain.OpUpdate, Fields: map[string]json.RawMessage{}}
		for i := range fields {
			m.Fields[strings.Repeat("f", i+1)] = json.RawMessage("1")
		}
		return m
	}
	cases := []struct {
		name string
		req  protocol.PushRequest
		ok   bool
	}{
		{"usual", protocol.PushRequest{Device: "0123456789abcdef", Mutations: []protocol.Mutation{mu(domain.NewID().String(), 9)}}, true},
		{"no device", protocol.PushRequest{Mutations: []protocol.Mutation{mu("m1", 1)}}, false},
		{"long device", protocol.PushRequest{Device: strings.Repeat("d", 65)}, false},
		{"device with a control character", protocol.PushRequest{Device: "dev\x00"}, false},
		{"long mutation id", protocol.PushRequest{Device: "d", Mutations: []protocol.Mutation{mu(strings.Repeat("m", 65), 1)}}, false},
		{"16 fields", protocol.PushRequest{Device: "d", Mutations: []protocol.Mutation{mu("m1", protocol.MaxFields)}}, true},
		{"17 fields", protocol.PushRequest{Device: "d", Mutations: []protocol.Mutation{mu("m1", protocol.MaxFields+1)}}, false},
		{"501 mutations", protocol.PushRequest{Device: "d", Mutations: make([]protocol.Mutation, protocol.MaxPushBatch+1)}, false},
		{"long field name", protocol.PushRequest{Device: "d", Mutations: []protocol.Mutation{{ID: "m1", Fields: map[string]json.RawMessage{strings.Repeat("f", 33): nil}}}}, false},
		{"long stamped field name", protocol.PushRequest{Device: "d", Mutations: []protocol.Mutation{{ID: "m1", Stamps: map[string]domain.Timestamp{strings.Repeat("f", 33): {}}}}}, false},
	}
	for _, c := range cases {
		if err := c.req.Check(); (err == nil) != c.ok || (err != nil && domain.ErrorCode(err) != domain.EInvalid) {
			t.Errorf("%s: Check() = %v, want ok %t", c.name, err, c.ok)
		}
	}
}

// A product that goes back in and finds its slot taken, again and again,
// is repaired each time; its location stamp keeps at most MaxRepairs
// marks and still parses, and a person's later move still wins.
func TestBoundsRepeatedRepairsStayBounded(t *testing.T) {
	m, st := newMerger(), newMem()
	fid := domain.NewID()
	mustApply(t, m, st, createFreezer(fid, "garage", 1, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	p, q := product(fid, 1, 1), product(fid, 1, 2)
	mustApply(t, m, st, createProduct(p, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	mustApply(t, m, st, createProduct(q, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	at := -50 * time.Minute
	next := func() domain.Timestamp { at += time.Second; return stampAt(at, "b") }
	for i := range domain.MaxRepairs + 4 {
		slot := st.products[p.ID].Product.Location.Slot
		mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldOut, domain.WireOut{Date: domain.NewDate(2026, 2, 1), Outcome: domain.OutcomeEaten}, next()), protocol.StatusApplied)
		mustApply(t, m, st, update(domain.EntityProduct, q.ID, domain.FieldLocation, domain.WireLocation{FreezerID: fid, Box: 1, Slot: slot}, next()), protocol.StatusApplied)
		res := mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldOut, domain.WireOut{}, next()), protocol.StatusMoved)
		if res.Location == nil || res.Location.Slot == slot {
			t.Fatalf("round %d: put back into taken slot %d moved to %+v", i+1, slot, res.Location)
		}
		ts := st.products[p.ID].Stamps[domain.FieldLocation]
		if _, err := domain.ParseTimestamp(ts.String()); err != nil {
			t.Fatalf("round %d: repaired stamp %s does not parse: %v", i+1, ts, err)
		}
		if marks := strings.Count(ts.Node, "!r"); marks != min(i+1, domain.MaxRepairs) {
			t.Fatalf("round %d: repaired stamp %s has %d marks, want %d", i+1, ts, marks, min(i+1, domain.MaxRepairs))
		}
	}
	// The colliding location sent again (a device that had not pulled)
	// loses to the repair at the bound, like before it.
	loc := st.products[p.ID].Product.Location
	stamp := st.products[p.ID].Stamps[domain.FieldLocation]
	mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldLocation, domain.WireLocation{FreezerID: fid, Box: 1, Slot: 3 - loc.Slot}, stamp), protocol.StatusApplied)
	if got := st.products[p.ID].Product.Location; got != loc {
		t.Fatalf("a location with the repair's own stamp changed it: %+v, want %+v", got, loc)
	}
	// A person's later move wins over the repair.
	mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldLocation, domain.WireLocation{FreezerID: fid, Box: 1, Slot: 7}, next()), protocol.StatusApplied)
	if got := st.products[p.ID].Product.Location.Slot; got != 7 {
		t.Fatalf("after a later move, slot = %d, want 7", got)
	}
}
