package protocol_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// TestApplyOwn: a write is the device's own only when the merge added
// nothing of the server's to it.
func TestApplyOwn(t *testing.T) {
	m := newMerger()
	st := newMem()
	f := domain.Freezer{ID: uuid.New(), Name: "garage", Boxes: 3}
	t0 := m.Clock.Now()
	create := protocol.Mutation{ID: "f1", Entity: domain.EntityFreezer, EntityID: f.ID, Op: "create", Fields: domain.FreezerValues(f), Stamp: t0}
	if res, own, err := m.ApplyOwn(st, create); err != nil || !own || res.Status != protocol.StatusApplied {
		t.Fatalf("create = %+v, own %t, %v; want applied and own", res, own, err)
	}
	rename := func(id, name string, ts domain.Timestamp) protocol.Mutation {
		return protocol.Mutation{ID: id, Entity: domain.EntityFreezer, EntityID: f.ID, Op: "update",
			Fields: map[string]json.RawMessage{domain.FieldName: json.RawMessage(`"` + name + `"`)}, Stamp: ts}
	}
	if _, own, err := m.ApplyOwn(st, rename("f2", "cellar", m.Clock.Now())); err != nil || !own {
		t.Fatalf("rename = own %t, %v; want own", own, err)
	}
	// A rename older than the stored one changes nothing: not a write.
	if res, own, err := m.ApplyOwn(st, rename("f3", "attic", t0)); err != nil || own || res.Status != protocol.StatusApplied {
		t.Fatalf("losing rename = %+v, own %t, %v; want applied, not own", res, own, err)
	}
	// A stamp too far ahead is re-stamped by the server: not as sent.
	ahead := m.Clock.Now()
	ahead.Wall += 2 * protocol.MaxAhead.Milliseconds()
	if res, own, err := m.ApplyOwn(st, rename("f4", "shed", ahead)); err != nil || own || len(res.Restamped) != 1 {
		t.Fatalf("rename ahead = %+v, own %t, %v; want re-stamped, not own", res, own, err)
	}
	// A refusal is not own.
	bad := rename("f5", "", m.Clock.Now())
	if res, own, err := m.ApplyOwn(st, bad); err != nil || own || res.Status != protocol.StatusRejected {
		t.Fatalf("empty name = %+v, own %t, %v; want rejected, not own", res, own, err)
	}
}
