package ui_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
)

const peasEAN = "5410041001204"

// scanShopBarcode types code into the focused field and presses Return, as a USB
// scanner does.
func scanShopBarcode(t *testing.T, w fyne.Window, code string) {
	t.Helper()
	f := w.Canvas().Focused()
	if f == nil {
		t.Fatal("no field has the focus: a scanner's keys would be lost")
	}
	for _, r := range code {
		f.TypedRune(r)
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// TestBarcodeRememberedOnSecondDevice: device A scans a new barcode into
// the add form (Return looks it up and saves nothing), fills in the rest
// and saves; the barcode is remembered and syncs through freezerd's real
// handler. On device B, in French, scanning it in the add form fills the
// name, type and period A saved; B saves with another period, which is
// remembered in turn and reaches A.
func TestBarcodeRememberedOnSecondDevice(t *testing.T) {
	ctx := context.Background()
	ts := mustStartServer(t)
	dbA := mustOpenDB(t)
	mustCreateFreezer(t, dbA, "Kitchen", 2)
	t.Run("device A", func(t *testing.T) {
		e := mustStartSyncUI(t, dbA, ts, options{})
		sw := e.signIn(t, ts.URL, testEmail, testPassword)
		if sw.Err.Visible() {
			t.Fatalf("first sync: %q", sw.Err.Text)
		}
		form := formOpenAdd(t, e.u, e.w)
		entry, note, focusable := e.u.FormBarcode()
		if entry == nil || e.w.Canvas().Focused() != form.NameFocusable {
			t.Fatalf("the add form does not open on the name")
		}
		// The scanner types into the name, which has the focus: the code
		// goes to the barcode field.
		scanShopBarcode(t, e.w, "5410041001205") // misread: wrong check digit
		if got := visibleErrors(form)[domain.FieldCode]; got == "" || entry.Text != "5410041001205" || form.Name.Text != "" {
			t.Fatalf("a misread barcode scanned into the name: message %q, barcode %q, name %q", got, entry.Text, form.Name.Text)
		}
		entry.SetText("")
		e.w.Canvas().Focus(focusable) // scanned into the barcode field itself
		scanShopBarcode(t, e.w, peasEAN)
		if e.u.Dialogs() != 1 {
			t.Fatalf("Return in the barcode field closed the form")
		}
		if rows, _ := dbA.FindProducts(ctx, storage.ProductFilter{}); len(rows) != 0 {
			t.Fatalf("Return in the barcode field saved a product")
		}
		if want := "New barcode: its name, type and period are remembered when you save."; note.Text != want || !note.Visible() {
			t.Fatalf("note after a new barcode = %q (shown %t), want %q", note.Text, note.Visible(), want)
		}
		if e.w.Canvas().Focused() != form.NameFocusable {
			t.Errorf("after the scan the focus is not on the name")
		}
		test.Type(form.Name, "Petits pois de Noël")
		form.Type.SetText("vegetable")
		form.Period.SetText("9")
		test.Tap(form.Save)
		if got, err := dbA.FindBarcode(ctx, peasEAN); err != nil || got != (domain.Barcode{Code: peasEAN, Name: "Petits pois de Noël", TypeID: typeID(t, dbA, "vegetable"), PeriodMonths: 9}) {
			t.Fatalf("after Save the barcode is %+v, %v; want it remembered", got, err)
		}
		test.Tap(sw.SyncNow)
		if sw.Err.Visible() {
			t.Fatalf("sync after the save: %q", sw.Err.Text)
		}
	})

	dbB := mustOpenDB(t)
	if err := dbB.SetSyncServer(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	tok, err := client.Login(ctx, ts.Client(), ts.URL, testEmail, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cB := client.NewClient(dbB, client.Config{Server: ts.URL, Token: tok, HTTPClient: ts.Client(), Now: dbB.Now})
	if _, err := cB.Sync(ctx, nil); err != nil {
		t.Fatalf("device B's sync: %v", err)
	}
	t.Run("device B", func(t *testing.T) {
		u, w := mustStartUI(t, dbB, options{lang: "fr"})
		form := formOpenAdd(t, u, w)
		_, note, _ := u.FormBarcode()
		scanShopBarcode(t, w, "  "+peasEAN+" ")
		if form.Name.Text != "Petits pois de Noël" || form.Type.Text != "légume" || form.Period.Text != "9" {
			t.Fatalf("after the scan: name %q, type %q, period %q; want device A's", form.Name.Text, form.Type.Text, form.Period.Text)
		}
		if want := "Rempli d'après le dernier produit enregistré avec ce code-barres."; note.Text != want {
			t.Errorf("note = %q, want %q", note.Text, want)
		}
		form.Period.SetText("6")
		test.Tap(form.Save)
		if u.Dialogs() != 0 {
			t.Fatalf("the form stayed open: %v", visibleErrors(form))
		}
	})
	if _, err := cB.Sync(ctx, nil); err != nil {
		t.Fatalf("device B's sync: %v", err)
	}
	tokA, err := client.Login(ctx, ts.Client(), ts.URL, testEmail, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cA := client.NewClient(dbA, client.Config{Server: ts.URL, Token: tokA, HTTPClient: ts.Client(), Now: dbA.Now})
	if _, err := cA.Sync(ctx, nil); err != nil {
		t.Fatalf("device A's sync: %v", err)
	}
	if got, err := dbA.FindBarcode(ctx, peasEAN); err != nil || got.PeriodMonths != 6 {
		t.Fatalf("device A's barcode after B's save = %+v, %v; want period 6", got, err)
	}
}

// TestBarcodeSaveRefusesMisread: Save with a barcode that is not one shows
// the message under the field and saves nothing.
func TestBarcodeSaveRefusesMisread(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 2)
	u, w := mustStartUI(t, db, options{})
	form := formOpenAdd(t, u, w)
	entry, _, _ := u.FormBarcode()
	test.Type(entry, "12345")
	test.Type(form.Name, "soup")
	form.Type.SetText("soup")
	test.Tap(form.Save)
	if got, want := visibleErrors(form)[domain.FieldCode], "This is not a shop barcode: scan it again, or type its 12 or 13 digits."; got != want {
		t.Fatalf("barcode message = %q, want %q", got, want)
	}
	if rows, _ := db.FindProducts(context.Background(), storage.ProductFilter{}); len(rows) != 0 {
		t.Fatalf("a product was saved with a misread barcode")
	}
	entry.SetText("")
	test.Tap(form.Save)
	if rows, _ := db.FindProducts(context.Background(), storage.ProductFilter{}); len(rows) != 1 {
		t.Fatalf("without a barcode the product was not saved: %v", visibleErrors(form))
	}
	if all, _ := db.Barcodes(context.Background()); len(all) != 0 {
		t.Fatalf("a barcode was remembered without one: %+v", all)
	}
}

func typeID(t *testing.T, db *storage.DB, name string) int {
	t.Helper()
	types, err := db.ProductTypes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range types {
		if pt.NameEN == name {
			return pt.ID
		}
	}
	t.Fatalf("no type %q", name)
	return 0
}
