package ui_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// scanOnWindow types code on the window, as a scanner does with no field focused,
// then Return.
func scanOnWindow(w fyne.Window, code string) {
	test.TypeOnCanvas(w.Canvas(), code)
	undoPressKey(w, fyne.KeyReturn)
}

func topTexts(t *testing.T, w fyne.Window) string {
	t.Helper()
	return strings.Join(texts(topOverlay(t, w)), "|")
}

func TestScanProductCodeOpensProduct(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 3)
	soup := mustAddProduct(t, db, f, "Soupe de Noël", 1, 10, 6)
	peas := mustAddProduct(t, db, f, "Petits pois", 43, 3, 6)
	u, w := mustStartUI(t, db, options{})
	if w.Canvas().Focused() != nil {
		t.Fatal("a field has the focus at start")
	}
	// Upper case, as the QR codes hold it.
	scanOnWindow(w, strings.ToUpper(domain.ProductCode(soup.ID)))
	if u.Dialogs() != 1 {
		t.Fatalf("after scanning a product's code: %d dialogs, want its details", u.Dialogs())
	}
	got := topTexts(t, w)
	for _, want := range []string{"Soupe de Noël", "Eaten", "Discarded", "Print label"} {
		if !strings.Contains(got, want) {
			t.Errorf("the scanned product's dialog lacks %q: %s", want, got)
		}
	}
	// The next scan replaces it.
	scanOnWindow(w, domain.ProductCode(peas.ID))
	if got := topTexts(t, w); u.Dialogs() != 1 || !strings.Contains(got, "Petits pois") {
		t.Fatalf("a second scan: %d dialogs, top %s; want the peas alone", u.Dialogs(), got)
	}
	// Eaten from there.
	test.Tap(findButton(t, topOverlay(t, w), "Eaten"))
	if row, err := db.FindProduct(context.Background(), peas.ID); err != nil || row.Outcome != domain.OutcomeEaten {
		t.Fatalf("after Eaten, the peas are %+v, %v", row.Outcome, err)
	}
	// A taken-out product scanned offers Put back.
	scanOnWindow(w, domain.ProductCode(peas.ID))
	findButton(t, topOverlay(t, w), "Put back")
}

func TestScanBoxCodeOpensBoxMap(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Cave", 2)
	f := mustCreateFreezer(t, db, "Garage", 3)
	mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	u, w := mustStartUI(t, db, options{})
	scanOnWindow(w, domain.BoxCode(f.ID, 3))
	if u.Tabs().SelectedIndex() != 2 {
		t.Fatalf("after scanning a box: tab %d, want the freezers' (2)", u.Tabs().SelectedIndex())
	}
	if id, box := u.BoxMapOpen(); id != f.ID || box != 3 {
		t.Fatalf("BoxMapOpen() = %s box %d, want %s box 3", id, box, f.ID)
	}
	// A box the freezer no longer has, an unknown freezer, a bad code: said
	// so, and nothing else opens.
	for code, want := range map[string]string{
		domain.BoxCode(f.ID, 4):            "Garage has no box 4 any more",
		domain.BoxCode(domain.NewID(), 1):  "This label's freezer is not in this inventory",
		domain.ProductCode(domain.NewID()): "This label's product is not in this inventory",
		"FRZ:P:not-an-id":                  "This is not a Freezer label",
	} {
		scanOnWindow(w, code)
		if got := topTexts(t, w); u.Dialogs() != 1 || !strings.Contains(got, want) {
			t.Errorf("scan %s: %d dialogs, %s; want one saying %q", code, u.Dialogs(), got, want)
		}
	}
}

func TestScanReturnConfirmsNoDialog(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 3)
	soup := mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	u, w := mustStartUI(t, db, options{})
	code := domain.ProductCode(soup.ID)

	// About is open; Return would close it. A scan's Return opens the
	// product over it, and About stays.
	undoPressKey(w, fyne.KeyF1)
	scanOnWindow(w, code)
	if u.Dialogs() != 2 || !strings.Contains(topTexts(t, w), "Soupe") {
		t.Fatalf("a scan over About: %d dialogs, top %s; want About and the product", u.Dialogs(), topTexts(t, w))
	}
	undoPressKey(w, fyne.KeyEscape)
	undoPressKey(w, fyne.KeyEscape)

	// The freezer dialog with its name field focused: the scanner types
	// into the field; its Return must not save a freezer named after the
	// code.
	u.Tabs().SelectIndex(2)
	test.Tap(findButton(t, w.Canvas().Content(), "Add a freezer"))
	field := w.Canvas().Focused()
	if field == nil {
		t.Fatal("the freezer dialog's name field has no focus")
	}
	test.Type(field, "Cave")
	test.Type(field, code)
	undoPressKey(w, fyne.KeyReturn)
	if got := u.FreezerForm().Name.Text; got != "Cave" {
		t.Errorf("the name field holds %q after the scan, want what was typed before it (Cave)", got)
	}
	if u.Dialogs() != 2 || !strings.Contains(topTexts(t, w), "Soupe") {
		t.Fatalf("a scan in the freezer dialog: %d dialogs, top %s; want the dialog and the product", u.Dialogs(), topTexts(t, w))
	}
	fs, err := db.ListFreezers(context.Background())
	if err != nil || len(fs) != 1 {
		t.Fatalf("freezers after the scan: %d (%v), want 1: the Return saved the dialog", len(fs), err)
	}
	// Return typed by hand still saves the dialog.
	undoPressKey(w, fyne.KeyEscape)
	w.Canvas().Focus(field)
	undoPressKey(w, fyne.KeyReturn)
	if fs, _ := db.ListFreezers(context.Background()); len(fs) != 2 {
		t.Fatalf("Return in the freezer dialog: %d freezers, want Cave saved", len(fs))
	}
}

func TestScanInSearchField(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 3)
	soup := mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	keysShortcut(w, fyne.KeyF)
	test.Type(u.SearchEntry(), "sou"+domain.ProductCode(soup.ID)) // typed by hand after a search
	undoPressKey(w, fyne.KeyReturn)
	if u.Dialogs() != 1 || !strings.Contains(topTexts(t, w), "Mangé") {
		t.Fatalf("a code in the search field: %d dialogs, %s; want the product with Mangé", u.Dialogs(), topTexts(t, w))
	}
	if got := u.SearchEntry().Text; got != "sou" {
		t.Errorf("search text after the code = %q, want the search before it (sou)", got)
	}
	undoPressKey(w, fyne.KeyEscape)
	test.Type(u.SearchEntry(), "FRZ:B:nope")
	undoPressKey(w, fyne.KeyReturn)
	if !strings.Contains(topTexts(t, w), "Ce n'est pas une étiquette de Freezer") {
		t.Errorf("a bad code in French: %s", topTexts(t, w))
	}
}

func TestScanModeKeepsListening(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 3)
	soup := mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	peas := mustAddProduct(t, db, f, "Pois", 43, 3, 6)
	u, w := mustStartUI(t, db, options{tablet: true})
	test.Tap(findButton(t, w.Canvas().Content(), "Scan"))
	entry := u.ScanModeEntry()
	if entry == nil || w.Canvas().Focused() == nil {
		t.Fatal("scan mode did not open with its field focused")
	}
	test.Type(w.Canvas().Focused(), domain.ProductCode(soup.ID))
	undoPressKey(w, fyne.KeyReturn)
	if u.Dialogs() != 2 || !strings.Contains(topTexts(t, w), "Soupe") || entry.Text != "" {
		t.Fatalf("scan mode, first scan: %d dialogs, top %s, field %q", u.Dialogs(), topTexts(t, w), entry.Text)
	}
	// With the product open, the next scan reaches the window; it replaces
	// the product.
	scanOnWindow(w, domain.ProductCode(peas.ID))
	if u.Dialogs() != 2 || !strings.Contains(topTexts(t, w), "Pois") {
		t.Fatalf("scan mode, second scan: %d dialogs, top %s", u.Dialogs(), topTexts(t, w))
	}
	// Discarded closes the product; the field has the focus again.
	test.Tap(findButton(t, topOverlay(t, w), "Discarded"))
	if u.Dialogs() != 1 || u.ScanModeEntry() == nil {
		t.Fatalf("after Discarded: %d dialogs, want scan mode alone", u.Dialogs())
	}
	if fe, ok := w.Canvas().Focused().(interface{ SelectedText() string }); !ok || fe == nil {
		t.Fatalf("after Discarded the focus is on %T, want scan mode's field", w.Canvas().Focused())
	}
	test.Type(w.Canvas().Focused(), domain.BoxCode(f.ID, 2))
	undoPressKey(w, fyne.KeyReturn)
	if id, box := u.BoxMapOpen(); id != f.ID || box != 2 || u.Dialogs() != 0 {
		t.Fatalf("a box scanned in scan mode: map %s box %d, %d dialogs; want the box map alone", id, box, u.Dialogs())
	}
}

func TestPrintLabelsFromBoxMapAndProduct(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	soup := mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	glace := mustAddProduct(t, db, f, "Glace moka", 13, 1, 12)
	mustPullRelabel(t, db, glace) // the server moved it: its label must change
	dir := t.TempDir()
	u, w := mustStartUI(t, db, options{lang: "fr"})
	u.SaveLabelsIn(dir)
	u.Tabs().SelectIndex(2)
	test.Tap(findButton(t, w.Canvas().Content(), "Plan des tiroirs"))
	test.Tap(findButton(t, w.Canvas().Content(), "Étiquettes des tiroirs"))
	save, what := u.PrintLabelsButton()
	if what != "2 étiquettes de tiroirs de Garage" {
		t.Errorf("the print dialog says %q", what)
	}
	test.Tap(save)
	text := pdfText(t, u.LastLabels())
	for _, want := range []string{"Tiroir 1", "Tiroir 2", "Garage"} {
		if !strings.Contains(text, want) {
			t.Errorf("box labels lack %q: %s", want, text)
		}
	}
	undoPressKey(w, fyne.KeyEscape) // the "saved" dialog
	if got := u.LabelledOnMap(); len(got) != 0 {
		t.Fatalf("labelled before any product label: %v", got)
	}

	// The moved product's label, from its details: the notice goes.
	scanOnWindow(w, domain.ProductCode(glace.ID))
	test.Tap(findButton(t, topOverlay(t, w), "Imprimer l'étiquette"))
	save, what = u.PrintLabelsButton()
	if what != "L'étiquette de Glace moka" {
		t.Errorf("the print dialog says %q", what)
	}
	test.Tap(save)
	text = pdfText(t, u.LastLabels())
	for _, want := range []string{"Glace moka", "tiroir 1 · place 3", "Limite"} {
		if !strings.Contains(text, want) {
			t.Errorf("the product label lacks %q: %s", want, text)
		}
	}
	if row, err := db.FindProduct(context.Background(), glace.ID); err != nil || row.Relabel != nil {
		t.Fatalf("after printing its label, the relabel notice is %+v (%v), want none", row.Relabel, err)
	}
	if got := u.LabelledOnMap(); !slices.Equal(got, []string{"Glace moka"}) {
		t.Fatalf("LabelledOnMap() = %v, want [Glace moka]", got)
	}
	_ = soup
}

func TestPrintShownAndAfterAdd(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	mustAddProduct(t, db, f, "Pois", 43, 3, 6)
	dir := t.TempDir()
	u, w := mustStartUI(t, db, options{})
	u.SaveLabelsIn(dir)
	u.Tabs().SelectIndex(1)
	test.Type(u.SearchEntry(), "pois")
	test.Tap(findButton(t, w.Canvas().Content(), "Print labels"))
	save, what := u.PrintLabelsButton()
	if what != "The label of Pois" {
		t.Fatalf("printing the products shown (searched: pois) says %q", what)
	}
	test.Tap(save)
	if text := pdfText(t, u.LastLabels()); !strings.Contains(text, "Pois") || strings.Contains(text, "Soupe") {
		t.Fatalf("the labels of the products shown: %s", text)
	}
	undoPressKey(w, fyne.KeyEscape)

	// The setting: a label right after an add.
	u.Tabs().SelectIndex(4)
	test.Tap(findCheck(t, w.Canvas().Content(), "Print after an add"))
	u.Tabs().SelectIndex(1)
	keysShortcut(w, fyne.KeyN)
	form := u.Form()
	test.Type(form.Name, "Lasagnes")
	form.Type.SetText("soup")
	test.Tap(form.Save)
	if len(u.Form().Errors) > 0 {
		for k, l := range u.Form().Errors {
			if l.Visible() {
				t.Fatalf("the form refused the add: %s: %s", k, l.Text)
			}
		}
	}
	if _, what := u.PrintLabelsButton(); what != "The label of Lasagnes" {
		t.Fatalf("after an add with the setting on, the print dialog says %q", what)
	}
}

// pdfText is the text of a PDF, by pdftotext (poppler-utils), on one line.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if path == "" {
		t.Fatal("no labels were saved")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (scripts/deps.sh poppler-utils)")
	}
	if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("%s is not a PDF (%v)", path, err)
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v: %s", path, err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// findCheck returns the first visible check under o with text.
func findCheck(t *testing.T, o fyne.CanvasObject, text string) *widget.Check {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if c, ok := x.(*widget.Check); ok && c.Text == text && c.Visible() {
			return c
		}
	}
	t.Fatalf("no check %q", text)
	return nil
}

func TestScanAfterAClickFocusedACheck(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 3)
	soup := mustAddProduct(t, db, f, "Soupe", 1, 10, 6)
	u, w := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(4)
	test.Tap(findCheck(t, w.Canvas().Content(), "Print after an add")) // a click gives the check the focus
	if w.Canvas().Focused() == nil {
		t.Fatal("the tapped check has no focus: this test no longer tests anything")
	}
	u.Tabs().SelectIndex(0)
	if w.Canvas().Focused() != nil {
		t.Fatalf("on the overview the focus is on %T: a scan's keys would go to it", w.Canvas().Focused())
	}
	scanOnWindow(w, domain.ProductCode(soup.ID))
	if u.Dialogs() != 1 || !strings.Contains(topTexts(t, w), "Soupe") {
		t.Fatalf("a scan after a click: %d dialogs", u.Dialogs())
	}
}
