package ui_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/ui"
)

// TestNarrowListSwitchesWithWidth: the products screen shows the table on
// a wide window and the two-line list on a narrow one, and back, as the
// window is resized; a tap on a row opens the product and the row's
// Discarded takes it out.
func TestNarrowListSwitchesWithWidth(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	cod := mustAddProduct(t, db, f, "Cod", 13, 400, 3)
	u, w := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(1)
	if u.LayoutNarrow() {
		t.Fatal("at 1280 px the products screen shows the list, want the table")
	}
	w.Resize(fyne.NewSize(700, 800))
	if !u.LayoutNarrow() {
		t.Fatal("at 700 px the products screen shows the table, want the list")
	}
	rows := u.LayoutListRows()
	if len(rows) != 2 || rows[0].Product.Name != "Cod" {
		t.Fatalf("list rows = %d, first %v; want Cod (overdue) then Leek soup", len(rows), rows)
	}

	u.LayoutList().Select(1)
	if got := strings.Join(texts(topOverlay(t, w)), "|"); !strings.Contains(got, "Leek soup") {
		t.Errorf("tapping Leek soup's row opened %s", got)
	}
	u.LayoutCloseDialogs()

	test.Tap(rows[0].Discarded)
	u.ExpireUndo() // the rows stay while the undo bar shows
	row, err := db.FindProduct(context.Background(), cod.ID)
	if err != nil || row.Inside() || row.Outcome != domain.OutcomeDiscarded {
		t.Fatalf("after Discarded on Cod's row: inside=%v outcome=%q err=%v", row.Inside(), row.Outcome, err)
	}
	if names := u.ProductNames(); !slices.Equal(names, []string{"Leek soup"}) {
		t.Errorf("rows after the take out = %v, want Leek soup", names)
	}

	w.Resize(fyne.NewSize(1280, 800))
	if u.LayoutNarrow() {
		t.Error("back at 1280 px the list still shows, want the table")
	}
}

// TestEmptyProductsStates: an empty household, a search that finds nothing
// and filters that select nothing each say so, with a button that acts.
func TestEmptyProductsStates(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	u, w := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(1)
	shown, text, button := u.LayoutEmpty()
	if !shown || !strings.Contains(text, "No products yet") {
		t.Errorf("empty household: shown=%v text %q, want the no-products sentence", shown, text)
	}
	test.Tap(button)
	if u.Form() == nil || u.Dialogs() != 1 {
		t.Fatal("the empty state's button did not open the product form")
	}
	u.LayoutCloseDialogs()

	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	u.Reload()
	if shown, _, _ := u.LayoutEmpty(); shown {
		t.Error("the empty state shows over a product")
	}
	test.Type(u.SearchEntry(), "xyz")
	shown, text, button = u.LayoutEmpty()
	if want := "No product matches “xyz”. Add it?"; !shown || text != want {
		t.Errorf("search xyz: shown=%v text %q, want %q", shown, text, want)
	}
	test.Tap(button)
	form := u.Form()
	if form == nil || u.Dialogs() != 1 {
		t.Fatal("Add “xyz” did not open the product form")
	}
	if form.Name.Text != "xyz" {
		t.Errorf("the form's name = %q, want the search %q", form.Name.Text, "xyz")
	}
	u.LayoutCloseDialogs()

	u.SearchEntry().SetText("")
	_, _, _, status := u.Filters()
	status.SetSelectedIndex(1) // overdue: none
	shown, text, button = u.LayoutEmpty()
	if !shown || !strings.Contains(text, "filters") {
		t.Errorf("no overdue product: shown=%v text %q, want the filters sentence", shown, text)
	}
	test.Tap(button)
	if names := u.ProductNames(); !slices.Equal(names, []string{"Leek soup"}) {
		t.Errorf("after clearing the filters rows = %v, want Leek soup", names)
	}
	_ = w
}

// TestOverviewCardsAndRowsOpen: each count card opens the products screen
// filtered as it counts; a row of the overdue list opens the product.
func TestOverviewCardsAndRowsOpen(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Old cod", 13, 400, 3) // overdue
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	out := mustAddProduct(t, db, f, "Bread", 27, 30, 3)
	if _, err := db.TakeOutProduct(context.Background(), out.ID, today(), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	u, w := mustStartUI(t, db, options{})
	cards := u.LayoutCountCards()
	if len(cards) != 4 {
		t.Fatalf("overview count cards = %d, want 4", len(cards))
	}
	for _, tt := range []struct {
		card   int
		where  int
		status string
		names  []string
	}{
		{0, 0, "", []string{"Leek soup", "Old cod"}},
		{1, 0, string(domain.StatusOverdue), []string{"Old cod"}},
		{2, 0, string(domain.StatusDueSoon), nil},
		{3, 1, "", []string{"Bread"}},
	} {
		u.Tabs().SelectIndex(0)
		test.Tap(cards[tt.card])
		if u.Tabs().SelectedIndex() != 1 {
			t.Errorf("card %d: screen %d, want the products screen", tt.card, u.Tabs().SelectedIndex())
		}
		where, status, _ := u.LayoutFilter()
		names := u.ProductNames()
		slices.Sort(names)
		if where != tt.where || status != tt.status || !slices.Equal(names, tt.names) {
			t.Errorf("card %d: where %d status %q rows %v; want %d %q %v", tt.card, where, status, names, tt.where, tt.status, tt.names)
		}
	}

	u.Tabs().SelectIndex(0)
	u.OverviewList().Select(0)
	if got := strings.Join(texts(topOverlay(t, w)), "|"); !strings.Contains(got, "Old cod") {
		t.Errorf("tapping the overdue row opened %s, want Old cod's details", got)
	}
}

// TestLayoutSelectionFollowsProduct: the row of the product last opened
// stays marked by the product's id when an edit moves it, and when another
// product is taken out above it.
func TestLayoutSelectionFollowsProduct(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	mustAddProduct(t, db, f, "Apple pie", 31, 300, 12)
	mustAddProduct(t, db, f, "Basil", 43, 200, 12)
	mustAddProduct(t, db, f, "Cod", 13, 100, 12)
	u, w := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(1)
	if names := u.ProductNames(); !slices.Equal(names, []string{"Apple pie", "Basil", "Cod"}) {
		t.Fatalf("rows by deadline = %v", names)
	}
	u.ProductsTable().Select(widget.TableCellID{Row: 1, Col: ui.ColName}) // Basil
	test.Tap(findButton(t, topOverlay(t, w), "Edit"))
	form := u.Form()
	form.Period.SetText("1") // Basil's deadline moves before Apple pie's
	test.Tap(form.Save)
	if names := u.ProductNames(); names[0] != "Basil" {
		t.Fatalf("rows after the edit = %v, want Basil first", names)
	}
	if marked := u.LayoutMarked(); !contains(marked, "Basil") || contains(marked, "Apple pie") || contains(marked, "Cod") {
		t.Errorf("marked rows after the edit = %v, want Basil's only", marked)
	}

	w.Resize(fyne.NewSize(700, 900)) // the list: the same mark
	if marked := u.LayoutMarked(); !slices.Equal(marked, []string{"Basil"}) {
		t.Errorf("marked list rows = %v, want Basil", marked)
	}
	rows := u.LayoutListRows()
	test.Tap(rows[0].Eaten) // Basil goes: no row is marked
	u.ExpireUndo()
	if marked := u.LayoutMarked(); len(marked) != 0 {
		t.Errorf("marked rows after Basil was taken out = %v, want none", marked)
	}
	u.LayoutList().Select(1) // Cod
	u.LayoutCloseDialogs()
	test.Tap(u.LayoutListRows()[0].Eaten) // Apple pie goes: Cod moves up
	u.ExpireUndo()
	if marked, names := u.LayoutMarked(), u.ProductNames(); !slices.Equal(marked, []string{"Cod"}) || !slices.Equal(names, []string{"Cod"}) {
		t.Errorf("after Apple pie was taken out: rows %v marked %v, want Cod marked", names, marked)
	}
}
