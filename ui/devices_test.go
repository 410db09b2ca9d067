package ui_test

import (
	"context"
	"errors"
	"image"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/internal/qrtest"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/ui"
)

// The fake's part of the devices API: it has no server.
func (f *fakeSync) Pair(context.Context, string, string, string) error {
	return errors.New("no server")
}
func (f *fakeSync) Devices(context.Context) ([]ui.Device, error)      { return nil, errors.New("no server") }
func (f *fakeSync) RevokeDevice(context.Context, int64) error         { return errors.New("no server") }
func (f *fakeSync) RenameDevice(context.Context, int64, string) error { return errors.New("no server") }
func (f *fakeSync) NewPairingCode(context.Context) (ui.PairingCode, error) {
	return ui.PairingCode{}, errors.New("no server")
}
func (f *fakeSync) CalendarFeed(context.Context) (ui.Feed, error) {
	return ui.Feed{}, errors.New("no server")
}

var displayCode = regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$`)

// household is a signed-in device of the test account, outside the UI:
// it makes the pairing codes and watches the devices.
type household struct {
	ts    *httptest.Server
	token string
}

func mustHousehold(t *testing.T, ts *httptest.Server) *household {
	t.Helper()
	tok, err := client.Login(context.Background(), ts.Client(), ts.URL, testEmail, testPassword)
	if err != nil {
		t.Fatalf("Login() error = %v", err)
	}
	return &household{ts: ts, token: tok}
}

func (h *household) code(t *testing.T) client.PairingCode {
	t.Helper()
	pc, err := client.NewPairingCode(context.Background(), h.ts.Client(), h.ts.URL, h.token)
	if err != nil {
		t.Fatalf("NewPairingCode() error = %v", err)
	}
	return pc
}

func (h *household) devices(t *testing.T) []client.Device {
	t.Helper()
	ds, err := client.Devices(context.Background(), h.ts.Client(), h.ts.URL, h.token)
	if err != nil {
		t.Fatalf("Devices() error = %v", err)
	}
	return ds
}

func (h *household) deviceNamed(t *testing.T, name string) client.Device {
	t.Helper()
	for _, d := range h.devices(t) {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no device %q in %+v", name, h.devices(t))
	return client.Device{}
}

// mustSeedHousehold has the household's device put a freezer on the
// server, so that a joining device has something to receive.
func mustSeedHousehold(t *testing.T, ts *httptest.Server, h *household) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "household.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SetSyncServer(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFreezer(ctx, "Garage", 3); err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(db, client.Config{Server: ts.URL, Token: h.token, HTTPClient: ts.Client()})
	if _, err := c.Sync(ctx, nil); err != nil {
		t.Fatalf("household's sync: %v", err)
	}
}

func fillJoin(t *testing.T, u *ui.UI, server, code, name string) *ui.JoinWidgets {
	t.Helper()
	jw := u.JoinForm()
	if jw == nil {
		t.Fatal("the Join a household form did not open")
	}
	jw.Server.SetText("")
	jw.Code.SetText("")
	jw.Name.SetText("")
	test.Type(jw.Server, server)
	test.Type(jw.Code, code)
	test.Type(jw.Name, name)
	test.Tap(jw.Join)
	return jw
}

// TestJoinHouseholdFirstStart joins a new device from the first-start
// screen with a code typed as people type it (lower case, no dash); the
// wrong code and the used code are refused in words that say what to do.
func TestJoinHouseholdFirstStart(t *testing.T) {
	ts := mustStartServer(t)
	h := mustHousehold(t, ts)
	mustSeedHousehold(t, ts, h)
	db := mustOpenDB(t)
	e := mustStartSyncUI(t, db, ts, options{})
	e.u.Tabs().SelectIndex(0)
	if !e.u.OverviewWelcome().Visible() {
		t.Fatal("first start: the welcome does not show")
	}

	test.Tap(e.u.WelcomeJoin())
	jw := fillJoin(t, e.u, ts.URL, "ABCD-EFGH", "Kitchen tablet")
	if want := "This code is wrong, expired or already used: ask for a new code on a signed-in device (Settings, Devices, Add a device)."; jw.Err.Text != want || !jw.Err.Visible() {
		t.Errorf("wrong code: %q (shown %v), want %q", jw.Err.Text, jw.Err.Visible(), want)
	}
	jw = fillJoin(t, e.u, ts.URL, "12O4", "Kitchen tablet")
	if !strings.HasPrefix(jw.Err.Text, "A pairing code has 8 letters and digits, like ABCD-EFGH") {
		t.Errorf("malformed code: %q", jw.Err.Text)
	}
	jw = fillJoin(t, e.u, "freezer.example.org", "ABCD-EFGH", "Kitchen tablet")
	if want := "Give the server's address like https://freezer.example.org."; jw.Err.Text != want {
		t.Errorf("bad address: %q, want %q", jw.Err.Text, want)
	}

	pc := h.code(t)
	typed := strings.ToLower(strings.ReplaceAll(pc.Code, "-", " "))
	jw = fillJoin(t, e.u, ts.URL, typed, "Kitchen tablet")
	if jw.Err.Visible() {
		t.Fatalf("join error: %q", jw.Err.Text)
	}
	if e.u.Dialogs() != 0 {
		t.Error("the Join form stays open after joining")
	}
	if st := e.sync.Status(); !st.SignedIn || st.Server != ts.URL {
		t.Errorf("after joining: signed in %v to %q, want %q", st.SignedIn, st.Server, ts.URL)
	}
	// Joining ran a first sync: the household's freezer is here.
	if fs := e.u.Freezers(); len(fs) != 1 || fs[0].Name != "Garage" {
		t.Errorf("freezers after joining = %+v, want the household's Garage", fs)
	}
	if e.u.OverviewWelcome().Visible() {
		t.Error("the welcome still shows after joining a household with a freezer")
	}
	d := h.deviceNamed(t, "Kitchen tablet")
	if d.AppVersion != "test-1.2" {
		t.Errorf("the new device's app version = %q, want the app's (test-1.2)", d.AppVersion)
	}

	// A second device cannot use the code again.
	e2 := mustStartSyncUI(t, mustOpenDB(t), ts, options{})
	e2.u.Tabs().SelectIndex(0)
	test.Tap(e2.u.WelcomeJoin())
	jw = fillJoin(t, e2.u, ts.URL, pc.Code, "Hall tablet")
	if !strings.HasPrefix(jw.Err.Text, "This code is wrong, expired or already used") {
		t.Errorf("used code: %q", jw.Err.Text)
	}
	if e2.sync.Status().SignedIn {
		t.Error("a used code signed the device in")
	}
}

// TestJoinWithPastedLinkFrench pastes the pairing link into the code's
// field, in French; the server's field stays empty.
func TestJoinWithPastedLinkFrench(t *testing.T) {
	ts := mustStartServer(t)
	h := mustHousehold(t, ts)
	e := mustStartSyncUI(t, mustOpenDB(t), ts, options{lang: "fr"})
	// Signed out, Settings offers to join too.
	test.Tap(e.u.SignInJoin())
	jw := fillJoin(t, e.u, "", "pas-un-code", "Tablette de la cuisine")
	if !strings.HasPrefix(jw.Err.Text, "Indiquez l'adresse du serveur") {
		t.Errorf("no server, no link: %q", jw.Err.Text)
	}
	pc := h.code(t)
	if !strings.HasSuffix(pc.Link, "/pair/"+pc.Code) {
		t.Fatalf("link %q does not end with the code %q", pc.Link, pc.Code)
	}
	jw = fillJoin(t, e.u, "", pc.Link, "Tablette de la cuisine")
	if jw.Err.Visible() {
		t.Fatalf("join error: %q", jw.Err.Text)
	}
	h.deviceNamed(t, "Tablette de la cuisine")
	sw := e.u.SyncWidgets()
	if !strings.HasPrefix(sw.Last.Text, "Dernière synchronisation : aujourd'hui ") {
		t.Errorf("last sync = %q, want today", sw.Last.Text)
	}
}

// TestDevicesListRevokeRename lists the household's devices with this one
// marked, renames it, and removes another after asking.
func TestDevicesListRevokeRename(t *testing.T) {
	ctx := context.Background()
	ts := mustStartServer(t)
	db := mustOpenDB(t)
	e := mustStartSyncUI(t, db, ts, options{})
	dw := e.u.DevicesWidgets()
	if !dw.SignedOut.Visible() || !dw.SignedInPartIsHidden {
		t.Error("signed out: the Devices section does not say to sign in first")
	}
	if !strings.HasPrefix(dw.SignedOut.Text, "Sign in first") {
		t.Errorf("signed out: %q", dw.SignedOut.Text)
	}
	e.signIn(t, ts.URL, testEmail, testPassword)
	h := mustHousehold(t, ts)
	tabletTok, err := client.Pair(ctx, ts.Client(), ts.URL, h.code(t).Code, "Kitchen tablet", "0.9.0")
	if err != nil {
		t.Fatalf("Pair() error = %v", err)
	}
	test.Tap(e.u.DevicesWidgets().Refresh)
	dw = e.u.DevicesWidgets()
	if want := len(h.devices(t)); len(dw.Rows) != want || want < 3 {
		t.Fatalf("devices = %d rows, want the server's %d (this one, the household's, the tablet at least)", len(dw.Rows), want)
	}
	var current, tablet *ui.DeviceRowWidgets
	for i, r := range dw.Rows {
		if r.CurrentIsMarked {
			if current != nil {
				t.Error("two devices are marked as this one")
			}
			current = &dw.Rows[i]
		}
		if r.Name.Text == "Kitchen tablet" {
			tablet = &dw.Rows[i]
		}
	}
	if current == nil || !current.Device.Current || current.Current.Text != "This device" {
		t.Fatalf("no device is marked as this one: %+v", dw.Rows)
	}
	if current.Revoke != nil {
		t.Error("this device offers to remove itself")
	}
	if tablet == nil || tablet.Revoke == nil || tablet.CurrentIsMarked {
		t.Fatalf("the tablet's row: %+v", tablet)
	}
	if want := "version 0.9.0"; !strings.HasSuffix(tablet.Details.Text, want) || !strings.Contains(tablet.Details.Text, "last sync never") {
		t.Errorf("tablet details = %q, want last sync never and %s", tablet.Details.Text, want)
	}
	if !dw.CalendarBox.Visible() || !strings.Contains(dw.Calendar.Text, "/api/v1/calendar/") {
		t.Errorf("calendar link = %q (shown %v)", dw.Calendar.Text, dw.CalendarBox.Visible())
	}

	// Rename this device.
	test.Tap(current.Rename)
	dw = e.u.DevicesWidgets()
	dw.RenameEntry.SetText("")
	test.Tap(dw.RenameSave)
	if !dw.RenameErr.Visible() || !strings.HasPrefix(dw.RenameErr.Text, "Give this device a name") {
		t.Errorf("empty name: %q", dw.RenameErr.Text)
	}
	test.Type(dw.RenameEntry, "Laptop  in the hall ")
	test.Tap(dw.RenameSave)
	if e.u.Dialogs() != 0 {
		t.Fatalf("the rename dialog stays open: %q", dw.RenameErr.Text)
	}
	dw = e.u.DevicesWidgets()
	if !contains(rowNames(dw), "Laptop in the hall") {
		t.Errorf("after rename: devices %v", rowNames(dw))
	}

	// Remove the tablet: asked first, then the list is read again.
	for _, r := range dw.Rows {
		if r.Name.Text == "Kitchen tablet" {
			test.Tap(r.Revoke)
		}
	}
	top := topOverlay(t, e.w)
	if texts := strings.Join(texts(top), " "); !strings.Contains(texts, "Remove Kitchen tablet?") {
		t.Errorf("the confirmation does not name the device: %q", texts)
	}
	test.Tap(findButton(t, top, "Remove"))
	dw = e.u.DevicesWidgets()
	if names := rowNames(dw); len(names) != len(h.devices(t)) || contains(names, "Kitchen tablet") {
		t.Errorf("after removing the tablet: devices %v", names)
	}
	if _, err := client.Devices(ctx, ts.Client(), ts.URL, tabletTok); !errors.Is(err, client.ErrDeviceRemoved) {
		t.Errorf("the removed tablet's call: %v, want ErrDeviceRemoved", err)
	}
}

func rowNames(dw *ui.DevicesWidgets) []string {
	var out []string
	for _, r := range dw.Rows {
		out = append(out, r.Name.Text)
	}
	return out
}

// TestPairingCodeDialog makes a pairing code: it shows as ABCD-EFGH with
// a QR code that decodes to the pairing link, counts down and expires.
func TestPairingCodeDialog(t *testing.T) {
	ts := mustStartServer(t)
	e := mustStartSyncUI(t, mustOpenDB(t), ts, options{})
	e.signIn(t, ts.URL, testEmail, testPassword)
	test.Tap(e.u.DevicesWidgets().Add)
	pw := e.u.Pairing()
	if pw == nil {
		t.Fatal("no pairing dialog")
	}
	if !displayCode.MatchString(pw.Code) {
		t.Errorf("code = %q, want 8 characters of the alphabet as ABCD-EFGH", pw.Code)
	}
	if want := ts.URL + "/pair/" + pw.Code; pw.Link.Text != want {
		t.Errorf("link = %q, want %q", pw.Link.Text, want)
	}
	if got := decodeQR(t, pw.QR); got != pw.Link.Text {
		t.Errorf("QR code holds %q, want the link %q", got, pw.Link.Text)
	}
	// The picture on screen decodes too (drawn by the software painter).
	if got := decodeQR(t, e.w.Canvas().Capture()); got != pw.Link.Text {
		t.Errorf("the window's QR code holds %q, want the link %q", got, pw.Link.Text)
	}
	if c := pw.Countdown.Text; c != "Valid for 10:00" && c != "Valid for 9:59" {
		t.Errorf("countdown = %q, want about 10 minutes", c)
	}
	if !pw.Tick(61*time.Second) || pw.Countdown.Text != "Valid for 1:01" {
		t.Errorf("61 s left: %q", pw.Countdown.Text)
	}
	if pw.Tick(0) {
		t.Error("the code is valid at its deadline")
	}
	pw = e.u.Pairing()
	if pw.Countdown.Text != "This code has expired: make a new one." || pw.QRShown || !pw.NewCode.Visible() {
		t.Errorf("expired: %q, QR shown %v, New code shown %v", pw.Countdown.Text, pw.QRShown, pw.NewCode.Visible())
	}
	first := pw.Code
	test.Tap(pw.NewCode)
	pw = e.u.Pairing()
	if pw.Code == first || !displayCode.MatchString(pw.Code) || !pw.QRShown {
		t.Errorf("New code: %q (was %q), QR shown %v", pw.Code, first, pw.QRShown)
	}
	if e.u.Dialogs() != 1 {
		t.Errorf("dialogs open = %d, want the new code's only", e.u.Dialogs())
	}
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	return qrtest.Read(t, img)
}

// TestRemovedDeviceJoinsAgain removes a joined device: its next sync says
// so in words and offers Join again, which pairs it anew; its data stays.
func TestRemovedDeviceJoinsAgain(t *testing.T) {
	ctx := context.Background()
	ts := mustStartServer(t)
	h := mustHousehold(t, ts)
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	mustAddProduct(t, db, f, "Leek soup", 1, 10, 6)
	e := mustStartSyncUI(t, db, ts, options{})
	test.Tap(e.u.SignInJoin())
	fillJoin(t, e.u, ts.URL, h.code(t).Code, "Kitchen tablet")
	sw := e.u.SyncWidgets()
	if sw.Pending.Text != "Changes waiting: 0" {
		t.Fatalf("after joining: pending %q, error %q", sw.Pending.Text, sw.Err.Text)
	}
	if err := client.RevokeDevice(ctx, ts.Client(), ts.URL, h.token, h.deviceNamed(t, "Kitchen tablet").ID); err != nil {
		t.Fatalf("RevokeDevice() error = %v", err)
	}
	mustAddProduct(t, db, f, "Peas", 43, 1, 6)
	test.Tap(sw.SyncNow)
	want := "This device was removed from the household. Its data stays on it. To join again, make a pairing code on a signed-in device and choose Join a household."
	if sw.Err.Text != want || !sw.Err.Visible() {
		t.Errorf("removed: error %q (shown %v), want %q", sw.Err.Text, sw.Err.Visible(), want)
	}
	if !isShown(e.w, e.u.JoinAgain()) {
		t.Fatal("removed: no Join again")
	}
	if got := e.u.OverviewSyncLine(); got != "Sync failed: "+want {
		t.Errorf("overview line = %q", got)
	}
	e.u.Reload()
	if names := e.u.ProductNames(); !contains(names, "Leek soup") || !contains(names, "Peas") {
		t.Errorf("the removed device's products = %v, want them kept", names)
	}
	if dw := e.u.DevicesWidgets(); len(dw.Rows) != 0 || dw.Note.Text != want || !dw.Add.Disabled() {
		t.Errorf("removed: Devices shows %v, note %q, Add enabled %v; want no device, the words, no Add", rowNames(dw), dw.Note.Text, !dw.Add.Disabled())
	}

	test.Tap(e.u.JoinAgain())
	jw := e.u.JoinForm()
	if jw.Server.Text != ts.URL {
		t.Errorf("Join again: server %q, want %q filled in", jw.Server.Text, ts.URL)
	}
	if host, _ := os.Hostname(); host != "" && host != "localhost" && !strings.HasPrefix(host, jw.Name.Text) {
		t.Errorf("device name offered = %q, want the host name %q", jw.Name.Text, host)
	}
	jw.Name.SetText("Kitchen tablet")
	test.Type(jw.Code, h.code(t).Code)
	test.Tap(jw.Join)
	if jw.Err.Visible() {
		t.Fatalf("join again: %q", jw.Err.Text)
	}
	if sw.Err.Visible() || isShown(e.w, e.u.JoinAgain()) || sw.Pending.Text != "Changes waiting: 0" {
		t.Errorf("after joining again: error %q, Join again shown %v, pending %q", sw.Err.Text, isShown(e.w, e.u.JoinAgain()), sw.Pending.Text)
	}
	if dw := e.u.DevicesWidgets(); !contains(rowNames(dw), "Kitchen tablet") || dw.Note.Visible() || dw.Add.Disabled() {
		t.Errorf("after joining again: Devices shows %v, note %q", rowNames(dw), dw.Note.Text)
	}
}

func TestNormalizePairCodeAndJoinTarget(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"abcd-efgh", "ABCD-EFGH", true},
		{" AB CD EF GH ", "ABCD-EFGH", true},
		{"ABCDEFGH", "ABCD-EFGH", true},
		{"ABCD-EFG0", "", false}, // no 0 in a code
		{"ABCD-EFGI", "", false}, // no I
		{"ABCD-EFG", "", false},
		{"ABCD-EFGHJ", "", false},
		{"ÀBCD-EFGH", "", false},
	} {
		got, ok := ui.NormalizePairCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizePairCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if s, c, msg := ui.JoinTarget("", "https://freezer.example.org/pair/ABCD-EFGH"); s != "" || c != "https://freezer.example.org/pair/ABCD-EFGH" || msg != "" {
		t.Errorf("JoinTarget(link in code) = %q, %q, %q", s, c, msg)
	}
	if s, c, msg := ui.JoinTarget("https://freezer.example.org/pair/ABCD-EFGH", ""); s != "" || c == "" || msg != "" {
		t.Errorf("JoinTarget(link in server) = %q, %q, %q", s, c, msg)
	}
	if s, c, msg := ui.JoinTarget("https://freezer.example.org/", "abcd efgh"); s != "https://freezer.example.org" || c != "ABCD-EFGH" || msg != "" {
		t.Errorf("JoinTarget(server, code) = %q, %q, %q", s, c, msg)
	}
}

// TestAsyncPairingCountdown runs the pairing code's countdown on its own
// goroutine (as in the app; see asyncQueue): it ticks each second until
// the code expires.
func TestAsyncPairingCountdown(t *testing.T) {
	db := mustOpenDB(t)
	q := newAsyncQueue()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	en := "en"
	u := ui.New(a, w, app.New(db), ui.Options{Language: &en, Do: q.do})
	t.Cleanup(u.Close)
	link := "https://freezer.example.org/pair/ABCD-EFGH"
	u.ShowPairing(ui.PairingCode{Code: "ABCD-EFGH", Link: link, Expires: time.Now().Add(2 * time.Second)})
	pw := u.Pairing()
	seen := map[string]bool{}
	q.asyncRunUntil(t, "countdown", func() []string { return []string{pw.Countdown.Text} }, func() bool {
		seen[pw.Countdown.Text] = true
		return !pw.NewCode.Hidden
	})
	if !seen["Valid for 0:01"] || pw.Countdown.Text != "This code has expired: make a new one." {
		t.Errorf("countdown showed %v, ending with %q; want 0:01 then expired", seen, pw.Countdown.Text)
	}
}
