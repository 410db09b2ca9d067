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
	ptype                             *escSelectEntry
	freezer, box                      *widget.Select
	dateIn                            *isoDateEntry
	errs                              map[string]*widget.Label // by domain.Field*
	save                              *widget.Button

	typeID        int
	periodTouched bool
	slotTouched   bool
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
	f.desc = newEscEntry(u, true)
	f.desc.SetMinRowsVisible(2)
	f.ptype = newEscSelectEntry(u, f.typeOptions(""))
	f.ptype.SetPlaceHolder(lang.L("form.type_search"))
	f.ptype.OnChanged = f.onTypeText
	names := make([]string, len(u.freezers))
	for i, fr := range u.freezers {
		names[i] = fr.Name
	}
	f.freezer = widget.NewSelect(names, f.onFreezer)
	f.box = widget.NewSelect(nil, f.onBox)
	f.slot = newEscEntry(u, false)
	f.slot.OnChanged = func(string) {
		if !f.filling {
			f.slotTouched = true
		}
	}
	f.persons = newEscEntry(u, false)
	f.persons.SetText("1")
	f.dateIn = newISODateEntry(u)
	f.dateIn.SetDate(dateTime(u.today()))
	f.period = newEscEntry(u, false)
	f.period.OnChanged = func(string) {
		if !f.filling {
			f.periodTouched = true
		}
	}
	f.filling = true
	f.period.SetText(itoa(defaultPeriod))
	f.filling = false
}

// prefill fills the fields from the product being edited (its period and
// slot count as typed by the person: choosing another type or box keeps
// them), or from the location the form was opened at, or selects the first
// freezer.
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
			f.dateIn.SetDate(dateTime(p.DateIn))
			f.period.SetText(itoa(p.PeriodMonths))
		})
		f.periodTouched = true
		f.slotTouched = true
	} else if at != nil {
		f.selectFreezer(at.FreezerID)
		f.box.SetSelected(itoa(at.Box))
		if at.Slot > 0 {
			f.fill(func() { f.slot.SetText(itoa(at.Slot)) })
		}
	} else {
		f.freezer.SetSelectedIndex(0)
	}
}

// fields lays the fields out as a form, each with its label and, under
// it, a hidden message that showErrors fills when the field breaks a rule.
func (f *productForm) fields() *fyne.Container {
	var objs []fyne.CanvasObject
	objs = append(objs, f.field(domain.FieldName, lang.L("form.name"), f.name)...)
	objs = append(objs, f.field(domain.FieldType, lang.L("form.type"), f.ptype)...)
	objs = append(objs, f.field(domain.FieldLocation, lang.L("form.location"),
		container.New(rowLayout{2, 1, 1}, f.freezer, f.box, f.slot))...)
	objs = append(objs, f.field(domain.FieldDateIn, lang.L("form.date_in"), f.dateIn)...)
	objs = append(objs, f.field(domain.FieldPeriod, lang.L("form.period"), f.period)...)
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

// locationHint is the note under the form about locations.
func (f *productForm) locationHint() *widget.Label {
	hint := widget.NewLabel(lang.L("form.location_hint"))
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
		u.win.Canvas().Focus(f.name)
	}
}

// fit sizes the dialog to its content, with a comfortable minimum width,
// and keeps it inside the window (the fields scroll when the window is short).
func (f *productForm) fit() {
	width := float32(600)
	if f.ui.settings.Tablet {
		width = 740
	}
	// The dialog's MinSize counts the scroll's, so let the scroll ask for all
	// of its content for a moment to read the dialog's natural size.
	f.scroll.SetMinSize(f.body.MinSize())
	want := f.dlg.MinSize()
	f.scroll.SetMinSize(fyne.Size{})
	win := f.ui.win.Canvas().Size()
	const margin = 20 // the window's edge stays visible around the dialog
	f.dlg.Resize(fyne.NewSize(
		min(max(width, want.Width), win.Width-margin),
		min(want.Height, win.Height-margin)))
}

// fill changes fields without marking them as touched by the person.
func (f *productForm) fill(fn func()) {
	f.filling = true
	defer func() { f.filling = false }()
	fn()
}

// typeOptions lists type names in the language in use that contain text.
func (f *productForm) typeOptions(text string) []string {
	text = strings.ToLower(strings.TrimSpace(text))
	var out []string
	for _, t := range f.ui.types {
		if n := typeName(t); text == "" || strings.Contains(strings.ToLower(n), text) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
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

// onBox fills in the next free slot of the chosen box unless the person
// typed a slot.
func (f *productForm) onBox(string) {
	fr := f.currentFreezer()
	box, err := strconv.Atoi(f.box.Selected)
	if fr == nil || err != nil || f.slotTouched {
		return
	}
	slot := f.ui.nextFreeSlot(fr.ID, box, f.editing)
	f.fill(func() { f.slot.SetText(itoa(slot)) })
}

// product reads the form into a product and the rules it breaks, with
// messages in the language in use.
func (f *productForm) product() (domain.Product, map[string]string) {
	errs := map[string]string{}
	var p domain.Product
	if f.editing != nil {
		p = f.editing.Product
	}
	p.Name = strings.TrimSpace(f.name.Text)
	if p.Name == "" {
		errs[domain.FieldName] = lang.L("form.err.name")
	} else if len([]rune(p.Name)) > domain.MaxNameLength {
		errs[domain.FieldName] = lang.L("form.err.name_long", map[string]any{"Max": domain.MaxNameLength})
	}
	p.Description = f.desc.Text
	p.TypeID = f.typeID
	if p.TypeID == 0 {
		errs[domain.FieldType] = lang.L("form.err.type")
	}
	if fr := f.currentFreezer(); fr == nil {
		errs[domain.FieldLocation] = lang.L("form.err.freezer")
	} else {
		p.Location.FreezerID = fr.ID
		box, err := strconv.Atoi(f.box.Selected)
		slot, err2 := strconv.Atoi(strings.TrimSpace(f.slot.Text))
		switch {
		case err != nil || box < 1 || box > fr.Boxes:
			errs[domain.FieldLocation] = lang.L("form.err.box", map[string]any{"Boxes": fr.Boxes})
		case err2 != nil || slot < 1:
			errs[domain.FieldLocation] = lang.L("form.err.slot")
		}
		p.Location.Box, p.Location.Slot = box, slot
	}
	q, err := strconv.Atoi(strings.TrimSpace(f.persons.Text))
	if err != nil || q < 1 {
		errs[domain.FieldQuantity] = lang.L("form.err.persons")
	}
	p.Quantity = q
	today := f.ui.today()
	if d, ok := f.dateIn.Date(); !ok {
		errs[domain.FieldDateIn] = lang.L("form.err.date", map[string]any{"Today": today.String()})
	} else {
		p.DateIn = domain.DateOf(d)
		if p.DateIn.After(today) {
			errs[domain.FieldDateIn] = lang.L("form.err.date_future", map[string]any{"Date": p.DateIn.String(), "Today": today.String()})
		}
	}
	m, err := strconv.Atoi(strings.TrimSpace(f.period.Text))
	if err != nil || m < domain.MinPeriodMonths || m > domain.MaxPeriodMonths {
		errs[domain.FieldPeriod] = lang.L("form.err.period", map[string]any{"Min": domain.MinPeriodMonths, "Max": domain.MaxPeriodMonths})
	}
	p.PeriodMonths = m
	return p, errs
}

func (f *productForm) showErrors(errs map[string]string) {
	for field, l := range f.errs {
		if msg, ok := errs[field]; ok {
			l.SetText(msg)
			l.Show()
		} else {
			l.SetText("")
			l.Hide()
		}
	}
	f.fit() // messages make the form taller
}

func (f *productForm) onSave() {
	p, errs := f.product()
	f.showErrors(errs)
	if len(errs) > 0 {
		return
	}
	f.save.Disable()
	editing := f.editing
	background(f.ui, func(ctx context.Context) (domain.Product, error) {
		if editing == nil {
			return f.ui.inv.AddProduct(ctx, p)
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
	})
}

// onStoreError shows a store refusal next to the field it blames (a taken
// slot blames the location), or in a dialog.
func (f *productForm) onStoreError(err error) {
	field := domain.ErrorField(err)
	if domain.ErrorCode(err) == domain.EConflict && (field == "" || field == domain.FieldLocation) {
		// A taken slot (another device may have filled it): say so in the
		// language in use, with the next free slot from the rows in memory.
		msg := domain.ErrorMessage(err)
		if fr := f.currentFreezer(); fr != nil {
			box, _ := strconv.Atoi(f.box.Selected)
			msg = lang.L("form.err.slot_taken", map[string]any{"Box": box, "Next": f.ui.nextFreeSlot(fr.ID, box, f.editing)})
		}
		f.showErrors(map[string]string{domain.FieldLocation: msg})
		return
	}
	if _, ok := f.errs[field]; ok {
		f.showErrors(map[string]string{field: domain.ErrorMessage(err)})
		return
	}
	f.ui.showError(err)
}

// nextFreeSlot is the smallest slot of box in freezer that no product inside
// uses (other than the one being edited), from the rows in memory.
func (u *UI) nextFreeSlot(freezer uuid.UUID, box int, editing *ProductRow) int {
	var products []domain.Product
	for i := range u.products.rows {
		r := &u.products.rows[i]
		if editing != nil && r.ID == editing.ID {
			continue
		}
		if r.Location.FreezerID == freezer && r.Location.Box == box {
			products = append(products, r.Product)
		}
	}
	return domain.NextFreeSlot(products, freezer, box)
}

// rowLayout lays objects side by side: each gets its own width plus a share
// of the rest by weight. Its minimum width is the sum of theirs, where a grid
// would ask for the widest times the count (and widen the form on tablets).
type rowLayout []float32

func (l rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	var mins, weights float32
	for i, o := range objs {
		mins += o.MinSize().Width
		weights += l[i]
	}
	extra := size.Width - pad*float32(len(objs)-1) - mins
	x := float32(0)
	for i, o := range objs {
		w := o.MinSize().Width
		if extra >= 0 {
			w += extra * l[i] / weights
		} else if mins > 0 {
			w += extra * w / mins // too narrow: everyone gives up a part
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

func (l rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	s.Width += theme.Padding() * float32(max(len(objs)-1, 0))
	return s
}
