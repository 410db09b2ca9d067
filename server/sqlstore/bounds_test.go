package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/server"
	"freezer/sync/protocol"
)

// boundsFixture is a store with one account, one freezer and one product.
type boundsFixture struct {
	db      *DB
	path    string
	account int64
	f       server.Freezer
	p       server.Product
}

func boundsSetup(t *testing.T) boundsFixture {
	t.Helper()
	path := newTarget(t)
	db := mustOpen(t, path)
	ctx := context.Background()
	account := mustAccount(t, db, "a@example.com")
	f, err := db.CreateFreezer(ctx, account, domain.Freezer{Name: "frigo", Boxes: 2}, server.UniqueName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.CreateProduct(ctx, account, domain.Product{Name: "soupe", TypeID: 1, Quantity: 2, PeriodMonths: 6,
		DateIn: domain.NewDate(2018, 1, 2), Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return boundsFixture{db: db, path: path, account: account, f: f, p: p}
}

// exec runs raw SQL on the store's writer: data as an earlier version
// could have stored it.
func (b boundsFixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := b.db.wdb.Exec(b.db.q(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// Migration 5 cleans names, descriptions, stamps and relabel notices that
// earlier versions accepted, gives the rows new sequence numbers, logs
// what it changed, and runs once.
func TestBoundsMigrationCleansStoredData(t *testing.T) {
	sqliteOnly(t, "migration 0005 cleans what earlier versions stored in SQLite; the PostgreSQL schema begins after it")
	b := boundsSetup(t)
	badStamp := "001517000000000-00001-" + strings.Repeat("é_", 100) + "!r"
	b.exec(t, `UPDATE products SET name = ?, description = ?, name_ts = ?, relabel = ?, relabel_ts = location_ts WHERE id = ?`,
		"sou\x00pe\u202E", "line 1\nline\t2\u2069", badStamp,
		`{"put_at":{"freezer_id":"`+b.f.ID.String()+`","box":1,"slot":1},"by":"dev_1 x","at":"2018-01-01T00:00:00Z"}`, b.p.ID.String())
	b.exec(t, `UPDATE freezers SET name = ? WHERE id = ?`, strings.Repeat("f", 300)+"\x01", b.f.ID.String())
	b.exec(t, `DELETE FROM schema_migrations WHERE name = 'migrations/0005_clean_bounds.sql'`)
	var seqBefore int64
	if err := b.db.wdb.QueryRow(b.db.q(`SELECT last_seq FROM accounts WHERE id = ?`), b.account).Scan(&seqBefore); err != nil {
		t.Fatal(err)
	}
	if err := b.db.Close(); err != nil {
		t.Fatal(err)
	}

	var logs bytes.Buffer
	opts := Options{Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	db, err := Open(context.Background(), b.path, opts)
	if err != nil {
		t.Fatalf("Open() after stored bad data error = %v", err)
	}
	defer db.Close()
	if !strings.Contains(logs.String(), "cleaned stored names") || !strings.Contains(logs.String(), "freezers=1 products=1") {
		t.Fatalf("log = %q, want a line saying 1 freezer and 1 product were cleaned", logs.String())
	}
	ctx := context.Background()
	p, err := db.FindProduct(ctx, b.account, b.p.ID)
	if err != nil {
		t.Fatalf("FindProduct() error = %v", err)
	}
	if p.Name != "soupe" || p.Description != "line 1\nline2" {
		t.Fatalf("cleaned product = %q, %q; want %q, %q", p.Name, p.Description, "soupe", "line 1\nline2")
	}
	f, err := db.FindFreezer(ctx, b.account, b.f.ID)
	if err != nil || f.Name != strings.Repeat("f", domain.MaxNameLength) {
		t.Fatalf("cleaned freezer name = %d characters, %v; want %d", len(f.Name), err, domain.MaxNameLength)
	}
	// Every stamp parses, so the pull carries the cleaned product.
	resp, err := db.Pull(ctx, b.account, seqBefore, 100, "", nil)
	if err != nil {
		t.Fatalf("Pull() error = %v", err)
	}
	if len(resp.Changes) != 2 {
		t.Fatalf("pull after the cleaning = %d changes, want the freezer and the product", len(resp.Changes))
	}
	for _, c := range resp.Changes {
		if c.Entity != domain.EntityProduct {
			continue
		}
		if got := c.StampOf(domain.FieldName).Node; got != "x!r" {
			t.Errorf("cleaned name stamp node = %q, want %q", got, "x!r")
		}
		r, err := domain.ParseRelabel(c.Fields[domain.FieldRelabel])
		if err != nil || r == nil || r.By != "dev1x" {
			t.Errorf("cleaned relabel = %+v, %v; want by dev1x", r, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	db2, err := Open(context.Background(), b.path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if strings.Contains(logs.String(), "cleaned") {
		t.Fatalf("second open logged %q: the cleaning runs once", logs.String())
	}
}

// A product stored by an earlier version beyond today's bounds stays
// readable and editable; only writes that set such a value are refused,
// by the routes and by a sync push alike.
func TestBoundsOldOutOfRangeProductStaysEditable(t *testing.T) {
	b := boundsSetup(t)
	b.exec(t, `UPDATE products SET quantity = 5000, slot = 20000, date_in = '0000-01-01' WHERE id = ?`, b.p.ID.String())
	ctx := context.Background()
	name := "soupe de 0000"
	p, err := b.db.UpdateProduct(ctx, b.account, b.p.ID, server.ProductUpdate{Name: &name})
	if err != nil || p.Name != name || p.Quantity != 5000 {
		t.Fatalf("rename of an old product = %+v, %v; want renamed, quantity kept", p.Product, err)
	}
	q := 5001
	if _, err := b.db.UpdateProduct(ctx, b.account, b.p.ID, server.ProductUpdate{Quantity: &q}); domain.ErrorField(err) != domain.FieldQuantity {
		t.Fatalf("setting quantity 5001 = %v, want refused on quantity", err)
	}
	push := func(id, field, value string, wall time.Duration) protocol.Result {
		t.Helper()
		resp, err := b.db.Push(ctx, b.account, protocol.PushRequest{Version: protocol.Version, Device: "dev1", Mutations: []protocol.Mutation{{
			ID: id, Entity: domain.EntityProduct, EntityID: b.p.ID, Op: domain.OpUpdate,
			Fields: map[string]json.RawMessage{field: json.RawMessage(value)},
			Stamp:  domain.Timestamp{Wall: now.Add(wall).UnixMilli(), Node: "dev1"}}}})
		if err != nil || len(resp.Results) != 1 {
			t.Fatalf("Push() = %+v, %v", resp, err)
		}
		return resp.Results[0]
	}
	if r := push("m1", domain.FieldName, `"renamed by sync"`, time.Second); r.Status != protocol.StatusApplied {
		t.Fatalf("pushed rename of an old product = %+v, want applied", r)
	}
	if r := push("m2", domain.FieldQuantity, `5002`, 2*time.Second); r.Status != protocol.StatusRejected || r.Code != domain.EInvalid {
		t.Fatalf("pushed quantity 5002 = %+v, want rejected", r)
	}
	if r := push("m3", domain.FieldDateIn, `"0001-01-01"`, 3*time.Second); r.Status != protocol.StatusRejected || r.Code != domain.EInvalid {
		t.Fatalf("pushed date in 0001-01-01 = %+v, want rejected", r)
	}
	got, err := b.db.FindProduct(ctx, b.account, b.p.ID)
	if err != nil || got.Name != "renamed by sync" || got.Quantity != 5000 || got.Location.Slot != 20000 || got.DateIn.Year != 0 {
		t.Fatalf("product = %+v, %v; want renamed with its old values kept", got.Product, err)
	}
}
