package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"freezer/app"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/tokens"
	"freezer/ui"
)

// newDevice is an app.Sync over its own database and token folder, as
// the desktop app makes it, with no background loop.
func newDevice(t *testing.T, hc client.Config, version string) (*app.Sync, *storage.DB) {
	t.Helper()
	db := openDB(t)
	dir := filepath.Join(t.TempDir(), "tokens")
	s, err := app.NewSync(context.Background(), db, app.SyncOptions{
		Tokens:     func() tokens.Store { return tokens.FileStore{Dir: dir} },
		Config:     hc,
		AppVersion: version,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, db
}

// TestPairSecondDeviceEndToEnd pairs a tablet with a code made by a
// signed-in laptop, through the real server: the tablet gets its own
// token and the household's data, both list each other, the laptop
// removes the tablet and the tablet's next sync says so in words, keeping
// its data.
func TestPairSecondDeviceEndToEnd(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	cfg := client.Config{HTTPClient: ts.Client()}
	laptop, ldb := newDevice(t, cfg, "0.1.0")
	if err := laptop.SignIn(ctx, ts.URL, "anne@example.org", "correct horse battery"); err != nil {
		t.Fatalf("SignIn() error = %v", err)
	}
	if _, err := ldb.CreateFreezer(ctx, "Garage", 3); err != nil {
		t.Fatal(err)
	}
	if err := laptop.SyncNow(ctx); err != nil {
		t.Fatalf("laptop SyncNow() error = %v", err)
	}

	// Signed out, the devices calls say so.
	tablet, tdb := newDevice(t, cfg, "0.2.0")
	if _, err := tablet.Devices(ctx); syncErrKind(err) != ui.SyncErrNotSignedIn {
		t.Errorf("Devices() signed out: %v, want %s", err, ui.SyncErrNotSignedIn)
	}
	if err := tablet.Pair(ctx, ts.URL, "ABCD-EFGH", "Kitchen tablet"); syncErrKind(err) != ui.SyncErrPairCode {
		t.Errorf("Pair(wrong code) = %v, want %s", err, ui.SyncErrPairCode)
	}
	if tablet.Status().SignedIn {
		t.Fatal("a wrong code signed the tablet in")
	}

	pc, err := laptop.NewPairingCode(ctx)
	if err != nil {
		t.Fatalf("NewPairingCode() error = %v", err)
	}
	if pc.Link != ts.URL+"/pair/"+pc.Code || !pc.Expires.After(ldb.Now()) {
		t.Errorf("pairing code = %+v", pc)
	}
	if err := tablet.Pair(ctx, "", pc.Link, "Kitchen tablet"); err != nil {
		t.Fatalf("Pair(link) error = %v", err)
	}
	if st := tablet.Status(); !st.SignedIn || st.Server != ts.URL {
		t.Fatalf("after Pair: signed in %v to %q", st.SignedIn, st.Server)
	}
	if err := tablet.SyncNow(ctx); err != nil {
		t.Fatalf("tablet SyncNow() error = %v", err)
	}
	if fs, err := tdb.ListFreezers(ctx); err != nil || len(fs) != 1 || fs[0].Name != "Garage" {
		t.Fatalf("tablet's freezers = %+v, %v; want the household's Garage", fs, err)
	}
	if err := tablet.Pair(ctx, "", pc.Link, "Hall tablet"); syncErrKind(err) != ui.SyncErrPairCode {
		t.Errorf("Pair(used code) = %v, want %s", err, ui.SyncErrPairCode)
	}

	// Each lists both devices and marks itself.
	ds, err := laptop.Devices(ctx)
	if err != nil {
		t.Fatalf("Devices() error = %v", err)
	}
	var tab ui.Device
	current := 0
	for _, d := range ds {
		if d.Name == "Kitchen tablet" {
			tab = d
		}
		if d.Current {
			current++
		}
	}
	if current != 1 || tab.ID == 0 || tab.Current || tab.AppVersion != "0.2.0" || tab.LastSync.IsZero() {
		t.Fatalf("laptop's list = %+v, want the laptop marked and the synced tablet (0.2.0) not", ds)
	}
	// The laptop signed in with its password: its token is named after
	// the machine (when it has a name) and carries the app's version.
	for _, d := range ds {
		if d.Current && (d.AppVersion != "0.1.0" || (ui.DefaultDeviceName() != "" && d.Name != ui.DefaultDeviceName())) {
			t.Errorf("the laptop's own entry = %+v, want %q, version 0.1.0", d, ui.DefaultDeviceName())
		}
	}
	tds, err := tablet.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range tds {
		if d.Current != (d.ID == tab.ID) {
			t.Errorf("tablet's list marks %+v wrongly", d)
		}
	}
	if err := laptop.RenameDevice(ctx, tab.ID, "Fridge tablet"); err != nil {
		t.Fatalf("RenameDevice() error = %v", err)
	}
	if ds, err := tablet.Devices(ctx); err != nil || !hasDevice(ds, "Fridge tablet") {
		t.Errorf("after RenameDevice: %+v, %v; want Fridge tablet", ds, err)
	}
	if f, err := laptop.CalendarFeed(ctx); err != nil || f.CalendarURL == "" || f.AlarmDays != 14 {
		t.Errorf("CalendarFeed() = %+v, %v", f, err)
	}

	// The laptop removes the tablet; the tablet keeps its data and is told.
	if err := laptop.RevokeDevice(ctx, tab.ID); err != nil {
		t.Fatalf("RevokeDevice() error = %v", err)
	}
	if _, err := tdb.CreateFreezer(ctx, "Cellar", 2); err != nil {
		t.Fatal(err)
	}
	err = tablet.SyncNow(ctx)
	if syncErrKind(err) != ui.SyncErrRemoved {
		t.Fatalf("removed tablet's SyncNow() = %v, want %s", err, ui.SyncErrRemoved)
	}
	if st := tablet.Status(); st.Err == nil || st.Err.Kind != ui.SyncErrRemoved {
		t.Errorf("removed tablet's status error = %+v, want %s", st.Err, ui.SyncErrRemoved)
	}
	if fs, _ := tdb.ListFreezers(ctx); len(fs) != 2 {
		t.Errorf("removed tablet's freezers = %d, want its 2 kept", len(fs))
	}
	if _, err := tablet.Devices(ctx); syncErrKind(err) != ui.SyncErrRemoved {
		t.Errorf("removed tablet's Devices() = %v, want %s", err, ui.SyncErrRemoved)
	}
	if err := laptop.RevokeDevice(ctx, tab.ID); err == nil {
		t.Error("revoking the tablet twice succeeded, want a refusal")
	}
}

func syncErrKind(err error) string {
	var e *ui.SyncErr
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func hasDevice(ds []ui.Device, name string) bool {
	for _, d := range ds {
		if d.Name == name {
			return true
		}
	}
	return false
}
