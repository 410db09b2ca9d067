package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"freezer/domain"
	"freezer/server"
)

// TestInstancesNeverSkipAChange: two openings of one database (two
// freezerd instances) write products of one account at once while a
// reader pages through the changes by cursor, as a device's pull does.
// Every page's sequences increase, the cursor never goes back, and the
// reader ends up with every product written: a change committed after a
// page can never carry a sequence the page's cursor already passed.
func TestInstancesNeverSkipAChange(t *testing.T) {
	ctx := context.Background()
	target := newTarget(t)
	a, b := mustOpen(t, target), mustOpen(t, target)
	acct := mustAccount(t, a, "a@example.com")
	f, err := a.CreateFreezer(ctx, acct, domain.Freezer{Name: "frigo", Boxes: 4}, server.UniqueName)
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		db := []*DB{a, b}[w%2]
		wg.Go(func() {
			for i := range each {
				_, err := db.CreateProduct(ctx, acct, domain.Product{Name: fmt.Sprintf("w%d-%d", w, i), TypeID: 1,
					Location: domain.Location{FreezerID: f.ID, Box: w + 1, Slot: i + 1}, Quantity: 1,
					DateIn: domain.NewDate(2018, 1, 1), PeriodMonths: 1})
				if err != nil {
					errs <- fmt.Errorf("writer %d, product %d: %w", w, i, err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen, cursor := instancesPullUntil(t, b, acct, done)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != writers*each+1 {
		t.Fatalf("the reader saw %d entities (cursor %d), want %d: a change was skipped", len(seen), cursor, writers*each+1)
	}
}

// instancesPullUntil pulls small pages from db until done is closed and
// one more pull after it finds nothing new; it fails the test when a
// page's sequences do not increase or the cursor goes back, and returns
// the ids seen with the last cursor.
func instancesPullUntil(t *testing.T, db *DB, acct int64, done <-chan struct{}) (map[string]bool, int64) {
	t.Helper()
	seen := map[string]bool{}
	var cursor int64
	finished := false
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		select {
		case <-done:
			finished = true
		default:
		}
		page, err := db.Pull(context.Background(), acct, cursor, 7, "", nil)
		if err != nil {
			t.Fatalf("pull from %d: %v", cursor, err)
		}
		last := cursor
		for _, c := range page.Changes {
			if c.Seq <= last {
				t.Fatalf("pull from %d: sequence %d after %d", cursor, c.Seq, last)
			}
			last = c.Seq
			seen[c.ID.String()] = true
		}
		if page.Cursor < cursor {
			t.Fatalf("cursor went back from %d to %d", cursor, page.Cursor)
		}
		cursor = page.Cursor
		if finished && !page.More && len(page.Changes) == 0 {
			return seen, cursor
		}
	}
	t.Fatal("the writers did not finish within a minute")
	return nil, 0
}

// TestInstancesTakeTurnsPerAccount: two openings of one database (two
// instances) put products into the same slot at once. Each write reads
// the free slots and writes in one turn of the account, so exactly one
// takes the slot and the others are refused: without the account's lock
// (PostgreSQL), several read the slot free and all took it.
func TestInstancesTakeTurnsPerAccount(t *testing.T) {
	ctx := context.Background()
	target := newTarget(t)
	a, b := mustOpen(t, target), mustOpen(t, target)
	acct := mustAccount(t, a, "a@example.com")
	f, err := a.CreateFreezer(ctx, acct, domain.Freezer{Name: "frigo", Boxes: 1}, server.UniqueName)
	if err != nil {
		t.Fatal(err)
	}
	const tries = 12
	var wg sync.WaitGroup
	results := make(chan error, tries)
	start := make(chan struct{})
	for i := range tries {
		db := []*DB{a, b}[i%2]
		wg.Go(func() {
			<-start
			_, err := db.CreateProduct(ctx, acct, domain.Product{Name: fmt.Sprint("p", i), TypeID: 1,
				Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1}, Quantity: 1,
				DateIn: domain.NewDate(2018, 1, 1), PeriodMonths: 1})
			results <- err
		})
	}
	close(start)
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		switch {
		case err == nil:
			won++
		case domain.ErrorCode(err) != domain.EConflict:
			t.Errorf("a refused write = %v, want a conflict on the slot", err)
		}
	}
	box, slot := 1, 1
	inside, err := b.FindProducts(ctx, acct, server.ProductFilter{Where: server.Inside, Box: &box, Slot: &slot})
	if err != nil {
		t.Fatal(err)
	}
	if won != 1 || len(inside) != 1 {
		t.Fatalf("%d writes took slot 1 and %d products hold it, want 1 and 1", won, len(inside))
	}
}

// TestInstancesStartAtOnce: instances opening a new database at the same
// moment all start; the migrations run once (PostgreSQL: under an
// advisory lock) and the product types are seeded once.
func TestInstancesStartAtOnce(t *testing.T) {
	target := newTarget(t)
	const instances = 4
	dbs := make([]*DB, instances)
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Go(func() { dbs[i], errs[i] = Open(context.Background(), target, Options{}) })
	}
	wg.Wait()
	applied := 0
	for i, db := range dbs {
		if errs[i] != nil {
			t.Fatalf("instance %d: Open() error = %v", i, errs[i])
		}
		t.Cleanup(func() { _ = db.Close() })
		applied += len(db.Applied())
	}
	files, _ := fs.Glob(migrations, dbs[0].dialect.migrations+"/*.sql")
	var recorded, types int
	if err := dbs[0].rdb.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if err := dbs[0].rdb.QueryRow(`SELECT COUNT(*) FROM product_types`).Scan(&types); err != nil {
		t.Fatal(err)
	}
	if applied != len(files) || recorded != len(files) || types != 43 {
		t.Fatalf("applied %d, recorded %d migrations, %d types; want %d, %d and 43", applied, recorded, types, len(files), len(files))
	}
}
