package protocol_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

func (m *memStore) Barcode(id uuid.UUID) (protocol.BarcodeState, bool, error) {
	b, ok := m.barcodes[id]
	return b, ok, nil
}

func (m *memStore) PutBarcode(s protocol.BarcodeState, _ bool) error {
	m.barcodes[domain.BarcodeID(s.Barcode.Code)] = s
	m.seq++
	return nil
}

const peasCode = "5410041001204"

func rememberBarcode(b domain.Barcode, ts domain.Timestamp) protocol.Mutation {
	return protocol.Mutation{ID: domain.NewID().String(), Entity: domain.EntityBarcode, EntityID: domain.BarcodeID(b.Code),
		Op: domain.OpCreate, Fields: domain.BarcodeValues(b), Stamp: ts}
}

// TestMergeBarcode: two devices that remember one barcode write one
// entity; its fields merge last-writer-wins each, whatever the order the
// pushes arrive in.
func TestMergeBarcode(t *testing.T) {
	a := rememberBarcode(domain.Barcode{Code: peasCode, Name: "petits pois", TypeID: 12, PeriodMonths: 6}, stampAt(-time.Hour, "a"))
	b := rememberBarcode(domain.Barcode{Code: peasCode, Name: "pois fins", TypeID: 12, PeriodMonths: 6}, stampAt(-30*time.Minute, "b"))
	period := update(domain.EntityBarcode, domain.BarcodeID(peasCode), domain.FieldPeriod, 9, stampAt(-10*time.Minute, "a"))
	want := domain.Barcode{Code: peasCode, Name: "pois fins", TypeID: 12, PeriodMonths: 9}
	for _, order := range [][]protocol.Mutation{{a, period, b}, {b, a, period}, {period, b, a}} {
		m, st := newMerger(), newMem()
		for _, mu := range order {
			want := protocol.StatusApplied
			if mu.Op == domain.OpUpdate && len(st.barcodes) == 0 {
				want = protocol.StatusRejected // an update of a barcode the server lacks
			}
			mustApply(t, m, st, mu, want)
		}
		if order[0].Op == domain.OpUpdate {
			mustApply(t, m, st, period, protocol.StatusApplied) // sent again, after the create
		}
		if len(st.barcodes) != 1 {
			t.Fatalf("%d barcodes stored, want 1", len(st.barcodes))
		}
		got := st.barcodes[domain.BarcodeID(peasCode)]
		if got.Barcode != want {
			t.Errorf("merged barcode = %+v, want %+v", got.Barcode, want)
		}
		if got.Stamps[domain.FieldName] != b.Stamp || got.Stamps[domain.FieldPeriod] != period.Stamp {
			t.Errorf("stamps = %v, want name %s and period %s", got.Stamps, b.Stamp, period.Stamp)
		}
	}
}

// TestMergeBarcodeRefused: what a barcode mutation may not do.
func TestMergeBarcodeRefused(t *testing.T) {
	good := domain.Barcode{Code: peasCode, Name: "petits pois", TypeID: 12, PeriodMonths: 6}
	tests := []struct {
		name    string
		mu      func() protocol.Mutation
		missing bool
	}{
		{name: "a code that names another id", mu: func() protocol.Mutation {
			mu := rememberBarcode(good, stampAt(0, "a"))
			mu.EntityID = domain.BarcodeID("4006381333931")
			return mu
		}, missing: true},
		{name: "a code not normalized", mu: func() protocol.Mutation {
			b := good
			b.Code = "036000291452"
			mu := rememberBarcode(b, stampAt(0, "a"))
			mu.EntityID = domain.BarcodeID(b.Code)
			return mu
		}, missing: true},
		{name: "an unknown type", mu: func() protocol.Mutation {
			b := good
			b.TypeID = 99
			return rememberBarcode(b, stampAt(0, "a"))
		}, missing: true},
		{name: "a period too long", mu: func() protocol.Mutation {
			b := good
			b.PeriodMonths = 500
			return rememberBarcode(b, stampAt(0, "a"))
		}, missing: true},
		{name: "a field barcodes do not have", mu: func() protocol.Mutation {
			mu := rememberBarcode(good, stampAt(0, "a"))
			mu.Fields[domain.FieldLocation] = json.RawMessage(`{}`)
			return mu
		}, missing: true},
		{name: "an update of a barcode the server lacks", mu: func() protocol.Mutation {
			return update(domain.EntityBarcode, domain.BarcodeID(peasCode), domain.FieldName, "pois", stampAt(0, "a"))
		}, missing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, st := newMerger(), newMem()
			res := mustApply(t, m, st, tt.mu(), protocol.StatusRejected)
			if res.Missing != tt.missing || res.Reason == "" {
				t.Errorf("result = %+v, want missing %t with a reason", res, tt.missing)
			}
			if len(st.barcodes) != 0 {
				t.Errorf("a refused mutation stored %d barcodes", len(st.barcodes))
			}
		})
	}
	// Refused on a barcode the server holds: it stays as it was, and is
	// touched so that the device pulls it back.
	m, st := newMerger(), newMem()
	mustApply(t, m, st, rememberBarcode(good, stampAt(-time.Hour, "a")), protocol.StatusApplied)
	res := mustApply(t, m, st, update(domain.EntityBarcode, domain.BarcodeID(peasCode), domain.FieldName, "", stampAt(0, "b")), protocol.StatusRejected)
	if res.Missing || st.barcodes[domain.BarcodeID(peasCode)].Barcode != good || len(st.touched) != 1 {
		t.Errorf("refused rename: result %+v, stored %+v, touched %v", res, st.barcodes[domain.BarcodeID(peasCode)].Barcode, st.touched)
	}
}

// TestChangesForBarcodes: a device before version 4 cannot read barcodes:
// pulls answered to it leave them out, and keep the rest.
func TestChangesForBarcodes(t *testing.T) {
	s := protocol.BarcodeState{Barcode: domain.Barcode{Code: peasCode, Name: "petits pois", TypeID: 12, PeriodMonths: 6},
		Stamps: protocol.Stamps{}}
	for _, f := range domain.BarcodeFields {
		s.Stamps[f] = stampAt(-time.Hour, "a")
	}
	s.Stamps[domain.FieldPeriod] = stampAt(-time.Minute, "b")
	bc := protocol.BarcodeChange(s, 7)
	fr := protocol.FreezerChange(protocol.FreezerState{Freezer: domain.Freezer{ID: domain.NewID(), Name: "garage", Boxes: 3},
		Stamps: protocol.Stamps{domain.FieldName: stampAt(-time.Hour, "a"), domain.FieldBoxes: stampAt(-time.Hour, "a"), domain.FieldDeleted: stampAt(-time.Hour, "a")}}, 8)
	changes := []protocol.Change{bc, fr}
	for v := protocol.MinVersion; v <= protocol.Version; v++ {
		got := protocol.ChangesFor(v, changes)
		want := 1
		if v >= 4 {
			want = 2
		}
		if len(got) != want || got[len(got)-1].Entity != domain.EntityFreezer {
			t.Errorf("ChangesFor(%d) = %d changes, want %d ending with the freezer", v, len(got), want)
		}
	}
	if len(changes) != 2 {
		t.Fatalf("ChangesFor modified its input")
	}
	back, err := protocol.DecodeBarcode(bc)
	if err != nil || back.Barcode != s.Barcode || back.Stamps[domain.FieldPeriod] != s.Stamps[domain.FieldPeriod] ||
		back.Stamps[domain.FieldCode] != s.Stamps[domain.FieldCode] {
		t.Fatalf("DecodeBarcode() = %+v, %v; want %+v", back, err, s)
	}
	bad := bc
	bad.ID = domain.NewID()
	if _, err := protocol.DecodeBarcode(bad); err == nil {
		t.Errorf("DecodeBarcode() of a change whose code names another id: no error")
	}
}

// TestApplyOwnBarcode: a device's own barcode write, applied as sent, is
// its own (it need not come back in its pull); one that loses a field to
// a later stamp on the server is not.
func TestApplyOwnBarcode(t *testing.T) {
	m, st := newMerger(), newMem()
	b := domain.Barcode{Code: peasCode, Name: "petits pois", TypeID: 12, PeriodMonths: 6}
	if _, own, err := m.ApplyOwn(st, rememberBarcode(b, stampAt(-time.Hour, "a"))); err != nil || !own {
		t.Fatalf("ApplyOwn(create) = own %t, %v; want own", own, err)
	}
	mustApply(t, m, st, update(domain.EntityBarcode, domain.BarcodeID(peasCode), domain.FieldName, "pois fins", stampAt(-time.Minute, "b")), protocol.StatusApplied)
	b.PeriodMonths = 8
	mu := rememberBarcode(b, stampAt(-30*time.Minute, "a")) // its name loses to b's later one
	if _, own, err := m.ApplyOwn(st, mu); err != nil || !own {
		// The losing name is dropped by the device's rebase when it pulls
		// the later one: the state is still the one the device holds.
		t.Fatalf("ApplyOwn(update with a losing field) = own %t, %v; want own", own, err)
	}
	if got := st.barcodes[domain.BarcodeID(peasCode)].Barcode; got.Name != "pois fins" || got.PeriodMonths != 8 {
		t.Errorf("stored %+v, want the later name and the new period", got)
	}
}
