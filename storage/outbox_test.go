package storage

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

// TestOutboxOneRowPerWrite checks that every write queues exactly one
// mutation holding only the fields it changed.
func TestOutboxOneRowPerWrite(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	var f, g domain.Freezer
	var p domain.Product
	tests := []struct {
		name       string
		call       func() (entityID uuid.UUID, err error)
		wantEntity string
		wantOp     string
		wantFields map[string]string // field -> JSON value
	}{
		{"create freezer", func() (uuid.UUID, error) {
			var err error
			f, err = db.CreateFreezer(ctx, "frigo 1", 4)
			return f.ID, err
		}, domain.EntityFreezer, domain.OpCreate, map[string]string{"name": `"frigo 1"`, "boxes": `4`, "deleted": `false`}},
		{"create another freezer", func() (uuid.UUID, error) {
			var err error
			g, err = db.CreateFreezer(ctx, "Frigo à glaçons", 2)
			return g.ID, err
		}, domain.EntityFreezer, domain.OpCreate, map[string]string{"name": `"Frigo à glaçons"`, "boxes": `2`, "deleted": `false`}},
		{"rename freezer", func() (uuid.UUID, error) {
			_, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Name: ptr("frigo A"), Boxes: ptr(4)})
			return f.ID, err
		}, domain.EntityFreezer, domain.OpUpdate, map[string]string{"name": `"frigo A"`}},
		{"resize freezer", func() (uuid.UUID, error) {
			_, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Boxes: ptr(6)})
			return f.ID, err
		}, domain.EntityFreezer, domain.OpUpdate, map[string]string{"boxes": `6`}},
		{"add product", func() (uuid.UUID, error) {
			var err error
			p, err = db.AddProduct(ctx, domain.Product{Name: "Crème brûlée", Description: "maison", TypeID: 40,
				Location: domain.Location{FreezerID: f.ID, Box: 2, Slot: 3}, Quantity: 2,
				DateIn: date(t, "2025-06-01"), PeriodMonths: 2})
			return p.ID, err
		}, domain.EntityProduct, domain.OpCreate, map[string]string{
			"name": `"Crème brûlée"`, "description": `"maison"`, "type": `40`, "quantity": `2`,
			"location": `{"freezer_id":"F","box":2,"slot":3}`, "date_in": `"2025-06-01"`, "period": `2`,
			"out": `{"date":"","outcome":""}`, "deleted": `false`,
		}},
		{"update product name", func() (uuid.UUID, error) {
			_, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Name: ptr("Crème caramel"), Quantity: ptr(2)})
			return p.ID, err
		}, domain.EntityProduct, domain.OpUpdate, map[string]string{"name": `"Crème caramel"`}},
		{"update product period and date in", func() (uuid.UUID, error) {
			_, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{PeriodMonths: ptr(3), DateIn: ptr(date(t, "2025-06-02"))})
			return p.ID, err
		}, domain.EntityProduct, domain.OpUpdate, map[string]string{"period": `3`, "date_in": `"2025-06-02"`}},
		{"move product", func() (uuid.UUID, error) {
			_, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Location: &domain.Location{FreezerID: g.ID, Box: 1, Slot: 1}})
			return p.ID, err
		}, domain.EntityProduct, domain.OpUpdate, map[string]string{"location": `{"freezer_id":"G","box":1,"slot":1}`}},
		{"take out", func() (uuid.UUID, error) {
			_, err := db.TakeOutProduct(ctx, p.ID, testToday, domain.OutcomeDiscarded)
			return p.ID, err
		}, domain.EntityProduct, domain.OpUpdate, map[string]string{"out": `{"date":"2025-06-15","outcome":"discarded"}`}},
		{"put back", func() (uuid.UUID, error) {
			_, err := db.PutBackProduct(ctx, p.ID)
			return p.ID, err
		}, domain.EntityProduct, domain.OpUpdate, map[string]string{"out": `{"date":"","outcome":""}`}},
		{"take out again", func() (uuid.UUID, error) {
			_, err := db.TakeOutProduct(ctx, p.ID, domain.Date{}, domain.OutcomeNone)
			return p.ID, err
		}, domain.EntityProduct, domain.OpUpdate, map[string]string{"out": `{"date":"2025-06-15","outcome":"eaten"}`}},
		{"delete freezer", func() (uuid.UUID, error) {
			return g.ID, db.DeleteFreezer(ctx, g.ID)
		}, domain.EntityFreezer, domain.OpDelete, map[string]string{"deleted": `true`}},
	}
	for _, tt := range tests { // in order: each step builds on the previous ones
		t.Run(tt.name, func(t *testing.T) {
			before := pendingCount(t, db)
			id, err := tt.call()
			if err != nil {
				t.Fatalf("%s error: %v", tt.name, err)
			}
			ms := mustOutbox(t, db, 0)
			if got, want := len(ms), before+1; got != want {
				t.Fatalf("outbox after %s = %d rows, want %d", tt.name, got, want)
			}
			m := ms[len(ms)-1]
			if m.Entity != tt.wantEntity || m.Op != tt.wantOp || m.EntityID != id {
				t.Errorf("mutation = %s %s %s, want %s %s %s", m.Entity, m.Op, m.EntityID, tt.wantEntity, tt.wantOp, id)
			}
			if got, want := slices.Sorted(maps.Keys(m.Fields)), slices.Sorted(maps.Keys(tt.wantFields)); !slices.Equal(got, want) {
				t.Errorf("mutation fields = %q, want %q", got, want)
			}
			for k, v := range tt.wantFields {
				want := replaceIDs(v, f.ID, g.ID)
				if got := string(m.Fields[k]); !jsonEqual(t, got, want) {
					t.Errorf("mutation field %s = %s, want %s", k, got, want)
				}
			}
			if m.Stamp.Node != db.DeviceID() {
				t.Errorf("mutation stamp node = %q, want %q", m.Stamp.Node, db.DeviceID())
			}
			if !m.Created.Equal(testNow) {
				t.Errorf("mutation created = %v, want %v", m.Created, testNow)
			}
		})
	}
}

func replaceIDs(s string, f, g uuid.UUID) string {
	return strings.NewReplacer(`"F"`, `"`+f.String()+`"`, `"G"`, `"`+g.String()+`"`).Replace(s)
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("bad JSON %s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("bad JSON %s: %v", b, err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// TestOutboxNoRowWithoutChange checks that refused and empty writes queue
// nothing.
func TestOutboxNoRowWithoutChange(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
	before := pendingCount(t, db)
	calls := map[string]func() error{
		"same freezer name": func() error { _, err := db.UpdateFreezer(ctx, f.ID, FreezerUpdate{Name: ptr("frigo 1")}); return err },
		"same product name": func() error { _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Name: ptr("porc")}); return err },
		"put back inside":   func() error { _, err := db.PutBackProduct(ctx, p.ID); return err },
		"refused add":       func() error { _, err := db.AddProduct(ctx, product(f, 1, 1, "taken")); return err },
		"refused update":    func() error { _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(0)}); return err },
		"refused delete":    func() error { return db.DeleteFreezer(ctx, f.ID) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			_ = call()
			if got := pendingCount(t, db); got != before {
				t.Errorf("outbox after %s = %d, want %d", name, got, before)
			}
		})
	}
}

func TestOutboxBatchOrder(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	var want []string // entity ids in write order
	want = append(want, f.ID.String())
	for i := range 5 {
		p := mustAddProduct(t, db, product(f, 1, 0, "p"))
		want = append(want, p.ID.String())
		if i%2 == 0 {
			mustTakeOut(t, db, p.ID, testToday, domain.OutcomeEaten)
			want = append(want, p.ID.String())
		}
	}
	ms := mustOutbox(t, db, 0)
	if got := pendingCount(t, db); got != len(ms) || got != len(want) {
		t.Fatalf("PendingCount() = %d, len(OutboxBatch()) = %d, want %d", got, len(ms), len(want))
	}
	seen := map[string]bool{}
	for i, m := range ms {
		if m.EntityID.String() != want[i] {
			t.Errorf("OutboxBatch()[%d].EntityID = %s, want %s", i, m.EntityID, want[i])
		}
		if i > 0 && (m.Seq <= ms[i-1].Seq || !m.Stamp.After(ms[i-1].Stamp)) {
			t.Errorf("OutboxBatch()[%d] = seq %d stamp %s, want after seq %d stamp %s", i, m.Seq, m.Stamp, ms[i-1].Seq, ms[i-1].Stamp)
		}
		if seen[m.ID] {
			t.Errorf("OutboxBatch()[%d].ID %s appears twice", i, m.ID)
		}
		seen[m.ID] = true
	}
	for _, limit := range []int{1, 3, len(want), len(want) + 5} {
		got := mustOutbox(t, db, limit)
		if n := min(limit, len(ms)); len(got) != n || got[0].Seq != ms[0].Seq || got[n-1].Seq != ms[n-1].Seq {
			t.Errorf("OutboxBatch(%d) = %d mutations, want the first %d", limit, len(got), n)
		}
	}
}
