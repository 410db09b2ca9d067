package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// TestLeanWritesMigrationKeepsEveryRow: migration 11 rebuilds the outbox
// and the history (and drops products_name). Every queued mutation stays,
// in its order, with its seq; every product's history entries stay, in
// their order; and new rows continue after them.
func TestLeanWritesMigrationKeepsEveryRow(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/freezer.db"
	w := mustOldStore(t, path, 10)
	// Two products whose history entries interleave (ids 1..5), and an
	// outbox whose AUTOINCREMENT seqs have a gap (an acknowledged row).
	a, b := uuid.MustParse("01900000-0000-7000-8000-00000000000a"), uuid.MustParse("01900000-0000-7000-8000-00000000000b")
	for i, e := range []struct {
		product uuid.UUID
		kind    string
	}{{a, ChangeCreated}, {b, ChangeCreated}, {a, ChangeUpdated}, {a, ChangeTakenOut}, {b, ChangeUpdated}} {
		at := time.Date(2026, 12, 1, 10, i, 0, 0, time.UTC).Format(time.RFC3339Nano)
		changes := fmt.Sprintf(`[{"field":"name","old":"v%d","new":"v%d"}]`, i, i+1)
		if _, err := w.ExecContext(ctx, `INSERT INTO history (product_id, at, kind, device, changes) VALUES (?, ?, ?, 'dev', ?)`,
			e.product.String(), at, e.kind, changes); err != nil {
			t.Fatal(err)
		}
	}
	stamp := domain.Timestamp{Wall: 1_764_000_000_000, Node: "dev"}.String()
	for i := range 4 {
		if _, err := w.ExecContext(ctx, `INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, created_at)
			VALUES (?, 'product', ?, 'update', ?, ?, '2026-12-01T10:00:00Z')`,
			fmt.Sprintf("m%d", i), a.String(), fmt.Sprintf(`{"quantity":%d}`, i+1), stamp); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.ExecContext(ctx, `DELETE FROM outbox WHERE mutation_id = 'm1'`); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	db := mustOpenPath(t, path)
	kinds := func(id uuid.UUID) []string {
		t.Helper()
		h, err := db.ProductHistory(ctx, id)
		if err != nil {
			t.Fatalf("ProductHistory(%s) error: %v", id, err)
		}
		var out []string
		for _, e := range h {
			out = append(out, e.Kind+" "+e.Changes[0].New)
		}
		return out
	}
	if got, want := kinds(a), []string{ChangeCreated + " v1", ChangeUpdated + " v3", ChangeTakenOut + " v4"}; !slices.Equal(got, want) {
		t.Errorf("history of a = %q, want %q", got, want)
	}
	if got, want := kinds(b), []string{ChangeCreated + " v2", ChangeUpdated + " v5"}; !slices.Equal(got, want) {
		t.Errorf("history of b = %q, want %q", got, want)
	}
	q := mustOutbox(t, db, 0)
	var got []string
	for _, m := range q {
		got = append(got, fmt.Sprintf("%s@%d %s", m.ID, m.Seq, m.Fields["quantity"]))
	}
	if want := []string{"m0@1 1", "m2@3 3", "m3@4 4"}; !slices.Equal(got, want) {
		t.Errorf("outbox after the migration = %q, want %q", got, want)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'products_name'
		OR (name IN ('outbox', 'history') AND sql LIKE '%AUTOINCREMENT%')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("products_name or an AUTOINCREMENT left: %d, %v", n, err)
	}

	// New rows continue after the kept ones.
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	p := mustAddProduct(t, db, product(f, 1, 0, "Soupe"))
	q = mustOutbox(t, db, 0)
	if len(q) != 5 || q[3].Seq != 5 || q[4].Seq != 6 || q[4].EntityID != p.ID {
		t.Errorf("outbox after a freezer and a product = %+v, want them at seq 5 and 6", q)
	}
	var nums []int
	rows, err := db.r.QueryContext(ctx, `SELECT n FROM history WHERE product_id = ? ORDER BY n`, a.String())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		nums = append(nums, v)
	}
	rows.Close()
	if want := []int{1, 2, 3}; !slices.Equal(nums, want) {
		t.Errorf("history numbers of a = %v, want %v", nums, want)
	}
	if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(3)}); err != nil {
		t.Fatalf("UpdateProduct() error: %v", err)
	}
	h, err := db.ProductHistory(ctx, p.ID)
	if got, want := historyKinds(h), []string{ChangeCreated, ChangeUpdated}; err != nil || !slices.Equal(got, want) {
		t.Errorf("history of a new product after an edit = %q, %v; want %q", got, err, want)
	}
}

// TestAcknowledgeRemovesTheBatch: the acknowledged mutations leave the
// outbox in one statement (mutation_id has no index), the others stay in
// their order, and an acknowledgement of a mutation no longer queued
// changes nothing.
func TestAcknowledgeRemovesTheBatch(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	for i := range 5 {
		mustAddProduct(t, db, product(f, 1, 0, fmt.Sprintf("Soupe %d", i)))
	}
	q := mustOutbox(t, db, 0)
	if len(q) != 6 {
		t.Fatalf("outbox = %d rows, want 6", len(q))
	}
	acks := []Ack{{MutationID: q[0].ID}, {MutationID: q[2].ID}, {MutationID: q[5].ID}, {MutationID: domain.NewID().String()}}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatalf("Acknowledge() error: %v", err)
	}
	var got, want []string
	for _, m := range mustOutbox(t, db, 0) {
		got = append(got, m.ID)
	}
	for _, i := range []int{1, 3, 4} {
		want = append(want, q[i].ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("outbox after the acknowledgements = %q, want %q", got, want)
	}
}
