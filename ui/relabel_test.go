package ui_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/storage"
)

// mustPullRelabel makes p arrive from the server moved to slot 3 of its box
// with a relabel notice: device cafe0123… had put it where it is now.
func mustPullRelabel(t *testing.T, db *storage.DB, p domain.Product) {
	t.Helper()
	ctx := context.Background()
	batch, err := db.OutboxBatch(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var acks []storage.Ack
	for _, m := range batch {
		acks = append(acks, storage.Ack{MutationID: m.ID})
	}
	if err := db.Acknowledge(ctx, acks); err != nil {
		t.Fatal(err)
	}
	put := time.Date(2026, time.June, 14, 18, 30, 0, 0, time.Local)
	ts := domain.Timestamp{Wall: put.UnixMilli(), Node: "cafe0123cafe0123"}.Repair()
	stamps := map[string]domain.Timestamp{domain.FieldRelabel: ts}
	for _, f := range domain.ProductFields {
		stamps[f] = ts
	}
	moved := p
	moved.Location.Slot = 3
	if _, err := db.ApplyPull(ctx, storage.PulledPage{Products: []storage.PulledProduct{{Product: moved, Stamps: stamps,
		Relabel: &domain.Relabel{PutAt: p.Location, By: "cafe0123cafe0123", At: put.UTC()}}}, Cursor: 1}); err != nil {
		t.Fatal(err)
	}
}

const wantNotice = "Glace moka (Garage): Relabel: put in box 1, slot 1 by device cafe0123 on 2026-06-14 18:30; now box 1, slot 3"

func TestOverviewShowsRelabelNoticeAndClearsIt(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	p := mustAddProduct(t, db, f, "Glace moka", 13, 1, 12)
	mustPullRelabel(t, db, p)
	_, w := mustStartUI(t, db, options{})

	got := texts(w.Canvas().Content())
	for _, want := range []string{"Labels to change (1)", wantNotice} {
		if !slices.Contains(got, want) {
			t.Fatalf("overview lacks %q: %s", want, strings.Join(got, "|"))
		}
	}
	test.Tap(findButton(t, w.Canvas().Content(), "Label changed"))

	if row, _ := db.FindProduct(context.Background(), p.ID); row.Relabel != nil {
		t.Fatalf("notice %+v left after Label changed", row.Relabel)
	}
	if n, _ := db.PendingCount(context.Background()); n != 1 {
		t.Errorf("pending = %d, want 1 (the clearing, for the other devices)", n)
	}
	if got := texts(w.Canvas().Content()); slices.Contains(got, "Labels to change (1)") || slices.Contains(got, wantNotice) {
		t.Errorf("overview still shows the notice: %s", strings.Join(got, "|"))
	}
}

func TestDetailsShowRelabelNoticeAndClearIt(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	p := mustAddProduct(t, db, f, "Glace moka", 13, 1, 12)
	mustPullRelabel(t, db, p)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	u.Tabs().SelectIndex(1)
	u.ProductsTable().Select(widget.TableCellID{Row: 0, Col: 1})

	got := strings.Join(texts(topOverlay(t, w)), " ") // a wrapped line comes in parts
	want := "Réétiqueter : rangé au tiroir 1, place 1 par l'appareil cafe0123 le 14/06/2026 18:30 ; maintenant au tiroir 1, place 3"
	if !strings.Contains(got, want) {
		t.Fatalf("details lack %q: %s", want, got)
	}
	test.Tap(findButton(t, topOverlay(t, w), "Étiquette changée"))
	if row, _ := db.FindProduct(context.Background(), p.ID); row.Relabel != nil {
		t.Fatalf("notice %+v left after Étiquette changée", row.Relabel)
	}
}
