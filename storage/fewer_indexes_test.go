package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

// TestFewerIndexesMigrationKeepsTheStore: migration 12 drops
// products_inside_deadline and outbox_entity and adds the deadline to
// products_place. A version-11 store with products keeps them, its
// overview counts them as before, and a new add still finds its slot.
func TestFewerIndexesMigrationKeepsTheStore(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/freezer.db"
	w := mustOldStore(t, path, 11)
	fid := domain.NewID().String()
	if _, err := w.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes) VALUES (?, 'Garage', 2)`, fid); err != nil {
		t.Fatal(err)
	}
	today := testToday
	// Slots 1 and 2 of box 1: one overdue, one due in 3 days; slot 1 of
	// box 2 is fine for months; one taken out this month.
	for _, r := range []struct {
		box, slot int
		deadline  domain.Date
		out       string
	}{
		{1, 1, today.AddDays(-5), ""},
		{1, 2, today.AddDays(3), ""},
		{2, 1, today.AddDays(90), ""},
		{2, 2, today.AddDays(20), today.MonthStart().String()},
	} {
		if _, err := w.ExecContext(ctx, `INSERT INTO products (id, name, type_id, freezer_id, box, slot, quantity, date_in, period, deadline, date_out)
			VALUES (?, 'Soupe', 1, ?, ?, ?, 1, ?, 3, ?, ?)`,
			domain.NewID().String(), fid, r.box, r.slot, r.deadline.AddMonths(-3).String(), r.deadline.String(), r.out); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	db := mustOpenPath(t, path)
	o, err := db.Overview(ctx)
	if err != nil {
		t.Fatalf("Overview() error: %v", err)
	}
	if o.Inside != 3 || o.Overdue != 1 || o.DueSoon != 1 || o.OK != 1 || o.OutThisMonth != 1 || len(o.Alerts) != 2 {
		t.Errorf("Overview() = %d inside, %d overdue, %d due soon, %d ok, %d out this month, %d alerts; want 3, 1, 1, 1, 1, 2",
			o.Inside, o.Overdue, o.DueSoon, o.OK, o.OutThisMonth, len(o.Alerts))
	}
	p := mustAddProduct(t, db, domain.Product{Name: "Potage", TypeID: 1, Quantity: 1, PeriodMonths: 3,
		Location: domain.Location{FreezerID: uuid.MustParse(fid), Box: 1}})
	if p.Location.Slot != 3 {
		t.Errorf("slot of a new product in box 1 = %d, want 3 (1 and 2 are taken)", p.Location.Slot)
	}
	var names []string
	rows, err := db.r.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	if slices.Contains(names, "products_inside_deadline") || slices.Contains(names, "outbox_entity") || !slices.Contains(names, "products_place") {
		t.Errorf("indexes after migration 12 = %q, want products_place and neither products_inside_deadline nor outbox_entity", names)
	}
}

// TestOverviewCountsReadThePlaceIndexAlone pins the plan of the overview's
// counts: every column they need is in products_place, so they read that
// index, not the products' rows.
func TestOverviewCountsReadThePlaceIndexAlone(t *testing.T) {
	db := mustOpenDB(t)
	day := testToday.String()
	plan := strings.Join(queryPlan(t, db.r, overviewCounts, day, day, day, day), "; ")
	if !strings.Contains(plan, "COVERING INDEX products_place") {
		t.Errorf("plan of the overview's counts = %q, want a scan of the covering index products_place", plan)
	}
}

// TestRequeueReplacesEachEntityOnce: requeueFull replaces an entity's
// queued changes by one create, through the seqs read once (queuedRows),
// and leaves the other entities' rows where they are. Requeued twice in
// one transaction, an entity still has one create.
func TestRequeueReplacesEachEntityOnce(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	a := mustAddProduct(t, db, product(f, 1, 0, "Soupe A"))
	b := mustAddProduct(t, db, product(f, 1, 0, "Soupe B"))
	c := mustAddProduct(t, db, product(f, 1, 0, "Soupe C"))
	for i, p := range []domain.Product{a, b, a, c, b} {
		if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(i + 2)}); err != nil {
			t.Fatal(err)
		}
	}
	before := mustOutbox(t, db, 0)
	var kept []string // f's create and c's rows
	for _, m := range before {
		if m.EntityID != a.ID && m.EntityID != b.ID {
			kept = append(kept, m.ID)
		}
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		queued, err := readQueuedRows(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range []domain.Product{a, b, a} {
			if _, err := db.requeueFull(ctx, tx, queued, domain.EntityProduct, p.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("requeue error: %v", err)
	}
	var got []string
	creates := map[string]int{}
	for _, m := range mustOutbox(t, db, 0) {
		switch m.EntityID {
		case a.ID, b.ID:
			if m.Op != domain.OpCreate || len(m.Fields) < len(domain.ProductFields)-1 {
				t.Errorf("requeued %s = %s of %d fields, want a create of every field", m.EntityID, m.Op, len(m.Fields))
			}
			creates[m.EntityID.String()]++
		default:
			got = append(got, m.ID)
		}
	}
	if !slices.Equal(got, kept) {
		t.Errorf("the other entities' rows after the requeue = %q, want %q as they were", got, kept)
	}
	if creates[a.ID.String()] != 1 || creates[b.ID.String()] != 1 {
		t.Errorf("creates queued = %v, want one for each of the two products", creates)
	}
}

// TestAcknowledgeDropsEveryRefusedEntity: two refused creates in one
// batch take every change still queued for their products with them (one
// statement, the queue has no index by entity); a third product's changes
// stay, in their order.
func TestAcknowledgeDropsEveryRefusedEntity(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	var ps []domain.Product
	for i := range 3 {
		ps = append(ps, mustAddProduct(t, db, product(f, 1, 0, fmt.Sprintf("Soupe %d", i))))
	}
	for i, p := range []domain.Product{ps[0], ps[1], ps[2], ps[0], ps[2]} {
		if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(i + 2)}); err != nil {
			t.Fatal(err)
		}
	}
	q := mustOutbox(t, db, 0)
	var acks []Ack
	var want []string
	for _, m := range q {
		switch {
		case m.Op == domain.OpCreate && (m.EntityID == ps[0].ID || m.EntityID == ps[1].ID):
			acks = append(acks, Ack{MutationID: m.ID, Drop: true, Entity: m.Entity, EntityID: m.EntityID})
		case m.EntityID != ps[0].ID && m.EntityID != ps[1].ID:
			want = append(want, m.ID)
		}
	}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatalf("Acknowledge() error: %v", err)
	}
	var got []string
	for _, m := range mustOutbox(t, db, 0) {
		got = append(got, m.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("outbox after dropping two refused creates = %q, want %q", got, want)
	}
	for _, p := range ps[:2] {
		if _, err := db.FindProduct(ctx, p.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("FindProduct(%s) after its refused create = %v, want not found", p.Name, err)
		}
	}
}
