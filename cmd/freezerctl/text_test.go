package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestListSearchAndNaturalOrder checks list -q (folded like the app's
// search) and the natural order of freezer names in freezer list and list.
func TestListSearchAndNaturalOrder(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	db := filepath.Join(t.TempDir(), "a.db")
	for i, name := range []string{"Freezer 10", "Freezer 2", "Freezer 1"} {
		mustCtl(t, "-db", db, "freezer", "add", "-name", name, "-boxes", "2")
		product := []string{"Soupe de Noël", "Crème brûlée", "Bœuf bourguignon"}[i]
		mustCtl(t, "-db", db, "product", "add", "-freezer", name, "-box", "1", "-name", product, "-type", "1",
			"-period", "6", "-in", "2026-01-02")
	}
	for q, want := range map[string]string{"noel": "Soupe de Noël", "CREME": "Crème brûlée", "boeuf": "Bœuf bourguignon"} {
		got := mustCtl(t, "-db", db, "list", "-q", q)
		if !strings.Contains(got, want) || strings.Count(got, "\n") != 1 {
			t.Errorf("list -q %s =\n%s\nwant a header and %q alone", q, got, want)
		}
	}
	freezers := strings.Split(mustCtl(t, "-db", db, "freezer", "list"), "\n")
	var order []string
	for _, line := range freezers {
		for _, name := range []string{"Freezer 10", "Freezer 2", "Freezer 1"} {
			if strings.Contains(line, name+" ") || strings.HasSuffix(line, name) || strings.Contains(line, name+"\t") {
				order = append(order, name)
				break
			}
		}
	}
	if want := []string{"Freezer 1", "Freezer 2", "Freezer 10"}; !slices.Equal(order, want) {
		t.Errorf("freezer list order = %q, want %q:\n%s", order, want, strings.Join(freezers, "\n"))
	}
	list := mustCtl(t, "-db", db, "list")
	if a, b, c := strings.Index(list, "Bœuf"), strings.Index(list, "Crème"), strings.Index(list, "Noël"); !(a < b && b < c) {
		t.Errorf("list is not by freezer in natural order (Freezer 1, 2, 10):\n%s", list)
	}
}
