package ui_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// testNow pins every clock the UI sees: the store's, so statuses and
// "today" in the form are stable.
var testNow = time.Date(2026, time.June, 15, 10, 0, 0, 0, time.Local)

func today() domain.Date { return domain.DateOf(testNow) }

func mustOpenDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "freezer.db"))
	if err != nil {
		t.Fatalf("storage.Open() error = %v", err)
	}
	db.Now = func() time.Time { return testNow }
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	return db
}

func mustCreateFreezer(t *testing.T, db *storage.DB, name string, boxes int) domain.Freezer {
	t.Helper()
	f, err := db.CreateFreezer(context.Background(), name, boxes)
	if err != nil {
		t.Fatalf("CreateFreezer(%q) error = %v", name, err)
	}
	return f
}

// mustAddProduct adds a product of type typeID in box 1 of f, in for
// daysAgo days and kept for months.
func mustAddProduct(t *testing.T, db *storage.DB, f domain.Freezer, name string, typeID, daysAgo, months int) domain.Product {
	t.Helper()
	p, err := db.AddProduct(context.Background(), domain.Product{
		Name: name, TypeID: typeID, Location: domain.Location{FreezerID: f.ID, Box: 1},
		Quantity: 2, DateIn: today().AddDays(-daysAgo), PeriodMonths: months,
	})
	if err != nil {
		t.Fatalf("AddProduct(%q) error = %v", name, err)
	}
	return p
}

type options struct {
	lang   string
	tablet bool
	screen string // the screen the window opens on; "": each helper's own
}

// mustStartUI builds the UI over db in a test window. Background work runs
// synchronously (the test driver runs fyne.Do inline).
func mustStartUI(t *testing.T, db *storage.DB, o options) (*ui.UI, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	if o.lang == "" {
		o.lang = "en"
	}
	opts := ui.Options{Synchronous: true, Language: &o.lang, Screen: o.screen}
	if o.tablet {
		opts.Tablet = &o.tablet
	}
	u := ui.New(a, w, app.New(db), opts)
	t.Cleanup(u.Close)
	return u, w
}

func shortcut(w fyne.Window, key fyne.KeyName) {
	w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

// texts returns every visible text under o (hidden subtrees skipped).
func texts(o fyne.CanvasObject) []string {
	var out []string
	walkVisible(o, func(x fyne.CanvasObject) {
		if v, ok := x.(*canvas.Text); ok && v.Text != "" {
			out = append(out, v.Text)
		}
	})
	return out
}

// walkVisible calls visit for o and for every visible object under it,
// the objects a widget renders included; hidden subtrees are skipped.
func walkVisible(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walkVisible(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walkVisible(c, visit)
		}
	}
}

// allTexts returns the texts of the window's content and its overlays.
func allTexts(w fyne.Window) []string {
	out := texts(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		out = append(out, texts(o)...)
	}
	return out
}

// findButton returns the first visible button under o with text.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func topOverlay(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	return top
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
