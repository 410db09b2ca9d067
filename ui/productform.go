package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// productForm adds or edits a product, with a message under each field
// that breaks a rule.
type productForm struct {
	ui      *UI
	editing *ProductRow // nil when adding

	name, desc, slot, persons, period *escEntry
	barcode                           *barcodeField // adding only (productform_barcode.go)
	ptype                             *escSelectEntry
	freezer, box                      *widget.Select
	dateIn                            *dateEntry
	deadline                          *widget.Label            // the computed deadline, live
	errs                              map[string]*widget.Label // by domain.Field*
	save                              *widget.Button

	typeID        int
	periodTouched bool // the person typed a period: choosing a type keeps it
	filling       bool // set while the form fills fields itself
	dlg           *dialog.CustomDialog
	body          *fyne.Container   // the fields and the hint
	scroll        *container.Scroll // scrolls body when the window is short
}

// openProductForm opens the form: editing p when it is not nil, else adding
// a product (at a location when at is not nil, as from the box map).
func (u *UI) openProductForm(p *ProductRow, at *domain.Location) {
	if len(u.freezers) == 0 {
		u.showInfo(lang.L("products.add"), lang.L("form.no_freezer"))
		return
	}
	f := &productForm{ui: u, editing: p, errs: map[string]*widget.Label{}}
	u.form = f
	f.show(at)
}

// show builds the form's widgets, fills them in (from the product being
// edited, the location it was opened at, or the first freezer) and opens
// the dialog.
func (f *productForm) show(at *domain.Location) {
	f.makeEntries()
	f.prefill(at)
	f.body = container.NewVBox(f.fields(), f.locationHint())
	f.openDialog()
}

// makeEntries creates the field widgets with their default values. The box
// select exists before the freezer select is first set, since choosing a
// freezer fills its boxes in.
func (f *productForm) makeEntries() {
	u := f.ui
	f.name = newEscEntry(u, false)
	if f.editing == nil {
		f.barcode = newBarcodeField(f)
	}
	f.desc = newEscEntry(u, true)
	f.desc.SetMinRowsVisible(2)
	f.ptype = newEscSelectEntry(u, f.typeOptions(""))
	f.ptype.SetPlaceHolder(lang.L("form.type_search"))
	f.ptype.OnChanged = func(text string) { f.onTypeText(text); f.onChanged(domain.FieldType) }
	f.name.OnChanged = func(string) { f.onChanged(domain.FieldName) }
	names := make([]string, len(u.freezers))
	for i, fr := range u.freezers {
		names[i] = fr.Name
	}
	f.freezer = widget.NewSelect(names, f.onFreezer)
	f.box = widget.NewSelect(nil, f.onBox)
	// A select is as wide as its placeholder ("(Select one)"), not its
	// choice: the widest freezer name shows whole, and the box's "–"
	// leaves room for it in a 600 px window in tablet mode.
	f.freezer.PlaceHolder, f.box.PlaceHolder = widest(names), "–"
	f.slot = newEscEntry(u, false)
	f.slot.OnChanged = func(string) { f.onChanged(domain.FieldLocation) }
	f.persons = newEscEntry(u, false)
	f.persons.SetText("1")
	f.persons.OnChanged = func(string) { f.onChanged(domain.FieldQuantity) }
	f.deadline = widget.NewLabel("")
	f.deadline.Wrapping = fyne.TextWrapWord // two lines rather than a wider form
	f.dateIn = newDateEntry(u, true)
	f.dateIn.SetDate(u.today())
	f.dateIn.OnChanged = func(string) { f.onChanged(domain.FieldDateIn) }
	f.period = newEscEntry(u, false)
	f.period.OnChanged = func(string) {
		if !f.filling {
			f.periodTouched = true
		}
		f.onChanged(domain.FieldPeriod)
	}
	f.filling = true
	f.period.SetText(itoa(defaultPeriod))
	f.filling = false
}

// prefill fills the fields from the product being edited, or from the
// location the form was opened at, or selects the first freezer. Choosing
// another type then sets that type's period (unless the person typed one),
// and choosing another box its next free slot (the product's own slot in
// its own box).
func (f *productForm) prefill(at *domain.Location) {
	if p := f.editing; p != nil {
		f.fill(func() {
			f.name.SetText(p.Name)
			f.desc.SetText(p.Description)
			f.setType(p.TypeID)
			f.selectFreezer(p.Location.FreezerID)
			f.box.SetSelected(itoa(p.Location.Box))
			f.slot.SetText(itoa(p.Location.Slot))
			f.persons.SetText(itoa(p.Quantity))
			f.dateIn.SetDate(p.DateIn)
			f.period.SetText(itoa(p.PeriodMonths))
		})
	} else if at != nil {
		f.selectFreezer(at.FreezerID)
		f.box.SetSelected(itoa(at.Box))
		if at.Slot > 0 {
			f.fill(func() { f.slot.SetText(itoa(at.Slot)) })
		}
	} else {
		f.freezer.SetSelectedIndex(0)
	}
	f.showDeadline()
}

// widest returns the name that takes the most room ("–" when there is none).
func widest(names []string) string {
	out, width := "–", float32(0)
	for _, n := range names {
		if w := fyne.MeasureText(n, theme.TextSize(), fyne.TextStyle{}).Width; w > width {
			out, width = n, w
		}
	}
	return out
}

// fields lays the fields out as a form, each with its label and, under
// it, a hidden message that showErrors fills when the field breaks a rule.
func (f *productForm) fields() *fyne.Container {
	var objs []fyne.CanvasObject
	if f.barcode != nil {
		objs = append(objs, f.field(domain.FieldCode, lang.L("form.barcode"), f.barcode.widget())...)
	}
	objs = append(objs, f.field(domain.FieldName, lang.L("form.name"), f.name)...)
	objs = append(objs, f.field(domain.FieldType, lang.L("form.type"), f.ptype)...)
	objs = append(objs, f.field(domain.FieldLocation, lang.L("form.location"),
		container.New(rowLayout{2, 1, 1}, f.freezer, f.box, f.slot))...)
	objs = append(objs, f.field(domain.FieldDateIn, lang.L("form.date_in"), f.dateIn)...)
	objs = append(objs, f.field(domain.FieldPeriod, lang.L("form.period"), container.New(rowLayout{1, 2}, f.period, f.deadline))...)
	objs = append(objs, f.field(domain.FieldQuantity, lang.L("form.persons"), f.persons)...)
	objs = append(objs, f.field(domain.FieldDescription, lang.L("form.description"), f.desc)...)
	return container.New(layout.NewFormLayout(), objs...)
}

// field returns the label and the widget w of the field key, with the
// field's error message (hidden) under w.
func (f *productForm) field(key, label string, w fyne.CanvasObject) []fyne.CanvasObject {
	e := widget.NewLabel("")
	e.Importance = widget.DangerImportance
	e.Wrapping = fyne.TextWrapWord
	e.Hide()
	f.errs[key] = e
	return []fyne.CanvasObject{widget.NewLabel(label), container.NewVBox(w, e)}
}

// locationHint is the note under the form about locations: adding fills
// in the next free slot; editing keeps the product's slot unless its box
// changes.
func (f *productForm) locationHint() *widget.Label {
	key := "form.location_hint"
	if f.editing != nil {
		key = "form.edit_hint"
	}
	hint := widget.NewLabel(lang.L(key))
	hint.TextStyle.Italic = true
	hint.Wrapping = fyne.TextWrapWord
	return hint
}

// openDialog puts the body in a scrolling dialog with Cancel and Save,
// sizes and shows it, and focuses the name when adding.
func (f *productForm) openDialog() {
	u := f.ui
	title := lang.L("form.add_title")
	if f.editing != nil {
		title = lang.L("form.edit_title")
	}
	f.save = &widget.Button{Text: lang.L("action.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.onSave}
	cancel := &widget.Button{Text: lang.L("action.cancel"), Icon: theme.CancelIcon(), OnTapped: func() { f.dlg.Hide() }}
	f.scroll = container.NewVScroll(f.body)
	f.dlg = dialog.NewCustomWithoutButtons(title, f.scroll, u.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.save})
	f.fit()
	u.showDialog(f.dlg)
	if f.editing == nil {
		// The name has the focus, as a person types it first; a scanner's
		// digits and Return there go to the barcode field (scannedIntoName).
		u.win.Canvas().Focus(f.name)
		f.name.OnSubmitted = f.barcode.scannedIntoName
	}
}

// fit sizes the dialog to its content, with a comfortable minimum width,
// and keeps it inside the window (the fields scroll when the window is short).
func (f *productForm) fit() {
	width := float32(600)
	if f.ui.settings.Tablet {
		width = 740
	}
	win := f.ui.win.Canvas().Size()
	const margin = 20 // the window's edge stays visible around the dialog
	// Twice: wrapped messages and the hint know how many lines they take
	// only once laid out at the dialog's width; sized from a first guess,
	// the form would scroll and cut the hint.
	for range 2 {
		// The dialog's MinSize counts the scroll's, so let the scroll ask for
		// all of its content for a moment to read the dialog's natural size.
		f.scroll.SetMinSize(f.body.MinSize())
		want := f.dlg.MinSize()
		f.scroll.SetMinSize(fyne.Size{})
		f.dlg.Resize(fyne.NewSize(
			min(max(width, want.Width), win.Width-margin),
			min(want.Height, win.Height-margin)))
	}
}

// fill changes fields without marking them as touched by the person. It
// nests: choosing the freezer while filling fills the box and slot.
func (f *productForm) fill(fn func()) {
	was := f.filling
	f.filling = true
	defer func() { f.filling = was }()
	fn()
}

// typeOptions lists type names in the language in use that contain text.
func (f *productForm) typeOptions(text string) []string {
	text = domain.Fold(strings.TrimSpace(text)) // "legume" lists "légume"
	var out []string
	for _, t := range f.ui.types {
		if n := typeName(t); text == "" || strings.Contains(domain.Fold(n), text) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, compareNames)
	return out
}

// onTypeText narrows the type list as the person types and picks the type
// whose name matches, with the period last used for it.
func (f *productForm) onTypeText(text string) {
	f.ptype.SetOptions(f.typeOptions(text))
	f.typeID = 0
	for _, t := range f.ui.types {
		if strings.EqualFold(typeName(t), strings.TrimSpace(text)) {
			f.typeID = t.ID
			break
		}
	}
	if f.typeID != 0 && !f.periodTouched && !f.filling {
		months := f.ui.prefs.IntWithFallback(periodKey(f.typeID), defaultPeriod)
		f.fill(func() { f.period.SetText(itoa(months)) })
	}
}

func (f *productForm) setType(id int) {
	if t, ok := f.ui.typeByID[id]; ok {
		f.ptype.SetText(typeName(t))
	}
}

func (f *productForm) selectFreezer(id uuid.UUID) {
	for i, fr := range f.ui.freezers {
		if fr.ID == id {
			f.freezer.SetSelectedIndex(i)
			return
		}
	}
}

func (f *productForm) currentFreezer() *FreezerSummary {
	i := f.freezer.SelectedIndex()
	if i < 0 || i >= len(f.ui.freezers) {
		return nil
	}
	return &f.ui.freezers[i]
}

func (f *productForm) onFreezer(string) {
	fr := f.currentFreezer()
	if fr == nil {
		return
	}
	opts := make([]string, fr.Boxes)
	for i := range opts {
		opts[i] = strconv.Itoa(i + 1)
	}
	f.box.Options = opts
	f.box.SetSelectedIndex(0)
}

// onBox fills in the next free slot of the chosen box, or, when editing
// and the box is the product's own, the product's own slot.
func (f *productForm) onBox(string) {
	fr := f.currentFreezer()
	box, err := strconv.Atoi(f.box.Selected)
	if fr == nil || err != nil {
		return
	}
	var slot int
	if p := f.editing; p != nil && p.Location.FreezerID == fr.ID && p.Location.Box == box {
		slot = p.Location.Slot
	} else {
		slot = f.ui.nextFreeSlot(fr.ID, box, f.editing)
	}
	f.fill(func() { f.slot.SetText(itoa(slot)) })
}

func (f *productForm) onSave() {
	p, errs := f.product()
	f.showErrors(errs)
	if len(errs) > 0 {
		return
	}
	f.save.Disable()
	editing := f.editing
	var code string // the barcode to remember, read here on the UI goroutine
	if f.barcode != nil {
		code, _ = f.barcode.code()
	}
	var notRemembered error
	background(f.ui, func(ctx context.Context) (domain.Product, error) {
		if editing == nil {
			saved, err := f.ui.inv.AddProduct(ctx, p)
			if err == nil {
				notRemembered = f.ui.rememberBarcode(ctx, code, saved)
			}
			return saved, err
		}
		return f.ui.inv.UpdateProduct(ctx, p.ID, ProductUpdate{
			Name: &p.Name, Description: &p.Description, TypeID: &p.TypeID, Location: &p.Location,
			Quantity: &p.Quantity, DateIn: &p.DateIn, PeriodMonths: &p.PeriodMonths,
		})
	}, func(saved domain.Product, err error) {
		f.save.Enable()
		if err != nil {
			f.onStoreError(err)
			return
		}
		f.ui.prefs.SetInt(periodKey(saved.TypeID), saved.PeriodMonths)
		f.dlg.Hide()
		f.ui.reload()
		if editing == nil {
			f.ui.afterAdd(saved) // its label, when the setting asks for it (labels.go)
		}
		if notRemembered != nil {
			f.ui.barcodeNotRemembered(notRemembered)
		}
	})
}
