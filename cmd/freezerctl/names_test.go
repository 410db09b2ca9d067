package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNamesFreezerAddRefusesATakenName: freezer names are unique ignoring
// case and accents; the refusal says which freezer has the name and what
// to do, exits 1, and adds nothing.
func TestNamesFreezerAddRefusesATakenName(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCtl(t, "-db", db, "freezer", "add", "-name", "Cellier", "-boxes", "3")
	for _, name := range []string{"Cellier", "cellier", "CELLIÉR"} {
		code, out, errs := ctl(t, "", "-db", db, "freezer", "add", "-name", name, "-boxes", "2")
		want := "freezerctl: A freezer named “Cellier” already exists. Choose another name.\n"
		if code != exitFailure || errs != want || out != "" {
			t.Errorf("freezer add -name %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", name, code, out, errs, want)
		}
	}
	if got := mustCtl(t, "-db", db, "freezer", "list"); strings.Count(got, "\n") != 1 || !strings.Contains(got, "Cellier") {
		t.Errorf("freezer list after the refusals:\n%s\nwant the header and Cellier only", got)
	}
	// A deleted freezer's name is free again.
	mustCtl(t, "-db", db, "freezer", "delete", "cellier")
	mustCtl(t, "-db", db, "freezer", "add", "-name", "cellier", "-boxes", "2")
}
