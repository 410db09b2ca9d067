package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"freezer/server"
)

type pairingJSON struct {
	Code    string
	Link    string
	Expires time.Time
}

type pairedJSON struct {
	Token   string
	Account struct {
		ID    int64
		Email string
	}
	Device deviceDoc
}

type deviceDoc struct {
	ID         int64
	Name       string
	Created    time.Time
	LastSync   *time.Time `json:"last_sync"`
	AppVersion string     `json:"app_version"`
	Current    bool
}

// mustPairing makes a pairing code for the token's account.
func (e *env) mustPairing(t *testing.T, token string) pairingJSON {
	t.Helper()
	w := e.do(t, request{method: "POST", path: "/api/v1/pairing", bearer: token})
	if w.Code != http.StatusCreated {
		t.Fatalf("POST /api/v1/pairing = %d %s", w.Code, w.Body)
	}
	return decode[pairingJSON](t, w)
}

func (e *env) pair(t *testing.T, code, device, remote string) (int, string) {
	t.Helper()
	w := e.do(t, request{method: "POST", path: "/api/v1/pair", remote: remote,
		body: fmt.Sprintf(`{"code": %q, "device": %q, "app_version": "1.4.2"}`, code, device)})
	return w.Code, w.Body.String()
}

func (e *env) devices(t *testing.T, token string) []deviceDoc {
	t.Helper()
	w := e.do(t, request{method: "GET", path: "/api/v1/devices", bearer: token})
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/devices = %d %s", w.Code, w.Body)
	}
	return decode[[]deviceDoc](t, w)
}

// TestPairingCodeWorksOnce: a code made on a signed-in device gives a new
// device a token of its own, in the household, once; typed in any case,
// without its dash or with spaces.
func TestPairingCodeWorksOnce(t *testing.T) {
	e := newEnv(t)
	p := e.mustPairing(t, e.a)
	if len(p.Code) != 9 || p.Code[4] != '-' || strings.Trim(strings.ReplaceAll(p.Code, "-", ""), server.PairingAlphabet) != "" {
		t.Fatalf("code = %q, want ABCD-EFGH from the alphabet", p.Code)
	}
	if want := "http://example.com/pair/" + p.Code; p.Link != want {
		t.Errorf("link = %q, want %q", p.Link, want)
	}
	if want := today.Add(server.PairingTTL); !p.Expires.Equal(want) {
		t.Errorf("expires = %v, want %v", p.Expires, want)
	}
	typed := " " + strings.ToLower(p.Code[:4]) + " " + strings.ToLower(p.Code[5:]) + " "
	status, body := e.pair(t, typed, "Kitchen tablet", "")
	if status != http.StatusCreated {
		t.Fatalf("pair = %d %s", status, body)
	}
	got := decode[pairedJSON](t, httptestRecorder(body))
	if got.Account.ID != e.aID || got.Account.Email != "alice@example.com" || got.Device.Name != "Kitchen tablet" ||
		got.Device.AppVersion != "1.4.2" || !got.Device.Current || len(got.Token) != 64 || got.Token == e.a {
		t.Fatalf("pair = %+v", got)
	}
	w := e.do(t, request{method: "GET", path: "/api/v1/products?where=all", bearer: got.Token})
	if w.Code != http.StatusOK || len(decode[[]vProduct](t, w)) != len(e.aProducts) {
		t.Fatalf("the new device's products = %d %s", w.Code, w.Body)
	}
	status, again := e.pair(t, p.Code, "Second tablet", "")
	if status != http.StatusBadRequest || !strings.Contains(again, "does not work") {
		t.Fatalf("pair again = %d %s, want 400", status, again)
	}
	if ds := e.devices(t, e.a); len(ds) != 2 || ds[1].Name != "Kitchen tablet" || !ds[0].Current || ds[1].Current {
		t.Fatalf("devices = %+v", ds)
	}
}

// TestPairingCodeExpires: a code works until 10 minutes after it was made,
// not after.
func TestPairingCodeExpires(t *testing.T) {
	e := newEnv(t)
	early, late := e.mustPairing(t, e.a), e.mustPairing(t, e.a)
	e.clock.Add(server.PairingTTL - time.Second)
	if status, body := e.pair(t, early.Code, "", ""); status != http.StatusCreated {
		t.Fatalf("pair 1 s before expiry = %d %s", status, body)
	}
	e.clock.Add(time.Second)
	if status, body := e.pair(t, late.Code, "", ""); status != http.StatusBadRequest || !strings.Contains(body, "does not work") {
		t.Fatalf("pair at expiry = %d %s, want 400", status, body)
	}
}

// TestWrongPairingCodeRevealsNothingAndIsRateLimited: wrong, used and
// expired codes get the very same answer; after 5 wrong codes an address
// waits (even with a right code), other addresses do not.
func TestWrongPairingCodeRevealsNothingAndIsRateLimited(t *testing.T) {
	e := newEnv(t)
	used, expired := e.mustPairing(t, e.a), e.mustPairing(t, e.b)
	if status, body := e.pair(t, used.Code, "", "192.0.2.9:1"); status != http.StatusCreated {
		t.Fatalf("pair = %d %s", status, body)
	}
	e.clock.Add(server.PairingTTL)
	right := e.mustPairing(t, e.a)
	var answers []string
	for i, code := range []string{"ZZZZ-ZZZZ", used.Code, expired.Code, "2345-6789", "ABCD-EFGH"} {
		status, body := e.pair(t, code, "", "192.0.2.1:1")
		if status != http.StatusBadRequest {
			t.Fatalf("wrong code %d = %d %s, want 400", i, status, body)
		}
		answers = append(answers, body)
	}
	for i, a := range answers[1:] {
		if a != answers[0] {
			t.Errorf("answer %d = %s, want the same as a wrong code's: %s", i+1, a, answers[0])
		}
	}
	w := e.do(t, request{method: "POST", path: "/api/v1/pair", remote: "192.0.2.1:1", body: `{"code": "` + right.Code + `"}`})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || decode[problemDoc](t, w).Code != "rate_limited" {
		t.Fatalf("6th try from the address = %d %s, want 429 with Retry-After", w.Code, w.Body)
	}
	if status, body := e.pair(t, "ZZZZ-ZZZZ", "", "192.0.2.2:1"); status != http.StatusBadRequest {
		t.Fatalf("another address = %d %s, want 400 (not limited)", status, body)
	}
	// A malformed code is told so, and counts nothing.
	if status, body := e.pair(t, "ABC", "", "192.0.2.3:1"); status != http.StatusBadRequest || !strings.Contains(body, "8 letters and digits") {
		t.Fatalf("malformed code = %d %s", status, body)
	}
	e.clock.Add(2 * time.Second)
	if status, body := e.pair(t, right.Code, "", "192.0.2.1:1"); status != http.StatusCreated {
		t.Fatalf("right code after the wait = %d %s", status, body)
	}
}

// TestPairingCodesPerAccountAreBounded: an account makes at most 10 codes
// a minute.
func TestPairingCodesPerAccountAreBounded(t *testing.T) {
	e := newEnv(t)
	for range 10 {
		e.mustPairing(t, e.a)
	}
	w := e.do(t, request{method: "POST", path: "/api/v1/pairing", bearer: e.a})
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("11th code = %d %s, want 429", w.Code, w.Body)
	}
	e.mustPairing(t, e.b)
	e.clock.Add(time.Minute)
	e.mustPairing(t, e.a)
}

// TestLoginAtTheDeviceLimitNamesTheDevice: login and pairing at 32
// devices are refused with the device unused the longest named; once it
// is revoked both work.
func TestLoginAtTheDeviceLimitNamesTheDevice(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var oldPhone server.Device
	for i := 2; i <= server.MaxDevices; i++ {
		e.clock.Add(time.Minute)
		_, hash := server.NewToken()
		name := fmt.Sprint("Phone ", i)
		if i == 3 {
			name = "Old phone"
		}
		d, err := e.store.AddDevice(ctx, e.aID, hash, server.NewDevice{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			oldPhone = d
		}
	}
	e.clock.Add(time.Hour)
	for _, d := range e.devices(t, e.a) {
		if d.ID != oldPhone.ID {
			if err := e.store.TouchDevice(ctx, d.ID, e.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	code := e.mustPairing(t, e.a)
	login := `{"email": "alice@example.com", "password": "correct horse", "device": "Laptop", "app_version": "2.0"}`
	w := e.do(t, post("/api/v1/login", login))
	p := decode[problemDoc](t, w)
	if w.Code != http.StatusConflict || !strings.Contains(p.Detail, `"Old phone"`) || !strings.Contains(p.Detail, fmt.Sprint("-revoke ", oldPhone.ID)) {
		t.Fatalf("login at the limit = %d %s, want 409 naming Old phone", w.Code, w.Body)
	}
	if status, body := e.pair(t, code.Code, "Tablet", ""); status != http.StatusConflict || !strings.Contains(body, "Old phone") {
		t.Fatalf("pair at the limit = %d %s, want 409 naming Old phone", status, body)
	}
	if w := e.do(t, request{method: "DELETE", path: fmt.Sprint("/api/v1/devices/", oldPhone.ID), bearer: e.a}); w.Code != http.StatusNoContent {
		t.Fatalf("revoke = %d %s", w.Code, w.Body)
	}
	if status, body := e.pair(t, code.Code, "Tablet", ""); status != http.StatusCreated {
		t.Fatalf("pair after the revoke = %d %s, want the same code to work", status, body)
	}
	if w := e.do(t, post("/api/v1/login", login)); w.Code != http.StatusConflict {
		t.Fatalf("login at the limit again = %d %s", w.Code, w.Body)
	}
}

// TestLoginNamesTheDevice: a login's device name and app version are
// kept; a bad name is refused before the password is checked.
func TestLoginNamesTheDevice(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, post("/api/v1/login", `{"email": "alice@example.com", "password": "correct horse", "device": " Laptop ", "app_version": "2.0"}`))
	if w.Code != http.StatusOK {
		t.Fatalf("login = %d %s", w.Code, w.Body)
	}
	token := decode[struct{ Token string }](t, w).Token
	ds := e.devices(t, token)
	if len(ds) != 2 || ds[0].Name != "Device 1" || ds[1].Name != "Laptop" || ds[1].AppVersion != "2.0" || !ds[1].Current {
		t.Fatalf("devices = %+v", ds)
	}
	for _, body := range []string{`"device": "bad\u0007name"`, `"device": "` + strings.Repeat("x", server.MaxDeviceName+1) + `"`, `"app_version": "` + strings.Repeat("9", 41) + `"`} {
		w := e.do(t, post("/api/v1/login", `{"email": "alice@example.com", "password": "correct horse", `+body+`}`))
		if w.Code != http.StatusBadRequest {
			t.Errorf("login with %s = %d %s, want 400", body, w.Code, w.Body)
		}
	}
	if w := e.do(t, post("/api/v1/login", `{"email": "alice@example.com", "password": "correct horse"}`)); w.Code != http.StatusOK {
		t.Fatalf("login without a device = %d %s", w.Code, w.Body)
	}
	if ds := e.devices(t, token); len(ds) != 3 || ds[2].Name != "Device 3" {
		t.Fatalf("devices = %+v, want Device 3 last", ds)
	}
}

// TestRevokedDeviceIsToldItWasRemoved: a revoked device's requests answer
// 401 device_removed with the words; the compat API keeps its BAD_TOKEN;
// a device cannot revoke itself; renames validate the name.
func TestRevokedDeviceIsToldItWasRemoved(t *testing.T) {
	e := newEnv(t)
	status, body := e.pair(t, e.mustPairing(t, e.a).Code, "Kitchen tablet", "")
	if status != http.StatusCreated {
		t.Fatalf("pair = %d %s", status, body)
	}
	tablet := decode[pairedJSON](t, httptestRecorder(body))
	path := fmt.Sprint("/api/v1/devices/", tablet.Device.ID)
	for _, c := range []struct {
		body string
		want int
	}{{`{"name": "Tablette cuisine"}`, 204}, {`{"name": ""}`, 400}, {`{"name": "a\tb"}`, 400}, {`{}`, 400}, {`{"name": 3}`, 400}} {
		if w := e.do(t, request{method: "PATCH", path: path, bearer: e.a, body: c.body}); w.Code != c.want {
			t.Errorf("PATCH %s = %d %s, want %d", c.body, w.Code, w.Body, c.want)
		}
	}
	for _, p := range []string{"/api/v1/devices/999", "/api/v1/devices/x", "/api/v1/devices/-1"} {
		if w := e.do(t, request{method: "DELETE", path: p, bearer: e.a}); w.Code != http.StatusNotFound {
			t.Errorf("DELETE %s = %d, want 404", p, w.Code)
		}
	}
	if w := e.do(t, request{method: "DELETE", path: path, bearer: tablet.Token}); w.Code != http.StatusConflict {
		t.Fatalf("revoke itself = %d %s, want 409", w.Code, w.Body)
	}
	if w := e.do(t, request{method: "DELETE", path: path, bearer: e.a}); w.Code != http.StatusNoContent {
		t.Fatalf("revoke = %d %s", w.Code, w.Body)
	}
	w := e.do(t, request{method: "GET", path: "/api/v1/sync/pull?cursor=0", bearer: tablet.Token})
	p := decode[problemDoc](t, w)
	if w.Code != http.StatusUnauthorized || p.Code != server.CodeDeviceRemoved || p.Detail != server.MsgDeviceRemoved {
		t.Fatalf("removed device's pull = %d %s, want 401 device_removed", w.Code, w.Body)
	}
	if w := e.do(t, get("/freezers/"+tablet.Token)); w.Code != http.StatusBadRequest || decode[compatErr](t, w).Details != BAD_TOKEN {
		t.Fatalf("removed device on the compat API = %d %s", w.Code, w.Body)
	}
	if w := e.do(t, request{method: "GET", path: "/api/v1/account", bearer: strings.Repeat("0", 64)}); decode[problemDoc](t, w).Code != "unauthorized" {
		t.Fatalf("unknown token = %s, want unauthorized", w.Body)
	}
	if ds := e.devices(t, e.a); len(ds) != 1 || ds[0].Name != "Device 1" {
		t.Fatalf("devices after the revoke = %+v", ds)
	}
}

// TestSyncRecordsLastSyncOncePerMinute: a device's sync requests record
// its last sync, at most once a minute.
func TestSyncRecordsLastSyncOncePerMinute(t *testing.T) {
	e := newEnv(t)
	pull := func() {
		t.Helper()
		if w := e.do(t, request{method: "GET", path: "/api/v1/sync/pull?cursor=0", bearer: e.a}); w.Code != http.StatusOK {
			t.Fatalf("pull = %d %s", w.Code, w.Body)
		}
	}
	lastSync := func() time.Time {
		t.Helper()
		ds := e.devices(t, e.a)
		if ds[0].LastSync == nil {
			return time.Time{}
		}
		return *ds[0].LastSync
	}
	if got := lastSync(); !got.IsZero() {
		t.Fatalf("last sync before any = %v", got)
	}
	pull()
	start := e.clock.Now()
	if got := lastSync(); !got.Equal(start) {
		t.Fatalf("last sync = %v, want %v", got, start)
	}
	e.clock.Add(30 * time.Second)
	pull()
	if got := lastSync(); !got.Equal(start) {
		t.Fatalf("last sync 30 s later = %v, want %v unchanged", got, start)
	}
	e.clock.Add(31 * time.Second)
	pull()
	if got, want := lastSync(), start.Add(61*time.Second); !got.Equal(want) {
		t.Fatalf("last sync 61 s later = %v, want %v", got, want)
	}
}

// TestLinksUsePublicURL: pairing links and feed URLs use Config.PublicURL
// when set; else the request's host, with https only when a trusted
// proxy (ClientIPHeader set) says X-Forwarded-Proto: https.
func TestLinksUsePublicURL(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.PublicURL = "https://freezer.example/" })
	if p := e.mustPairing(t, e.a); p.Link != "https://freezer.example/pair/"+p.Code {
		t.Errorf("link with a public URL = %q", p.Link)
	}
	if f := e.feed(t, "GET", e.a, ""); !strings.HasPrefix(f.CalendarURL, "https://freezer.example/api/v1/calendar/") {
		t.Errorf("calendar URL with a public URL = %q", f.CalendarURL)
	}
	proto := http.Header{"X-Forwarded-Proto": {"https"}}
	for _, c := range []struct {
		header string
		want   string
	}{{"", "http://example.com/pair/"}, {"X-Forwarded-For", "https://example.com/pair/"}} {
		e := newEnv(t, func(cfg *server.Config) { cfg.ClientIPHeader = c.header })
		w := e.do(t, request{method: "POST", path: "/api/v1/pairing", bearer: e.a, header: proto})
		if link := decode[pairingJSON](t, w).Link; !strings.HasPrefix(link, c.want) {
			t.Errorf("link behind proxy header %q = %q, want %s...", c.header, link, c.want)
		}
	}
}
