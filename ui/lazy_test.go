package ui_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"freezer/ui"
)

// TestScreensBuiltOnFirstShow: a window opened on the products screen
// builds no other screen (building all five before the first frame was
// most of the app's own start). The freezers are read all the same (the
// product form, the filter and scans use them); a sync status and a
// reload reach only the screens built; and a screen built later shows
// the state of the moment: the freezers, the signed-in sync section, the
// overview's sync line.
func TestScreensBuiltOnFirstShow(t *testing.T) {
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 170, 6)
	env := mustStartSyncUI(t, db, ts, options{screen: ui.ScreenProducts})
	u := env.u
	others := []string{ui.ScreenOverview, ui.ScreenFreezers, ui.ScreenTrends, ui.ScreenSettings}
	for _, s := range others {
		if u.ScreenBuilt(s) {
			t.Errorf("the %s screen was built before it showed", s)
		}
	}
	if !u.ScreenBuilt(ui.ScreenProducts) {
		t.Fatal("the products screen, shown, is not built")
	}
	if fs := u.Freezers(); len(fs) != 1 || fs[0].Name != "Kitchen" {
		t.Fatalf("Freezers() with the freezers screen not built = %+v, want Kitchen", fs)
	}

	// A status change and a round (which reloads every screen) while the
	// others are not built.
	if err := env.sync.SignIn(context.Background(), ts.URL, testEmail, testPassword); err != nil {
		t.Fatalf("SignIn() error = %v", err)
	}
	if err := env.sync.SyncNow(context.Background()); err != nil {
		t.Fatalf("SyncNow() error = %v", err)
	}
	for _, s := range others {
		if u.ScreenBuilt(s) {
			t.Errorf("the %s screen was built by a sync status or a reload", s)
		}
	}

	u.LayoutOpenScreen(ui.ScreenFreezers)
	if !u.ScreenBuilt(ui.ScreenFreezers) {
		t.Fatal("the freezers screen did not build when shown")
	}
	if got := texts(env.w.Canvas().Content()); !slices.Contains(got, "Kitchen") {
		t.Errorf("the freezers screen, first shown, shows %q; want the Kitchen card", got)
	}
	u.LayoutOpenScreen(ui.ScreenSettings)
	if sw := u.SyncWidgets(); !isShown(env.w, sw.SignOut) || isShown(env.w, sw.SignIn) {
		t.Errorf("the sync section, built after the sign-in: Sign out shown %t, Sign in shown %t; want signed in",
			isShown(env.w, sw.SignOut), isShown(env.w, sw.SignIn))
	}
	u.LayoutOpenScreen(ui.ScreenOverview)
	if line := u.OverviewSyncLine(); !strings.HasPrefix(line, "Sync: last sync") {
		t.Errorf("the overview's sync line, built after the sign-in and a round = %q; want its last sync", line)
	}
}
