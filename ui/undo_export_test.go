package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
)

// This file exposes the undo bar, the keyboard and the trends' Other bar to
// the external tests (ui_test).

// SearchFocusable is the products search field as the canvas sees it.
func (u *UI) SearchFocusable() fyne.Focusable { return u.products.search }

// UndoBar returns the undo bar's message, its Undo button and whether the
// bar shows.
func (u *UI) UndoBar() (text string, undo *widget.Button, shown bool) {
	b := u.undo
	return b.msg.Text, b.undoBtn, b.bar.Visible()
}

// ExpireUndo runs what the bar's timer runs when its time is up.
func (u *UI) ExpireUndo() { u.undo.expire(u.undo.gen) }

// UndoLayer is the layer the bar floats in.
func (u *UI) UndoLayer() fyne.CanvasObject { return u.undo.layer }

// OpenDetails opens a product's details dialog.
func (u *UI) OpenDetails(id uuid.UUID) { u.openProductDetails(id) }

// TakeOut is what every Eaten and Discarded button calls.
var TakeOut = (*UI).takeOut

// PerTypeOther returns the note under the per-type chart ("" when hidden)
// and the first series' values.
func (u *UI) PerTypeOther() (note string, values []float64) {
	s := u.trends
	if s.other.Visible() {
		note = s.other.Text
	}
	if len(s.perType.Series) > 0 {
		values = s.perType.Series[0].Values
	}
	return note, values
}
