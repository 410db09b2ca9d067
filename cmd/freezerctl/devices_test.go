package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"freezer/sync/client"
	"freezer/sync/synctest"
)

// TestPairAndDevices: a device joins with freezerctl pair (a code, then a
// link), syncs, lists the devices, and once revoked from another device
// its sync says it was removed while its data stays.
func TestPairAndDevices(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	ctx := context.Background()
	srv, err := synctest.NewRealServer(t, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a", "a.db"), filepath.Join(dir, "b", "b.db"), filepath.Join(dir, "c", "c.db")

	code, _, errs := ctl(t, "", "-db", b, "devices")
	if code != 1 || !strings.Contains(errs, "no server yet") {
		t.Fatalf("devices before sign-in: exit %d, %q", code, errs)
	}
	mustCtl(t, "-db", a, "demo")
	mustCtl(t, "-db", a, "sync", "-server", ts.URL, "-token", srv.AuthToken())
	pc, err := client.NewPairingCode(ctx, nil, ts.URL, srv.AuthToken())
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ctl(t, "", "-db", b, "pair", pc.Code); code != 2 || !strings.Contains(errs, "-server") {
		t.Fatalf("pair without -server: exit %d, %q", code, errs)
	}
	if out := mustCtl(t, "-db", b, "pair", strings.ToLower(pc.Code), "-server", ts.URL, "-name", "Kitchen tablet"); !strings.Contains(out, "Joined the household") {
		t.Fatalf("pair: %q", out)
	}
	code, _, errs = ctl(t, "", "-db", c, "pair", pc.Code, "-server", ts.URL)
	if code != 1 || !strings.Contains(errs, "does not work") {
		t.Fatalf("pair with a used code: exit %d, %q", code, errs)
	}
	if out := mustCtl(t, "-db", b, "sync"); !strings.Contains(out, "pulled 35 changes") {
		t.Fatalf("the new device's sync:\n%s", out)
	}
	var list []deviceOut
	if err := json.Unmarshal([]byte(mustCtl(t, "-db", b, "devices", "-json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].Name != "Kitchen tablet" || !list[1].Current || list[0].Current || list[1].LastSync == "" ||
		!strings.HasPrefix(list[1].AppVersion, "freezerctl ") {
		t.Fatalf("devices -json = %+v", list)
	}
	text := mustCtl(t, "-db", a, "devices")
	if !strings.Contains(text, "Device 1 (this device)") || !strings.Contains(text, "Kitchen tablet") || strings.Contains(text, srv.AuthToken()) {
		t.Fatalf("devices:\n%s", text)
	}
	if code, _, errs := ctl(t, "", "-db", a, "devices", "-revoke", "x"); code != 2 {
		t.Fatalf("devices -revoke x: exit %d, %q", code, errs)
	}
	if out := mustCtl(t, "-db", a, "devices", "-revoke", strconv.FormatInt(list[1].ID, 10)); !strings.Contains(out, "removed") {
		t.Fatalf("devices -revoke: %q", out)
	}
	before := mustCtl(t, "-db", b, "export")
	code, _, errs = ctl(t, "", "-db", b, "sync")
	if code != 1 || !strings.Contains(errs, "removed from the household") || !strings.Contains(errs, "Join a household") {
		t.Fatalf("sync of a removed device: exit %d, %q", code, errs)
	}
	if after := mustCtl(t, "-db", b, "export"); after != before || !strings.Contains(after, "Soupe de Noël") {
		t.Fatal("the removed device's data changed")
	}

	// A code made with devices -add, redeemed by its link (no -server).
	text = mustCtl(t, "-db", a, "devices", "-add")
	if !strings.Contains(text, "Pairing code: ") || !strings.Contains(text, ts.URL+"/pair/") {
		t.Fatalf("devices -add:\n%s", text)
	}
	var made struct{ Code, Link, Expires string }
	if err := json.Unmarshal([]byte(mustCtl(t, "-db", a, "devices", "-add", "-json")), &made); err != nil || made.Link != ts.URL+"/pair/"+made.Code {
		t.Fatalf("devices -add -json = %+v, %v", made, err)
	}
	mustCtl(t, "-db", c, "pair", made.Link)
	if out := mustCtl(t, "-db", c, "sync"); !strings.Contains(out, "pulled 35 changes") {
		t.Fatalf("sync after pairing by link:\n%s", out)
	}

	// login names the device too.
	d := filepath.Join(dir, "d", "d.db")
	if code, _, errs := ctl(t, "correct horse battery\n", "-db", d, "login", "-server", ts.URL, "-email", "sync@example.org", "-name", "Laptop"); code != 0 {
		t.Fatalf("login: exit %d, %q", code, errs)
	}
	if text := mustCtl(t, "-db", d, "devices"); !strings.Contains(text, "Laptop (this device)") {
		t.Fatalf("devices after login -name:\n%s", text)
	}
}
