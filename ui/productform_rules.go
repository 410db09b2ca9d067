package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"github.com/google/uuid"

	"freezer/domain"
)

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
		case (f.editing == nil || f.editing.Inside()) && f.ui.slotTaken(domain.Location{FreezerID: fr.ID, Box: box, Slot: slot}, f.editing):
			// Known taken from the rows in memory: said before Save, and
			// gone as soon as another slot is chosen.
			errs[domain.FieldLocation] = lang.L("form.err.slot_taken", map[string]any{"Box": box, "Next": f.ui.nextFreeSlot(fr.ID, box, f.editing)})
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
		errs[domain.FieldDateIn] = lang.L("form.err.date", map[string]any{"Today": formatDate(today)})
	} else {
		p.DateIn = d
		if p.DateIn.After(today) {
			errs[domain.FieldDateIn] = lang.L("form.err.date_future", map[string]any{"Date": formatDate(p.DateIn), "Today": formatDate(today)})
		}
	}
	m, err := strconv.Atoi(strings.TrimSpace(f.period.Text))
	if err != nil || m < domain.MinPeriodMonths || m > domain.MaxPeriodMonths {
		errs[domain.FieldPeriod] = lang.L("form.err.period", map[string]any{"Min": domain.MinPeriodMonths, "Max": domain.MaxPeriodMonths})
	}
	p.PeriodMonths = m
	if f.barcode != nil {
		if msg := f.barcode.problem(); msg != "" {
			errs[domain.FieldCode] = msg
		}
	}
	return p, errs
}

// onChanged follows a change of field: the deadline is computed again, and
// the field's message, if one is shown, is checked again, so it goes as
// soon as the value is right (and says what is wrong now if it still is).
// Fields the person has not got to yet show nothing until Save.
func (f *productForm) onChanged(field string) {
	if f.deadline == nil || f.dateIn == nil || f.period == nil {
		return // still making the fields
	}
	f.showDeadline()
	l, ok := f.errs[field]
	if !ok || !l.Visible() {
		return
	}
	_, errs := f.product()
	if msg, bad := errs[field]; bad {
		l.SetText(msg)
	} else {
		l.SetText("")
		l.Hide()
	}
	if f.dlg != nil {
		f.fit() // the form is shorter without the message
	}
}

// showDeadline writes the deadline the date in and the period give, or
// nothing while either is not valid.
func (f *productForm) showDeadline() {
	d, ok := f.dateIn.Date()
	m, err := strconv.Atoi(strings.TrimSpace(f.period.Text))
	if !ok || err != nil || m < domain.MinPeriodMonths || m > domain.MaxPeriodMonths {
		f.deadline.SetText("")
		return
	}
	p := domain.Product{DateIn: d, PeriodMonths: m}
	f.deadline.SetText(lang.L("form.deadline", map[string]any{"Date": formatDate(p.Deadline())}))
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

// slotTaken reports whether a product inside, other than the one being
// edited, is at l, from the rows in memory.
func (u *UI) slotTaken(l domain.Location, editing *ProductRow) bool {
	for i := range u.products.rows {
		r := &u.products.rows[i]
		if (editing == nil || r.ID != editing.ID) && r.Inside() && r.Location == l {
			return true
		}
	}
	return false
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
