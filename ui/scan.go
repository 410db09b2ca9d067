package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// Scanning labels. A USB or Bluetooth scanner types what it reads, then
// Return, like a keyboard; Fyne gives keys to the focused field, or to the
// canvas when none has the focus. So a code is read:
//   - on the window with no field focused: the canvas's runes are kept
//     (scanRune) and Return (scanKey, before the dialogs' Return) reads
//     the code among them;
//   - in the app's text fields (the search field, the dialogs' fields):
//     Return with a code in the field reads it (scanEntry) and takes the
//     code out of the field, so that the Return never submits a form or
//     confirms a dialog;
//   - in scan mode (a tablet's Scan button): a field that keeps the focus
//     between scans.
// A product's code opens the product (Eaten, Discarded, Put back at hand);
// a box's code, the box map at that box. What a scan opened, the next scan
// replaces.

// scanRune keeps a rune typed with no field focused.
func (u *UI) scanRune(r rune) {
	if len(u.labels.scan) >= 256 { // a scan is 50 runes: keep the last ones
		u.labels.scan = u.labels.scan[128:]
	}
	u.labels.scan = append(u.labels.scan, r)
}

// scanKey handles the keys of a scan typed with no field focused: Return
// reads the code typed since the last Return, if any, and reports that it
// used the key (then no dialog sees it). Escape forgets what was typed.
func (u *UI) scanKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		typed := string(u.labels.scan)
		u.labels.scan = nil
		i := codeStart(typed)
		if i < 0 {
			return false
		}
		u.onScan(typed[i:])
		return true
	case fyne.KeyBackspace:
		if n := len(u.labels.scan); n > 0 {
			u.labels.scan = u.labels.scan[:n-1]
		}
	case fyne.KeyEscape:
		u.labels.scan = nil
	}
	return false
}

// codeStart is where the last code in s starts ("FRZ:" in any case), or -1.
func codeStart(s string) int {
	for i := len(s) - len(domain.CodePrefix); i >= 0; i-- {
		if strings.EqualFold(s[i:i+len(domain.CodePrefix)], domain.CodePrefix) {
			return i
		}
	}
	return -1
}

// scanEntry is called by the app's fields on Return: when the field holds
// a code, it takes the code out (the field keeps what it held before), reads
// it, and reports true: the Return is used, nothing is submitted.
func (u *UI) scanEntry(e *widget.Entry, k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyReturn && k.Name != fyne.KeyEnter {
		return false
	}
	i := codeStart(e.Text)
	if i < 0 {
		return false
	}
	code := e.Text[i:]
	e.SetText(strings.TrimRight(e.Text[:i], " "))
	u.onScan(code)
	return true
}

// onScan opens what a scanned (or typed) code names.
func (u *UI) onScan(text string) {
	c, err := domain.ParseCode(text)
	if err != nil {
		fyne.LogError("freezer: scan", err)
		u.scanInfo(lang.L("scan.not_code"))
		return
	}
	if c.Kind == domain.CodeBox {
		u.openScannedBox(c.Freezer, c.Box)
		return
	}
	u.openScannedProduct(c.Product)
}

// openScannedProduct shows the product with its actions, in place of what
// the last scan opened.
func (u *UI) openScannedProduct(id uuid.UUID) {
	background(u, func(ctx context.Context) (productDetails, error) { return u.readProductDetails(ctx, id) }, func(d productDetails, err error) {
		switch {
		case domain.ErrorCode(err) == domain.ENotFound || err == nil && d.row.Deleted:
			u.scanInfo(lang.L("scan.unknown_product"))
		case err != nil:
			u.showError(err)
		default:
			u.closeScanDialogs(false)
			u.showProductDetails(d)
			u.markScanDialog()
		}
	})
}

// openScannedBox shows the box map of freezer at box.
func (u *UI) openScannedBox(freezer uuid.UUID, box int) {
	var f *FreezerSummary
	for i := range u.freezers {
		if u.freezers[i].ID == freezer {
			f = &u.freezers[i]
		}
	}
	switch {
	case f == nil:
		u.scanInfo(lang.L("scan.unknown_freezer"))
	case box > f.Boxes:
		u.scanInfo(lang.L("scan.no_box", map[string]any{"Freezer": f.Name, "Box": box, "Boxes": f.Boxes}))
	default:
		u.closeScanDialogs(true) // the box map shows on the window
		u.tabs.SelectIndex(tabFreezers)
		u.freezerSc.openMapAt(freezer, box)
	}
}

// scanInfo tells what a scan could not open; the next scan replaces it.
func (u *UI) scanInfo(text string) {
	u.closeScanDialogs(false)
	u.showInfo(lang.L("scan.title"), text)
	u.markScanDialog()
}

// markScanDialog marks the top dialog as opened by a scan: the next scan
// closes it. When it closes, scan mode (if open) takes the focus again.
func (u *UI) markScanDialog() {
	n := len(u.dialogs)
	if n == 0 {
		return
	}
	d := u.dialogs[n-1]
	if u.labels.scanDialogs == nil {
		u.labels.scanDialogs = map[dialog.Dialog]bool{}
	}
	u.labels.scanDialogs[d] = true
	d.SetOnClosed(func() {
		u.forgetDialog(d)
		delete(u.labels.scanDialogs, d)
		if m := u.labels.scanMode; m != nil && len(u.dialogs) > 0 && u.dialogs[len(u.dialogs)-1] == dialog.Dialog(m.dlg) {
			u.win.Canvas().Focus(m.entry)
		}
	})
}

// closeScanDialogs closes the dialogs the last scans opened, and scan mode
// too when withMode is set.
func (u *UI) closeScanDialogs(withMode bool) {
	for _, d := range append([]dialog.Dialog(nil), u.dialogs...) {
		mode := u.labels.scanMode != nil && d == dialog.Dialog(u.labels.scanMode.dlg)
		if u.labels.scanDialogs[d] || withMode && mode {
			u.forgetDialog(d)
			d.Hide()
		}
	}
}

// scanMode is the tablet's scan mode: a field that reads every scan and
// keeps the focus between them.
type scanMode struct {
	dlg   *dialog.CustomDialog
	entry *escEntry
	note  *widget.Label
}

// withScanButton puts the button that opens scan mode beside heading, on
// a tablet only (a desktop reads scans on its window).
func (u *UI) withScanButton(heading fyne.CanvasObject) fyne.CanvasObject {
	if !u.settings.Tablet {
		return heading
	}
	return container.NewBorder(nil, nil, nil, &widget.Button{Text: lang.L("scan.button"), Icon: theme.SearchIcon(), OnTapped: u.openScanMode}, heading)
}

// openScanMode opens scan mode.
func (u *UI) openScanMode() {
	m := &scanMode{entry: newEscEntry(u, false), note: widget.NewLabel(lang.L("scan.hint"))}
	m.note.Wrapping = fyne.TextWrapWord
	m.entry.SetPlaceHolder(domain.CodePrefix + "…")
	// Return with a code is read by escEntry (scanEntry); anything else
	// typed is not a code.
	m.entry.OnSubmitted = func(s string) {
		if strings.TrimSpace(s) != "" {
			m.note.SetText(lang.L("scan.not_code"))
		}
		m.entry.SetText("")
	}
	m.dlg = dialog.NewCustomWithoutButtons(lang.L("scan.title"), container.NewVBox(m.note, m.entry), u.win)
	m.dlg.SetButtons([]fyne.CanvasObject{&widget.Button{Text: lang.L("action.close"), OnTapped: func() { m.dlg.Hide() }}})
	m.dlg.Resize(fyne.NewSize(min(560, u.win.Canvas().Size().Width-20), m.dlg.MinSize().Height))
	u.labels.scanMode = m
	u.showDialog(m.dlg)
	m.dlg.SetOnClosed(func() {
		u.forgetDialog(m.dlg)
		if u.labels.scanMode == m {
			u.labels.scanMode = nil
		}
	})
	u.win.Canvas().Focus(m.entry)
}

// openMapAt shows freezer's box map scrolled to box.
func (s *freezersScreen) openMapAt(freezer uuid.UUID, box int) {
	s.showBox = box
	s.openMap(freezer)
}

// scrollToBox brings the box a scan asked for to the top of the box map,
// once the map shows.
func (s *freezersScreen) scrollToBox() {
	box := s.showBox
	s.showBox = 0
	if box < 1 || s.boxMap.layout == nil || 2*(box-1) >= len(s.boxMap.layout.Objects) {
		return
	}
	s.ui.labels.boxOpen = box
	s.mapScroll.Offset = fyne.NewPos(0, s.boxMap.layout.Objects[2*(box-1)].Position().Y)
	s.mapScroll.Refresh()
}

// freeFocusForScans gives the window the keys again when a list, a table,
// a check or a choice kept the focus (a click gives it to them on a
// desktop) and no dialog is open: they would swallow a scan's keys. Text
// fields keep the focus: they read scans (scanEntry). It runs when a
// dialog closes and when another screen shows.
func (u *UI) freeFocusForScans() {
	if len(u.dialogs) > 0 {
		return
	}
	f := u.win.Canvas().Focused()
	if f == nil {
		return
	}
	if _, text := f.(interface{ SelectedText() string }); !text {
		u.win.Canvas().Unfocus()
	}
}
