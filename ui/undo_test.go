package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

// undoFixture is a kitchen freezer holding "Soupe de Noël" in box 1,
// slot 1 and peas in slot 2, with the UI over it.
type undoFixture struct {
	db     *storage.DB
	u      *ui.UI
	w      fyne.Window
	f      domain.Freezer
	soup   domain.Product
	peas   domain.Product
	soupAt domain.Location
}

func undoStart(t *testing.T, lang string) *undoFixture {
	t.Helper()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	soup := mustAddProduct(t, db, f, "Soupe de Noël", 1, 10, 6)
	peas := mustAddProduct(t, db, f, "Peas", 43, 10, 6)
	u, w := mustStartUI(t, db, options{lang: lang})
	if soup.Location.Slot != 1 || peas.Location.Slot != 2 {
		t.Fatalf("slots = %d, %d; want 1, 2", soup.Location.Slot, peas.Location.Slot)
	}
	return &undoFixture{db: db, u: u, w: w, f: f, soup: soup, peas: peas, soupAt: soup.Location}
}

// undoStored reads a product back from the store.
func (x *undoFixture) undoStored(t *testing.T, p domain.Product) storage.ProductRow {
	t.Helper()
	row, err := x.db.FindProduct(context.Background(), p.ID)
	if err != nil {
		t.Fatalf("FindProduct(%s) error = %v", p.Name, err)
	}
	return row
}

// undoTapInDetails opens p's details and taps the button labelled text.
func (x *undoFixture) undoTapInDetails(t *testing.T, p domain.Product, text string) {
	t.Helper()
	x.u.OpenDetails(p.ID)
	test.Tap(findButton(t, topOverlay(t, x.w), text))
}

// undoPressKey sends an unmodified key as the window does: to the
// focused widget, else to the canvas.
func undoPressKey(w fyne.Window, key fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: key}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	w.Canvas().OnTypedKey()(ev)
}

func TestUndoTakeOutRestoresProductAndSlot(t *testing.T) {
	x := undoStart(t, "en")
	x.u.Tabs().SelectIndex(1)
	x.undoTapInDetails(t, x.soup, "Eaten")

	text, undo, shown := x.u.UndoBar()
	if !shown || text != "Soupe de Noël: eaten" || !undo.Visible() {
		t.Fatalf("undo bar = %q (shown %v, Undo %v), want %q with Undo", text, shown, undo.Visible(), "Soupe de Noël: eaten")
	}
	if got := x.undoStored(t, x.soup); got.Inside() || got.Outcome != domain.OutcomeEaten {
		t.Fatalf("stored after Eaten: inside %v, outcome %q; want taken out, eaten", got.Inside(), got.Outcome)
	}
	// The rows stay where they were while the bar shows.
	if names := x.u.ProductNames(); !contains(names, "Soupe de Noël") {
		t.Errorf("products = %v: the taken-out row left while the bar shows", names)
	}
	// A second tap on the same product does nothing (no error dialog).
	ui.TakeOut(x.u, x.soup.ID, domain.OutcomeDiscarded)
	if x.u.Dialogs() != 0 {
		t.Errorf("a second take out opened %d dialogs", x.u.Dialogs())
	}

	test.Tap(undo)
	got := x.undoStored(t, x.soup)
	if !got.Inside() || got.Location != x.soupAt {
		t.Errorf("after Undo: inside %v at %+v, want inside at %+v", got.Inside(), got.Location, x.soupAt)
	}
	if _, _, shown := x.u.UndoBar(); shown {
		t.Error("the bar stays after an Undo that put the product back in its own slot")
	}
	if names := x.u.ProductNames(); !contains(names, "Soupe de Noël") {
		t.Errorf("products after Undo = %v, want Soupe de Noël", names)
	}

	// Without Undo, the rows follow when the bar's time is up. A new
	// action replaces the bar; the rows wait for the last bar to go.
	x.undoTapInDetails(t, x.soup, "Discarded")
	x.undoTapInDetails(t, x.peas, "Eaten")
	if text, _, _ := x.u.UndoBar(); text != "Peas: eaten" {
		t.Errorf("undo bar = %q, want the last action's", text)
	}
	if names := x.u.ProductNames(); !contains(names, "Soupe de Noël") || !contains(names, "Peas") {
		t.Errorf("products = %v while the bar shows, want both rows in place", names)
	}
	ui.TakeOut(x.u, x.soup.ID, domain.OutcomeEaten) // its row still shows: a tap does nothing
	if x.u.Dialogs() != 0 {
		t.Errorf("a tap on a row already taken out opened %d dialogs", x.u.Dialogs())
	}
	x.u.ExpireUndo()
	if _, _, shown := x.u.UndoBar(); shown {
		t.Error("the bar stays after its time")
	}
	if names := x.u.ProductNames(); contains(names, "Soupe de Noël") {
		t.Errorf("products after the bar went = %v, want the taken-out soup gone (filter Inside)", names)
	}
	if got := x.undoStored(t, x.soup); got.Outcome != domain.OutcomeDiscarded {
		t.Errorf("soup outcome = %q, want discarded (the later tap did nothing)", got.Outcome)
	}
}

func TestUndoTakeOutWhenSlotTakenSaysWhere(t *testing.T) {
	x := undoStart(t, "en")
	x.undoTapInDetails(t, x.soup, "Eaten")
	_, undo, _ := x.u.UndoBar()
	// Meanwhile another product takes slot 1 (another device, or a quick hand).
	leek := mustAddProduct(t, x.db, x.f, "Leek soup", 1, 0, 6)
	if leek.Location.Slot != 1 {
		t.Fatalf("leek soup went to slot %d, want the freed slot 1", leek.Location.Slot)
	}
	test.Tap(undo)

	got := x.undoStored(t, x.soup)
	if !got.Inside() || got.Location.Box != 1 || got.Location.Slot != 3 {
		t.Fatalf("after Undo: inside %v at box %d slot %d, want box 1 slot 3 (the next free)", got.Inside(), got.Location.Box, got.Location.Slot)
	}
	text, undo, shown := x.u.UndoBar()
	want := "Soupe de Noël: put back in Kitchen, box 1, slot 3 — its slot was taken"
	if !shown || text != want {
		t.Errorf("undo bar = %q (shown %v), want %q", text, shown, want)
	}
	if undo.Visible() {
		t.Error("the bar offers Undo again after the Undo")
	}
}

func TestUndoDeleteAsksThenRestores(t *testing.T) {
	x := undoStart(t, "en")
	x.undoTapInDetails(t, x.soup, "Delete…")
	confirm := topOverlay(t, x.w)
	msg := "Delete “Soupe de Noël”? Use this for a product entered by mistake; to record that it was eaten or thrown away, use Eaten or Discarded."
	if !strings.Contains(strings.Join(texts(confirm), " "), "Delete “Soupe de Noël”?") {
		t.Errorf("confirm texts = %q, want %q", texts(confirm), msg)
	}
	if b := findButton(t, confirm, "Delete"); b.Importance != widget.DangerImportance {
		t.Errorf("Delete button importance = %v, want danger (not the primary blue)", b.Importance)
	}
	for _, o := range test.LaidOutObjects(confirm) {
		if img, ok := o.(*canvas.Image); ok && img.Visible() && img.Size().Width > 40 {
			t.Errorf("the confirmation draws an image %v over its text", img.Size())
		}
	}

	// Escape cancels: nothing is deleted.
	undoPressKey(x.w, fyne.KeyEscape)
	if got := x.undoStored(t, x.soup); got.Deleted {
		t.Fatal("Escape deleted the product")
	}
	if x.u.Dialogs() != 1 {
		t.Errorf("dialogs after Escape = %d, want the details only", x.u.Dialogs())
	}

	// Return confirms.
	test.Tap(findButton(t, topOverlay(t, x.w), "Delete…"))
	undoPressKey(x.w, fyne.KeyReturn)
	if _, err := x.db.FindProduct(context.Background(), x.soup.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("FindProduct after delete: error %v, want not found", err)
	}
	if x.u.Dialogs() != 0 {
		t.Errorf("dialogs after the delete = %d, want none", x.u.Dialogs())
	}
	text, _, shown := x.u.UndoBar()
	if !shown || text != "Soupe de Noël: deleted" {
		t.Fatalf("undo bar = %q (shown %v), want %q", text, shown, "Soupe de Noël: deleted")
	}
	// Ctrl+Z outside text fields presses Undo.
	x.w.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	got := x.undoStored(t, x.soup)
	if got.Deleted || !got.Inside() || got.Location != x.soupAt {
		t.Errorf("after Undo: deleted %v, inside %v at %+v; want inside at %+v", got.Deleted, got.Inside(), got.Location, x.soupAt)
	}
}

func TestUndoBarFrench(t *testing.T) {
	x := undoStart(t, "fr")
	x.undoTapInDetails(t, x.soup, "Mangé")
	if text, _, _ := x.u.UndoBar(); text != "Soupe de Noël : mangé" {
		t.Errorf("undo bar = %q, want %q", text, "Soupe de Noël : mangé")
	}
}

// The bar floats over the screens: it asks for no room, so showing it
// moves no row.
func TestUndoBarTakesNoRoom(t *testing.T) {
	x := undoStart(t, "en")
	before := x.w.Canvas().Content().MinSize()
	x.undoTapInDetails(t, x.soup, "Eaten")
	if got := x.u.UndoLayer().MinSize(); got.Width != 0 || got.Height != 0 {
		t.Errorf("the bar's layer asks for %v, want nothing", got)
	}
	if after := x.w.Canvas().Content().MinSize(); after != before {
		t.Errorf("content min size %v with the bar, %v without", after, before)
	}
}

// Moving on (another filter, tab, sort or search) shows the lists as they
// are, while the bar and its Undo stay.
func TestUndoRowsFollowAnotherFilter(t *testing.T) {
	x := undoStart(t, "en")
	x.u.Tabs().SelectIndex(1)
	x.undoTapInDetails(t, x.soup, "Eaten")
	where, _, _, _ := x.u.Filters()
	where.SetSelectedIndex(1) // taken out
	if names := x.u.ProductNames(); len(names) != 1 || names[0] != "Soupe de Noël" {
		t.Errorf("taken out list while the bar shows = %v, want Soupe de Noël", names)
	}
	_, undo, shown := x.u.UndoBar()
	if !shown || !undo.Visible() {
		t.Fatal("the bar went with the filter change")
	}
	test.Tap(undo)
	if names := x.u.ProductNames(); len(names) != 0 {
		t.Errorf("taken out list after Undo = %v, want empty", names)
	}
}
