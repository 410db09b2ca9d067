package domain_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"freezer/domain"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Soupe de Noël", "soupe de noel"},
		{"Crème", "creme"},
		{"CÔTES D'AGNEAU", "cotes d'agneau"},
		{"Bœuf bourguignon", "boeuf bourguignon"},
		{"Straße", "strasse"},
		{"déjà vu", "deja vu"},
		{"Smørrebrød", "smorrebrod"},
		{"Pierogi ŁÓDŹ", "pierogi lodz"},
		{"ŒUFS", "oeufs"},
		{"Souﬄé", "souffle"},
		{"Ångström", "angstrom"},
		{"plain lower", "plain lower"},
		{"Freezer 10 KITCHEN", "freezer 10 kitchen"},
		{"", ""},
	} {
		if got := domain.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// The ASCII shortcut folds as the full transform does.
	for _, ascii := range []string{"ABC xyz", "Freezer 10", "K-9 ~!@#", "plain"} {
		if got, want := domain.Fold(ascii), strings.TrimSuffix(domain.Fold(ascii+"é"), "e"); got != want {
			t.Errorf("Fold(%q) = %q, want %q as without the shortcut", ascii, got, want)
		}
	}
	if got := domain.Fold("bad\xffutf8"); !strings.HasPrefix(got, "bad") {
		t.Errorf("Fold of invalid UTF-8 = %q, want a usable key", got)
	}
}

func TestSortKeyOrdersNamesLikeReaders(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		names := []string{"Freezer 10", "Cuisses", "freezer 2", "Côtes", "Freezer 1", "Abricots", "éclairs", "Freezer 11"}
		want := []string{"Abricots", "Côtes", "Cuisses", "éclairs", "Freezer 1", "freezer 2", "Freezer 10", "Freezer 11"}
		slices.SortFunc(names, func(a, b string) int {
			return bytes.Compare(domain.SortKey(lang, a), domain.SortKey(lang, b))
		})
		if !slices.Equal(names, want) {
			t.Errorf("%s: sorted by SortKey = %q, want %q", lang, names, want)
		}
		slices.SortFunc(names, func(a, b string) int { return domain.CompareNames(lang, a, b) })
		if !slices.Equal(names, want) {
			t.Errorf("%s: sorted by CompareNames = %q, want %q", lang, names, want)
		}
	}
}
