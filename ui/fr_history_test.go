package ui_test

import (
	"context"
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// frHistoryFixture makes a product, then moves it, changes its persons,
// period and type, and takes it out, and returns its history.
func frHistoryFixture(t *testing.T, db *storage.DB) []ui.HistoryEntry {
	t.Helper()
	ctx := context.Background()
	f := mustCreateFreezer(t, db, "frigo 1", 3)
	p := mustAddProduct(t, db, f, "Soupe de Noël", 43, 10, 6)
	loc := domain.Location{FreezerID: f.ID, Box: 3, Slot: 1}
	q, months, typ := 4, 3, 42
	if _, err := db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Location: &loc, Quantity: &q, PeriodMonths: &months, TypeID: &typ}); err != nil {
		t.Fatalf("UpdateProduct() error = %v", err)
	}
	if _, err := db.TakeOutProduct(ctx, p.ID, today(), domain.OutcomeEaten); err != nil {
		t.Fatalf("TakeOutProduct() error = %v", err)
	}
	h, err := app.New(db).ProductHistory(ctx, p.ID)
	if err != nil {
		t.Fatalf("ProductHistory() error = %v", err)
	}
	return h
}

func TestFrHistoryFieldNames(t *testing.T) {
	db := mustOpenDB(t)
	h := frHistoryFixture(t, db)
	u, _ := mustStartUI(t, db, options{lang: "fr"})
	var all []string
	for _, l := range u.HistoryLines(h) {
		all = append(all, l.Text)
	}
	text := strings.Join(all, "\n")
	typeOf := func(id int) string {
		types, err := db.ProductTypes(context.Background())
		if err != nil {
			t.Fatalf("ProductTypes() error = %v", err)
		}
		for _, ty := range types {
			if ty.ID == id {
				return ty.NameFR
			}
		}
		t.Fatalf("no type %d", id)
		return ""
	}
	for _, want := range []string{
		"emplacement : frigo 1, tiroir 1, place 1 → frigo 1, tiroir 3, place 1",
		"personnes : 2 → 4",
		"durée : 6 mois → 3 mois",
		"type : " + typeOf(43) + " → " + typeOf(42),
		"sortie : — → 15/06/2026 (Mangé)",
		"15/06/2026 ", // the dates of the changes
		"Sorti",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("history lacks %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"box", "slot", "persons", "period", "quantity", "location", "eaten"} {
		if strings.Contains(text, raw) {
			t.Errorf("history shows the raw word %q:\n%s", raw, text)
		}
	}
}

// TestFrHistoryInDetails: the details dialog shows the history in French.
func TestFrHistoryInDetails(t *testing.T) {
	db := mustOpenDB(t)
	h := frHistoryFixture(t, db)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	rows, err := db.AllProducts(context.Background())
	if err != nil || len(rows) != 1 {
		t.Fatalf("AllProducts() = %d products, %v; want 1", len(rows), err)
	}
	u.FrOpenDetails(rows[0].ID)
	text := strings.Join(texts(topOverlay(t, w)), "\n")
	for _, want := range []string{"Historique", "emplacement : frigo 1, tiroir 1, place 1 → frigo 1, tiroir 3, place 1", "durée : 6 mois → 3 mois"} {
		if !strings.Contains(text, want) {
			t.Errorf("details lack %q:\n%s", want, text)
		}
	}
	if len(h) != 3 {
		t.Errorf("history entries = %d, want added, changed and taken out", len(h))
	}
}

// TestHistoryContrast: the change lines reach 4.5:1 against the dialog's
// and the window's background, in light and dark.
func TestHistoryContrast(t *testing.T) {
	for _, variant := range []string{ui.ThemeLight, ui.ThemeDark} {
		t.Run(variant, func(t *testing.T) {
			db := mustOpenDB(t)
			h := frHistoryFixture(t, db)
			a := test.NewTempApp(t)
			w := test.NewTempWindow(t, widget.NewLabel(""))
			en := "en"
			u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &en, Theme: &variant})
			t.Cleanup(u.Close)
			lines := u.HistoryLines(h)
			if len(lines) < 3 {
				t.Fatalf("history has %d labels, want a title and changes", len(lines))
			}
			checked := 0
			for _, l := range lines[1:] {
				for _, c := range frTextColors(l) {
					for _, bg := range []fyne.ThemeColorName{theme.ColorNameOverlayBackground, theme.ColorNameBackground} {
						if r := frContrast(c, theme.Color(bg)); r < 4.5 {
							t.Errorf("%q: contrast %.2f:1 against %s, want at least 4.5:1", l.Text, r, bg)
						}
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no text drawn in the history")
			}
		})
	}
}

// frTextColors returns the colours of the texts a widget draws.
func frTextColors(o fyne.CanvasObject) []color.Color {
	var out []color.Color
	switch v := o.(type) {
	case *canvas.Text:
		if strings.TrimSpace(v.Text) != "" {
			out = append(out, v.Color)
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			out = append(out, frTextColors(c)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			out = append(out, frTextColors(c)...)
		}
	}
	return out
}

// frContrast is the WCAG contrast ratio of two colours (alpha ignored:
// the theme's texts and backgrounds are opaque).
func frContrast(a, b color.Color) float64 {
	la, lb := frLuminance(a), frLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func frLuminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).RGBA()
	ch := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

// TestFrFileDialogButtons: the export's file dialog speaks French when
// French is chosen (the system here is not French).
func TestFrFileDialogButtons(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	u.Tabs().SelectIndex(4)
	test.Tap(findButton(t, w.Canvas().Content(), "Exporter en JSON"))
	top := topOverlay(t, w)
	for _, want := range []string{"Enregistrer", "Annuler"} {
		findButton(t, top, want)
	}
	if u.Dialogs() != 1 {
		t.Errorf("open dialogs = %d, want the file dialog known to Escape", u.Dialogs())
	}
}
