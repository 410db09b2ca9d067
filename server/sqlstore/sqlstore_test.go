package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/server"
)

var now = time.Date(2018, 2, 10, 12, 0, 0, 0, time.UTC)

func mustOpen(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// newTarget returns where a test's store lives: a new SQLite file, or a
// new PostgreSQL database in the PostgreSQL pass (internal/pgtest).
func newTarget(t *testing.T) string {
	t.Helper()
	if pgtest.Postgres() {
		return pgtest.NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), "s.db")
}

// sqliteOnly skips a test of SQLite's own behaviour (files, modes, its
// earlier migrations) in the PostgreSQL pass, saying why.
func sqliteOnly(t *testing.T, why string) {
	t.Helper()
	if pgtest.Postgres() {
		t.Skip("SQLite only: " + why)
	}
}

// TestMain runs every test on each backend (pgtest.Main).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func mustAccount(t *testing.T, db *DB, email string) int64 {
	t.Helper()
	a, err := db.CreateAccount(context.Background(), email, []byte("hash"), []byte(email))
	if err != nil {
		t.Fatalf("CreateAccount() error = %v", err)
	}
	return a.ID
}

func TestOpenMigratesOnceAndSeedsTypes(t *testing.T) {
	path := newTarget(t)
	for i := range 2 {
		db, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("Open() #%d error = %v", i+1, err)
		}
		types, err := db.ListTypes(context.Background())
		if err != nil || len(types) != 43 || types[42] != (domain.ProductType{ID: 43, NameEN: "vegetable", NameFR: "légume"}) {
			t.Fatalf("ListTypes() = %d types, %v", len(types), err)
		}
		var n int
		files, _ := fs.Glob(migrations, db.dialect.migrations+"/*.sql")
		if err := db.rdb.QueryRow(db.q(`SELECT COUNT(*) FROM schema_migrations`)).Scan(&n); err != nil || n != len(files) {
			t.Fatalf("migrations recorded = %d, %v; want %d", n, err, len(files))
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEmailsUniqueWithoutCase(t *testing.T) {
	db := mustOpen(t, newTarget(t))
	mustAccount(t, db, "Anne@Example.com")
	_, err := db.CreateAccount(context.Background(), "anne@example.COM", []byte("h"), []byte("t2"))
	if domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("second account = %v, want conflict", err)
	}
	a, err := db.FindAccountByEmail(context.Background(), "ANNE@example.com")
	if err != nil || a.Email != "Anne@Example.com" {
		t.Fatalf("FindAccountByEmail() = %+v, %v", a, err)
	}
}

// stamps returns a row's per-field clock stamps and seq.
func stamps(t *testing.T, db *DB, table, id string, fields ...string) (map[string]string, int64) {
	t.Helper()
	out := map[string]string{}
	for _, f := range fields {
		var s string
		if err := db.rdb.QueryRow(db.q(fmt.Sprintf(`SELECT %s_ts FROM %s WHERE id = ?`, f, table)), id).Scan(&s); err != nil {
			t.Fatalf("read %s_ts: %v", f, err)
		}
		if _, err := domain.ParseTimestamp(s); err != nil || s == "" {
			t.Fatalf("%s_ts = %q is not a stamp: %v", f, s, err)
		}
		out[f] = s
	}
	var seq int64
	if err := db.rdb.QueryRow(db.q(fmt.Sprintf(`SELECT seq FROM %s WHERE id = ?`, table)), id).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return out, seq
}

func TestStampsSeqAndTombstones(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	acct := mustAccount(t, db, "a@example.com")
	f, err := db.CreateFreezer(ctx, acct, domain.Freezer{Name: "frigo", Boxes: 2}, server.UniqueName)
	if err != nil || f.Num != 1 || f.Seq != 1 || f.ID.Version() != 7 {
		t.Fatalf("CreateFreezer() = %+v, %v", f, err)
	}
	din := domain.NewDate(2018, 1, 1)
	p, err := db.CreateProduct(ctx, acct, domain.Product{Name: "soupe", TypeID: 1, Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1},
		Quantity: 2, DateIn: din, PeriodMonths: 3})
	if err != nil || p.Seq != 2 || p.Num != 1 || p.FreezerName != "frigo" {
		t.Fatalf("CreateProduct() = %+v, %v", p, err)
	}
	pFields := []string{"name", "description", "type", "location", "quantity", "date_in", "period", "out"}
	before, _ := stamps(t, db, "products", p.ID.String(), pFields...)

	name := "soupe aux pois"
	loc := domain.Location{FreezerID: f.ID, Box: 2, Slot: 1}
	p2, err := db.UpdateProduct(ctx, acct, p.ID, server.ProductUpdate{Name: &name, Location: &loc})
	if err != nil || p2.Seq != 3 {
		t.Fatalf("UpdateProduct() = %+v, %v", p2, err)
	}
	after, seq := stamps(t, db, "products", p.ID.String(), pFields...)
	if seq != 3 {
		t.Errorf("seq = %d, want 3", seq)
	}
	for _, field := range pFields {
		changed := field == domain.FieldName || field == domain.FieldLocation
		if (after[field] != before[field]) != changed {
			t.Errorf("%s stamp %q -> %q, changed should be %v", field, before[field], after[field], changed)
		}
	}
	if after["name"] <= before["name"] {
		t.Errorf("new stamp %q does not order after %q", after["name"], before["name"])
	}
	// An update that changes nothing writes nothing.
	if p3, err := db.UpdateProduct(ctx, acct, p.ID, server.ProductUpdate{Name: &name}); err != nil || p3.Seq != 3 {
		t.Errorf("no-op update = seq %d, %v; want 3", p3.Seq, err)
	}

	// Deleting a freezer with a product inside is refused; once it is out,
	// the freezer becomes a tombstone and the product keeps its name.
	if err := db.DeleteFreezer(ctx, acct, f.ID); domain.ErrorCode(err) != domain.EConflict || domain.ErrorField(err) != domain.FieldDeleted {
		t.Fatalf("DeleteFreezer(holding) = %v", err)
	}
	out := domain.NewDate(2018, 2, 1)
	if _, err := db.UpdateProduct(ctx, acct, p.ID, server.ProductUpdate{DateOut: &out}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteFreezer(ctx, acct, f.ID); err != nil {
		t.Fatalf("DeleteFreezer() = %v", err)
	}
	fs, seq := stamps(t, db, "freezers", f.ID.String(), "name", "boxes", "deleted")
	var deleted int
	if err := db.rdb.QueryRow(db.q(`SELECT deleted FROM freezers WHERE id = ?`), f.ID.String()).Scan(&deleted); err != nil || deleted != 1 || seq != 5 {
		t.Errorf("tombstone: deleted = %d, seq = %d, %v", deleted, seq, err)
	}
	if fs["deleted"] <= fs["name"] {
		t.Errorf("deleted stamp %q not after %q", fs["deleted"], fs["name"])
	}
	if list, _ := db.ListFreezers(ctx, acct); len(list) != 0 {
		t.Errorf("ListFreezers() = %v, want none", list)
	}
	hist, err := db.FindProducts(ctx, acct, server.ProductFilter{})
	if err != nil || len(hist) != 1 || hist[0].FreezerName != "frigo" {
		t.Errorf("history = %+v, %v", hist, err)
	}
	var last int64
	if err := db.rdb.QueryRow(db.q(`SELECT last_seq FROM accounts WHERE id = ?`), acct).Scan(&last); err != nil || last != 5 {
		t.Errorf("last_seq = %d, %v; want 5", last, err)
	}
	// Putting it back into a deleted freezer is refused.
	if _, err := db.UpdateProduct(ctx, acct, p.ID, server.ProductUpdate{DateOut: &domain.Date{}}); domain.ErrorField(err) != domain.FieldLocation {
		t.Errorf("put back into a deleted freezer = %v", err)
	}
}

// TestConcurrentWrites checks that parallel writers wait for each other
// (no SQLITE_BUSY) and that each change gets its own seq.
func TestConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	acct := mustAccount(t, db, "a@example.com")
	f, err := db.CreateFreezer(ctx, acct, domain.Freezer{Name: "frigo", Boxes: 1}, server.UniqueName)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			_, err := db.CreateProduct(ctx, acct, domain.Product{Name: "p", TypeID: 1, Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: i + 1},
				Quantity: 1, DateIn: domain.NewDate(2018, 1, 1), PeriodMonths: 1})
			if err == nil {
				_, err = db.FindProducts(ctx, acct, server.ProductFilter{})
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write: %v", err)
		}
	}
	ps, _ := db.FindProducts(ctx, acct, server.ProductFilter{})
	seen := map[int64]bool{}
	for _, p := range ps {
		if seen[p.Seq] {
			t.Errorf("seq %d used twice", p.Seq)
		}
		seen[p.Seq] = true
	}
	if len(ps) != 64 {
		t.Errorf("products = %d, want 64", len(ps))
	}
}

func TestRebind(t *testing.T) {
	db := &DB{dialect: postgresDialect}
	if got := db.q(`SELECT a FROM t WHERE b = ? AND c = ?`); got != `SELECT a FROM t WHERE b = $1 AND c = $2` {
		t.Errorf("q() = %q", got)
	}
}

func TestTokensBoundedAndIDsNotReused(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	a := mustAccount(t, db, "a@example.com") // token "a@example.com"
	for i := range MaxTokens - 1 {
		if err := db.AddToken(ctx, a, []byte(fmt.Sprint("t", i))); err != nil {
			t.Fatal(err)
		}
	}
	// At the bound, one more is refused (devices_test.go tests the
	// device it names); every token still works.
	if err := db.AddToken(ctx, a, []byte("one too many")); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("token %d = %v, want %s", MaxTokens+1, err, domain.EConflict)
	}
	for _, tok := range []string{"a@example.com", "t0", fmt.Sprint("t", MaxTokens-2)} {
		if got, err := db.FindAccountByToken(ctx, []byte(tok)); err != nil || got.ID != a {
			t.Errorf("token %s = %+v, %v", tok, got, err)
		}
	}
	b := mustAccount(t, db, "b@example.com")
	if err := db.DeleteAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	if c := mustAccount(t, db, "c@example.com"); c == b {
		t.Errorf("account id %d reused after delete", c)
	}
}

func TestClockObservesStoredStampsAtOpen(t *testing.T) {
	ctx := context.Background()
	path := newTarget(t)
	db := mustOpen(t, path)
	a := mustAccount(t, db, "a@example.com")
	f, err := db.CreateFreezer(ctx, a, domain.Freezer{Name: "f", Boxes: 1}, server.UniqueName)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := stamps(t, db, "freezers", f.ID.String(), "name")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopen with a clock an hour behind: new stamps still order after.
	db2, err := Open(ctx, path, Options{Now: func() time.Time { return now.Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	name := "g"
	if _, err := db2.UpdateFreezer(ctx, a, f.ID, server.FreezerUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	after, _ := stamps(t, db2, "freezers", f.ID.String(), "name")
	if after["name"] <= before["name"] {
		t.Errorf("stamp after reopen %q does not order after %q", after["name"], before["name"])
	}
}
