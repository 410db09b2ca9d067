package protocol_test

import (
	"testing"
	"time"

	"freezer/domain"
	"freezer/sync/protocol"
)

// TestMergeProductDeleted: a product's deleted field merges like any field
// (a delete stands against an edit of another field; a later restore wins),
// a deleted product frees its slot, a restored one is placed again (its
// slot repaired when taken), and a creation from an older device without
// the field is accepted.
func TestMergeProductDeleted(t *testing.T) {
	m, st := newMerger(), newMem()
	fid := domain.NewID()
	mustApply(t, m, st, createFreezer(fid, "garage", 2, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	p := product(fid, 1, 1)
	mustApply(t, m, st, createProduct(p, stampAt(-time.Hour, "a")), protocol.StatusApplied)

	mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldDeleted, true, stampAt(-10*time.Minute, "a")), protocol.StatusApplied)
	mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldName, "soupe", stampAt(-5*time.Minute, "b")), protocol.StatusApplied)
	if got := st.products[p.ID].Product; !got.Deleted || got.Name != "soupe" {
		t.Fatalf("after a delete and a later rename: deleted=%t name %q, want deleted with the new name", got.Deleted, got.Name)
	}
	// The slot is free: a newcomer takes it with no repair.
	q := product(fid, 1, 1)
	mustApply(t, m, st, createProduct(q, stampAt(-4*time.Minute, "b")), protocol.StatusApplied)
	// An earlier restore loses; a later one brings p back, to the next free slot.
	mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldDeleted, false, stampAt(-20*time.Minute, "c")), protocol.StatusApplied)
	if !st.products[p.ID].Product.Deleted {
		t.Fatalf("a restore stamped before the delete brought the product back")
	}
	res := mustApply(t, m, st, update(domain.EntityProduct, p.ID, domain.FieldDeleted, false, stampAt(-time.Minute, "c")), protocol.StatusMoved)
	if got := st.products[p.ID]; got.Product.Deleted || got.Product.Location.Slot != 2 || res.Location.Slot != 2 || got.Relabel == nil {
		t.Fatalf("restored into a taken slot: deleted=%t slot %d (result %+v, notice %v), want slot 2 with a notice",
			got.Product.Deleted, got.Product.Location.Slot, res.Location, got.Relabel)
	}

	old := product(fid, 2, 1)
	mu := createProduct(old, stampAt(-time.Minute, "old"))
	delete(mu.Fields, domain.FieldDeleted)
	mustApply(t, m, st, mu, protocol.StatusApplied)
	if got := st.products[old.ID]; got.Product.Deleted || !got.Stamps[domain.FieldDeleted].IsZero() {
		t.Fatalf("a creation without the deleted field: deleted=%t stamped %s, want not deleted, never stamped", got.Product.Deleted, got.Stamps[domain.FieldDeleted])
	}
}

// TestChangesForOlderVersions: pulls answered to versions 1 and 2 leave
// the deleted field out; version 3 gets it; a product whose field was never
// stamped does not carry it at all, and decodes as not deleted.
func TestChangesForOlderVersions(t *testing.T) {
	p := product(domain.NewID(), 1, 1)
	p.Deleted = true
	stamps := protocol.Stamps{}
	for _, f := range domain.ProductFields {
		stamps[f] = stampAt(-time.Hour, "a")
	}
	stamps[domain.FieldDeleted] = stampAt(-time.Minute, "b")
	changes := []protocol.Change{protocol.ProductChange(protocol.ProductState{Product: p, Stamps: stamps}, 7)}
	for v, want := range map[int]bool{1: false, 2: false, 3: true} {
		got := protocol.ChangesFor(v, changes)
		_, hasField := got[0].Fields[domain.FieldDeleted]
		_, hasStamp := got[0].Stamps[domain.FieldDeleted]
		if hasField != want || hasStamp != want {
			t.Errorf("ChangesFor(%d): deleted field %t, stamp %t; want %t", v, hasField, hasStamp, want)
		}
		s, err := protocol.DecodeProduct(got[0])
		if err != nil {
			t.Fatalf("DecodeProduct(version %d) = %v", v, err)
		}
		if s.Product.Deleted != want {
			t.Errorf("DecodeProduct(version %d).Deleted = %t, want %t", v, s.Product.Deleted, want)
		}
	}
	if _, ok := changes[0].Fields[domain.FieldDeleted]; !ok {
		t.Errorf("ChangesFor changed its input")
	}
	stamps[domain.FieldDeleted] = domain.Timestamp{}
	p.Deleted = false
	c := protocol.ProductChange(protocol.ProductState{Product: p, Stamps: stamps}, 8)
	if _, ok := c.Fields[domain.FieldDeleted]; ok {
		t.Errorf("ProductChange of a never stamped deleted field carries it: %s", c.Fields[domain.FieldDeleted])
	}
}
