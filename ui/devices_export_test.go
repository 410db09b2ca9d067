package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// This file exposes the Devices section, the pairing code dialog and the
// Join form to the external tests.

// JoinWidgets are the Join a household form's widgets.
type JoinWidgets struct {
	Server, Code, Name *widget.Entry
	Err                *widget.Label
	Join               *widget.Button
}

// JoinForm returns the Join form last opened (nil: none).
func (u *UI) JoinForm() *JoinWidgets {
	f := u.join
	if f == nil {
		return nil
	}
	return &JoinWidgets{Server: f.server, Code: f.code, Name: f.name, Err: f.errText, Join: f.join}
}

// WelcomeJoin is the welcome's Join a household button.
func (u *UI) WelcomeJoin() *widget.Button {
	u.buildScreen(tabOverview)
	return u.overview.join
}

// JoinAgain is the sync section's Join again button.
func (u *UI) JoinAgain() *widget.Button {
	u.buildScreen(tabSettings)
	return u.settingSc.sync.joinAgain
}

// SignInJoin is the signed-out sync section's Join a household button.
func (u *UI) SignInJoin() *widget.Button {
	u.buildScreen(tabSettings)
	return u.settingSc.sync.join
}

// DeviceRowWidgets are one device's widgets in Settings, Devices.
type DeviceRowWidgets struct {
	Device          Device
	Name, Details   *widget.Label
	Current         *widget.Label // "This device", hidden on the others
	Rename, Revoke  *widget.Button
	CurrentIsMarked bool
}

// DevicesWidgets are the Devices section's widgets.
type DevicesWidgets struct {
	Root                 fyne.CanvasObject
	SignedOut, Note      *widget.Label
	Add, Refresh         *widget.Button
	Calendar             *widget.Label
	CopyCalendar         *widget.Button
	CalendarBox          fyne.CanvasObject
	Rows                 []DeviceRowWidgets
	RenameEntry          *widget.Entry
	RenameSave           *widget.Button
	RenameErr            *widget.Label
	SignedInPartIsHidden bool
}

func (u *UI) DevicesWidgets() *DevicesWidgets {
	u.buildScreen(tabSettings)
	s := u.settingSc.devices
	out := &DevicesWidgets{Root: s.root, SignedOut: s.signedOut, Note: s.note, Add: s.add, Refresh: s.refresh,
		Calendar: s.calendar, CopyCalendar: s.copyCal, CalendarBox: s.calBox,
		RenameEntry: s.renameEntry, RenameSave: s.renameSave, RenameErr: s.renameErr,
		SignedInPartIsHidden: !s.signedIn.Visible()}
	for _, r := range s.rows {
		out.Rows = append(out.Rows, DeviceRowWidgets{Device: r.device, Name: r.name, Details: r.details, Current: r.current,
			Rename: r.rename, Revoke: r.revoke, CurrentIsMarked: r.current.Visible()})
	}
	return out
}

// PairingWidgets are the pairing code dialog's widgets.
type PairingWidgets struct {
	Code      string // the large code as drawn
	QR        image.Image
	QRShown   bool
	Link      *widget.Label
	Countdown *widget.Label
	NewCode   *widget.Button
	// Tick shows the countdown as it is left before the deadline.
	Tick func(left time.Duration) bool
}

// Pairing returns the pairing dialog last opened (nil: none).
func (u *UI) Pairing() *PairingWidgets {
	p := u.pairing
	if p == nil {
		return nil
	}
	return &PairingWidgets{Code: p.code.Text, QR: p.qr.Image, QRShown: p.qr.Visible(), Link: p.link, Countdown: p.countdown,
		NewCode: p.newCode, Tick: func(left time.Duration) bool { return p.tick(p.deadline.Add(-left)) }}
}

// ShowPairing opens the pairing dialog on a given code (layout tests).
func (u *UI) ShowPairing(pc PairingCode) { u.showPairing(pc) }

// OpenJoin opens the Join form (layout tests).
func (u *UI) OpenJoin(server string) { u.openJoin(server) }

// Pure helpers.
var (
	NormalizePairCode = normalizePairCode
	JoinTarget        = joinTarget
	DeviceDetails     = deviceDetails
)

// ScrollSettingsToDevices scrolls Settings so that the Devices card shows
// at the top (screenshots of a tablet's single column).
func (u *UI) ScrollSettingsToDevices() {
	u.buildScreen(tabSettings)
	root := u.settingSc.devices.root
	for _, o := range test.LaidOutObjects(u.win.Canvas().Content()) {
		sc, ok := o.(*container.Scroll)
		if !ok || !holds(sc.Content, root) {
			continue
		}
		d := fyne.CurrentApp().Driver()
		y := d.AbsolutePositionForObject(root).Y - d.AbsolutePositionForObject(sc.Content).Y
		sc.ScrollToOffset(fyne.NewPos(0, max(0, y-3*theme.Padding()-theme.TextSize()*2)))
		return
	}
}

// holds tells whether o is under parent.
func holds(parent, o fyne.CanvasObject) bool {
	for _, x := range test.LaidOutObjects(parent) {
		if x == o {
			return true
		}
	}
	return false
}
