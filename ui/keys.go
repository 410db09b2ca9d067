package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The app's keyboard: Ctrl+N (a new product), Ctrl+F (search), Ctrl+R
// (sync now) and F1 (About and Help) from any focus; Escape closes the top
// dialog; Return presses the top dialog's default button; Ctrl+Z outside
// text fields presses the undo bar's Undo.
//
// Fyne gives a shortcut to the focused widget when it handles shortcuts
// (every Entry does) and to the canvas only otherwise, and an Entry drops
// the shortcuts it does not know. So the canvas shortcuts cover the window
// when no field has the focus, and the app's entries hand the rest to
// globalShortcut (shortcutEntry here; escEntry and its kin in entries.go).

// appKey is one of the app's shortcuts; overDialogs says it also works
// while a dialog is open (a new product or the search would open under, or
// over, what the person is doing there: Escape first).
type appKey struct {
	key         fyne.KeyName
	run         func()
	overDialogs bool
}

// appKeys are the app's own shortcuts (Cmd instead of Ctrl on macOS).
func (u *UI) appKeys() []appKey {
	return []appKey{
		{key: fyne.KeyN, run: u.onNewProduct},
		{key: fyne.KeyF, run: u.onSearch},
		{key: fyne.KeyR, run: u.onSync, overDialogs: true},
	}
}

// runKey runs k unless a dialog is open and k waits for it to close.
func (u *UI) runKey(k appKey) {
	if len(u.dialogs) == 0 || k.overDialogs {
		k.run()
	}
}

func appShortcut(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// bindKeys registers the app's shortcuts on the window's canvas and its
// handler for unmodified keys (Escape, Return, F1), used when no field has
// the focus.
func (u *UI) bindKeys() {
	c := u.win.Canvas()
	for _, k := range u.appKeys() {
		c.AddShortcut(appShortcut(k.key), func(fyne.Shortcut) { u.runKey(k) })
	}
	// Ctrl+Z presses the undo bar's Undo (a text field keeps its own).
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { u.undo.onUndo() })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { u.globalKey(ev) })
	c.SetOnTypedRune(u.scanRune) // a scanner types a code, then Return (scan.go)
}

// globalShortcut runs s when it is one of the app's shortcuts and reports
// whether it was. The app's entries call it first from TypedShortcut, so
// Ctrl+N, Ctrl+F and Ctrl+R work while a text field has the focus:
//
//	func (e *myEntry) TypedShortcut(s fyne.Shortcut) {
//		if !e.ui.globalShortcut(s) {
//			e.Entry.TypedShortcut(s)
//		}
//	}
func (u *UI) globalShortcut(s fyne.Shortcut) bool {
	if s == nil {
		return false
	}
	for _, k := range u.appKeys() {
		if s.ShortcutName() == appShortcut(k.key).ShortcutName() {
			u.runKey(k)
			return true
		}
	}
	return false
}

// globalKey handles the unmodified keys meant for the window rather than
// a field: Escape closes the top dialog, Return and Enter press its default
// button, F1 opens About and Help. It reports whether it used the key.
func (u *UI) globalKey(ev *fyne.KeyEvent) bool {
	if u.scanKey(ev) { // a scanned code's Return opens it, and confirms no dialog
		return true
	}
	switch ev.Name {
	case fyne.KeyEscape:
		if len(u.dialogs) == 0 {
			return false
		}
		u.closeTopDialog()
	case fyne.KeyReturn, fyne.KeyEnter:
		return u.confirmTopDialog()
	case fyne.KeyF1:
		u.showAbout()
	default:
		return false
	}
	return true
}

// confirmTopDialog runs the top dialog's default action (see
// showDialogWithDefault) and reports whether it had one.
func (u *UI) confirmTopDialog() bool {
	n := len(u.dialogs)
	if n == 0 {
		return false
	}
	run := u.dialogDefault[u.dialogs[n-1]]
	if run == nil {
		return false
	}
	run()
	return true
}

// showDialogWithDefault shows d like showDialog; Return (when no field has
// the focus) runs onReturn, the dialog's default button.
func (u *UI) showDialogWithDefault(d dialog.Dialog, onReturn func()) {
	if u.dialogDefault == nil {
		u.dialogDefault = map[dialog.Dialog]func(){}
	}
	u.dialogDefault[d] = onReturn
	u.showDialog(d)
}

// shortcutEntry is a text field that lets the app's shortcuts and F1
// through (the products screen's search field).
type shortcutEntry struct {
	widget.Entry
	ui *UI
}

func newShortcutEntry(u *UI) *shortcutEntry {
	e := &shortcutEntry{ui: u}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut implements fyne.Shortcutable: the app's shortcuts first.
func (e *shortcutEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.ui.globalShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

// TypedKey implements fyne.Focusable: F1 opens About and Help.
func (e *shortcutEntry) TypedKey(k *fyne.KeyEvent) {
	if e.ui.scanEntry(&e.Entry, k) { // a code typed or scanned in the search field opens it
		return
	}
	if k.Name == fyne.KeyF1 {
		e.ui.showAbout()
		return
	}
	e.Entry.TypedKey(k)
}
