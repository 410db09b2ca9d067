package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// Fyne sends keys to the focused widget, and an unmodified Escape never
// reaches the canvas or a shortcut while a text field has focus. These
// entries hand Escape to the UI so it closes the dialog they sit in.

type escEntry struct {
	widget.Entry
	ui    *UI
	onEsc func()
}

func newEscEntry(u *UI, multiLine bool) *escEntry {
	e := &escEntry{ui: u, onEsc: u.closeTopDialog}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if e.ui.scanEntry(&e.Entry, k) { // a scanned code's Return submits nothing (scan.go)
		return
	}
	if k.Name == fyne.KeyEscape {
		e.onEsc()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut implements fyne.Shortcutable: the app's shortcuts (Ctrl+N,
// Ctrl+F, Ctrl+R) work from the field, the rest is the entry's own.
func (e *escEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.ui.globalShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

type escSelectEntry struct {
	widget.SelectEntry
	ui    *UI
	onEsc func()
}

func newEscSelectEntry(u *UI, options []string) *escSelectEntry {
	e := &escSelectEntry{ui: u, onEsc: u.closeTopDialog}
	e.ExtendBaseWidget(e)
	e.SetOptions(options)
	return e
}

func (e *escSelectEntry) TypedKey(k *fyne.KeyEvent) {
	if e.ui.scanEntry(&e.Entry, k) { // a scanned code's Return submits nothing (scan.go)
		return
	}
	if k.Name == fyne.KeyEscape {
		e.onEsc()
		return
	}
	e.SelectEntry.TypedKey(k)
}

// TypedShortcut implements fyne.Shortcutable: the app's shortcuts first.
func (e *escSelectEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.ui.globalShortcut(s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// dateEntry is a date field: it shows dates as the person chose (by
// default DD/MM/YYYY in French, YYYY-MM-DD in English) and accepts that
// form or YYYY-MM-DD, with a calendar button that opens the app's own date
// picker.
type dateEntry struct {
	escEntry
	ui         *UI
	picker     *widget.Button
	latest     *domain.Date // days after it cannot be picked (nil: no limit)
	lastPicker *datePicker  // the picker last opened (tests tap its days)
}

// newDateEntry makes a date field; when notFuture is set the picker
// refuses days after today (a date in).
func newDateEntry(u *UI, notFuture bool) *dateEntry {
	e := &dateEntry{ui: u}
	e.onEsc = u.closeTopDialog // the picker is a dialog: Escape closes it first
	if notFuture {
		today := u.today()
		e.latest = &today
	}
	e.PlaceHolder = datePlaceholder()
	e.Validator = func(s string) error {
		if _, ok := parseDate(s); !ok {
			return errors.New(lang.L("form.err.date", map[string]any{"Today": formatDate(u.today())}))
		}
		return nil
	}
	e.picker = &widget.Button{Icon: theme.CalendarIcon(), Importance: widget.LowImportance, OnTapped: e.openCalendar}
	e.ActionItem = e.picker
	e.ExtendBaseWidget(e)
	return e
}

// Date is the date typed or picked; ok is false when the text is not a date
// in the shown form or YYYY-MM-DD.
func (e *dateEntry) Date() (d domain.Date, ok bool) { return parseDate(e.Text) }

// SetDate writes d in the field, in the shown form.
func (e *dateEntry) SetDate(d domain.Date) { e.SetText(formatDate(d)) }

// openCalendar opens the date picker on the month of the date in the field
// (or today's).
func (e *dateEntry) openCalendar() {
	start, _ := e.Date()
	e.lastPicker = e.ui.openDatePicker(start, e.latest, e.SetDate)
}
