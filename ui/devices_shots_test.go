//go:build screenshots

package ui_test

// The Devices settings with a pairing code shown, for docs/screenshots:
// `make screenshots` runs it with the other rendered pictures (TestShots).
// The household is staged (shotSync: three devices, a calendar link, a
// fixed code) so that the same code draws the same bytes: a real server
// makes a random code and feed key at every run. The behaviour is tested
// against the real server in devices_test.go.

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/storage"
	"freezer/ui"
)

func TestShotsDevices(t *testing.T) {
	if *shotsDir == "" {
		t.Fatal("give the folder with -shots (make screenshots does)")
	}
	for _, tt := range []struct {
		name, lang string
		size       fyne.Size
		tablet     bool
		code       bool // the pairing code shown
	}{
		{"devices-en", "en", fyne.NewSize(1280, 800), false, true},
		{"devices-fr", "fr", fyne.NewSize(800, 1280), true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := shotsHomeDB(t)
			if err := db.LoadSample(context.Background()); err != nil {
				t.Fatalf("LoadSample() error = %v", err)
			}
			a := test.NewTempApp(t)
			w := test.NewTempWindow(t, widget.NewLabel(""))
			light := "light"
			opts := ui.Options{Synchronous: true, Language: &tt.lang, Theme: &light, Sync: newShotSync(tt.lang),
				Screen: ui.ScreenSettings}
			if tt.tablet {
				opts.Tablet = &tt.tablet
			}
			u := ui.New(a, w, app.New(db), opts)
			t.Cleanup(u.Close)
			w.Resize(tt.size)
			u.ScrollSettingsToDevices()
			dw := u.DevicesWidgets()
			if len(dw.Rows) != 3 {
				t.Fatalf("devices = %d rows, want 3", len(dw.Rows))
			}
			if tt.code {
				test.Tap(dw.Add)
				if u.Pairing() == nil {
					t.Fatal("no pairing code shown")
				}
			}
			shotsWrite(t, filepath.Join(*shotsDir, tt.name+".png"), w)
		})
	}
}

// shotsHomeDB opens the store where the app keeps it, in a home folder of
// the test's: Settings shows its path as people see theirs (~/.config/…),
// not a temporary folder's.
func shotsHomeDB(t *testing.T) *storage.DB {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	path, err := storage.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("storage.Open() error = %v", err)
	}
	db.Now = func() time.Time { return testNow }
	t.Cleanup(func() { db.Close() })
	return db
}

// shotSync is a signed-in household of three devices, for the pictures.
type shotSync struct {
	st    ui.SyncStatus
	names []string // the devices', in the picture's language
}

func newShotSync(lang string) *shotSync {
	names := []string{"Laptop", "Kitchen tablet", "freezerctl (garage)"}
	if lang == "fr" {
		names = []string{"Portable", "Tablette de la cuisine", "freezerctl (garage)"}
	}
	return &shotSync{names: names, st: ui.SyncStatus{State: ui.SyncIdle, Server: "https://freezer.example.org", SignedIn: true,
		LastSuccess: testNow.Add(-4 * time.Minute), Seq: 1}}
}

func (s *shotSync) Status() ui.SyncStatus                                { return s.st }
func (s *shotSync) Subscribe(func(ui.SyncStatus)) func()                 { return func() {} }
func (s *shotSync) SignIn(context.Context, string, string, string) error { return nil }
func (s *shotSync) SignInWithToken(context.Context, string, string) error {
	return nil
}
func (s *shotSync) SignOut(context.Context) error                           { return nil }
func (s *shotSync) SyncNow(context.Context) error                           { return nil }
func (s *shotSync) GeneralTendency(context.Context) ([]ui.TypeTrend, error) { return nil, nil }
func (s *shotSync) ClearNotices()                                           {}
func (s *shotSync) Pair(context.Context, string, string, string) error      { return nil }
func (s *shotSync) RevokeDevice(context.Context, int64) error               { return nil }
func (s *shotSync) RenameDevice(context.Context, int64, string) error       { return nil }

func (s *shotSync) Devices(context.Context) ([]ui.Device, error) {
	day := 24 * time.Hour
	return []ui.Device{
		{ID: 1, Name: s.names[0], AppVersion: "0.1.0", Created: testNow.Add(-90 * day), LastSync: testNow.Add(-4 * time.Minute), Current: true},
		{ID: 2, Name: s.names[1], AppVersion: "0.1.0", Created: testNow.Add(-30 * day), LastSync: testNow.Add(-2 * time.Hour)},
		{ID: 3, Name: s.names[2], AppVersion: "0.1.0", Created: testNow.Add(-12 * day), LastSync: testNow.Add(-3 * day)},
	}, nil
}

func (s *shotSync) NewPairingCode(context.Context) (ui.PairingCode, error) {
	return ui.PairingCode{Code: "K7PM-X4QD", Link: "https://freezer.example.org/pair/K7PM-X4QD",
		Expires: time.Now().Add(10 * time.Minute)}, nil
}

func (s *shotSync) CalendarFeed(context.Context) (ui.Feed, error) {
	return ui.Feed{CalendarURL: "https://freezer.example.org/api/v1/calendar/q8Zt3vX1mN6bR2kWc9Lp.ics",
		SummaryURL: "https://freezer.example.org/api/v1/summary/q8Zt3vX1mN6bR2kWc9Lp", AlarmDays: 14}, nil
}
