package ui_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/sync/client"
	"freezer/ui"
)

// devicesCheck checks the Devices card and the Join buttons of the
// Settings screen (the whole screen is layout_test.go's).
func devicesCheck(t *testing.T, e *syncEnv, where string, tablet bool) {
	t.Helper()
	root := e.u.DevicesWidgets().Root
	if need, have := root.MinSize().Width, root.Size().Width; need > have+0.5 {
		t.Errorf("%s: the Devices card needs %.0f px, has %.0f", where, need, have)
	}
	for _, p := range layoutCuts(root, nil) {
		t.Errorf("%s: %s", where, p)
	}
	if !tablet {
		return
	}
	for _, p := range layoutSmallTargets(root) {
		t.Errorf("%s: %s", where, p)
	}
	for _, b := range []*widget.Button{e.u.SignInJoin(), e.u.JoinAgain()} {
		if b.Visible() && b.Size().Height < 44 {
			t.Errorf("%s: %q is %.0f px high, want at least 44 on a tablet", where, b.Text, b.Size().Height)
		}
	}
}

// TestDevicesLayoutFits opens Settings with the Devices card, the pairing
// code, the Join form, the rename dialog and the remove confirmation at
// every layout size, in English and French, with tablet mode on and off:
// nothing is wider than the window, no text is cut, and on a tablet every
// button and field is a finger high (44 px).
func TestDevicesLayoutFits(t *testing.T) {
	ctx := context.Background()
	ts := mustStartServer(t)
	h := mustHousehold(t, ts)
	if _, err := client.Pair(ctx, ts.Client(), ts.URL, h.code(t).Code, "Tablette de la cuisine", "0.9.0"); err != nil {
		t.Fatalf("Pair() error = %v", err)
	}
	pc := ui.PairingCode{Code: "ABCD-EFGH", Link: ts.URL + "/pair/ABCD-EFGH", Expires: time.Now().Add(10 * time.Minute)}
	for _, lang := range []string{"en", "fr"} {
		for _, tablet := range []bool{false, true} {
			for _, size := range layoutSizes {
				t.Run(fmt.Sprintf("%s/tablet=%v/%vx%v", lang, tablet, size.Width, size.Height), func(t *testing.T) {
					e := mustStartSyncUI(t, mustOpenDB(t), ts, options{lang: lang, tablet: tablet})
					// As the layout test: the screen is laid out afresh at the size.
					e.u.LayoutOpenScreen(ui.ScreenOverview)
					e.w.Resize(size)
					e.u.LayoutOpenScreen(ui.ScreenSettings)
					devicesCheck(t, e, "settings signed out", tablet)
					e.u.OpenJoin(ts.URL)
					layoutCheck(t, e.w, "join", nil, tablet)
					e.u.LayoutCloseDialogs()
					if sw := e.signIn(t, ts.URL, testEmail, testPassword); sw.SignErr.Visible() {
						t.Fatalf("sign-in: %q", sw.SignErr.Text)
					}
					e.u.LayoutOpenScreen(ui.ScreenOverview)
					e.u.LayoutOpenScreen(ui.ScreenSettings)
					dw := e.u.DevicesWidgets()
					if len(dw.Rows) < 3 {
						t.Fatalf("devices = %d, want this one, the household's and the tablet", len(dw.Rows))
					}
					devicesCheck(t, e, "settings devices", tablet)
					for name, open := range map[string]func(){
						"pairing": func() { e.u.ShowPairing(pc) },
						"rename":  func() { test.Tap(dw.Rows[0].Rename) },
						"remove": func() {
							for _, r := range dw.Rows {
								if r.Revoke != nil {
									test.Tap(r.Revoke)
									return
								}
							}
						},
					} {
						open()
						if e.w.Canvas().Overlays().Top() == nil {
							t.Fatalf("%s: no dialog opened", name)
						}
						layoutCheck(t, e.w, name, nil, tablet)
						e.u.LayoutCloseDialogs()
					}
				})
			}
		}
	}
}
