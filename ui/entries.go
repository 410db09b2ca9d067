package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne sends keys to the focused widget, and an unmodified Escape never
// reaches the canvas or a shortcut while a text field has focus. These
// entries hand Escape to the UI so it closes the dialog they sit in.

type escEntry struct {
	widget.Entry
	onEsc func()
}

func newEscEntry(u *UI, multiLine bool) *escEntry {
	e := &escEntry{onEsc: u.closeTopDialog}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.onEsc()
		return
	}
	e.Entry.TypedKey(k)
}

type escSelectEntry struct {
	widget.SelectEntry
	onEsc func()
}

func newEscSelectEntry(u *UI, options []string) *escSelectEntry {
	e := &escSelectEntry{onEsc: u.closeTopDialog}
	e.ExtendBaseWidget(e)
	e.SetOptions(options)
	return e
}

func (e *escSelectEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.onEsc()
		return
	}
	e.SelectEntry.TypedKey(k)
}

// isoDate is how every screen writes a date (domain.Date's form).
const isoDate = "2006-01-02"

// isoDateEntry is a date field that shows and accepts YYYY-MM-DD, as every
// other screen writes dates (Fyne's DateEntry follows the locale: 11/24/2026),
// with a calendar button that opens a picker.
type isoDateEntry struct {
	escEntry
	picker *widget.Button
	popUp  *widget.PopUp
}

func newISODateEntry(u *UI) *isoDateEntry {
	e := &isoDateEntry{}
	e.onEsc = func() {
		if e.popUp != nil && e.popUp.Visible() { // Escape closes the calendar first
			e.popUp.Hide()
			return
		}
		u.closeTopDialog()
	}
	e.PlaceHolder = lang.L("form.date_placeholder")
	e.Validator = func(s string) error {
		_, err := time.Parse(isoDate, strings.TrimSpace(s))
		return err
	}
	e.picker = &widget.Button{Icon: theme.CalendarIcon(), Importance: widget.LowImportance, OnTapped: e.openCalendar}
	e.ActionItem = e.picker
	e.ExtendBaseWidget(e)
	return e
}

// Date is the date typed or picked; ok is false when the text is not a
// YYYY-MM-DD date.
func (e *isoDateEntry) Date() (d time.Time, ok bool) {
	d, err := time.Parse(isoDate, strings.TrimSpace(e.Text))
	return d, err == nil
}

// SetDate writes d in the field.
func (e *isoDateEntry) SetDate(d time.Time) { e.SetText(d.Format(isoDate)) }

// openCalendar shows a month calendar under the field, on the month of the
// date in the field (or today's).
func (e *isoDateEntry) openCalendar() {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil {
		return
	}
	start, ok := e.Date()
	if !ok {
		start = time.Now()
	}
	cal := widget.NewCalendar(start, func(d time.Time) {
		e.SetDate(d)
		if e.popUp != nil {
			e.popUp.Hide()
		}
	})
	e.popUp = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
	pos = pos.Add(fyne.NewPos(0, e.Size().Height))
	size := fyne.NewSize(max(e.Size().Width, cal.MinSize().Width), cal.MinSize().Height)
	if cs := c.Size(); pos.Y+size.Height > cs.Height { // no room below: open above the field
		pos.Y = max(0, pos.Y-e.Size().Height-size.Height)
	}
	e.popUp.ShowAtPosition(pos)
	e.popUp.Resize(size)
}
