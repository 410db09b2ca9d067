package ui

import (
	"fyne.io/fyne/v2"
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

type escDateEntry struct {
	widget.DateEntry
	onEsc func()
}

func newEscDateEntry(u *UI) *escDateEntry {
	e := &escDateEntry{onEsc: u.closeTopDialog}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

func (e *escDateEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.onEsc()
		return
	}
	e.DateEntry.TypedKey(k)
}
