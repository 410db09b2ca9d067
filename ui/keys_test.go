package ui_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// keysShortcut sends Ctrl+key (Cmd on macOS) as Fyne's window does: to the
// focused widget when it handles shortcuts, to the canvas only otherwise.
func keysShortcut(w fyne.Window, key fyne.KeyName) {
	s := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

func TestKeysCtrlNFromSearchField(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6)
	u, w := mustStartUI(t, db, options{})

	keysShortcut(w, fyne.KeyF)
	if w.Canvas().Focused() != u.SearchFocusable() {
		t.Fatal("Ctrl+F did not focus the search field")
	}
	test.Type(u.SearchEntry(), "soupe")
	// The field keeps its own shortcuts: Ctrl+A selects its text.
	w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := u.SearchEntry().SelectedText(); got != "soupe" {
		t.Errorf("Ctrl+A in the search field selected %q, want %q", got, "soupe")
	}
	// Search, not found, add it: Ctrl+N from the focused field.
	keysShortcut(w, fyne.KeyN)
	if u.Form() == nil || u.Dialogs() != 1 {
		t.Fatalf("Ctrl+N from the search field: form %v, dialogs %d; want the product form open", u.Form() != nil, u.Dialogs())
	}
	if got := u.SearchEntry().Text; got != "soupe" {
		t.Errorf("search text after Ctrl+N = %q, want it untouched", got)
	}
}

func TestKeysF1OpensAboutReturnCloses(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{})
	undoPressKey(w, fyne.KeyF1)
	if u.Dialogs() != 1 {
		t.Fatalf("F1: dialogs = %d, want About", u.Dialogs())
	}
	all := strings.Join(texts(topOverlay(t, w)), "\n")
	joined := strings.Join(texts(topOverlay(t, w)), "") // a long path wraps
	for _, want := range []string{"About Freezer", db.Path(), "Ctrl+N", "Add a product", "README.md"} {
		if !strings.Contains(all, want) && !strings.Contains(joined, want) {
			t.Errorf("About does not show %q; texts:\n%s", want, all)
		}
	}
	if strings.Contains(all, "http") {
		t.Errorf("About names a web address: %s", all)
	}
	undoPressKey(w, fyne.KeyReturn)
	if u.Dialogs() != 0 {
		t.Errorf("Return left %d dialogs open, want About closed", u.Dialogs())
	}
}

func TestKeysAboutFromSettings(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	u.Tabs().SelectIndex(4)
	test.Tap(findButton(t, w.Canvas().Content(), "À propos et aide"))
	if all := strings.Join(texts(topOverlay(t, w)), "\n"); !strings.Contains(all, "Raccourcis clavier") {
		t.Errorf("About in French does not show its shortcuts heading; texts:\n%s", all)
	}
	undoPressKey(w, fyne.KeyEscape)
	if u.Dialogs() != 0 {
		t.Errorf("Escape left %d dialogs open", u.Dialogs())
	}
}

// Over a dialog, Ctrl+N waits for it to close (Escape first): no second
// form opens over the first.
func TestKeysCtrlNWaitsForTheOpenDialog(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 2)
	u, w := mustStartUI(t, db, options{})
	keysShortcut(w, fyne.KeyN)
	test.Type(u.Form().Name, "Leek")
	keysShortcut(w, fyne.KeyN)
	if u.Dialogs() != 1 || u.Form().Name.Text != "Leek" {
		t.Errorf("Ctrl+N over the form: dialogs %d, name %q; want the one form, untouched", u.Dialogs(), u.Form().Name.Text)
	}
}
