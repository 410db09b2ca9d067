package storage

import (
	"bytes"
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// testNow is the pinned clock of every test store: 15 June 2025.
var testNow = time.Date(2025, time.June, 15, 10, 30, 0, 0, time.UTC)

// testToday is testNow's date.
var testToday = domain.DateOf(testNow)

// mustOpenDB opens a new store in a temporary folder, with the clock pinned
// to testNow, and closes it when the test ends.
func mustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "freezer.db"))
}

// mustOpenPath opens the store at path with the clock pinned to testNow and
// closes it when the test ends.
func mustOpenPath(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%q) error: %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close() error: %v", err)
		}
	})
	db.Now = func() time.Time { return testNow }
	return db
}

func mustCreateFreezer(tb testing.TB, db *DB, name string, boxes int) domain.Freezer {
	tb.Helper()
	f, err := db.CreateFreezer(context.Background(), name, boxes)
	if err != nil {
		tb.Fatalf("CreateFreezer(%q, %d) error: %v", name, boxes, err)
	}
	return f
}

func mustAddProduct(tb testing.TB, db *DB, p domain.Product) domain.Product {
	tb.Helper()
	got, err := db.AddProduct(context.Background(), p)
	if err != nil {
		tb.Fatalf("AddProduct(%q) error: %v", p.Name, err)
	}
	return got
}

func mustTakeOut(tb testing.TB, db *DB, id uuid.UUID, day domain.Date, how domain.Outcome) domain.Product {
	tb.Helper()
	p, err := db.TakeOutProduct(context.Background(), id, day, how)
	if err != nil {
		tb.Fatalf("TakeOutProduct(%s) error: %v", id, err)
	}
	return p
}

func mustFindProduct(tb testing.TB, db *DB, id uuid.UUID) ProductRow {
	tb.Helper()
	r, err := db.FindProduct(context.Background(), id)
	if err != nil {
		tb.Fatalf("FindProduct(%s) error: %v", id, err)
	}
	return r
}

// product returns a valid product in box/slot of f that went in 10 days ago
// for 3 months.
func product(f domain.Freezer, box, slot int, name string) domain.Product {
	return domain.Product{
		Name: name, TypeID: 1, Quantity: 1, PeriodMonths: 3,
		Location: domain.Location{FreezerID: f.ID, Box: box, Slot: slot},
		DateIn:   testToday.AddDays(-10),
	}
}

// inForDeadline returns the date in that gives deadline with period months.
func inForDeadline(tb testing.TB, deadline domain.Date, period int) domain.Date {
	tb.Helper()
	in := deadline.AddMonths(-period)
	if got := in.AddMonths(period); got != deadline {
		tb.Fatalf("no date in gives deadline %s with %d months (got %s)", deadline, period, got)
	}
	return in
}

func date(tb testing.TB, s string) domain.Date {
	tb.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q) error: %v", s, err)
	}
	return d
}

func ptr[T any](v T) *T { return &v }

func pendingCount(tb testing.TB, db *DB) int {
	tb.Helper()
	n, err := db.PendingCount(context.Background())
	if err != nil {
		tb.Fatalf("PendingCount() error: %v", err)
	}
	return n
}

// countRows counts the rows of a table (a constant of the test, never input).
func countRows(tb testing.TB, db *DB, table string) int {
	tb.Helper()
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

func mustExport(tb testing.TB, db *DB, f Format) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := db.Export(context.Background(), &buf, f, nil); err != nil {
		tb.Fatalf("Export(%s) error: %v", f, err)
	}
	return buf.Bytes()
}

func mustFind(tb testing.TB, db *DB, f ProductFilter) []ProductRow {
	tb.Helper()
	rows, err := db.FindProducts(context.Background(), f)
	if err != nil {
		tb.Fatalf("FindProducts(%+v) error: %v", f, err)
	}
	return rows
}

func names(rows []ProductRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Name
	}
	return out
}

// wantError fails unless err is a domain error with code and field (field
// "-" skips the field check) whose message holds every part of msg.
func wantError(tb testing.TB, call string, err error, code, field string, msg ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("%s error = nil, want %s", call, code)
	}
	if got := domain.ErrorCode(err); got != code {
		tb.Fatalf("%s error code = %q (%v), want %q", call, got, err, code)
	}
	if got := domain.ErrorField(err); field != "-" && got != field {
		tb.Errorf("%s error field = %q (%v), want %q", call, got, err, field)
	}
	for _, m := range msg {
		if got := domain.ErrorMessage(err); !strings.Contains(got, m) {
			tb.Errorf("%s error message = %q, want it to contain %q", call, got, m)
		}
	}
}

// state is what a failed write must leave untouched.
type state struct {
	export  string
	outbox  int
	history int
}

func snapshot(tb testing.TB, db *DB) state {
	tb.Helper()
	return state{string(mustExport(tb, db, FormatJSON)), pendingCount(tb, db), countRows(tb, db, "history")}
}

// queued is an outbox row as OutboxBatch returns it, with the columns the
// tests also check: its place in the queue, its stamp and when it was made.
type queued struct {
	OutMutation
	Seq     int64
	Stamp   domain.Timestamp
	Created time.Time
}

// mustOutbox returns the first limit mutations of the outbox, oldest first
// (all of them when limit <= 0), as OutboxBatch reads them.
func mustOutbox(tb testing.TB, db *DB, limit int) []queued {
	tb.Helper()
	ctx := context.Background()
	if limit <= 0 {
		limit = math.MaxInt
	}
	batch, err := db.OutboxBatch(ctx, limit)
	if err != nil {
		tb.Fatalf("OutboxBatch(%d) error: %v", limit, err)
	}
	out := make([]queued, len(batch))
	for i, m := range batch {
		var stamp, created string
		if err := db.r.QueryRowContext(ctx, `SELECT seq, stamp, created_at FROM outbox WHERE mutation_id = ?`, m.ID).
			Scan(&out[i].Seq, &stamp, &created); err != nil {
			tb.Fatalf("read outbox row %s: %v", m.ID, err)
		}
		out[i].OutMutation = m
		if out[i].Stamp, err = domain.ParseTimestamp(stamp); err != nil {
			tb.Fatalf("outbox row %s stamp %q: %v", m.ID, stamp, err)
		}
		if out[i].Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
			tb.Fatalf("outbox row %s created_at %q: %v", m.ID, created, err)
		}
	}
	return out
}

// mustOldStore makes at path a store as version last of the schema left
// it (the migrations up to last) and returns its one connection, foreign
// keys on, for the test to fill before Open migrates it further.
func mustOldStore(tb testing.TB, path string, last int) *sql.DB {
	tb.Helper()
	w, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(ON)")
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := (&DB{w: w}).migrateTo(context.Background(), last); err != nil {
		w.Close()
		tb.Fatalf("migrate to version %d: %v", last, err)
	}
	return w
}
