package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
)

// This file exposes the date picker, the form's deadline and hint, the
// history lines and the formatting helpers to the tests of
// fr_*_test.go and form_*_test.go.

// FrPicker is the date picker last opened from the form's date field.
type FrPicker struct {
	Title *widget.Label
	Days  []*widget.Button // the 42 day cells, in reading order
	Prev  *widget.Button
	Next  *widget.Button
	// Names are the day names' row, first column first.
	Names []string
	p     *datePicker
}

// FrFormPicker returns the picker the product form's date field opened
// last, or nil.
func (u *UI) FrFormPicker() *FrPicker {
	if u.form == nil || u.form.dateIn.lastPicker == nil {
		return nil
	}
	p := u.form.dateIn.lastPicker
	out := &FrPicker{Title: p.title, Days: p.days, Prev: p.prev, Next: p.next, p: p}
	for i := range 7 {
		out.Names = append(out.Names, weekdayShort(p.weekday(i)))
	}
	return out
}

// TodayMarked reports whether cell i carries the ring that marks today.
func (p *FrPicker) TodayMarked(i int) bool { return p.p.rings[i].Visible() && p.p.days[i].Visible() }

// CellMinSize is the minimum size of day cell i.
func (p *FrPicker) CellMinSize(i int) fyne.Size { return p.p.grid.Objects[i].MinSize() }

// FormDeadline is the deadline the form shows live.
func (u *UI) FormDeadline() string { return u.form.deadline.Text }

// FormHint is the note under the form's fields.
func (u *UI) FormHint() string {
	return u.form.body.Objects[len(u.form.body.Objects)-1].(*widget.Label).Text
}

// FormBody is the form's scrolled content, and the dialog holding it.
func (u *UI) FormBody() (body, scroll fyne.CanvasObject) { return u.form.body, u.form.scroll }

// HistoryLines builds the history section for entries and returns its labels.
func (u *UI) HistoryLines(entries []HistoryEntry) []*widget.Label {
	var out []*widget.Label
	for _, o := range u.historySection(entries).Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l)
		}
	}
	return out
}

// Formatting helpers, in the language in use.
var (
	FormatDate    = formatDate
	ParseDate     = parseDate
	FormatInt     = formatInt
	FormatPercent = formatPercent
	FormatNumber  = formatNumber
	PluralL       = pluralL
)

// SetDateFormat applies a date display choice as the Settings select does.
func SetDateFormat(choice string) { setDateFormat(choice) }

// DateFormatChoice is the Settings screen's date format select.
func (u *UI) DateFormatChoice() *widget.Select {
	u.buildScreen(tabSettings)
	return u.settingSc.dateFormat
}

// FormEdit opens the product form on the product id, as the details'
// Edit button does; it reports false when the products screen has no such
// row.
func (u *UI) FormEdit(id uuid.UUID) bool {
	for i := range u.products.rows {
		if r := u.products.rows[i]; r.ID == id {
			u.openProductForm(&r.ProductRow, nil)
			return true
		}
	}
	return false
}

// FrOpenDetails opens a product's details dialog, history included.
func (u *UI) FrOpenDetails(id uuid.UUID) { u.openProductDetails(id) }

// CellGap is the space between day cell i and the cell on its right.
func (p *FrPicker) CellGap(i int) float32 {
	a, b := p.p.grid.Objects[i], p.p.grid.Objects[i+1]
	return b.Position().X - (a.Position().X + a.Size().Width)
}
