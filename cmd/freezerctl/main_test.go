package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"freezer/sync/synctest"
)

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// ctl runs freezerctl in-process and returns its exit status and outputs.
func ctl(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func mustCtl(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := ctl(t, "", args...)
	if code != 0 {
		t.Fatalf("freezerctl %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return strings.TrimSpace(out)
}

func TestInventoryCommands(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	db := filepath.Join(t.TempDir(), "a.db")
	fid := mustCtl(t, "-db", db, "freezer", "add", "-name", "garage", "-boxes", "3")
	pid := mustCtl(t, "-db", db, "product", "add", "-freezer", "garage", "-box", "2", "-name", "soup", "-type", "1",
		"-period", "6", "-in", "2026-01-02", "-quantity", "3", "-description", "tomato")
	mustCtl(t, "-db", db, "product", "edit", pid, "-name", "leek soup", "-box", "3")
	list := mustCtl(t, "-db", db, "list", "-freezer", fid, "-json")
	for _, want := range []string{`"name": "leek soup"`, `"box": 3`, `"slot": 1`, `"quantity": 3`} {
		if !strings.Contains(list, want) {
			t.Fatalf("list -json lacks %s:\n%s", want, list)
		}
	}
	mustCtl(t, "-db", db, "product", "out", pid[:8], "-date", "2026-02-01", "-discarded")
	if got := mustCtl(t, "-db", db, "list"); strings.Contains(got, pid) {
		t.Fatalf("list shows a product taken out:\n%s", got)
	}
	if got := mustCtl(t, "-db", db, "list", "-outside"); !strings.Contains(got, "discarded") {
		t.Fatalf("list -outside:\n%s", got)
	}
	mustCtl(t, "-db", db, "product", "back", pid)
	code, _, errs := ctl(t, "", "-db", db, "freezer", "delete", "garage")
	if code != 1 || !strings.Contains(errs, "still holds") {
		t.Fatalf("deleting a freezer with a product: exit %d, %q", code, errs)
	}
	code, _, errs = ctl(t, "", "-db", db, "product", "add", "-freezer", "garage")
	if code != 2 || !strings.Contains(errs, "needs") {
		t.Fatalf("product add without flags: exit %d, %q", code, errs)
	}
	js := mustCtl(t, "-db", db, "export")
	file := filepath.Join(t.TempDir(), "inv.json")
	writeFile(t, file, js)
	db2 := filepath.Join(t.TempDir(), "b.db")
	mustCtl(t, "-db", db2, "import", file)
	if got := mustCtl(t, "-db", db2, "export"); got != js {
		t.Fatalf("export after import differs:\n%s\nwant:\n%s", got, js)
	}
	if got := mustCtl(t, "-db", db2, "export", "-format", "csv"); !strings.HasPrefix(got, "id,name") {
		t.Fatalf("csv export: %q", got)
	}
	mustCtl(t, "-db", db2, "demo", "-products", "30")
	mustCtl(t, "-db", db2, "demo")
	if got := mustCtl(t, "-db", db2, "freezer", "list"); !strings.Contains(got, "frigo 1") {
		t.Fatalf("freezer list after demo:\n%s", got)
	}
}

func TestSyncCommands(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	srv := synctest.NewServer(testToken)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "a.db"), filepath.Join(dir, "b", "b.db")
	code, _, errs := ctl(t, "", "-db", a, "sync")
	if code != 1 || !strings.Contains(errs, "login") {
		t.Fatalf("sync before sign-in: exit %d, %q", code, errs)
	}
	mustCtl(t, "-db", a, "demo")
	out := mustCtl(t, "-db", a, "sync", "-server", ts.URL, "-token", testToken)
	if !strings.Contains(out, "pushed 35 changes") {
		t.Fatalf("first sync:\n%s", out)
	}
	out = mustCtl(t, "-db", b, "sync", "-server", ts.URL, "-token", testToken)
	if !strings.Contains(out, "pulled 35 changes") {
		t.Fatalf("second device's sync:\n%s", out)
	}
	// The token is remembered, never printed.
	mustCtl(t, "-db", a, "product", "add", "-freezer", "frigo 2", "-box", "1", "-name", "peas", "-type", "43", "-period", "6", "-in", "2026-01-01")
	beans := mustCtl(t, "-db", b, "product", "add", "-freezer", "frigo 2", "-box", "1", "-name", "beans", "-type", "43", "-period", "6", "-in", "2026-01-01")
	mustCtl(t, "-db", a, "sync")
	out = mustCtl(t, "-db", b, "sync")
	if !strings.Contains(out, `moved: "beans" `+beans+` was put in frigo 2 box 1 slot `) {
		t.Fatalf("sync with a slot collision:\n%s", out)
	}
	mustCtl(t, "-db", a, "sync")
	if ea, eb := mustCtl(t, "-db", a, "export"), mustCtl(t, "-db", b, "export"); ea != eb {
		t.Fatalf("exports differ:\n%s\n---\n%s", ea, eb)
	}
	st := mustCtl(t, "-db", b, "status")
	if strings.Contains(st, testToken) || !strings.Contains(st, "signed in:    yes") || !strings.Contains(st, `relabel:      "beans"`) {
		t.Fatalf("status:\n%s", st)
	}
	// A bad token fails with a sentence saying what to do.
	code, _, errs = ctl(t, "", "-db", a, "sync", "-token", "bad")
	if code != 1 || !strings.Contains(errs, "sign in again") {
		t.Fatalf("sync with a bad token: exit %d, %q", code, errs)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestListOverdueSoonestFirst: overdue and due-soon lists come soonest
// deadline first, like the app's overview; other lists by place.
func TestListOverdueSoonestFirst(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCtl(t, "-db", db, "freezer", "add", "-name", "alpha", "-boxes", "2")
	mustCtl(t, "-db", db, "freezer", "add", "-name", "beta", "-boxes", "2")
	// Place order: alpha 1, alpha 2, beta 1. Deadline order: beta, alpha 2, alpha 1.
	for _, p := range [][]string{
		{"alpha", "1", "late", "2025-06-01"},
		{"alpha", "2", "middle", "2025-03-01"},
		{"beta", "1", "oldest", "2024-01-01"},
	} {
		mustCtl(t, "-db", db, "product", "add", "-freezer", p[0], "-box", p[1], "-name", p[2], "-type", "1", "-period", "1", "-in", p[3])
	}
	mustCtl(t, "-db", db, "product", "add", "-freezer", "alpha", "-box", "1", "-name", "fresh", "-type", "1", "-period", "24")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"list"}, []string{"late", "fresh", "middle", "oldest"}}, // fresh: alpha box 1 slot 2
		{[]string{"list", "-overdue"}, []string{"oldest", "middle", "late"}},
		{[]string{"list", "-overdue", "-json"}, []string{"oldest", "middle", "late"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out := mustCtl(t, append([]string{"-db", db}, tt.args...)...)
			var got []string
			for _, name := range []string{"fresh", "late", "middle", "oldest"} {
				if i := strings.Index(out, name); i >= 0 {
					got = append(got, fmt.Sprintf("%06d %s", i, name))
				}
			}
			slices.Sort(got)
			for i := range got {
				got[i] = got[i][7:]
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("freezerctl %s = %v, want %v:\n%s", strings.Join(tt.args, " "), got, tt.want, out)
			}
		})
	}
	help := mustCtl(t, "help")
	for _, want := range []string{"freezer list [-json]                     list the freezers, by name", "soonest deadline first (like the app)", "freezerctl does not retry"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}

// TestSyncFailureWording: freezerctl does not retry, so it never says
// "the app will retry": it says to run the command again.
func TestSyncFailureWording(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	db := filepath.Join(t.TempDir(), "a.db")
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"sync, server down", "", []string{"sync", "-server", downURL, "-token", testToken},
			"freezerctl: The server " + downURL + " cannot be reached: check the network connection and the server's address, then run freezerctl sync again.\n"},
		{"login, server down", "a long password\n", []string{"login", "-server", downURL, "-email", "anne@example.com"},
			"freezerctl: The server " + downURL + " cannot be reached: check the network connection and the server's address, then run freezerctl login again.\n"},
		{"sync, server error", "", []string{"sync", "-server", failing.URL, "-token", testToken},
			"freezerctl: The server " + failing.URL + " had a problem (status 503): run freezerctl sync again later; if it keeps happening, tell the server's administrator.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := ctl(t, tt.stdin, append([]string{"-db", db}, tt.args...)...)
			if code != 1 || errs != tt.want {
				t.Fatalf("freezerctl %s: exit %d, stderr\n%q\nwant exit 1, stderr\n%q", strings.Join(tt.args, " "), code, errs, tt.want)
			}
			if strings.Contains(errs, "the app") {
				t.Errorf("stderr speaks of the app: %q", errs)
			}
		})
	}
}
