package synctest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/synctest"
)

// realServer returns freezerd's real handler over a SQLite file in a
// temporary folder, with its account's token.
func realServer(tb testing.TB) (http.Handler, string) {
	tb.Helper()
	s, err := synctest.NewRealServer(tb, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, s.AuthToken()
}

// BenchmarkFirstSync measures a new device's first sync of an account
// holding 10,000 products (pushed beforehand by another device).
func BenchmarkFirstSync(b *testing.B) {
	ctx := context.Background()
	h, tok := realServer(b)
	ts := httptest.NewServer(h)
	defer ts.Close()
	seed := synctest.NewDevice(b, "seed", ts.URL, tok, 0)
	if err := seed.DB.GenerateProducts(ctx, 10000, 1); err != nil {
		b.Fatal(err)
	}
	if _, err := seed.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := synctest.NewDevice(b, "new", ts.URL, tok, 0)
		b.StartTimer()
		rep, err := d.Sync(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Pulled < 10000 {
			b.Fatalf("pulled %d changes, want 10,000 or more", rep.Pulled)
		}
		sent, got := d.Faults.Bytes()
		b.ReportMetric(float64(sent+got)/1e6, "MB-wire")
	}
}

// BenchmarkUpload measures the first sync of a device holding 10,000
// products onto an empty account (21 pushes of up to 500, then the pull).
func BenchmarkUpload(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h, tok := realServer(b)
		ts := httptest.NewServer(h)
		d := synctest.NewDevice(b, "up", ts.URL, tok, 0)
		if err := d.DB.GenerateProducts(ctx, 10000, 1); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := d.Sync(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Pushed < 10000 {
			b.Fatalf("pushed %d", rep.Pushed)
		}
		b.StopTimer()
		ts.Close()
	}
}

// BenchmarkIncrementalRound measures one device's round after 10 local
// changes, with another device's 10 changes to pull, over 1,000 products.
func BenchmarkIncrementalRound(b *testing.B) {
	ctx := context.Background()
	h, tok := realServer(b)
	ts := httptest.NewServer(h)
	defer ts.Close()
	a := synctest.NewDevice(b, "a", ts.URL, tok, 0)
	o := synctest.NewDevice(b, "o", ts.URL, tok, 0)
	if err := a.DB.GenerateProducts(ctx, 1000, 1); err != nil {
		b.Fatal(err)
	}
	for _, d := range []*synctest.Device{a, o, a} {
		if _, err := d.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
	rows, err := a.DB.FindProducts(ctx, storage.ProductFilter{Limit: 20})
	if err != nil {
		b.Fatal(err)
	}
	var wire int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		benchRoundEdits(b, a, o, rows, i)
		a.Faults.Bytes()
		b.StartTimer()
		rep, err := a.Sync(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Pushed != 10 || rep.Pulled < 10 {
			b.Fatalf("round pushed %d, pulled %d; want 10 and 10 or more", rep.Pushed, rep.Pulled)
		}
		sent, got := a.Faults.Bytes()
		wire += sent + got
	}
	b.ReportMetric(float64(wire)/float64(b.N)/20, "B/product-change")
}

// TestWireBytesPerChange checks the budget of bytes on the wire per changed
// product (gzip): under 200 for a batch of 10 full product changes pushed
// and pulled.
func TestWireBytesPerChange(t *testing.T) {
	ctx := context.Background()
	h, tok := realServer(t)
	ts := httptest.NewServer(h)
	defer ts.Close()
	a := synctest.NewDevice(t, "a", ts.URL, tok, 0)
	b := synctest.NewDevice(t, "b", ts.URL, tok, 0)
	f, err := a.DB.CreateFreezer(ctx, "garage", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*synctest.Device{a, b} {
		if _, err := d.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	a.Faults.Bytes()
	b.Faults.Bytes()
	for i := range 10 {
		if _, err := a.DB.AddProduct(ctx, domain.Product{Name: "Soupe de légumes", Description: "lot " + time.Now().Format(time.StampMicro),
			TypeID: 1 + i, PeriodMonths: 6, DateIn: domain.NewDate(2026, 1, 1+i), Quantity: 2,
			Location: domain.Location{FreezerID: f.ID, Box: 1 + i%10}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	sa, ga := a.Faults.Bytes()
	sb, gb := b.Faults.Bytes()
	push, pull := float64(sa+ga)/10, float64(sb+gb)/10
	t.Logf("per product change: push round %.0f B, pull round %.0f B (gzip bodies)", push, pull)
	if push > 200 || pull > 200 {
		t.Fatalf("bytes per product change: push %.0f, pull %.0f; want under 200 each", push, pull)
	}
}

// benchRoundEdits prepares round i of a sync round benchmark: a edits the
// quantity of rows 0-9 (to push), o renames rows 10-19 and syncs (for a
// to pull).
func benchRoundEdits(b *testing.B, a, o *synctest.Device, rows []storage.ProductRow, i int) {
	ctx := context.Background()
	for j := range 10 {
		q := 1 + (i+j)%9
		if _, err := a.DB.UpdateProduct(ctx, rows[j].ID, storage.ProductUpdate{Quantity: &q}); err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("%s %d", rows[10+j].Name, i) // a new name each round: a real change to pull
		if _, err := o.DB.UpdateProduct(ctx, rows[10+j].ID, storage.ProductUpdate{Name: &name}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := o.Sync(ctx); err != nil {
		b.Fatal(err)
	}
}
