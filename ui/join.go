package ui

import (
	"context"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pairAlphabet is the pairing codes' alphabet: no 0/O, 1/I/L.
const pairAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// joinForm is "Join a household": a new device (a kitchen tablet) joins
// with a pairing code made on a signed-in device, or with the pairing
// link, and its own name. No password is typed here.
type joinForm struct {
	ui  *UI
	dlg *dialog.CustomDialog

	server, code, name *widget.Entry
	errText            *widget.Label
	join               *widget.Button
}

// openJoin opens the Join form; server pre-fills the address (the one
// this device synced with, when it joins again).
func (u *UI) openJoin(server string) {
	if u.sync == nil {
		u.showInfo(lang.L("join.title"), lang.L("sync.not_set_up"))
		return
	}
	f := &joinForm{ui: u}
	width := min(520, max(260, u.win.Canvas().Size().Width-80))
	intro := widget.NewLabel(lang.L("join.intro"))
	intro.Wrapping = fyne.TextWrapWord
	serverEntry := newEscEntry(u, false)
	serverEntry.SetPlaceHolder("https://freezer.example.org")
	serverEntry.SetText(server)
	code := newEscEntry(u, false)
	code.SetPlaceHolder(lang.L("join.code_hint"))
	name := newEscEntry(u, false)
	name.SetPlaceHolder(lang.L("join.name_hint"))
	name.SetText(DefaultDeviceName())
	f.server, f.code, f.name = &serverEntry.Entry, &code.Entry, &name.Entry
	f.errText = errLabel()
	f.join = &widget.Button{Text: lang.L("join.join"), Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: f.onJoin}
	for _, e := range []*escEntry{serverEntry, code, name} {
		e.OnSubmitted = func(string) { f.onJoin() }
	}
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("sync.server")), f.server,
		widget.NewLabel(lang.L("join.code")), f.code,
		widget.NewLabel(lang.L("join.name")), f.name)
	body := container.NewVBox(intro, form, f.errText)
	f.dlg = dialog.NewCustomWithoutButtons(lang.L("join.title"), container.New(&fixedWidth{width: width}, body), u.win)
	f.dlg.SetButtons([]fyne.CanvasObject{&widget.Button{Text: lang.L("action.cancel"), OnTapped: f.dlg.Hide}, f.join})
	u.join = f
	u.showDialog(f.dlg)
	if server == "" {
		u.win.Canvas().Focus(serverEntry)
	} else {
		u.win.Canvas().Focus(code)
	}
}

// onJoin checks the form, then pairs in the background; on success the
// device syncs at once and the form closes.
func (f *joinForm) onJoin() {
	u := f.ui
	server, code, msg := joinTarget(f.server.Text, f.code.Text)
	name := ""
	if msg == "" {
		name, msg = checkDeviceName(f.name.Text)
	}
	setErr(f.errText, msg)
	if msg != "" {
		return
	}
	f.join.Disable()
	f.join.SetText(lang.L("join.joining"))
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.sync.Pair(ctx, server, code, name)
	}, func(_ struct{}, err error) {
		f.join.Enable()
		f.join.SetText(lang.L("join.join"))
		if err != nil {
			fyne.LogError("join a household", err)
			setErr(f.errText, syncErrText(err))
			return
		}
		f.dlg.Hide()
		u.onSyncStatus(u.sync.Status())
		u.syncNow()
	})
}

// joinTarget reads the form's server and code: a pairing link pasted in
// either field is sent whole with server "" (the syncer parses it);
// otherwise the address must be a URL and the code 8 characters of the
// pairing alphabet, in any case, with or without the dash or spaces.
// msg says what to fix.
func joinTarget(serverText, codeText string) (server, code, msg string) {
	serverText, codeText = strings.TrimSpace(serverText), strings.TrimSpace(codeText)
	switch {
	case isPairLink(codeText):
		return "", codeText, ""
	case codeText == "" && isPairLink(serverText):
		return "", serverText, ""
	}
	server, err := checkServer(serverText)
	if err != nil {
		return "", "", syncErrText(err)
	}
	code, ok := normalizePairCode(codeText)
	if !ok {
		return "", "", lang.L("join.err.code")
	}
	return server, code, ""
}

// isPairLink tells a pasted link (https://host/pair/ABCD-EFGH) from a code.
func isPairLink(s string) bool {
	return strings.Contains(s, "://") && strings.Contains(s, "/pair/")
}

// normalizePairCode returns a typed code in its display form ABCD-EFGH,
// or false when it is not 8 characters of the pairing alphabet.
func normalizePairCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r > 127 || !strings.ContainsRune(pairAlphabet, r):
			return "", false
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != 8 {
		return "", false
	}
	return c[:4] + "-" + c[4:], true
}

// DefaultDeviceName is the machine's name as people read it: its host
// name without the domain ("kitchen-tablet"); the person may change it.
func DefaultDeviceName() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	h, _, _ = strings.Cut(strings.TrimSpace(h), ".")
	if h == "" || strings.EqualFold(h, "localhost") {
		return ""
	}
	return h
}
