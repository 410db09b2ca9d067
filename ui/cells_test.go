package ui_test

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/ui"
)

// TestTableCellsCutOnlyWhatDoesNotFit: a table cell shows a text that
// fits without truncation (Fyne then skips working out where to cut it)
// and a text that does not with an ellipsis: no text shown whole is wider
// than its cell and none that fits is cut, in either language, with
// tablet mode on and off.
func TestTableCellsCutOnlyWhatDoesNotFit(t *testing.T) {
	db := mustOpenDB(t)
	kitchen := mustCreateFreezer(t, db, "Kitchen", 2)
	long := "Lasagne bolognaise de grand-mère, avec béchamel et beaucoup de parmesan"
	for _, name := range []string{"Peas", long} {
		mustAddProduct(t, db, kitchen, name, 43, 10, 6)
	}
	// Names a few pixels apart around the name column's width (a letter,
	// or a letter and a thin mark): the nearest fit or miss by a pixel or two.
	soup := []rune("Soupe de poireaux, pommes de terre, carottes et navets")
	for n := 20; n <= len(soup); n++ {
		for _, end := range []string{"", ".", "!"} {
			mustAddProduct(t, db, kitchen, string(soup[:n])+end, 43, 10, 6)
		}
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tablet := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/tablet=%v", lang, tablet), func(t *testing.T) {
				u, w := mustStartUI(t, db, options{lang: lang, tablet: tablet, screen: ui.ScreenProducts})
				w.Resize(fyne.NewSize(1440, 2400)) // every row shows
				cut := map[string]fyne.TextTruncation{}
				for _, l := range visibleLabels(u.ProductsTable()) {
					cut[l.Text] = l.Truncation
					whole := widget.NewLabel(l.Text).MinSize().Width
					switch {
					case l.Truncation == fyne.TextTruncateOff && whole > l.Size().Width+0.01:
						t.Errorf("cell %q is shown whole but needs %.1f px, has %.1f", l.Text, whole, l.Size().Width)
					case l.Truncation == fyne.TextTruncateEllipsis && whole <= l.Size().Width:
						t.Errorf("cell %q is cut but fits: needs %.1f px, has %.1f", l.Text, whole, l.Size().Width)
					}
				}
				if got, ok := cut["Peas"]; !ok || got != fyne.TextTruncateOff {
					t.Errorf("the cell \"Peas\" (shown %v): truncation %v, want off", ok, got)
				}
				if got, ok := cut[long]; !ok || got != fyne.TextTruncateEllipsis {
					t.Errorf("the long name's cell (shown %v): truncation %v, want an ellipsis", ok, got)
				}
			})
		}
	}
}

// visibleLabels returns the visible labels under o.
func visibleLabels(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	walkVisible(o, func(x fyne.CanvasObject) {
		if l, ok := x.(*widget.Label); ok {
			out = append(out, l)
		}
	})
	return out
}

// TestHiddenLayoutFillsNothing: the products show as a table on a wide
// window and as a list on a narrow one. The one hidden is still laid out
// (Fyne lays out hidden objects too) and must not fill its cells or rows
// meanwhile; it shows the products again once it shows.
func TestHiddenLayoutFillsNothing(t *testing.T) {
	db := mustOpenDB(t)
	kitchen := mustCreateFreezer(t, db, "Kitchen", 2)
	for i := range 60 {
		mustAddProduct(t, db, kitchen, fmt.Sprintf("Soup %d", i), 43, 10, 6)
	}
	u, w := mustStartUI(t, db, options{screen: ui.ScreenProducts})
	// Narrow or not, two sizes each: the second, taller, needs more rows
	// than the first shows.
	sizes := map[bool][2]fyne.Size{
		true:  {fyne.NewSize(600, 500), fyne.NewSize(620, 1600)},
		false: {fyne.NewSize(1280, 500), fyne.NewSize(1300, 1600)},
	}
	for i, narrow := range []bool{true, false, true, false} {
		w.Resize(sizes[narrow][0])
		shown := visibleTexts(u.ProductsTable())
		if narrow {
			shown = visibleTexts(u.LayoutList())
		}
		if !contains(shown, "Soup 0") || !contains(shown, "Soup 1") {
			t.Errorf("step %d (narrow %v): the products show %v, want the first products", i, narrow, shown)
		}
		cells, rows := u.FilledCellsAndRows()
		u.Reload()
		w.Resize(sizes[narrow][1])
		gotCells, gotRows := u.FilledCellsAndRows()
		if narrow && gotCells != cells {
			t.Errorf("step %d, narrow: the hidden table filled %d cells", i, gotCells-cells)
		}
		if !narrow && gotRows != rows {
			t.Errorf("step %d, wide: the hidden list filled %d rows", i, gotRows-rows)
		}
	}
}

// visibleTexts returns the texts of the visible labels under o.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, l := range visibleLabels(o) {
		out = append(out, l.Text)
	}
	return out
}

// TestNewContentIsArrangedForTheWindow: Fyne lays a new content out at its
// minimum size (~300 px) before the window's size; the UI is arranged for
// the window's width from the start, not narrow then wide again.
func TestNewContentIsArrangedForTheWindow(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{screen: ui.ScreenProducts}) // a 1280 px window
	if u.ArrangeWhileSettingContent(309) {
		t.Error("a 1280 px window's new content, laid out at 309 px: arranged narrow")
	}
	w.Resize(fyne.NewSize(600, 900))
	if !u.ArrangeWhileSettingContent(309) {
		t.Error("a 600 px window's new content, laid out at 309 px: arranged wide")
	}

	// Built in a window already sized, the products screen shows the
	// layout for its width from the start, the other never.
	for _, width := range []float32{600, 1280} {
		a := test.NewTempApp(t)
		w := test.NewTempWindow(t, widget.NewLabel(""))
		w.Resize(fyne.NewSize(width, 900))
		en := "en"
		u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &en, Screen: ui.ScreenProducts})
		t.Cleanup(u.Close)
		if n := u.LayoutSwitches(); n != 1 {
			t.Errorf("a %v px window: the table and the list swapped %d times while the UI was built, want once (its first showing)", width, n)
		}
	}
}
