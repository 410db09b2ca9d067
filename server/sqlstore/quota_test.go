package sqlstore

import (
	"context"
	"testing"

	"freezer/domain"
)

// TestEntityCountFollowsRows: the count the quota reads (kept by
// triggers, migration 0010) equals the account's freezers and products,
// tombstones included, after creations, a deletion and another account's
// removal.
func TestEntityCountFollowsRows(t *testing.T) {
	db := mustOpen(t, newTarget(t))
	ctx := context.Background()
	a, b := mustAccount(t, db, "a@example.com"), mustAccount(t, db, "b@example.com")
	for _, acct := range []int64{a, b} {
		f, err := db.CreateFreezer(ctx, acct, domain.Freezer{Name: "cave", Boxes: 2}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for slot := 1; slot <= 3; slot++ {
			p, err := db.CreateProduct(ctx, acct, domain.Product{Name: "soupe", TypeID: 1, Quantity: 2, PeriodMonths: 6,
				DateIn: domain.DateOf(now), Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: slot}})
			if err != nil {
				t.Fatal(err)
			}
			if slot == 3 && acct == a {
				if err := db.DeleteProduct(ctx, acct, p.ID); err != nil { // a tombstone: still counted
					t.Fatal(err)
				}
			}
		}
	}
	if err := db.DeleteAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	b2 := mustAccount(t, db, "b2@example.com")
	for acct, want := range map[int64]int{a: 4, b2: 0} {
		var counted, kept int
		if err := db.rdb.QueryRowContext(ctx, db.q(`SELECT (SELECT COUNT(*) FROM freezers WHERE account_id = ?) + (SELECT COUNT(*) FROM products WHERE account_id = ?)`),
			acct, acct).Scan(&counted); err != nil {
			t.Fatal(err)
		}
		if err := db.rdb.QueryRowContext(ctx, db.q(`SELECT COALESCE((SELECT n FROM account_entities WHERE account_id = ?), 0)`), acct).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if counted != want || kept != want {
			t.Errorf("account %d: %d rows, count kept %d; want %d", acct, counted, kept, want)
		}
	}
}
