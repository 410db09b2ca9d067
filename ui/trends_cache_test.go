package ui_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/storage"
	"freezer/sync/tokens"
	"freezer/ui"
)

// trendsThirteenTypes fills a freezer with products of 13 types: types 1 to
// 8 twice each, types 9 to 13 once each.
func trendsThirteenTypes(t *testing.T, db *storage.DB) {
	t.Helper()
	f := mustCreateFreezer(t, db, "Kitchen", 3)
	for typeID := 1; typeID <= 13; typeID++ {
		n := 1
		if typeID <= 8 {
			n = 2
		}
		for range n {
			mustAddProduct(t, db, f, "p", typeID, 10, 6)
		}
	}
}

func TestTrendsOtherBarSumsTheRest(t *testing.T) {
	for _, tt := range []struct{ lang, other, note string }{
		{"en", "Other", "8 types shown, 5 more in Other."},
		{"fr", "Autres", "8 types affichés, 5 de plus dans Autres."},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			db := mustOpenDB(t)
			trendsThirteenTypes(t, db)
			u, _ := mustStartUI(t, db, options{lang: tt.lang})
			u.Tabs().SelectIndex(3)
			_, cats := u.PerTypeSeries()
			note, values := u.PerTypeOther()
			if len(cats) != 9 || cats[8] != tt.other {
				t.Fatalf("categories = %q, want 8 types then %q", cats, tt.other)
			}
			if len(values) != 9 || values[8] != 5 || values[0] != 2 {
				t.Errorf("values = %v, want eight 2s then Other's 5", values)
			}
			if note != tt.note {
				t.Errorf("note under the chart = %q, want %q", note, tt.note)
			}
		})
	}
}

func TestTrendsNoOtherBarForFewTypes(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	u, _ := mustStartUI(t, db, options{})
	u.Tabs().SelectIndex(3)
	if _, cats := u.PerTypeSeries(); len(cats) != 1 {
		t.Errorf("categories = %q, want the soup only", cats)
	}
	if note, _ := u.PerTypeOther(); note != "" {
		t.Errorf("note = %q, want none", note)
	}
}

// TestTrendsCacheBelongsToAccount: every household's figures, cached in the
// app's preferences (shared by every database the app opens), show only
// for the account that fetched them: a database that never signed in
// shows none, and signing out drops them.
func TestTrendsCacheBelongsToAccount(t *testing.T) {
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	trendsThirteenTypes(t, db)
	e := mustStartSyncUI(t, db, ts, options{})
	e.signIn(t, ts.URL, testEmail, testPassword)
	e.u.Tabs().SelectIndex(3)
	series, cats := e.u.PerTypeSeries()
	if len(series) != 2 || len(cats) != 9 || cats[8] != "Other" {
		t.Fatalf("signed in: series %v, categories %q; want yours and all households, 8 types and Other", series, cats)
	}
	prefs := fyne.CurrentApp().Preferences()
	cached := prefs.String("general_trend")
	if !strings.Contains(cached, ts.URL) {
		t.Fatalf("cached figures %q do not name their account's server %s", cached, ts.URL)
	}

	// Another database, never signed in, opened by the same app.
	other := trendsStartFresh(t, cached)
	other.Tabs().SelectIndex(3)
	if series, _ := other.PerTypeSeries(); len(series) != 1 {
		t.Errorf("a database that never signed in shows series %v, want its own only", series)
	}
	if note := other.TrendsNote(); strings.Contains(note, "fetched") {
		t.Errorf("a database that never signed in says %q", note)
	}

	e.u.Tabs().SelectIndex(4)
	test.Tap(e.u.SyncWidgets().SignOut)
	if got := prefs.String("general_trend"); got != "" {
		t.Errorf("cached figures after sign-out = %q, want none", got)
	}
	e.u.Tabs().SelectIndex(3)
	if series, _ := e.u.PerTypeSeries(); len(series) != 1 {
		t.Errorf("after sign-out: series %v, want yours only", series)
	}
}

// trendsStartFresh starts the UI over a new database that never signed in,
// in an app whose preferences hold cached general figures.
func trendsStartFresh(t *testing.T, cached string) *ui.UI {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatalf("storage.Open() error = %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	f := mustCreateFreezer(t, db, "Garage", 1)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6)
	dir := filepath.Join(t.TempDir(), "tokens")
	s, err := app.NewSync(ctx, db, app.SyncOptions{Tokens: func() tokens.Store { return tokens.FileStore{Dir: dir} }})
	if err != nil {
		t.Fatalf("NewSync() error = %v", err)
	}
	if err := s.Load(ctx); err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	a := test.NewTempApp(t)
	a.Preferences().SetString("general_trend", cached)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	en := "en"
	u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &en, Sync: s})
	t.Cleanup(u.Close)
	return u
}
