package ui_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/tokens"
	"freezer/ui"
)

const (
	testEmail    = "anne@example.org"
	testPassword = "correct horse battery"
)

// mustStartServer runs freezerd's real handler over a SQLite file on an
// httptest server, with one account (testEmail, testPassword).
func mustStartServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "freezerd.db"), sqlstore.Options{})
	if err != nil {
		t.Fatalf("sqlstore.Open() error = %v", err)
	}
	srv := server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler),
		Limits: server.Limits{Disabled: true}, BcryptCost: 4})
	if _, err := srv.Register(ctx, testEmail, testPassword); err != nil {
		t.Fatalf("Register() error = %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		if err := store.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	return ts
}

type syncEnv struct {
	u      *ui.UI
	w      fyne.Window
	db     *storage.DB
	sync   *app.Sync
	tokens string // the token store's folder
}

// mustStartSyncUI builds the UI over db with a real syncer adapter whose
// tokens go to a private folder. The syncer's background loop is not
// started: rounds run when the test asks (Sync now), on its goroutine.
func mustStartSyncUI(t *testing.T, db *storage.DB, ts *httptest.Server, o options) *syncEnv {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tokens")
	cfg := client.Config{Now: db.Now} // as cmd/freezer: the syncer stamps with the store's clock
	if ts != nil {
		cfg.HTTPClient = ts.Client()
	}
	s, err := app.NewSync(context.Background(), db, app.SyncOptions{
		Tokens:     func() tokens.Store { return tokens.FileStore{Dir: dir} },
		Config:     cfg,
		AppVersion: "test-1.2",
	})
	if err != nil {
		t.Fatalf("NewSync() error = %v", err)
	}
	if err := s.Load(context.Background()); err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	inv := app.New(db)
	inv.OnWrite = s.Changed
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	if o.lang == "" {
		o.lang = "en"
	}
	if o.screen == "" {
		o.screen = ui.ScreenSettings
	}
	opts := ui.Options{Synchronous: true, Language: &o.lang, Sync: s, Screen: o.screen}
	if o.tablet {
		opts.Tablet = &o.tablet
	}
	u := ui.New(a, w, inv, opts)
	t.Cleanup(u.Close)
	return &syncEnv{u: u, w: w, db: db, sync: s, tokens: dir}
}

func (e *syncEnv) signIn(t *testing.T, server, email, password string) *ui.SyncWidgets {
	t.Helper()
	sw := e.u.SyncWidgets()
	sw.Server.SetText("")
	test.Type(sw.Server, server)
	sw.Email.SetText("")
	test.Type(sw.Email, email)
	sw.Password.SetText("")
	test.Type(sw.Password, password)
	test.Tap(sw.SignIn)
	return sw
}

func TestSyncSignInSyncNowSignOut(t *testing.T) {
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	e := mustStartSyncUI(t, db, ts, options{})

	if got := e.u.OverviewSyncLine(); got != "Sync: signed out (sign in from Settings)" {
		t.Errorf("overview line before sign-in = %q", got)
	}
	sw := e.signIn(t, ts.URL, testEmail, testPassword)
	if sw.SignErr.Visible() {
		t.Fatalf("sign-in error: %q", sw.SignErr.Text)
	}
	if isShown(e.w, sw.SignIn) {
		t.Error("the sign-in form still shows after signing in")
	}
	if !isShown(e.w, sw.SyncNow) || !isShown(e.w, sw.SignOut) {
		t.Fatal("Sync now and Sign out do not show after signing in")
	}
	if sw.Password.Text != "" {
		t.Error("the password stays in its field after signing in")
	}
	// Signing in ran a first round: the freezer and the product went up.
	if !strings.HasPrefix(sw.Last.Text, "Last sync: today ") {
		t.Errorf("last sync = %q, want today", sw.Last.Text)
	}
	if sw.Pending.Text != "Changes waiting: 0" {
		t.Errorf("pending = %q, want 0", sw.Pending.Text)
	}
	host := strings.TrimPrefix(ts.URL, "http://")
	if want := "Signed in to " + host + ": up to date."; sw.State.Text != want {
		t.Errorf("state = %q, want %q", sw.State.Text, want)
	}
	if got := e.u.OverviewSyncLine(); !strings.HasPrefix(got, "Sync: last sync today ") || !strings.HasSuffix(got, "changes waiting: 0") {
		t.Errorf("overview line = %q", got)
	}

	// A local write through the UI's inventory waits, then Sync now sends it.
	mustAddProduct(t, db, f, "Peas", 43, 1, 6)
	e.u.Reload()
	test.Tap(sw.SyncNow)
	if sw.Pending.Text != "Changes waiting: 0" || sw.Err.Visible() {
		t.Errorf("after Sync now: pending %q, error %q", sw.Pending.Text, sw.Err.Text)
	}
	// Ctrl+R syncs too, without a dialog.
	shortcut(e.w, fyne.KeyR)
	if e.u.Dialogs() != 0 {
		t.Errorf("Ctrl+R opened a dialog while signed in")
	}

	// The token is in the token store, not in the database nor the
	// preferences.
	files, _ := filepath.Glob(filepath.Join(e.tokens, "token-*"))
	if len(files) != 1 {
		t.Fatalf("token files = %v, want one", files)
	}
	tok, _ := os.ReadFile(files[0])
	token := strings.TrimSpace(string(tok))
	if st, _ := os.Stat(files[0]); st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode = %v, want 0600", st.Mode().Perm())
	}
	for _, p := range []string{db.Path(), db.Path() + "-wal"} {
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(token)) {
			t.Errorf("the token is in %s", p)
		}
	}
	for _, k := range []string{"sync_server", "sync_token", "token", "general_trend"} {
		if v := fyne.CurrentApp().Preferences().String(k); strings.Contains(v, token) {
			t.Errorf("the token is in the preference %q", k)
		}
	}

	test.Tap(sw.SignOut)
	if files, _ := filepath.Glob(filepath.Join(e.tokens, "token-*")); len(files) != 0 {
		t.Errorf("token files after sign-out = %v, want none", files)
	}
	if !isShown(e.w, sw.SignIn) || isShown(e.w, sw.SyncNow) {
		t.Error("the sign-in form does not show after signing out")
	}
	if sw.Server.Text != ts.URL {
		t.Errorf("server after sign-out = %q, want it kept (%q)", sw.Server.Text, ts.URL)
	}
	if got := e.u.OverviewSyncLine(); got != "Sync: signed out (sign in from Settings)" {
		t.Errorf("overview line after sign-out = %q", got)
	}
	shortcut(e.w, fyne.KeyR)
	if texts := allTexts(e.w); !strings.Contains(strings.Join(texts, " "), "This device is not signed in: sign in to your server in Settings, Sync,") {
		t.Errorf("Ctrl+R signed out: no hint to sign in; texts %v", texts)
	}
}

// isShown reports whether o and every parent up to the window's content
// are visible.
func isShown(w fyne.Window, o fyne.CanvasObject) bool {
	shown := false
	walkVisible(w.Canvas().Content(), func(x fyne.CanvasObject) { shown = shown || x == o })
	return shown
}

func TestSyncSignInErrorsInWords(t *testing.T) {
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	e := mustStartSyncUI(t, db, ts, options{})

	sw := e.signIn(t, ts.URL, testEmail, "wrong password")
	if want := "The email or the password is wrong: check them and sign in again."; sw.SignErr.Text != want || !sw.SignErr.Visible() {
		t.Errorf("wrong password: %q (shown %v), want %q", sw.SignErr.Text, sw.SignErr.Visible(), want)
	}
	sw = e.signIn(t, "freezer.example.org", testEmail, testPassword)
	if want := "Give the server's address like https://freezer.example.org."; sw.SignErr.Text != want {
		t.Errorf("bad address: %q, want %q", sw.SignErr.Text, want)
	}
	sw = e.signIn(t, ts.URL, testEmail, "")
	if want := "Give your email and your password."; sw.SignErr.Text != want {
		t.Errorf("no password: %q, want %q", sw.SignErr.Text, want)
	}
	// A pasted token that the server refuses.
	sw.Method.SetSelected("A token")
	test.Type(sw.Token, "not-a-token")
	test.Tap(sw.SignIn)
	if want := "The server refused this token: check it, or sign in with your email and password."; sw.SignErr.Text != want {
		t.Errorf("bad token: %q, want %q", sw.SignErr.Text, want)
	}
	// A server that is gone.
	gone := httptest.NewServer(nil)
	gone.Close()
	sw.Method.SetSelected("Email and password")
	sw = e.signIn(t, gone.URL, testEmail, testPassword)
	if want := "The server cannot be reached: check the network connection and the server's address; the app will retry."; sw.SignErr.Text != want {
		t.Errorf("unreachable: %q, want %q", sw.SignErr.Text, want)
	}
	if files, _ := filepath.Glob(filepath.Join(e.tokens, "token-*")); len(files) != 0 {
		t.Errorf("failed sign-ins kept tokens: %v", files)
	}
}

func TestSyncSignInWithTokenFrench(t *testing.T) {
	ts := mustStartServer(t)
	token, err := client.Login(context.Background(), ts.Client(), ts.URL, testEmail, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	db := mustOpenDB(t)
	e := mustStartSyncUI(t, db, ts, options{lang: "fr"})
	sw := e.u.SyncWidgets()
	test.Type(sw.Server, ts.URL)
	sw.Method.SetSelected("Un jeton")
	test.Type(sw.Token, token)
	test.Tap(sw.SignIn)
	if sw.SignErr.Visible() {
		t.Fatalf("sign-in error: %q", sw.SignErr.Text)
	}
	if !strings.HasPrefix(sw.Last.Text, "Dernière synchronisation : aujourd'hui ") {
		t.Errorf("last sync = %q", sw.Last.Text)
	}
	if got := e.u.OverviewSyncLine(); !strings.HasPrefix(got, "Synchronisation : dernière aujourd'hui") {
		t.Errorf("overview line = %q", got)
	}
	english := englishOnly(t)
	for _, s := range allTexts(e.w) {
		if english[s] {
			t.Errorf("English text on the French settings screen: %q", s)
		}
	}
}

// TestSyncSlotMoveRelabel has two devices fill the same slot: the server
// moves one product and the UI lists it to relabel.
func TestSyncSlotMoveRelabel(t *testing.T) {
	ctx := context.Background()
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	e := mustStartSyncUI(t, db, ts, options{})
	sw := e.signIn(t, ts.URL, testEmail, testPassword)
	if sw.Pending.Text != "Changes waiting: 0" {
		t.Fatalf("first sync: pending %q, error %q", sw.Pending.Text, sw.Err.Text)
	}

	// Device B pulls the freezer and puts peas in box 1, slot 1.
	dbB, err := storage.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer dbB.Close()
	if err := dbB.SetSyncServer(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	tokB, err := client.Login(ctx, ts.Client(), ts.URL, testEmail, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cB := client.NewClient(dbB, client.Config{Server: ts.URL, Token: tokB, HTTPClient: ts.Client()})
	if _, err := cB.Sync(ctx, nil); err != nil {
		t.Fatalf("device B's first sync: %v", err)
	}
	if _, err := dbB.AddProduct(ctx, domain.Product{Name: "peas", TypeID: 43, Quantity: 2,
		Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1}, DateIn: domain.DateOf(dbB.Now()), PeriodMonths: 6}); err != nil {
		t.Fatal(err)
	}
	if _, err := cB.Sync(ctx, nil); err != nil {
		t.Fatalf("device B's sync: %v", err)
	}

	// This device, not synced since, puts glace moka in the same slot.
	if _, err := db.AddProduct(ctx, domain.Product{Name: "glace moka", TypeID: 24, Quantity: 4,
		Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1}, DateIn: today(), PeriodMonths: 6}); err != nil {
		t.Fatal(err)
	}
	test.Tap(sw.SyncNow)
	if sw.Err.Visible() {
		t.Fatalf("sync error: %q", sw.Err.Text)
	}
	notices := e.u.SyncNotices()
	if want := "Relabel: glace moka was put in box 1, slot 1 (Kitchen); it is now in box 1, slot 2 (Kitchen)"; len(notices) != 1 || notices[0] != want {
		t.Fatalf("notices = %q, want %q", notices, want)
	}
	if got := e.u.OverviewSyncLine(); !strings.Contains(got, "products to relabel: 1 (see Settings)") {
		t.Errorf("overview line = %q, want the products to relabel", got)
	}
	// The pulled product shows on this device: the screens were read again.
	if names := e.u.ProductNames(); !contains(names, "peas") || !contains(names, "glace moka") {
		t.Errorf("products = %v, want peas and glace moka", names)
	}
	test.Tap(sw.Clear)
	if got := e.u.SyncNotices(); len(got) != 0 {
		t.Errorf("notices after Labels changed = %q", got)
	}
	if got := e.u.OverviewSyncLine(); strings.Contains(got, "relabel") {
		t.Errorf("overview line after Labels changed = %q", got)
	}
}

func TestSyncStatusLineAndMoveText(t *testing.T) {
	db := mustOpenDB(t)
	e := mustStartSyncUI(t, db, nil, options{})
	u := e.u
	tests := []struct {
		st   ui.SyncStatus
		want string
	}{
		{ui.SyncStatus{State: ui.SyncOff}, "Sync: signed out (sign in from Settings)"},
		{ui.SyncStatus{State: ui.SyncSyncing, SignedIn: true, Phase: "push", Done: 10, Total: 40}, "Sync: syncing, sending changes 10/40"},
		{ui.SyncStatus{State: ui.SyncSyncing, SignedIn: true, Phase: "pull", Done: 120}, "Sync: syncing, receiving changes: 120"},
		{ui.SyncStatus{State: ui.SyncOffline, SignedIn: true, Pending: 3, Err: &ui.SyncErr{Kind: ui.SyncErrOffline}}, "Sync: offline, will retry · changes waiting: 3"},
		{ui.SyncStatus{State: ui.SyncError, SignedIn: true, Err: &ui.SyncErr{Kind: ui.SyncErrToken}}, "Sync failed: The server refused this device's token: sign out, then sign in again."},
		{ui.SyncStatus{State: ui.SyncError, SignedIn: true, Err: &ui.SyncErr{Kind: ui.SyncErrOther, Message: "The server refused the request."}}, "Sync failed: The server refused the request."},
		{ui.SyncStatus{State: ui.SyncIdle, SignedIn: true, Pending: 2}, "Sync: signed in, not synced yet · changes waiting: 2"},
		{ui.SyncStatus{State: ui.SyncIdle, SignedIn: true, LastSuccess: testNow, Moves: []ui.SlotMove{{Name: "glace moka", NowAt: ui.Place{Box: 2, Slot: 3}}}},
			"Sync: last sync today 10:00 · changes waiting: 0 · products to relabel: 1 (see Settings)"}, // today: the store's clock is testNow
		{ui.SyncStatus{State: ui.SyncIdle, SignedIn: true, LastSuccess: testNow.AddDate(0, 0, -3)},
			"Sync: last sync 2026-06-12 10:00 · changes waiting: 0"},
	}
	for _, tt := range tests {
		if got := ui.SyncLineFor(u, tt.st); got != tt.want {
			t.Errorf("line(%+v) = %q, want %q", tt.st, got, tt.want)
		}
	}
	for _, tt := range []struct {
		m    ui.SlotMove
		want string
	}{
		{ui.SlotMove{Name: "glace moka", NowAt: ui.Place{Box: 2, Slot: 3}}, "Relabel: glace moka is now box 2, slot 3"},
		{ui.SlotMove{Name: "glace moka", NowAt: ui.Place{Freezer: "Garage", Box: 2, Slot: 3}}, "Relabel: glace moka is now box 2, slot 3 (Garage)"},
		{ui.SlotMove{Name: "glace moka", PutAt: ui.Place{Freezer: "Chest", Box: 4, Slot: 1}, NowAt: ui.Place{Freezer: "Garage", Box: 2, Slot: 3}},
			"Relabel: glace moka was put in box 4, slot 1 (Chest); it is now in box 2, slot 3 (Garage)"},
	} {
		if got := ui.MoveText(tt.m); got != tt.want {
			t.Errorf("MoveText(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

// TestTrendsGeneralTendencyCached shows every household's products per type
// beside the device's own once signed in, and drops them at sign-out.
func TestTrendsGeneralTendencyCached(t *testing.T) {
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	mustAddProduct(t, db, f, "Peas", 43, 10, 6)
	e := mustStartSyncUI(t, db, ts, options{})
	e.u.Tabs().SelectIndex(3)
	if series, _ := e.u.PerTypeSeries(); len(series) != 1 {
		t.Errorf("signed out: series %v, want the household's only", series)
	}
	e.u.Tabs().SelectIndex(4)
	e.signIn(t, ts.URL, testEmail, testPassword)
	e.u.Tabs().SelectIndex(3)
	series, cats := e.u.PerTypeSeries()
	if len(series) != 2 || series[1] != "All households" || len(cats) == 0 {
		t.Errorf("signed in: series %v, categories %v; want yours and all households", series, cats)
	}
	if !strings.HasPrefix(e.u.TrendsNote(), "Yours: from your own products. All households: from the server, fetched today") {
		t.Errorf("note = %q", e.u.TrendsNote())
	}
	cached := fyne.CurrentApp().Preferences().String("general_trend")
	if !strings.Contains(cached, `"type_id"`) {
		t.Errorf("general tendency not cached: %q", cached)
	}
	e.u.Tabs().SelectIndex(4)
	test.Tap(e.u.SyncWidgets().SignOut)
	e.u.Tabs().SelectIndex(3)
	if series, _ := e.u.PerTypeSeries(); len(series) != 1 {
		t.Errorf("after sign-out: series %v, want the household's only (the account's cached figures are dropped)", series)
	}
}

// fakeSync is a ui.Sync whose status the test sets.
type fakeSync struct {
	st  ui.SyncStatus
	sub func(ui.SyncStatus)
}

func (f *fakeSync) Status() ui.SyncStatus { return f.st }
func (f *fakeSync) Subscribe(fn func(ui.SyncStatus)) func() {
	f.sub = fn
	return func() {}
}
func (f *fakeSync) SignIn(context.Context, string, string, string) error  { return nil }
func (f *fakeSync) SignInWithToken(context.Context, string, string) error { return nil }
func (f *fakeSync) SignOut(context.Context) error                         { return nil }
func (f *fakeSync) SyncNow(context.Context) error                         { return nil }
func (f *fakeSync) GeneralTendency(context.Context) ([]ui.TypeTrend, error) {
	return nil, nil
}
func (f *fakeSync) ClearNotices() { f.st.Moves, f.st.Rejected = nil, nil }

func (f *fakeSync) publish(st ui.SyncStatus) {
	st.Seq = f.st.Seq + 1
	f.st = st
	f.sub(st)
}

func TestSyncProgressErrorsAndRefusals(t *testing.T) {
	db := mustOpenDB(t)
	fs := &fakeSync{st: ui.SyncStatus{State: ui.SyncIdle, SignedIn: true, Server: "https://freezer.example.org"}}
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	en := "en"
	u := ui.New(a, w, app.New(db), ui.Options{Synchronous: true, Language: &en, Sync: fs, Screen: ui.ScreenSettings})
	t.Cleanup(u.Close)
	sw := u.SyncWidgets()

	fs.publish(ui.SyncStatus{State: ui.SyncSyncing, SignedIn: true, Server: "https://freezer.example.org",
		Phase: "push", Done: 10, Total: 40, Pending: 40})
	if sw.State.Text != "Syncing with freezer.example.org…" || !sw.SyncNow.Disabled() {
		t.Errorf("syncing: state %q, Sync now disabled %v", sw.State.Text, sw.SyncNow.Disabled())
	}
	if texts := allTexts(w); !contains(texts, "sending changes 10/40") || !contains(texts, "25%") {
		t.Errorf("syncing: no progress shown; texts %v", texts)
	}
	// A status from before is dropped.
	old := fs.st
	old.Seq--
	old.State = ui.SyncIdle
	fs.sub(old)
	if sw.State.Text != "Syncing with freezer.example.org…" {
		t.Errorf("an older status replaced the newer: %q", sw.State.Text)
	}

	fs.publish(ui.SyncStatus{State: ui.SyncOffline, SignedIn: true, Server: "https://freezer.example.org", Pending: 40,
		Err: &ui.SyncErr{Kind: ui.SyncErrOffline, Message: "The server freezer.example.org cannot be reached"}})
	if want := "The server cannot be reached: check the network connection and the server's address; the app will retry."; sw.Err.Text != want || !sw.Err.Visible() {
		t.Errorf("offline: error %q (shown %v), want %q", sw.Err.Text, sw.Err.Visible(), want)
	}
	if sw.SyncNow.Disabled() {
		t.Error("Sync now stays disabled after the round")
	}

	fs.publish(ui.SyncStatus{State: ui.SyncIdle, SignedIn: true, Server: "https://freezer.example.org", LastSuccess: testNow,
		Rejected: []ui.Rejection{{What: "product Leek soup", Reason: "The freezer was deleted.", Dropped: true}},
		Moves: []ui.SlotMove{{Name: "glace moka", PutAt: ui.Place{Freezer: "frigo 1", Box: 2, Slot: 1},
			NowAt: ui.Place{Freezer: "frigo 1", Box: 2, Slot: 3}}}})
	want := []string{
		"Relabel: glace moka was put in box 2, slot 1 (frigo 1); it is now in box 2, slot 3 (frigo 1)",
		"Not accepted by the server: product Leek soup: The freezer was deleted. It was removed from this device.",
	}
	if got := u.SyncNotices(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notices = %q, want %q", got, want)
	}
	if sw.Err.Visible() {
		t.Errorf("the error stays after a good round: %q", sw.Err.Text)
	}
	test.Tap(sw.Clear)
	if got := u.SyncNotices(); len(got) != 0 {
		t.Errorf("notices after Labels changed = %q", got)
	}
}
