package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// FormBarcode returns the add form's barcode field, its note, and the
// field as the canvas sees it (nil when no add form is open).
func (u *UI) FormBarcode() (*widget.Entry, *widget.Label, fyne.Focusable) {
	if u.form == nil || u.form.barcode == nil {
		return nil, nil, nil
	}
	b := u.form.barcode
	return &b.entry.Entry, b.note, b.entry
}
