package ui_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
)

// A product deleted in the app reaches a second device through the real
// server as a tombstone: the second device no longer lists it and can put
// another product in its slot without a repair. Undo in the app, pressed
// after that, puts the product back in the next free slot of its box and
// says so; the second device gets it there.
func TestSyncDeleteReachesSecondDevice(t *testing.T) {
	ctx := context.Background()
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	soup := mustAddProduct(t, db, f, "Soupe de Noël", 1, 10, 6)
	e := mustStartSyncUI(t, db, ts, options{})
	sw := e.signIn(t, ts.URL, testEmail, testPassword)
	if sw.Err.Visible() {
		t.Fatalf("first sync: %q", sw.Err.Text)
	}

	dbB, err := storage.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer dbB.Close()
	if err := dbB.SetSyncServer(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	tokB, err := client.Login(ctx, ts.Client(), ts.URL, testEmail, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cB := client.NewClient(dbB, client.Config{Server: ts.URL, Token: tokB, HTTPClient: ts.Client()})
	syncB := func() {
		t.Helper()
		if _, err := cB.Sync(ctx, nil); err != nil {
			t.Fatalf("device B's sync: %v", err)
		}
	}
	syncB()
	if _, err := dbB.FindProduct(ctx, soup.ID); err != nil {
		t.Fatalf("device B does not have the soup after its first sync: %v", err)
	}

	// Delete in the app: details, Delete…, Return; then Sync now.
	e.u.OpenDetails(soup.ID)
	test.Tap(findButton(t, topOverlay(t, e.w), "Delete…"))
	undoPressKey(e.w, fyne.KeyReturn)
	if text, _, shown := e.u.UndoBar(); !shown || text != "Soupe de Noël: deleted" {
		t.Fatalf("undo bar = %q (shown %v), want the delete", text, shown)
	}
	test.Tap(sw.SyncNow)
	if sw.Err.Visible() {
		t.Fatalf("sync after the delete: %q", sw.Err.Text)
	}

	// Device B: the soup is gone and its slot is free.
	syncB()
	if _, err := dbB.FindProduct(ctx, soup.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("device B still finds the deleted soup (error %v)", err)
	}
	peas, err := dbB.AddProduct(ctx, domain.Product{Name: "peas", TypeID: 43, Quantity: 2,
		Location: soup.Location, DateIn: domain.DateOf(dbB.Now()), PeriodMonths: 6})
	if err != nil {
		t.Fatalf("device B cannot use the freed slot: %v", err)
	}
	syncB()
	test.Tap(sw.SyncNow)
	if got, err := db.FindProduct(ctx, peas.ID); err != nil || got.Location != soup.Location {
		t.Fatalf("peas on this device: %+v, %v; want in the soup's old slot %+v", got.Location, err, soup.Location)
	}
	if n := len(e.u.SyncNotices()); n != 0 {
		t.Errorf("relabel notices after using a freed slot = %d, want none", n)
	}

	// Undo, after all that: the soup comes back in the next free slot.
	_, undo, shown := e.u.UndoBar()
	if !shown {
		t.Fatal("the undo bar went away")
	}
	test.Tap(undo)
	back, err := db.FindProduct(ctx, soup.ID)
	if err != nil {
		t.Fatalf("the soup after Undo: %v", err)
	}
	if back.Location == soup.Location || back.Location.Box != soup.Location.Box {
		t.Errorf("the soup is back at %+v, want another slot of box %d (its slot holds the peas)", back.Location, soup.Location.Box)
	}
	if text, _, _ := e.u.UndoBar(); !strings.Contains(text, "slot") {
		t.Errorf("undo bar = %q, want it to say where the soup went", text)
	}
	test.Tap(sw.SyncNow)
	syncB()
	if got, err := dbB.FindProduct(ctx, soup.ID); err != nil || got.Location != back.Location {
		t.Errorf("the soup on device B: %+v, %v; want at %+v", got.Location, err, back.Location)
	}
}
