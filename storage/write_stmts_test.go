package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// TestPlaceQueryReadsIndexesOnly pins the plan of the check before every
// add and edit: the taken slots of a box come from the products_place
// index alone (migration 7), never from a scan or from the product rows.
func TestPlaceQueryReadsIndexesOnly(t *testing.T) {
	db := mustOpenDB(t)
	plan := queryPlan(t, db.w, placeQuery, 1, "f", 1, "p", "f")
	want := "SEARCH products USING COVERING INDEX products_place (freezer_id=? AND box=? AND date_out=? AND deleted=?)"
	if !slices.Contains(plan, want) {
		t.Errorf("plan of placeQuery = %q, want a step %q", plan, want)
	}
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN products") {
			t.Errorf("plan of placeQuery has %q: every product would be read", step)
		}
	}
}

// TestReadPlace checks what the one statement of readPlace answers: the
// type and the freezer when they exist, and the slots of the box held by
// the products inside other than the product itself.
func TestReadPlace(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "cave", 3)
	a := mustAddProduct(t, db, product(f, 2, 1, "a"))
	mustAddProduct(t, db, product(f, 2, 3, "b"))
	out := mustAddProduct(t, db, product(f, 2, 4, "taken out"))
	mustTakeOut(t, db, out.ID, testToday, domain.OutcomeEaten)
	mustAddProduct(t, db, product(f, 1, 2, "other box"))
	missing := product(f, 2, 0, "x")
	missing.Location.FreezerID, missing.TypeID = uuid.New(), 9999
	tests := []struct {
		name      string
		p         domain.Product
		self      uuid.UUID
		wantType  bool
		wantFound bool
		wantTaken []int
		wantNext  int
	}{
		{"new product", product(f, 2, 0, "x"), uuid.Nil, true, true, []int{1, 3}, 2},
		{"the product itself", product(f, 2, 0, "x"), a.ID, true, true, []int{3}, 1},
		{"no such freezer or type", missing, uuid.Nil, false, false, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := db.w.BeginTx(ctx, nil)
			if err != nil {
				t.Fatalf("begin: %v", err)
			}
			defer tx.Rollback()
			pl, err := db.readPlace(ctx, tx, tt.p, tt.self)
			if err != nil {
				t.Fatalf("readPlace() error: %v", err)
			}
			slices.Sort(pl.taken)
			if pl.typeExists != tt.wantType || pl.found != tt.wantFound || !slices.Equal(pl.taken, tt.wantTaken) {
				t.Errorf("readPlace() = type %t, freezer %t, taken %v; want %t, %t, %v",
					pl.typeExists, pl.found, pl.taken, tt.wantType, tt.wantFound, tt.wantTaken)
			}
			if tt.wantFound && (pl.freezer.Name != "cave" || pl.freezer.Boxes != 3) {
				t.Errorf("readPlace() freezer = %+v, want cave with 3 boxes", pl.freezer)
			}
			if got := pl.nextFree(tt.p.Location); got != tt.wantNext {
				t.Errorf("nextFree() = %d, want %d", got, tt.wantNext)
			}
		})
	}
}

// TestClockResumesAfterAcknowledge reopens a store whose outbox the server
// emptied: a change stamps its outbox row without writing meta, so the
// acknowledgement must keep the clock (storedClock) past the stamps the
// rows carried, even with the time pinned.
func TestClockResumesAfterAcknowledge(t *testing.T) {
	ctx := context.Background()
	path, db, p, queued := mustQueuedProduct(t)
	last := queued[len(queued)-1].Stamp
	var acks []Ack
	for _, m := range queued {
		acks = append(acks, Ack{MutationID: m.ID})
	}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatalf("Acknowledge() error: %v", err)
	}
	if n := len(mustOutbox(t, db, 0)); n != 0 {
		t.Fatalf("outbox after Acknowledge() = %d rows, want 0", n)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}
	db = mustOpenPath(t, path)
	if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(3)}); err != nil {
		t.Fatalf("UpdateProduct() after reopen error: %v", err)
	}
	ms := mustOutbox(t, db, 0)
	if len(ms) != 1 || !ms[0].Stamp.After(last) {
		t.Fatalf("outbox after reopen = %+v, want one change stamped after %s", ms, last)
	}
}

// TestMovedProductsReadsThePartialIndex pins the plan of MovedProducts:
// the products with a relabel notice come from the partial index of
// migration 8, not from a scan of every product.
func TestMovedProductsReadsThePartialIndex(t *testing.T) {
	db := mustOpenDB(t)
	plan := queryPlan(t, db.r, movedQuery)
	if len(plan) == 0 || !strings.Contains(strings.Join(plan, "; "), "products_relabeled") {
		t.Errorf("plan of MovedProducts = %q, want it to read the index products_relabeled", plan)
	}
}

// queryPlan returns the steps of SQLite's plan of query on pool.
func queryPlan(t *testing.T, pool *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := pool.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("EXPLAIN QUERY PLAN error: %v", err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatalf("read plan: %v", err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read plan: %v", err)
	}
	return plan
}

// TestClockResumesFromTheOutbox reopens a store whose changes are still
// queued, its clock behind them (the time set back): the next change is
// stamped after the newest queued one, read from the outbox at the open.
func TestClockResumesFromTheOutbox(t *testing.T) {
	ctx := context.Background()
	path, db, p, queued := mustQueuedProduct(t)
	last := queued[len(queued)-1].Stamp
	earlier := db.Now().Add(-time.Hour)
	if err := db.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}
	db = mustOpenPath(t, path)
	db.Now = func() time.Time { return earlier }
	if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(3)}); err != nil {
		t.Fatalf("UpdateProduct() after reopen error: %v", err)
	}
	ms := mustOutbox(t, db, 0)
	if got := ms[len(ms)-1].Stamp; !got.After(last) {
		t.Fatalf("the change after reopen is stamped %s, want after the newest queued %s", got, last)
	}
}

// mustQueuedProduct opens a store in a new file with a freezer and a
// product, their changes queued, and returns the file, the store, the
// product and the queue.
func mustQueuedProduct(t *testing.T) (string, *DB, domain.Product, []queued) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "freezer.db")
	db := mustOpenPath(t, path)
	f := mustCreateFreezer(t, db, "cave", 2)
	p := mustAddProduct(t, db, product(f, 1, 0, "soupe"))
	return path, db, p, mustOutbox(t, db, 0)
}
