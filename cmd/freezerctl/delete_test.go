package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestProductDelete: product delete takes an id, an id prefix or the one
// product's name (case and accents ignored), prints the id, and the product
// leaves every list; a name several products have, an unknown product, a
// product already deleted and a missing argument are refused with the
// documented exit statuses.
func TestProductDelete(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCtl(t, "-db", db, "freezer", "add", "-name", "garage", "-boxes", "3")
	add := func(name string, box string) string {
		return mustCtl(t, "-db", db, "product", "add", "-freezer", "garage", "-box", box, "-name", name, "-type", "1",
			"-period", "6", "-in", "2026-01-02")
	}
	noel := add("Soupe de Noël", "1")
	twin1, twin2 := add("cabillaud", "2"), add("cabillaud", "2")
	keep := add("porc", "3")

	if got := mustCtl(t, "-db", db, "product", "delete", "soupe de noel"); got != noel {
		t.Errorf("product delete by name printed %q, want the id %s", got, noel)
	}
	list := mustCtl(t, "-db", db, "list", "-all")
	if strings.Contains(list, noel) || !strings.Contains(list, keep) {
		t.Errorf("list -all after the delete:\n%s\nwant %s gone and %s kept", list, noel, keep)
	}
	code, _, errs := ctl(t, "", "-db", db, "product", "delete", "Cabillaud")
	if code != 1 || !strings.Contains(errs, "2 products are named") || !strings.Contains(errs, twin1) || !strings.Contains(errs, twin2) {
		t.Errorf("product delete of a shared name: exit %d, %q; want 1 naming both ids", code, errs)
	}
	if got := mustCtl(t, "-db", db, "product", "delete", twin2[:13]); got != twin2 {
		t.Errorf("product delete by id prefix printed %q, want %s", got, twin2)
	}
	if got := mustCtl(t, "-db", db, "product", "delete", "cabillaud"); got != twin1 {
		t.Errorf("product delete of the one cabillaud left printed %q, want %s", got, twin1)
	}
	for _, tc := range []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"product", "delete", twin1}, 1, "was deleted"},
		{[]string{"product", "delete", "glace moka"}, 1, "No product has the id or the name"},
		{[]string{"product", "delete"}, 2, "product delete"},
	} {
		code, out, errs := ctl(t, "", append([]string{"-db", db}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.contains) || out != "" {
			t.Errorf("freezerctl %s: exit %d, out %q, err %q; want exit %d and %q", strings.Join(tc.args, " "), code, out, errs, tc.code, tc.contains)
		}
	}
	if got := mustCtl(t, "-db", db, "help"); !strings.Contains(got, "product delete ID|NAME") {
		t.Errorf("help does not list product delete:\n%s", got)
	}
}
