package ui_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/ui"
)

// formOpenAdd opens the add form with Ctrl+N.
func formOpenAdd(t *testing.T, u *ui.UI, w fyne.Window) *ui.FormWidgets {
	t.Helper()
	shortcut(w, fyne.KeyN)
	form := u.Form()
	if form == nil {
		t.Fatal("Ctrl+N did not open the product form")
	}
	return form
}

// formOpenEdit opens the edit form on product id.
func formOpenEdit(t *testing.T, u *ui.UI, id domain.Product) *ui.FormWidgets {
	t.Helper()
	if !u.FormEdit(id.ID) {
		t.Fatalf("no row for %q on the products screen", id.Name)
	}
	return u.Form()
}

// TestFormErrorClearsOnValidInput: a message goes as soon as its field's
// value is right, without pressing Save again; a value still wrong keeps it.
func TestFormErrorClearsOnValidInput(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{})
	form := formOpenAdd(t, u, w)
	form.Period.SetText("0")
	test.Tap(form.Save)
	for _, field := range []string{domain.FieldName, domain.FieldType, domain.FieldPeriod} {
		if visibleErrors(form)[field] == "" {
			t.Fatalf("no message for %s after Save: %v", field, visibleErrors(form))
		}
	}
	test.Type(form.Name, "Leek soup")
	if msg := visibleErrors(form)[domain.FieldName]; msg != "" {
		t.Errorf("name message after typing a name = %q, want none", msg)
	}
	form.Period.SetText("999")
	if visibleErrors(form)[domain.FieldPeriod] == "" {
		t.Error("period message went while the period is still out of range")
	}
	form.Period.SetText("4")
	form.Type.SetText("soup")
	if errs := visibleErrors(form); len(errs) != 0 {
		t.Errorf("messages after fixing every field = %v, want none", errs)
	}
}

// TestFormEditHint: the edit form explains what changing the box does,
// not the add form's "next free slot is filled in".
func TestFormEditHint(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	p := mustAddProduct(t, db, f, "Peas", 43, 10, 6)
	u, w := mustStartUI(t, db, options{})
	formOpenAdd(t, u, w)
	addHint := u.FormHint()
	u.Form().Dialog.Hide()
	formOpenEdit(t, u, p)
	if got := u.FormHint(); got == addHint || got == "" {
		t.Errorf("edit form hint = %q, want the edit hint, not the add form's %q", got, addHint)
	}
}

// TestFormBoxChangeFillsNextFreeSlot: in edit, another box gives its next
// free slot, the product's own box its own slot, and saving in another
// box works (it used to keep the old slot and fail with "slot taken").
func TestFormBoxChangeFillsNextFreeSlot(t *testing.T) {
	db := mustOpenDB(t)
	ctx := context.Background()
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6) // box 1, slot 1
	p := mustAddProduct(t, db, f, "Cod", 43, 10, 6)
	for _, name := range []string{"Leeks", "Beans"} { // box 2, slots 1 and 2
		if _, err := db.AddProduct(ctx, domain.Product{Name: name, TypeID: 43, Location: domain.Location{FreezerID: f.ID, Box: 2},
			Quantity: 1, DateIn: today(), PeriodMonths: 6}); err != nil {
			t.Fatalf("AddProduct(%s) error = %v", name, err)
		}
	}
	u, _ := mustStartUI(t, db, options{})
	form := formOpenEdit(t, u, p)
	if got := form.Slot.Text; got != "2" {
		t.Fatalf("edit form slot = %q, want the product's own 2", got)
	}
	form.Box.SetSelected("2")
	if got := form.Slot.Text; got != "3" {
		t.Errorf("slot after choosing box 2 = %q, want its next free slot 3", got)
	}
	form.Box.SetSelected("1")
	if got := form.Slot.Text; got != "2" {
		t.Errorf("slot back in box 1 = %q, want the product's own 2", got)
	}
	form.Box.SetSelected("2")
	test.Tap(form.Save)
	if u.Dialogs() != 0 {
		t.Fatalf("the form stayed open: %v", visibleErrors(form))
	}
	got, err := db.FindProduct(ctx, p.ID)
	if err != nil {
		t.Fatalf("FindProduct() error = %v", err)
	}
	if got.Location.Box != 2 || got.Location.Slot != 3 {
		t.Errorf("saved location = box %d slot %d, want box 2 slot 3", got.Location.Box, got.Location.Slot)
	}
}

// TestFormLiveDeadline: the deadline follows the date in and the period
// as they are typed, in the language's date format.
func TestFormLiveDeadline(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	form := formOpenAdd(t, u, w)
	if got := form.DateIn.Text; got != "15/06/2026" {
		t.Errorf("date in = %q, want today as 15/06/2026", got)
	}
	form.DateIn.SetText("15/03/2026")
	form.Period.SetText("18")
	if got, want := u.FormDeadline(), "Date limite : 15/09/2027"; got != want {
		t.Errorf("deadline = %q, want %q", got, want)
	}
	form.DateIn.SetText("2026-01-31") // ISO still accepted
	form.Period.SetText("1")
	if got, want := u.FormDeadline(), "Date limite : 28/02/2026"; got != want {
		t.Errorf("deadline = %q, want %q", got, want)
	}
	form.Period.SetText("")
	if got := u.FormDeadline(); got != "" {
		t.Errorf("deadline without a period = %q, want none", got)
	}
}

// TestFormTypeSetsPeriodUnlessTyped: choosing a type sets the period last
// used for it, unless the person typed a period, in add and in edit.
func TestFormTypeSetsPeriodUnlessTyped(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	p := mustAddProduct(t, db, f, "Peas", 43, 10, 9) // kept 9 months, not the default 6
	u, w := mustStartUI(t, db, options{})
	form := formOpenAdd(t, u, w)
	test.Type(form.Name, "Leek soup")
	form.Type.SetText("soup")
	form.Period.SetText("4")
	test.Tap(form.Save) // remembers 4 months for soup
	if u.Dialogs() != 0 {
		t.Fatalf("the form stayed open: %v", visibleErrors(form))
	}

	form = formOpenAdd(t, u, w)
	form.Type.SetText("soup")
	if got := form.Period.Text; got != "4" {
		t.Errorf("period after choosing soup = %q, want the remembered 4", got)
	}
	form.Dialog.Hide()

	form = formOpenAdd(t, u, w)
	form.Period.SetText("9")
	form.Type.SetText("soup")
	if got := form.Period.Text; got != "9" {
		t.Errorf("period typed before choosing soup = %q, want the typed 9 kept", got)
	}
	form.Dialog.Hide()

	form = formOpenEdit(t, u, p)
	form.Type.SetText("soup")
	if got := form.Period.Text; got != "4" {
		t.Errorf("edit: period after choosing soup = %q, want the remembered 4", got)
	}
}

// TestFormFitsWithErrors: with messages shown, the form still fits without
// scrolling at 1280x800 and at 800x1280 in tablet mode, in both languages.
func TestFormFitsWithErrors(t *testing.T) {
	for _, tt := range []struct {
		name, lang string
		tablet     bool
		win        fyne.Size
	}{
		{"desktop en", "en", false, fyne.NewSize(1280, 800)},
		{"desktop fr", "fr", false, fyne.NewSize(1280, 800)},
		{"tablet en", "en", true, fyne.NewSize(800, 1280)},
		{"tablet fr", "fr", true, fyne.NewSize(800, 1280)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			mustCreateFreezer(t, db, "Kitchen", 3)
			u, w := mustStartUI(t, db, options{lang: tt.lang, tablet: tt.tablet})
			w.Resize(tt.win)
			form := formOpenAdd(t, u, w)
			form.Period.SetText("0")
			form.Persons.SetText("0")
			test.Tap(form.Save)
			if n := len(visibleErrors(form)); n < 4 {
				t.Fatalf("messages shown = %d, want name, type, period and persons", n)
			}
			body, scroll := u.FormBody()
			need, got := body.MinSize().Height, scroll.Size().Height
			if got+0.5 < need {
				t.Errorf("the form's fields need %v, shown in %v: they scroll in a %v window", need, got, tt.win)
			}
			pop, ok := topOverlay(t, w).(*widget.PopUp)
			if !ok {
				t.Fatalf("top overlay = %T, want the form's pop-up", topOverlay(t, w))
			}
			if h, room := pop.Content.Size().Height, w.Canvas().Size().Height-20; h > room {
				t.Errorf("the form is %v px high, the window has %v", h, room)
			}
		})
	}
}

// TestFormTakenSlotSaidAtOnce: a slot known taken is refused at Save
// without asking the store, and the message goes when a free slot is typed.
func TestFormTakenSlotSaidAtOnce(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6) // box 1, slot 1
	u, w := mustStartUI(t, db, options{})
	form := formOpenAdd(t, u, w)
	test.Type(form.Name, "Leek soup")
	form.Type.SetText("soup")
	form.Slot.SetText("1")
	test.Tap(form.Save)
	if msg := visibleErrors(form)[domain.FieldLocation]; msg != "This slot is taken. The next free slot in box 1 is 2." {
		t.Fatalf("location message = %q, want the taken-slot message naming slot 2", msg)
	}
	form.Slot.SetText("2")
	if msg := visibleErrors(form)[domain.FieldLocation]; msg != "" {
		t.Errorf("location message after choosing a free slot = %q, want none", msg)
	}
	test.Tap(form.Save)
	if u.Dialogs() != 0 {
		t.Errorf("the form stayed open: %v", visibleErrors(form))
	}
}
