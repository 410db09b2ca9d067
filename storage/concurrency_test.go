package storage

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"freezer/domain"
)

// TestConcurrentWrites runs writers in parallel, with readers beside them:
// nothing is lost, every add has its outbox row and no call fails (no
// SQLITE_BUSY).
func TestConcurrentWrites(t *testing.T) {
	const writers, perWriter = 4, 40
	tests := []struct {
		name    string
		sameBox bool // every writer adds to box 1 (slots computed under contention)
	}{
		{"different boxes", false},
		{"same box", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", writers)
			before := pendingCount(t, db)

			var wg sync.WaitGroup
			errs := make(chan error, writers*perWriter+100)
			ids := make([][]domain.Product, writers)
			for w := range writers {
				wg.Go(func() {
					box := w + 1
					if tt.sameBox {
						box = 1
					}
					for i := range perWriter {
						p, err := db.AddProduct(ctx, product(f, box, 0, fmt.Sprintf("writer %d product %d", w, i)))
						if err != nil {
							errs <- fmt.Errorf("writer %d, add %d: %w", w, i, err)
							return
						}
						ids[w] = append(ids[w], p)
					}
				})
			}
			done := make(chan struct{})
			var readers sync.WaitGroup
			for range 2 {
				readers.Go(func() {
					for {
						select {
						case <-done:
							return
						default:
						}
						if _, err := db.FindProducts(ctx, ProductFilter{Text: "product"}); err != nil {
							errs <- fmt.Errorf("reader: %w", err)
							return
						}
						if _, err := db.ListFreezers(ctx); err != nil {
							errs <- fmt.Errorf("reader: %w", err)
							return
						}
					}
				})
			}
			wg.Wait()
			close(done)
			readers.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("concurrent call failed: %v", err)
			}

			rows := mustFind(t, db, ProductFilter{})
			if got, want := len(rows), writers*perWriter; got != want {
				t.Fatalf("FindProducts() = %d products, want %d", got, want)
			}
			if got, want := pendingCount(t, db)-before, writers*perWriter; got != want {
				t.Errorf("outbox rows added = %d, want %d", got, want)
			}
			if got, want := countRows(t, db, "history"), writers*perWriter; got != want {
				t.Errorf("history rows = %d, want %d", got, want)
			}
			creates := map[string]int{}
			for _, m := range mustOutbox(t, db, 0) {
				if m.Entity == domain.EntityProduct && m.Op == domain.OpCreate {
					creates[m.EntityID.String()]++
				}
			}
			for w := range writers {
				for _, p := range ids[w] {
					if got := creates[p.ID.String()]; got != 1 {
						t.Errorf("outbox create rows for %q = %d, want 1", p.Name, got)
					}
				}
			}
			// Slots were handed out one by one: each box holds 1..n without a gap
			// or a duplicate.
			slots := map[int][]int{}
			for _, r := range rows {
				slots[r.Location.Box] = append(slots[r.Location.Box], r.Location.Slot)
			}
			for box, got := range slots {
				slices.Sort(got)
				for i, s := range got {
					if s != i+1 {
						t.Errorf("box %d slots = %v, want 1..%d", box, got, len(got))
						break
					}
				}
			}
		})
	}
}
