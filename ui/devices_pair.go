package ui

import (
	"context"
	"fmt"
	"image"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"
)

// maxPairingValidity bounds how long a code is shown as valid, whatever
// the server's clock says (codes live 10 minutes).
const maxPairingValidity = 10 * time.Minute

// pairingDialog shows a pairing code for a new device: the 8 characters in
// large type, a QR code of the pairing link, the server's address, the
// link with a copy button, and the time left, counting down each second.
type pairingDialog struct {
	ui  *UI
	dlg *dialog.CustomDialog

	pc        PairingCode
	deadline  time.Time // on this device's clock
	code      *canvas.Text
	qr        *canvas.Image
	qrImage   image.Image
	link      *widget.Label
	copyLink  *widget.Button
	countdown *widget.Label
	newCode   *widget.Button
	expired   bool

	stopOnce sync.Once
	done     chan struct{}
}

// onAdd asks the server for a pairing code and shows it.
func (s *devicesSection) onAdd() {
	u := s.ui
	s.add.Disable()
	background(u, func(ctx context.Context) (PairingCode, error) {
		return u.sync.NewPairingCode(ctx)
	}, func(pc PairingCode, err error) {
		s.add.Enable()
		if err != nil {
			u.showSyncError(lang.L("devices.add"), err)
			return
		}
		u.showPairing(pc)
		s.load() // a device may have joined since: the list as it is now
	})
}

// showPairing opens the pairing code's dialog; the countdown runs until
// the code expires or the dialog closes.
func (u *UI) showPairing(pc PairingCode) {
	img, err := qrImage(pc.Link)
	if err != nil {
		u.showError(fmt.Errorf("pairing code's QR code: %w", err))
		return
	}
	p := &pairingDialog{ui: u, pc: pc, qrImage: img, done: make(chan struct{})}
	validity := min(max(time.Until(pc.Expires), 0), maxPairingValidity)
	p.deadline = time.Now().Add(validity)
	content := p.build()
	p.dlg = dialog.NewCustomWithoutButtons(lang.L("devices.add"), content, u.win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.newCode, &widget.Button{Text: lang.L("action.close"), OnTapped: p.dlg.Hide}})
	u.pairing = p
	u.showDialogWithDefault(p.dlg, p.dlg.Hide)
	p.dlg.SetOnClosed(func() { u.forgetDialog(p.dlg); p.stop() })
	p.tick(time.Now())
	if !u.opts.Synchronous { // tests call tick themselves
		p.run()
	}
}

func (p *pairingDialog) build() fyne.CanvasObject {
	u := p.ui
	width := min(480, max(260, u.win.Canvas().Size().Width-80))
	wrapped := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	steps := wrapped(lang.L("devices.pair_steps"))
	p.code = canvas.NewText(p.pc.Code, theme.Color(theme.ColorNameForeground))
	p.code.TextSize = theme.Size(theme.SizeNameHeadingText) * 1.6
	p.code.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	p.code.Alignment = fyne.TextAlignCenter
	p.qr = canvas.NewImageFromImage(p.qrImage)
	p.qr.FillMode = canvas.ImageFillContain
	p.qr.ScaleMode = canvas.ImageScalePixels // sharp modules
	side := min(width, max(220, width*0.55)) // a phone's camera reads it at arm's length
	p.qr.SetMinSize(fyne.NewSize(side, side))
	server := wrapped(lang.L("devices.pair_server", map[string]any{"Server": u.syncStatus.Server}))
	p.link = widget.NewLabel(p.pc.Link)
	p.link.Wrapping = fyne.TextWrapBreak
	p.link.Selectable = true
	p.copyLink = &widget.Button{Text: lang.L("devices.copy_link"), Icon: theme.ContentCopyIcon(), OnTapped: p.onCopy}
	p.countdown = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.countdown.Wrapping = fyne.TextWrapWord
	p.newCode = &widget.Button{Text: lang.L("devices.new_code"), Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance, OnTapped: p.onNewCode}
	p.newCode.Hide()
	body := container.NewVBox(steps, p.code, container.NewCenter(p.qr), p.countdown, server, p.link, container.NewHBox(p.copyLink))
	return container.New(&fixedWidth{width: width}, body)
}

// tick shows the time left at now; at the deadline the code and its QR
// code give way to "expired" and New code. It reports whether the code is
// still valid.
func (p *pairingDialog) tick(now time.Time) bool {
	left := p.deadline.Sub(now)
	if left > 0 {
		secs := int((left + time.Second - 1) / time.Second) // 9:59.4 left shows 10:00: never "0:00" while valid
		p.countdown.SetText(lang.L("devices.pair_valid", map[string]any{"Time": fmt.Sprintf("%d:%02d", secs/60, secs%60)}))
		return true
	}
	if !p.expired {
		p.expired = true
		p.countdown.SetText(lang.L("devices.pair_expired"))
		p.countdown.Importance = widget.DangerImportance
		p.countdown.Refresh()
		p.code.Color = theme.Color(theme.ColorNameDisabled)
		p.code.Refresh()
		p.qr.Hide()
		p.copyLink.Disable()
		p.newCode.Show()
	}
	return false
}

// run counts down each second until the code expires, the dialog closes
// or the UI closes.
func (p *pairingDialog) run() {
	u := p.ui
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				u.do(func() {
					if !p.tick(time.Now()) {
						p.stop()
					}
				})
			case <-p.done:
				return
			case <-u.ctx.Done():
				return
			}
		}
	}()
}

func (p *pairingDialog) stop() { p.stopOnce.Do(func() { close(p.done) }) }

func (p *pairingDialog) onCopy() {
	p.ui.app.Clipboard().SetContent(p.pc.Link)
	p.copyLink.SetText(lang.L("devices.copied"))
}

// onNewCode closes the expired code and asks for another.
func (p *pairingDialog) onNewCode() {
	p.dlg.Hide()
	p.ui.settingSc.devices.onAdd()
}

// qrImage draws link as a QR code (black on white, with its quiet zone,
// whatever the theme: scanners expect it so).
func qrImage(link string) (image.Image, error) {
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	return q.Image(-8), nil // 8 px a module: a pairing link needs about 33 modules with the zone
}
