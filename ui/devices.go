package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// maxDeviceName is the longest device name the app offers to send, in
// characters (the server checks it too).
const maxDeviceName = 60

// devicesSection is the Settings card listing the household's devices
// (each token is one), with Rename, Remove for the others, Add a device
// (a pairing code) and the calendar link. Signed out, it says to sign in
// first. The list is read when the device signs in, when Settings is
// opened and after each change, never on the UI goroutine.
type devicesSection struct {
	ui *UI

	root      fyne.CanvasObject
	signedOut *widget.Label
	signedIn  *fyne.Container
	list      *fyne.Container // one block per device
	note      *widget.Label   // "Reading the devices…" or why they cannot be read
	add       *widget.Button
	refresh   *widget.Button
	calendar  *widget.Label
	copyCal   *widget.Button
	calHint   *widget.Label
	calBox    *fyne.Container

	devices []Device
	rows    []deviceRow
	feed    Feed

	renameEntry *widget.Entry // the rename dialog last opened (tests)
	renameSave  *widget.Button
	renameErr   *widget.Label
	shownFor    bool // the list was read for the signed-in state shown
	loading     bool
}

// deviceRow holds one device's widgets (tests tap them).
type deviceRow struct {
	device  Device
	name    *widget.Label
	current *widget.Label
	details *widget.Label
	rename  *widget.Button
	revoke  *widget.Button // nil for this device
}

// devicesData is what one read of the section brings.
type devicesData struct {
	devices []Device
	feed    Feed
	feedErr error
}

func (s *devicesSection) build() fyne.CanvasObject {
	u := s.ui
	if u.sync == nil {
		s.root = syncNotSetUp()
		return s.root
	}
	s.signedOut = widget.NewLabel(lang.L("devices.signed_out"))
	s.signedOut.Wrapping = fyne.TextWrapWord
	s.list = container.NewVBox()
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	s.add = &widget.Button{Text: lang.L("devices.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAdd}
	s.refresh = &widget.Button{Text: lang.L("devices.refresh"), Icon: theme.ViewRefreshIcon(), OnTapped: s.load}
	s.calendar = widget.NewLabel("")
	s.calendar.Wrapping = fyne.TextWrapBreak // a link has no spaces to wrap at
	s.calendar.Selectable = true
	s.copyCal = &widget.Button{Text: lang.L("devices.copy"), Icon: theme.ContentCopyIcon(), OnTapped: s.onCopyCalendar}
	s.calHint = widget.NewLabel("")
	s.calHint.Wrapping = fyne.TextWrapWord
	s.calBox = container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("devices.calendar"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.calHint, s.calendar, container.NewHBox(s.copyCal))
	s.calBox.Hide()
	s.signedIn = container.NewVBox(s.list, s.note, widget.NewSeparator(), container.NewHBox(s.add, s.refresh), s.calBox)
	s.root = container.NewVBox(s.signedOut, s.signedIn)
	s.show(u.syncStatus)
	return s.root
}

// show follows the sign-in state: the list is read on signing in and
// dropped on signing out, or when this device was removed from the
// household (it is read again once the device joins again).
func (s *devicesSection) show(st SyncStatus) {
	if s.signedIn == nil {
		return // no syncer
	}
	removed := st.Err != nil && st.Err.Kind == SyncErrRemoved
	if !st.SignedIn || removed {
		s.forget()
	}
	if !st.SignedIn {
		s.signedIn.Hide()
		s.signedOut.Show()
		return
	}
	s.signedOut.Hide()
	s.signedIn.Show()
	if removed {
		s.setNote(syncErrText(st.Err))
		s.add.Disable()
		return
	}
	s.add.Enable()
	if !s.shownFor {
		s.shownFor = true
		s.load()
	}
}

// load reads the devices and the calendar link in the background.
func (s *devicesSection) load() {
	u := s.ui
	if u.sync == nil || !u.syncStatus.SignedIn || s.loading {
		return
	}
	s.loading = true
	s.refresh.Disable()
	if len(s.devices) == 0 {
		s.setNote(lang.L("devices.loading"))
	}
	background(u, func(ctx context.Context) (devicesData, error) {
		list, err := u.sync.Devices(ctx)
		if err != nil {
			return devicesData{}, err
		}
		feed, ferr := u.sync.CalendarFeed(ctx)
		return devicesData{devices: list, feed: feed, feedErr: ferr}, nil
	}, func(d devicesData, err error) {
		s.loading = false
		s.refresh.Enable()
		if err != nil {
			fyne.LogError("devices", err)
			if e := (*SyncErr)(nil); errors.As(err, &e) && e.Kind == SyncErrRemoved {
				s.forget()
			}
			s.setNote(syncErrText(err))
			return
		}
		s.setNote("")
		s.devices = d.devices
		if d.feedErr != nil {
			fyne.LogError("calendar feed", d.feedErr)
		} else {
			s.feed = d.feed
		}
		s.showList()
	})
}

// forget drops the list and the calendar link shown: they are another
// account's, or this device no longer belongs to the household.
func (s *devicesSection) forget() {
	s.devices, s.feed, s.shownFor = nil, Feed{}, false
	s.showList()
}

func (s *devicesSection) setNote(text string) {
	s.note.SetText(text)
	if text == "" {
		s.note.Hide()
	} else {
		s.note.Show()
	}
}

// showList makes the devices' blocks again (a household has a handful).
func (s *devicesSection) showList() {
	s.list.RemoveAll()
	s.rows = s.rows[:0]
	now := s.ui.inv.Now()
	for i, d := range s.devices {
		if i > 0 {
			s.list.Add(widget.NewSeparator())
		}
		r := s.newRow(d, now)
		s.rows = append(s.rows, r)
		s.list.Add(r.block())
	}
	if s.feed.CalendarURL != "" {
		s.calendar.SetText(s.feed.CalendarURL)
		s.copyCal.SetText(lang.L("devices.copy"))
		s.calHint.SetText(pluralL("devices.calendar_hint", s.feed.AlarmDays, map[string]any{"Days": s.feed.AlarmDays}))
		s.calBox.Show()
	} else {
		s.calBox.Hide()
	}
	s.root.Refresh()
}

func (s *devicesSection) newRow(d Device, now time.Time) deviceRow {
	r := deviceRow{device: d}
	r.name = widget.NewLabelWithStyle(d.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.name.Wrapping = fyne.TextWrapWord
	r.current = widget.NewLabelWithStyle(lang.L("devices.this_device"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	r.current.Importance = widget.SuccessImportance
	if !d.Current {
		r.current.Hide()
	}
	r.details = widget.NewLabel(deviceDetails(d, now))
	r.details.Wrapping = fyne.TextWrapWord
	r.rename = &widget.Button{Text: lang.L("devices.rename"), Icon: theme.DocumentCreateIcon(), OnTapped: func() { s.onRename(d) }}
	if !d.Current {
		r.revoke = &widget.Button{Text: lang.L("devices.revoke"), Icon: theme.DeleteIcon(), Importance: widget.DangerImportance,
			OnTapped: func() { s.onRevoke(d) }}
	}
	return r
}

// block lays a device out: its name (and "This device"), when it was
// added, last synced and its version, then its buttons on their own line
// (whole on a narrow window).
func (r deviceRow) block() fyne.CanvasObject {
	buttons := container.NewHBox(r.rename)
	if r.revoke != nil {
		buttons.Add(r.revoke)
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, r.current, r.name), r.details, buttons)
}

// deviceDetails is "Added 12/06/2026 · last sync today 14:05 · version
// 0.1.0".
func deviceDetails(d Device, now time.Time) string {
	last := lang.L("devices.never")
	if !d.LastSync.IsZero() {
		last = whenText(d.LastSync, now)
	}
	version := d.AppVersion
	if version == "" {
		version = lang.L("devices.unknown_version")
	}
	return lang.L("devices.details", map[string]any{"Created": formatDate(domain.DateOf(d.Created.Local())),
		"LastSync": last, "Version": version})
}

// onRevoke asks, then removes another device from the household.
func (s *devicesSection) onRevoke(d Device) {
	u := s.ui
	u.confirm(lang.L("devices.revoke_title", map[string]any{"Name": d.Name}), lang.L("devices.revoke_text", map[string]any{"Name": d.Name}),
		lang.L("devices.revoke"), true, func() {
			background(u, func(ctx context.Context) (struct{}, error) {
				return struct{}{}, u.sync.RevokeDevice(ctx, d.ID)
			}, func(_ struct{}, err error) {
				if err != nil {
					u.showSyncError(lang.L("devices.title"), err)
				}
				s.load() // removed, or already gone: the list as the server has it
			})
		})
}

// onRename asks for a device's new name.
func (s *devicesSection) onRename(d Device) {
	u := s.ui
	entry := newEscEntry(u, false)
	entry.SetText(d.Name)
	errText := errLabel()
	var dlg *dialog.CustomDialog
	var save *widget.Button
	onSave := func() {
		name, msg := checkDeviceName(entry.Text)
		setErr(errText, msg)
		if msg != "" {
			return
		}
		save.Disable()
		background(u, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, u.sync.RenameDevice(ctx, d.ID, name)
		}, func(_ struct{}, err error) {
			save.Enable()
			if err != nil {
				setErr(errText, syncErrText(err))
				return
			}
			dlg.Hide()
			s.load()
		})
	}
	save = &widget.Button{Text: lang.L("action.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: onSave}
	entry.OnSubmitted = func(string) { onSave() }
	dlg = dialog.NewCustomWithoutButtons(lang.L("devices.rename_title"), container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("devices.name")), container.NewVBox(entry, errText)), u.win)
	dlg.SetButtons([]fyne.CanvasObject{&widget.Button{Text: lang.L("action.cancel"), OnTapped: dlg.Hide}, save})
	dlg.Resize(fyne.NewSize(min(480, u.win.Canvas().Size().Width-40), dlg.MinSize().Height))
	s.renameEntry, s.renameSave, s.renameErr = &entry.Entry, save, errText
	u.showDialog(dlg)
	u.win.Canvas().Focus(entry)
}

// checkDeviceName trims a typed device name; msg says what is wrong.
func checkDeviceName(text string) (name, msg string) {
	name = strings.Join(strings.Fields(text), " ")
	switch {
	case name == "":
		return "", lang.L("devices.err.name")
	case len([]rune(name)) > maxDeviceName:
		return "", lang.L("devices.err.name_long", map[string]any{"Max": maxDeviceName})
	}
	return name, ""
}

func (s *devicesSection) onCopyCalendar() {
	s.ui.app.Clipboard().SetContent(s.feed.CalendarURL)
	s.copyCal.SetText(lang.L("devices.copied"))
}

// showSyncError tells the person in words why a call to the server
// failed, and logs it.
func (u *UI) showSyncError(title string, err error) {
	fyne.LogError(title, err)
	u.showInfo(title, syncErrText(err))
}
