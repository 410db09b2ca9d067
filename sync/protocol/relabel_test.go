package protocol_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// relabelSetup is a garage whose box 3 slot 4 is taken, and a product p in
// box 1 slot 1 that device a moves into that slot (colliding).
type relabelSetup struct {
	m         *protocol.Merger
	st        *memStore
	garage    uuid.UUID
	p         domain.Product
	colliding protocol.Mutation
}

func newRelabelSetup(t *testing.T) relabelSetup {
	t.Helper()
	s := relabelSetup{m: newMerger(), st: newMem(), garage: domain.NewID()}
	mustApply(t, s.m, s.st, createFreezer(s.garage, "garage", 4, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	mustApply(t, s.m, s.st, createProduct(product(s.garage, 3, 4), stampAt(-time.Hour, "b")), protocol.StatusApplied)
	s.p = product(s.garage, 1, 1)
	mustApply(t, s.m, s.st, createProduct(s.p, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	s.colliding = update(domain.EntityProduct, s.p.ID, domain.FieldLocation,
		domain.WireLocation{FreezerID: s.garage, Box: 3, Slot: 4}, stampAt(-10*time.Minute, "a"))
	return s
}

func clearRelabel(id uuid.UUID, ts domain.Timestamp) protocol.Mutation {
	return protocol.Mutation{ID: domain.NewID().String(), Entity: domain.EntityProduct, EntityID: id, Op: domain.OpUpdate,
		Fields: map[string]json.RawMessage{domain.FieldRelabel: domain.RelabelValue(nil)}, Stamp: ts}
}

func TestRepairSetsRelabelNotice(t *testing.T) {
	s := newRelabelSetup(t)
	mustApply(t, s.m, s.st, s.colliding, protocol.StatusMoved)
	got := s.st.products[s.p.ID]
	want := domain.Relabel{PutAt: domain.Location{FreezerID: s.garage, Box: 3, Slot: 4}, By: "a", At: s.colliding.Stamp.Time()}
	if got.Relabel == nil || *got.Relabel != want {
		t.Fatalf("notice = %+v, want %+v", got.Relabel, want)
	}
	if ts, wantTS := got.Stamps[domain.FieldRelabel], s.colliding.Stamp.Repair(); ts != wantTS {
		t.Fatalf("notice stamp = %v, want the repair's %v", ts, wantTS)
	}
	// It travels in pulls, with its stamp and the old flag.
	b, err := json.Marshal(protocol.ProductChange(got, 9))
	if err != nil {
		t.Fatal(err)
	}
	var c protocol.Change
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	back, err := protocol.DecodeProduct(c)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Moved || back.Relabel == nil || *back.Relabel != want || back.Stamps[domain.FieldRelabel] != got.Stamps[domain.FieldRelabel] {
		t.Fatalf("pulled: moved %t, notice %+v stamped %v; want the server's", c.Moved, back.Relabel, back.Stamps[domain.FieldRelabel])
	}
}

func TestRelabelNoticeIsClearedByLaterWrites(t *testing.T) {
	later := func(s relabelSetup) protocol.Mutation {
		return update(domain.EntityProduct, s.p.ID, domain.FieldLocation,
			domain.WireLocation{FreezerID: s.garage, Box: 2, Slot: 1}, stampAt(-5*time.Minute, "c"))
	}
	for _, order := range []string{"repair first", "later write first"} {
		t.Run("a later location write, "+order, func(t *testing.T) {
			s := newRelabelSetup(t)
			first, second := s.colliding, later(s)
			if order == "later write first" {
				first, second = second, first
			}
			for _, mu := range []protocol.Mutation{first, second} {
				if _, err := s.m.Apply(s.st, mu); err != nil {
					t.Fatal(err)
				}
			}
			if got := s.st.products[s.p.ID]; got.Relabel != nil {
				t.Fatalf("notice = %+v, want none after a person placed the product", got.Relabel)
			}
		})
	}
	t.Run("a person says the label changed", func(t *testing.T) {
		s := newRelabelSetup(t)
		mustApply(t, s.m, s.st, s.colliding, protocol.StatusMoved)
		mustApply(t, s.m, s.st, clearRelabel(s.p.ID, stampAt(-time.Minute, "d")), protocol.StatusApplied)
		got := s.st.products[s.p.ID]
		if got.Relabel != nil || got.Stamps[domain.FieldRelabel] != stampAt(-time.Minute, "d") {
			t.Fatalf("notice = %+v stamped %v, want cleared by d", got.Relabel, got.Stamps[domain.FieldRelabel])
		}
		if got.Product.Location.Slot != 1 || got.Product.Location.Box != 3 {
			t.Fatalf("clearing the notice moved the product to %+v", got.Product.Location)
		}
	})
	t.Run("a clearing older than the repair loses", func(t *testing.T) {
		s := newRelabelSetup(t)
		mustApply(t, s.m, s.st, s.colliding, protocol.StatusMoved)
		mustApply(t, s.m, s.st, clearRelabel(s.p.ID, stampAt(-20*time.Minute, "d")), protocol.StatusApplied)
		if got := s.st.products[s.p.ID]; got.Relabel == nil {
			t.Fatalf("an older clearing removed the notice")
		}
	})
}

// TestRelabelNoticeComesBackWithAResend: a server that lost the product
// (a restore) gets it back, notice included, from a device's full re-send;
// a re-sent notice older than the product's location is settled.
func TestRelabelNoticeComesBackWithAResend(t *testing.T) {
	s := newRelabelSetup(t)
	mustApply(t, s.m, s.st, s.colliding, protocol.StatusMoved)
	held := s.st.products[s.p.ID]
	resend := func(st protocol.ProductState) protocol.Mutation {
		fields := domain.ProductValues(st.Product)
		fields[domain.FieldRelabel] = domain.RelabelValue(st.Relabel)
		common, rest := protocol.CompactStamps(st.Stamps)
		return protocol.Mutation{ID: domain.NewID().String(), Entity: domain.EntityProduct, EntityID: st.Product.ID,
			Op: domain.OpCreate, Fields: fields, Stamp: common, Stamps: rest}
	}
	restored := newMem()
	restored.freezers = s.st.freezers
	mustApply(t, s.m, restored, resend(held), protocol.StatusApplied)
	got := restored.products[s.p.ID]
	if got.Relabel == nil || *got.Relabel != *held.Relabel || got.Stamps[domain.FieldRelabel] != held.Stamps[domain.FieldRelabel] {
		t.Fatalf("restored: notice %+v, want %+v", got.Relabel, held.Relabel)
	}

	stale := held
	stale.Stamps = map[string]domain.Timestamp{}
	for f, ts := range held.Stamps {
		stale.Stamps[f] = ts
	}
	stale.Stamps[domain.FieldLocation] = stampAt(-time.Minute, "c") // placed again after the repair
	fresh := newMem()
	fresh.freezers = s.st.freezers
	mustApply(t, s.m, fresh, resend(stale), protocol.StatusApplied)
	if got := fresh.products[s.p.ID]; got.Relabel != nil || got.Stamps[domain.FieldRelabel] != stampAt(-time.Minute, "c") {
		t.Fatalf("stale notice kept: %+v stamped %v", got.Relabel, got.Stamps[domain.FieldRelabel])
	}
}

func TestMalformedRelabelIsRefused(t *testing.T) {
	s := newRelabelSetup(t)
	mu := clearRelabel(s.p.ID, stampAt(0, "d"))
	mu.Fields[domain.FieldRelabel] = json.RawMessage(`"box 2"`)
	mustApply(t, s.m, s.st, mu, protocol.StatusRejected)
}
