package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/sync/protocol"
)

// The -json contract, as a script reads it: these types are the test's own
// (not the command's), so that a renamed key fails here.

type tPlace struct {
	FreezerID string `json:"freezer_id"`
	Freezer   string `json:"freezer"`
	Box       int    `json:"box"`
	Slot      int    `json:"slot"`
}

type tMove struct {
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	PutAt     tPlace `json:"put_at"`
	NowAt     tPlace `json:"now_at"`
}

type tRefusal struct {
	MutationID string `json:"mutation_id"`
	Entity     string `json:"entity"`
	EntityID   string `json:"entity_id"`
	Reason     string `json:"reason"`
	Dropped    bool   `json:"dropped"`
}

type tSync struct {
	Result     string     `json:"result"`
	ExitStatus int        `json:"exit_status"`
	Server     string     `json:"server"`
	Pushed     int        `json:"pushed"`
	Applied    int        `json:"applied"`
	Duplicates int        `json:"duplicates"`
	Refused    int        `json:"refused"`
	Pulled     int        `json:"pulled"`
	Changed    int        `json:"changed"`
	EpochReset bool       `json:"epoch_reset"`
	Moves      []tMove    `json:"moves"`
	Refusals   []tRefusal `json:"refusals"`
	Pending    *int       `json:"pending"`
	TookMS     int64      `json:"took_ms"`
	Error      *struct {
		Kind    string `json:"kind"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

type tStatus struct {
	Database           string `json:"database"`
	DeviceID           string `json:"device_id"`
	Server             string `json:"server"`
	SignedIn           bool   `json:"signed_in"`
	LastSync           string `json:"last_sync"`
	Pending            int    `json:"pending"`
	Cursor             int64  `json:"cursor"`
	ClockOffset        string `json:"clock_offset"`
	ServerCorrectionMS int64  `json:"server_correction_ms"`
	Relabel            []struct {
		ProductID string  `json:"product_id"`
		Name      string  `json:"name"`
		NowAt     tPlace  `json:"now_at"`
		PutAt     *tPlace `json:"put_at"`
		By        string  `json:"by"`
		At        string  `json:"at"`
	} `json:"relabel"`
}

type tProduct struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	DateIn  string `json:"date_in"`
	Relabel bool   `json:"relabel"`
	tPlace
}

var syncKeys = []string{"result", "exit_status", "server", "pushed", "applied", "duplicates", "refused", "pulled",
	"changed", "epoch_reset", "moves", "refusals", "pending", "took_ms", "error"}

var statusKeys = []string{"database", "device_id", "server", "signed_in", "last_sync", "pending", "cursor",
	"clock_offset", "server_correction_ms", "relabel"}

// decode parses out into v and checks that every key of keys is there.
func decode(t *testing.T, out string, v any, keys []string) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("not JSON: %v:\n%s", err, out)
	}
	if keys == nil {
		return
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not a JSON object: %v:\n%s", err, out)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q:\n%s", k, out)
		}
	}
}

// syncJSONRun runs sync -json and decodes its output; it checks the exit
// status against the one the JSON states.
func syncJSONRun(t *testing.T, db string, args ...string) (int, tSync, string) {
	t.Helper()
	code, out, errs := ctl(t, "", append([]string{"-db", db, "sync", "-json"}, args...)...)
	var got tSync
	decode(t, out, &got, syncKeys)
	if got.ExitStatus != code {
		t.Fatalf("sync -json: exit %d, JSON says exit_status %d:\n%s\nstderr: %s", code, got.ExitStatus, out, errs)
	}
	if got.Moves == nil || got.Refusals == nil {
		t.Fatalf("sync -json: moves and refusals must be arrays, never null:\n%s", out)
	}
	return code, got, errs
}

// mustRealServer returns freezerd's handler over a SQLite file in a
// temporary folder, and the token of an account registered on it.
func mustRealServer(t *testing.T) (http.Handler, string) {
	t.Helper()
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "freezerd.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler), Limits: server.Limits{Disabled: true}, BcryptCost: 4})
	req := httptest.NewRequest(http.MethodPost, protocol.RegisterPath,
		strings.NewReader(`{"email": "anne@example.org", "password": "correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var tr struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &tr); err != nil || tr.Token == "" {
		t.Fatalf("register = %d %s", w.Code, w.Body)
	}
	return h, tr.Token
}

func findProductJSON(t *testing.T, db, id string) tProduct {
	t.Helper()
	var list []tProduct
	decode(t, mustCtl(t, "-db", db, "list", "-all", "-json"), &list, nil)
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("list -all -json lacks product %s", id)
	return tProduct{}
}

// TestSyncJSON: sync -json and status -json say what a round did, with ids,
// and the exit status tells success (0), partial success (3) and failure
// (1) apart.
func TestSyncJSON(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	h, token := mustRealServer(t)
	var failPull atomic.Bool // the server fails every pull
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failPull.Load() && r.URL.Path == protocol.PullPath {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "a.db"), filepath.Join(dir, "b", "b.db")

	mustCtl(t, "-db", a, "demo")
	code, got, errs := syncJSONRun(t, a, "-server", ts.URL, "-token", token)
	if code != 0 || got.Result != "ok" || got.Pushed == 0 || got.Applied != got.Pushed || got.Refused != 0 ||
		got.Pending == nil || *got.Pending != 0 || got.Error != nil || got.Server != ts.URL {
		t.Fatalf("first sync: exit %d, %+v, stderr %q", code, got, errs)
	}
	pushed := got.Pushed
	if code, got, _ = syncJSONRun(t, b, "-server", ts.URL, "-token", token); code != 0 || got.Pulled < pushed || got.Changed == 0 {
		t.Fatalf("second device's first sync: exit %d, %+v; want %d or more pulled", code, got, pushed)
	}

	// A slot collision: both devices fill the same free slot while apart.
	peas := mustCtl(t, "-db", a, "product", "add", "-freezer", "frigo 2", "-box", "1", "-name", "peas", "-type", "43", "-period", "6")
	beans := mustCtl(t, "-db", b, "product", "add", "-freezer", "frigo 2", "-box", "1", "-name", "beans", "-type", "43", "-period", "6")
	putAt := findProductJSON(t, b, beans).tPlace
	mustCtl(t, "-db", a, "sync")
	code, got, _ = syncJSONRun(t, b)
	if code != 0 || len(got.Moves) != 1 {
		t.Fatalf("sync with a slot collision: exit %d, %+v; want one move", code, got)
	}
	m := got.Moves[0]
	after := findProductJSON(t, b, beans)
	if m.ProductID != beans || m.Name != "beans" || m.PutAt != putAt || m.NowAt != after.tPlace || m.NowAt == m.PutAt ||
		m.PutAt.Freezer != "frigo 2" || m.PutAt.FreezerID == "" || !after.Relabel {
		t.Fatalf("move = %+v; want beans %s from %+v to its place now %+v (relabel %v)", m, beans, putAt, after.tPlace, after.Relabel)
	}
	if p := findProductJSON(t, b, peas); p.tPlace != putAt {
		t.Fatalf("peas at %+v, want the slot beans was put in, %+v", p.tPlace, putAt)
	}

	var st tStatus
	decode(t, mustCtl(t, "-db", b, "status", "-json"), &st, statusKeys)
	if st.Server != ts.URL || !st.SignedIn || st.Pending != 0 || st.Cursor == 0 || st.LastSync == "" || st.DeviceID == "" ||
		st.Database != b || st.ClockOffset != "" || len(st.Relabel) != 1 || st.Relabel[0].ProductID != beans || st.Relabel[0].NowAt != m.NowAt {
		t.Fatalf("status -json = %+v", st)
	}
	if r := st.Relabel[0]; r.PutAt == nil || *r.PutAt != putAt || r.By == "" || r.At == "" {
		t.Fatalf("status -json relabel = %+v, want put at %+v, by a device, at a time", r, putAt)
	}
	if text := mustCtl(t, "-db", b, "status"); !strings.Contains(text, `relabel:      "beans" `+beans+" is now in frigo 2") ||
		!strings.Contains(text, fmt.Sprintf("(put in frigo 2, box %d, slot %d by device ", putAt.Box, putAt.Slot)) {
		t.Fatalf("status names the product to relabel by name and id, and where it was put:\n%s", text)
	}
	testRelabelled(t, a, b, beans)

	testSyncPartial(t, a, b)
	testSyncFailures(t, &failPull, a, token)
}

// testRelabelled: marking the label changed on b clears the notice on b at
// once and on a after both sync.
func testRelabelled(t *testing.T, a, b, beans string) {
	t.Helper()
	mustCtl(t, "-db", a, "sync")
	if st := statusOf(t, a); len(st.Relabel) != 1 || st.Relabel[0].ProductID != beans {
		t.Fatalf("a's relabel list before = %+v, want beans", st.Relabel)
	}
	if out := mustCtl(t, "-db", b, "relabelled", beans); !strings.Contains(out, "cleared 1 relabel notices") {
		t.Fatalf("relabelled = %q", out)
	}
	if st := statusOf(t, b); len(st.Relabel) != 0 {
		t.Fatalf("b's relabel list after relabelled = %+v, want none", st.Relabel)
	}
	mustCtl(t, "-db", b, "sync")
	mustCtl(t, "-db", a, "sync")
	if st := statusOf(t, a); len(st.Relabel) != 0 {
		t.Fatalf("a's relabel list after b's relabelled and a sync = %+v, want none", st.Relabel)
	}
}

func statusOf(t *testing.T, db string) tStatus {
	t.Helper()
	var st tStatus
	decode(t, mustCtl(t, "-db", db, "status", "-json"), &st, statusKeys)
	return st
}

// testSyncPartial: a freezer deleted on b while a filled it is refused:
// the round completes, exit status 3.
func testSyncPartial(t *testing.T, a, b string) {
	t.Helper()
	shed := mustCtl(t, "-db", b, "freezer", "add", "-name", "shed", "-boxes", "2")
	mustCtl(t, "-db", b, "sync")
	mustCtl(t, "-db", a, "sync")
	mustCtl(t, "-db", a, "product", "add", "-freezer", shed, "-box", "1", "-name", "ice", "-type", "1", "-period", "6")
	mustCtl(t, "-db", a, "sync")
	mustCtl(t, "-db", b, "freezer", "delete", shed) // empty on b, which has not pulled yet
	code, got, errs := syncJSONRun(t, b)
	if code != 3 || got.Result != "partial" || got.Refused != 1 || len(got.Refusals) != 1 || got.Error != nil {
		t.Fatalf("sync of a refused delete: exit %d, %+v, stderr %q; want exit 3, partial, one refusal", code, got, errs)
	}
	if r := got.Refusals[0]; r.Entity != "freezer" || r.EntityID != shed || r.Dropped || r.Reason == "" || r.MutationID == "" {
		t.Fatalf("refusal = %+v; want freezer %s, not dropped, with a reason", r, shed)
	}
	if !strings.Contains(errs, "refused 1 change") {
		t.Errorf("stderr = %q, want it to say one change was refused", errs)
	}
	if list := mustCtl(t, "-db", b, "freezer", "list"); !strings.Contains(list, shed) {
		t.Fatalf("the refused delete leaves the freezer on b:\n%s", list)
	}
	if code, _, _ := ctl(t, "", "-db", b, "sync"); code != 0 {
		t.Fatalf("next sync: exit %d, want 0", code)
	}
}

// testSyncFailures: a round that pushed then failed to pull, and a server
// that cannot be reached, exit 1; the JSON says what was done.
func testSyncFailures(t *testing.T, failPull *atomic.Bool, a, token string) {
	t.Helper()
	failPull.Store(true)
	mustCtl(t, "-db", a, "freezer", "add", "-name", "cellar", "-boxes", "1")
	code, got, errs := syncJSONRun(t, a)
	failPull.Store(false)
	if code != 1 || got.Result != "failed" || got.Pushed != 1 || got.Applied != 1 || got.Pending == nil || *got.Pending != 0 ||
		got.Error == nil || got.Error.Kind != "server" || got.Error.Message == "" || !strings.Contains(errs, "status 503") {
		t.Fatalf("push then a failed pull: exit %d, %+v, stderr %q; want exit 1 with 1 pushed and applied", code, got, errs)
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	mustCtl(t, "-db", a, "freezer", "add", "-name", "attic", "-boxes", "1")
	code, got, _ = syncJSONRun(t, a, "-server", down.URL, "-token", token)
	if code != 1 || got.Result != "failed" || got.Pushed != 0 || got.Pending == nil || *got.Pending != 1 ||
		got.Error == nil || got.Error.Kind != "offline" || got.Error.Code != "unavailable" || !strings.Contains(got.Error.Message, "cannot be reached") {
		t.Fatalf("server down: exit %d, %+v; want exit 1, offline, 1 pending", code, got)
	}

	// Not signed in to a server: a failure too, with its kind.
	other := filepath.Join(t.TempDir(), "c.db")
	code, got, _ = syncJSONRun(t, other)
	if code != 1 || got.Error == nil || got.Error.Kind != "no_server" || got.Pending == nil || *got.Pending != 0 {
		t.Fatalf("sync without a server: exit %d, %+v", code, got)
	}
	if code, out, _ := ctl(t, "", "-db", other, "sync", "-json", "-server", "nowhere"); code != 2 || out != "" {
		t.Fatalf("sync -json with a bad -server: exit %d, stdout %q; want 2 and nothing", code, out)
	}
}

func TestTypes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	var types []struct {
		ID     int    `json:"id"`
		NameEN string `json:"name_en"`
		NameFR string `json:"name_fr"`
	}
	decode(t, mustCtl(t, "-db", db, "types", "-json"), &types, nil)
	if len(types) < 40 || types[0].ID != 1 || types[0].NameEN == "" || types[0].NameFR == "" {
		t.Fatalf("types -json = %+v", types)
	}
	text := mustCtl(t, "-db", db, "types")
	lines := strings.Split(text, "\n")
	if !slices.Equal(strings.Fields(lines[0]), []string{"ID", "ENGLISH", "FRENCH"}) || len(lines) != len(types)+1 ||
		!strings.HasPrefix(lines[1], "1 ") || !strings.Contains(lines[1], types[0].NameEN) || !strings.Contains(lines[1], types[0].NameFR) {
		t.Fatalf("types:\n%s", text)
	}
	mustCtl(t, "-db", db, "freezer", "add", "-name", "garage", "-boxes", "1")
	code, _, errs := ctl(t, "", "-db", db, "product", "add", "-freezer", "garage", "-box", "1", "-name", "x", "-type", "999", "-period", "1")
	if code != 1 || !strings.Contains(errs, "Product type 999 does not exist") || !strings.Contains(errs, "freezerctl types") {
		t.Fatalf("a bad type: exit %d, stderr %q; want it to point at freezerctl types", code, errs)
	}
}

func TestProductLabel(t *testing.T) {
	const id = "01900000-0000-7000-8000-000000000001"
	if got, want := productLabel("", id), "(no name) "+id; got != want {
		t.Errorf("productLabel(\"\") = %q, want %q", got, want)
	}
	if got, want := productLabel(`leek "soup"`, id), `"leek \"soup\"" `+id; got != want {
		t.Errorf("productLabel() = %q, want %q", got, want)
	}
}

func TestHelpDocumentsScripts(t *testing.T) {
	help := mustCtl(t, "help")
	for _, want := range []string{"Exit status:", "  3  sync only", "FREEZER_TOKEN_STORE", "FREEZER_CLOCK_OFFSET",
		"-clock-offset OFFSET", "types [-json]", `"refusals": [{"mutation_id", "entity", "entity_id"`,
		`"relabel": [{"product_id", "name", "now_at": PLACE, "put_at": PLACE, "by", "at"}]`} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	for _, keys := range [][]string{syncKeys, statusKeys} {
		for _, k := range keys {
			if !strings.Contains(help, `"`+k+`"`) {
				t.Errorf("help does not document the key %q", k)
			}
		}
	}
}
