package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/ui"
)

func TestAddProductThroughForm(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6) // box 1, slot 1
	u, w := mustStartUI(t, db, options{})

	shortcut(w, fyne.KeyN) // Ctrl+N
	form := u.Form()
	if form == nil {
		t.Fatal("Ctrl+N did not open the product form")
	}
	if got := form.Slot.Text; got != "2" {
		t.Errorf("slot = %q, want the next free slot %q", got, "2")
	}
	if got := form.DateIn.Text; got != today().String() {
		t.Errorf("date in = %q, want today %q", got, today().String())
	}
	test.Type(form.Name, "Leek soup")
	form.Type.SetText("soup")
	form.Box.SetSelected("2")
	if got := form.Slot.Text; got != "1" {
		t.Errorf("slot in box 2 = %q, want %q", got, "1")
	}
	form.Period.SetText("4")
	test.Tap(form.Save)

	if u.Dialogs() != 0 {
		t.Fatalf("the form stayed open: errors %v", visibleErrors(form))
	}
	if names := u.ProductNames(); !contains(names, "Leek soup") {
		t.Errorf("products table = %v, want Leek soup in it", names)
	}
	u.OpenMap(0)
	m := u.BoxMap()
	found := false
	for i := range m.SlotTiles() {
		if box, slot, name := m.TileInfo(i); name == "Leek soup" {
			found = box == 2 && slot == 1
		}
	}
	if !found {
		t.Error("the box map does not show Leek soup in box 2, slot 1")
	}

	// The period is remembered for the type: a new soup gets 4 months.
	shortcut(w, fyne.KeyN)
	form = u.Form()
	form.Type.SetText("soup")
	if got := form.Period.Text; got != "4" {
		t.Errorf("period for soup = %q, want the remembered %q", got, "4")
	}
}

func visibleErrors(f *ui.FormWidgets) map[string]string {
	out := map[string]string{}
	for k, l := range f.Errors {
		if l.Visible() {
			out[k] = l.Text
		}
	}
	return out
}

func TestFormFutureDateInlineMessage(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{})

	shortcut(w, fyne.KeyN)
	form := u.Form()
	test.Type(form.Name, "Bread")
	form.Type.SetText("bread")
	tomorrow := testNow.AddDate(0, 0, 1)
	form.DateIn.SetText(tomorrow.Format("2006-01-02"))
	test.Tap(form.Save)

	errs := visibleErrors(form)
	if msg := errs[domain.FieldDateIn]; !strings.Contains(msg, "future") {
		t.Errorf("date in message = %q, want one saying the date is in the future", msg)
	}
	if len(errs) != 1 {
		t.Errorf("messages = %v, want only the date's", errs)
	}
	if u.Dialogs() != 1 {
		t.Error("the form closed on an invalid date")
	}
	rows, err := db.AllProducts(context.Background())
	if err != nil || len(rows) != 0 {
		t.Errorf("AllProducts() = %d products, %v; want none saved", len(rows), err)
	}
	// Escape closes the dialog, even while a text field has the focus
	// (Fyne gives the key to the focused widget, not to the canvas).
	w.Canvas().Focus(form.NameFocusable)
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.Dialogs() != 0 {
		t.Error("Escape did not close the form")
	}
}

func TestFormRequiredFields(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{})
	shortcut(w, fyne.KeyN)
	form := u.Form()
	form.Persons.SetText("0")
	form.Period.SetText("200")
	test.Tap(form.Save)
	errs := visibleErrors(form)
	for _, f := range []string{domain.FieldName, domain.FieldType, domain.FieldQuantity, domain.FieldPeriod} {
		if errs[f] == "" {
			t.Errorf("no inline message for %s; messages %v", f, errs)
		}
	}
}

func TestTakeOutFromOverview(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	old := mustAddProduct(t, db, f, "Old cod", 13, 200, 3) // overdue
	mustAddProduct(t, db, f, "Fresh cod", 13, 1, 12)
	u, w := mustStartUI(t, db, options{})

	if got := u.OverviewAlerts(); len(got) != 1 || got[0].Name != "Old cod" {
		t.Fatalf("overview alerts = %v, want Old cod", got)
	}
	inside, overdue, _, _ := u.OverviewCounts()
	if inside != "2" || overdue != "1" {
		t.Errorf("counts inside, overdue = %s, %s; want 2, 1", inside, overdue)
	}
	test.Tap(findButton(t, w.Canvas().Content(), "Discarded"))
	if got := u.OverviewAlerts(); len(got) != 1 {
		t.Errorf("overview alerts while the undo bar shows = %v, want the row kept in place", got)
	}
	u.ExpireUndo() // the bar's time is up: the screens follow

	if got := u.OverviewAlerts(); len(got) != 0 {
		t.Errorf("overview alerts after take out = %v, want none", got)
	}
	if _, _, _, out := u.OverviewCounts(); out != "1" {
		t.Errorf("taken out this month = %s, want 1", out)
	}
	row, err := db.FindProduct(context.Background(), old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Outcome != domain.OutcomeDiscarded || row.DateOut != today() {
		t.Errorf("product out = %s %q, want today, discarded", row.DateOut, row.Outcome)
	}
}

func TestFilterSearchAndSort(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	g := mustCreateFreezer(t, db, "Garage", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	mustAddProduct(t, db, f, "Cod", 13, 400, 3) // overdue
	mustAddProduct(t, db, g, "Vanilla", 24, 5, 12)
	out := mustAddProduct(t, db, g, "Old bread", 27, 30, 3)
	if _, err := db.TakeOutProduct(context.Background(), out.ID, today(), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	u, w := mustStartUI(t, db, options{})
	where, freezer, ptype, status := u.Filters()

	check := func(name string, want ...string) {
		t.Helper()
		got := u.ProductNames()
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: rows = %v, want %v", name, got, want)
		}
	}
	check("inside", "Cod", "Leek soup", "Vanilla")

	shortcut(w, fyne.KeyF) // Ctrl+F focuses the search
	if w.Canvas().Focused() != u.SearchFocusable() {
		t.Error("Ctrl+F did not focus the search field")
	}
	test.Type(u.SearchEntry(), "so")
	check("search so", "Leek soup")
	test.Type(u.SearchEntry(), "x")
	check("search sox")
	u.SearchEntry().SetText("fish") // type names are searched too
	check("search fish", "Cod")
	u.SearchEntry().SetText("")

	where.SetSelectedIndex(2)
	check("all", "Cod", "Leek soup", "Old bread", "Vanilla")
	where.SetSelectedIndex(1)
	check("taken out", "Old bread")
	where.SetSelectedIndex(0)

	freezer.SetSelected("Garage")
	check("garage", "Vanilla")
	freezer.SetSelectedIndex(0)
	status.SetSelectedIndex(1)
	check("overdue", "Cod")
	status.SetSelectedIndex(0)
	ptype.SetSelected("ice-cream")
	check("ice-cream", "Vanilla")
	ptype.SetSelectedIndex(0)

	u.SortBy(ui.ColName)
	if got, want := u.ProductNames(), []string{"Cod", "Leek soup", "Vanilla"}; !slices.Equal(got, want) {
		t.Errorf("by name = %v, want %v", got, want)
	}
	u.SortBy(ui.ColName)
	if got, want := u.ProductNames(), []string{"Vanilla", "Leek soup", "Cod"}; !slices.Equal(got, want) {
		t.Errorf("by name, descending = %v, want %v", got, want)
	}
}

func TestBoxMapFreeSlotOpensFormThere(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6)
	u, _ := mustStartUI(t, db, options{})
	u.OpenMap(0)
	m := u.BoxMap()
	// Box 1: Peas in slot 1, free slot 2; box 2: free slot 1.
	var got []string
	for i := range m.SlotTiles() {
		box, slot, name := m.TileInfo(i)
		got = append(got, strings.TrimSpace(fmt.Sprintf("%d %d %s", box, slot, name)))
	}
	if want := []string{"1 1 Peas", "1 2", "2 1"}; !slices.Equal(got, want) {
		t.Fatalf("tiles = %v, want %v", got, want)
	}
	test.Tap(m.SlotTiles()[2])
	form := u.Form()
	if form == nil || form.Box.Selected != "2" || form.Slot.Text != "1" {
		t.Fatalf("tapping box 2 slot 1 opened %+v", form)
	}
	test.Type(form.Name, "Pie")
	form.Type.SetText("pies")
	test.Tap(form.Save)
	if _, _, name := u.BoxMap().TileInfo(2); name != "Pie" {
		t.Errorf("box 2 slot 1 shows %q after adding, want Pie", name)
	}
	// Tapping a product opens its details with its history.
	test.Tap(u.BoxMap().SlotTiles()[0])
	if u.Dialogs() != 1 {
		t.Fatal("tapping a product did not open it")
	}
}

func TestFreezersAddRenameDelete(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{})
	if !u.OverviewWelcome().Visible() {
		t.Error("first start does not show the welcome")
	}
	test.Tap(findButton(t, w.Canvas().Content(), "Add a freezer"))
	ff := u.FreezerForm()
	ff.Name.SetText("")
	test.Tap(ff.Save)
	if !ff.NameErr.Visible() {
		t.Error("no inline message for an empty name")
	}
	ff.Name.SetText("Chest")
	ff.Boxes.SetText("2")
	test.Tap(ff.Save)
	if fs := u.Freezers(); len(fs) != 1 || fs[0].Name != "Chest" || fs[0].Boxes != 2 {
		t.Fatalf("freezers = %+v, want Chest with 2 boxes", fs)
	}
	if u.OverviewWelcome().Visible() {
		t.Error("the welcome stays after adding a freezer")
	}

	u.Tabs().SelectIndex(2)
	test.Tap(findButton(t, w.Canvas().Content(), "Rename"))
	u.FreezerForm().Name.SetText("Big chest")
	test.Tap(u.FreezerForm().Save)
	if fs := u.Freezers(); fs[0].Name != "Big chest" {
		t.Errorf("renamed to %q, want Big chest", fs[0].Name)
	}

	// Fewer boxes than a product needs is refused, inline.
	fr := domain.Freezer{ID: u.Freezers()[0].ID}
	p, err := db.AddProduct(context.Background(), domain.Product{Name: "Ham", TypeID: 6,
		Location: domain.Location{FreezerID: fr.ID, Box: 2}, Quantity: 1, DateIn: today(), PeriodMonths: 6})
	if err != nil {
		t.Fatal(err)
	}
	u.Reload()
	test.Tap(findButton(t, w.Canvas().Content(), "Boxes"))
	u.FreezerForm().Boxes.SetText("1")
	test.Tap(u.FreezerForm().Save)
	if !u.FreezerForm().BoxesErr.Visible() {
		t.Error("reducing the boxes below a product was not refused inline")
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})

	// Delete is refused with a clear message while a product is inside.
	test.Tap(findButton(t, w.Canvas().Content(), "Delete"))
	if got := strings.Join(allTexts(w), " "); !strings.Contains(got, "still holds products") {
		t.Errorf("delete refusal message missing; texts: %s", got)
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if _, err := db.TakeOutProduct(context.Background(), p.ID, today(), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	// Empty now: delete asks for confirmation, then deletes.
	u.Reload()
	test.Tap(findButton(t, w.Canvas().Content(), "Delete"))
	test.Tap(findButton(t, topOverlay(t, w), "Delete"))
	if fs := u.Freezers(); len(fs) != 0 {
		t.Errorf("freezers after delete = %+v, want none", fs)
	}
}

func TestFrenchEverywhere(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Cuisine", 2)
	mustAddProduct(t, db, f, "Potage", 1, 300, 6)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	english := englishOnly(t)
	for i := 0; i < 5; i++ {
		u.Tabs().SelectIndex(i)
		for _, s := range allTexts(w) {
			if english[s] {
				t.Errorf("tab %d shows English %q", i, s)
			}
		}
	}
	if got := allTexts(w); !contains(got, "Réglages") {
		t.Errorf("no French tab labels: %v", got)
	}
	u.Tabs().SelectIndex(1)
	if got := allTexts(w); !contains(got, "soupe") {
		t.Errorf("the products table does not name the type in French (soupe): %v", got)
	}
	shortcut(w, fyne.KeyN)
	for _, s := range allTexts(w) {
		if english[s] {
			t.Errorf("the form shows English %q", s)
		}
	}
}

func TestLanguageSwitchInApp(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{lang: "en"})
	language, _, _, _, _ := u.SettingsWidgets()
	language.SetSelected("Français")
	if got := allTexts(w); !contains(got, "Produits") || contains(got, "Products") {
		t.Errorf("after choosing French the tabs are %v", got)
	}
	language, _, _, _, _ = u.SettingsWidgets()
	language.SetSelected("English")
	if got := allTexts(w); !contains(got, "Products") {
		t.Errorf("after choosing English the tabs are %v", got)
	}
}

func TestSettingsDueSoonDays(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	// Deadline in 20 days: OK with 14 days, due soon with 30.
	mustAddProduct(t, db, f, "Stew", 20, 0, 1)
	db.Now = func() time.Time { return testNow.AddDate(0, 0, 10) }
	u, _ := mustStartUI(t, db, options{})
	if got := len(u.OverviewAlerts()); got != 0 {
		t.Fatalf("alerts = %d with 14 days, want 0", got)
	}
	_, dueSoon, _, _, dueErr := u.SettingsWidgets()
	dueSoon.SetText("abc")
	if !dueErr.Visible() {
		t.Error("no message for a bad number of days")
	}
	dueSoon.SetText("30")
	if got := len(u.OverviewAlerts()); got != 1 {
		t.Errorf("alerts = %d with 30 days, want 1", got)
	}
}

func TestTabletMode(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 2)
	u, w := mustStartUI(t, db, options{tablet: true})
	u.Tabs().SelectIndex(1)
	for _, text := range []string{"Add a product", "Next page", "Previous page"} {
		b := findButton(t, w.Canvas().Content(), text)
		if h := b.MinSize().Height; h < 44 {
			t.Errorf("button %q is %.0f px high, want at least 44", text, h)
		}
	}
}

func TestTrendsCharts(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Soup", 1, 40, 6)
	mustAddProduct(t, db, f, "Cod", 13, 100, 6)
	u, w := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(3)
	perType, months := u.TrendsData()
	if perType != 2 || months != 12 {
		t.Errorf("charts have %d types and %d months, want 2 and 12", perType, months)
	}
	got := allTexts(w)
	for _, want := range []string{"Products per type (yours)", "soup", "fish", "In and out per month", "Eaten vs discarded per month"} {
		if !contains(got, want) {
			t.Errorf("trends screen lacks %q", want)
		}
	}
}

func TestDetailsTakeOutPutBackAndHistory(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	p := mustAddProduct(t, db, f, "Lasagna", 22, 10, 3)
	u, w := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(1)

	u.ProductsTable().Select(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(findButton(t, topOverlay(t, w), "Eaten"))
	row, err := db.FindProduct(context.Background(), p.ID)
	if err != nil || row.Inside() || row.Outcome != domain.OutcomeEaten {
		t.Fatalf("after Eaten: inside=%v outcome=%q err=%v", row.Inside(), row.Outcome, err)
	}
	if names := u.ProductNames(); len(names) != 1 {
		t.Errorf("inside list while the undo bar shows = %v, want the row kept in place", names)
	}

	where, _, _, _ := u.Filters()
	where.SetSelectedIndex(1) // taken out: another filter, the list is true again
	u.ProductsTable().Select(widget.TableCellID{Row: 0, Col: 1})
	got := strings.Join(texts(topOverlay(t, w)), "|")
	for _, want := range []string{"History", "Added", "Taken out"} {
		if !strings.Contains(got, want) {
			t.Errorf("details lack %q: %s", want, got)
		}
	}
	test.Tap(findButton(t, topOverlay(t, w), "Put back"))
	if row, _ := db.FindProduct(context.Background(), p.ID); !row.Inside() {
		t.Error("Put back left the product out")
	}
	where.SetSelectedIndex(0)
	if names := u.ProductNames(); !slices.Equal(names, []string{"Lasagna"}) {
		t.Errorf("inside list = %v, want Lasagna back", names)
	}
}

func TestTabletPagingButtons(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	for i := 0; i < 60; i++ {
		mustAddProduct(t, db, f, "Soup "+string(rune('A'+i%26))+string(rune('a'+i/26)), 1, 400, 3)
	}
	u, w := mustStartUI(t, db, options{tablet: true})
	list := u.OverviewList()
	test.Tap(findButton(t, w.Canvas().Content(), "Next page"))
	if list.GetScrollOffset() <= 0 {
		t.Error("Next page did not scroll the overview's list")
	}
	test.Tap(findButton(t, w.Canvas().Content(), "Previous page"))
	if list.GetScrollOffset() != 0 {
		t.Errorf("Previous page left the list at %v", list.GetScrollOffset())
	}
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

func TestExportThenImport(t *testing.T) {
	for _, format := range []ui.Format{ui.FormatJSON, ui.FormatCSV} {
		t.Run(string(format), func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "Kitchen", 2)
			mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
			mustAddProduct(t, db, f, "Cod", 13, 20, 6)
			u, w := mustStartUI(t, db, options{})
			buf := &bytes.Buffer{}
			u.RunExport(nopCloser{buf}, format)
			if buf.Len() == 0 {
				t.Fatal("the export wrote nothing")
			}
			if got := strings.Join(allTexts(w), " "); !strings.Contains(got, "The export is saved.") {
				t.Errorf("no confirmation after the export; texts: %s", got)
			}

			db2 := mustOpenDB(t)
			u2, w2 := mustStartUI(t, db2, options{})
			u2.RunImport(nopCloser{bytes.NewBuffer(buf.Bytes())}, format)
			if got := strings.Join(allTexts(w2), " "); !strings.Contains(got, "Imported products: 2") {
				t.Errorf("no import count; texts: %s", got)
			}
			if names := u2.ProductNames(); len(names) != 2 {
				t.Errorf("after import the table shows %v, want 2 products", names)
			}
		})
	}
}

func TestFirstStartLoadSample(t *testing.T) {
	db := mustOpenDB(t)
	u, w := mustStartUI(t, db, options{})
	test.Tap(findButton(t, w.Canvas().Content(), "Load the sample household"))
	if u.OverviewWelcome().Visible() {
		t.Error("the welcome stays after loading the sample household")
	}
	if len(u.ProductNames()) == 0 || len(u.Freezers()) == 0 {
		t.Errorf("after the sample: %d products, %d freezers", len(u.ProductNames()), len(u.Freezers()))
	}
}

func TestFormTakenSlotInlineMessage(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	shortcut(w, fyne.KeyN)
	form := u.Form()
	if form.Slot.Text != "1" {
		t.Fatalf("slot = %q, want 1", form.Slot.Text)
	}
	// Another device fills slot 1 meanwhile.
	mustAddProduct(t, db, f, "Peas", 43, 1, 6)
	u.Reload()
	test.Type(form.Name, "Gratin")
	form.Type.SetText("fromage")
	test.Tap(form.Save)
	msg := visibleErrors(form)[domain.FieldLocation]
	if !strings.Contains(msg, "Cette place est prise") || !strings.Contains(msg, "la 2") {
		t.Errorf("location message = %q, want the French taken-slot message naming slot 2", msg)
	}
}

// TestFormDateInISO: the date field shows and reads YYYY-MM-DD, as every
// other screen writes dates, whatever the locale; the calendar fills it.
func TestFormDateInISO(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{})
	shortcut(w, fyne.KeyN)
	form := u.Form()
	test.Type(form.Name, "Bread")
	form.Type.SetText("bread")

	for _, tt := range []struct {
		text    string
		wantErr bool
	}{
		{"2026-06-01", false},
		{" 2026-06-15 ", false},
		{"06/01/2026", true},
		{"2026-13-01", true},
		{"", true},
	} {
		t.Run(tt.text, func(t *testing.T) {
			form.DateIn.SetText(tt.text)
			test.Tap(form.Save) // the form stays open: the slot is wrong on purpose below
			if got := visibleErrors(form)[domain.FieldDateIn] != ""; got != tt.wantErr {
				t.Errorf("date %q: message shown = %v, want %v (%v)", tt.text, got, tt.wantErr, visibleErrors(form))
			}
		})
		if u.Dialogs() == 0 { // a good date saved the product: open a new form
			shortcut(w, fyne.KeyN)
			form = u.Form()
			test.Type(form.Name, "Bread")
			form.Type.SetText("bread")
		}
	}

	// The calendar opens on the field's month; a tapped day is written ISO.
	form.DateIn.SetText("2026-05-20")
	test.Tap(form.DatePicker)
	pop, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatalf("the calendar button opened %T, want a pop-up", w.Canvas().Overlays().Top())
	}
	var day *widget.Button
	for _, o := range test.LaidOutObjects(pop) {
		if b, ok := o.(*widget.Button); ok && b.Text == "3" {
			day = b
		}
	}
	if day == nil {
		t.Fatal("no day 3 in the calendar")
	}
	test.Tap(day)
	if got := form.DateIn.Text; got != "2026-05-03" {
		t.Errorf("date after picking the 3rd = %q, want %q", got, "2026-05-03")
	}
	if pop.Visible() {
		t.Error("the calendar stayed open after a day was picked")
	}
}

// TestFormFitsContent: the form is as tall as its fields (no gap above the
// buttons) and stays inside the window, on a desktop and a tablet.
func TestFormFitsContent(t *testing.T) {
	for _, tt := range []struct {
		name     string
		tablet   bool
		win      fyne.Size
		minWidth float32
	}{
		{"desktop", false, fyne.NewSize(1280, 800), 600},
		{"tablet", true, fyne.NewSize(800, 1280), 740},
		{"small", false, fyne.NewSize(560, 400), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			mustCreateFreezer(t, db, "Kitchen", 3)
			u, w := mustStartUI(t, db, options{tablet: tt.tablet})
			w.Resize(tt.win)
			shortcut(w, fyne.KeyN)
			pop, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
			if !ok {
				t.Fatalf("top overlay = %T, want the form's pop-up", w.Canvas().Overlays().Top())
			}
			got := pop.Content.Size()
			win := w.Canvas().Size()
			if got.Width > win.Width-20 || got.Height > win.Height-20 || got.Height < 300 {
				t.Errorf("form size = %v, want inside the window %v", got, win)
			}
			if got.Width+20 < min(tt.minWidth, win.Width-20) { // the pop-up pads its content
				t.Errorf("form width = %v, want at least %v", got.Width, tt.minWidth)
			}
			// No gap above the buttons: as tall as the fields need, when
			// the window has room.
			if want := u.FormNaturalHeight(); win.Height-20 > want && got.Height > want+1 {
				t.Errorf("form height = %v, want its content's %v", got.Height, want)
			}
		})
	}
}
