package ui_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"freezer/domain"
	"freezer/ui"
)

// TestTextSearchIgnoresAccentsCaseAndLigatures types in the products
// screen's search field over a real store: the in-memory filter folds like
// the store and /api/v1.
func TestTextSearchIgnoresAccentsCaseAndLigatures(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 2)
			for _, name := range []string{"Soupe de Noël", "Crème", "Bœuf bourguignon", "Glace vanille", "Soupe de légumes"} {
				mustAddProduct(t, db, f, name, 7, 10, 6) // white meat: its name matches no search below
			}
			u, _ := mustStartUI(t, db, options{lang: lang})
			u.SortBy(ui.ColName)
			tests := []struct {
				text string
				want []string
			}{
				{"noel", []string{"Soupe de Noël"}},
				{"NOËL", []string{"Soupe de Noël"}},
				{"creme", []string{"Crème"}},
				{"CRÈME", []string{"Crème"}},
				{"boeuf", []string{"Bœuf bourguignon"}},
				{"soupe legumes", []string{"Soupe de légumes"}}, // every word, in any order of typing
				{"soupe", []string{"Soupe de légumes", "Soupe de Noël"}},
				{"zzz", nil},
				{"", []string{"Bœuf bourguignon", "Crème", "Glace vanille", "Soupe de légumes", "Soupe de Noël"}},
			}
			for _, tc := range tests {
				u.SearchEntry().SetText("")
				test.Type(u.SearchEntry(), tc.text)
				if got := u.ProductNames(); !slices.Equal(got, tc.want) {
					t.Errorf("search %q shows %q, want %q", tc.text, got, tc.want)
				}
			}
		})
	}
}

// TestTextNamesSortLikeReaders sorts the products table by name: accents
// second ("Côtes" before "Cuisses"), numbers in natural order.
func TestTextNamesSortLikeReaders(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "frigo 1", 2)
			for _, name := range []string{"Cuisses de poulet", "Soupe 10", "éclairs", "Côtes d'agneau", "Soupe 2", "abricots"} {
				mustAddProduct(t, db, f, name, 1, 10, 6)
			}
			u, _ := mustStartUI(t, db, options{lang: lang})
			u.SortBy(ui.ColName)
			want := []string{"abricots", "Côtes d'agneau", "Cuisses de poulet", "éclairs", "Soupe 2", "Soupe 10"}
			if got := u.ProductNames(); !slices.Equal(got, want) {
				t.Errorf("sorted by name: %q, want %q", got, want)
			}
			u.SortBy(ui.ColName) // again: descending
			slices.Reverse(want)
			if got := u.ProductNames(); !slices.Equal(got, want) {
				t.Errorf("sorted by name, descending: %q, want %q", got, want)
			}
		})
	}
}

// TestTextFreezersSortNaturally checks "Freezer 2" before "Freezer 10" in
// the freezer list, the products screen's freezer filter and the table
// sorted by freezer.
func TestTextFreezersSortNaturally(t *testing.T) {
	db := mustOpenDB(t)
	for _, name := range []string{"Freezer 10", "Freezer 2", "Freezer 1", "Cave", "Freezer 11"} {
		f := mustCreateFreezer(t, db, name, 1)
		mustAddProduct(t, db, f, "in "+name, 1, 10, 6)
	}
	u, _ := mustStartUI(t, db, options{})
	want := []string{"Cave", "Freezer 1", "Freezer 2", "Freezer 10", "Freezer 11"}
	if got := u.TextFreezerNames(); !slices.Equal(got, want) {
		t.Errorf("freezer list = %q, want %q", got, want)
	}
	_, freezer, _, _ := u.Filters()
	if got := freezer.Options[1:]; !slices.Equal(got, want) {
		t.Errorf("freezer filter = %q, want %q after \"all\"", got, want)
	}
	u.SortBy(ui.TextColFreezer)
	if got := u.TextProductFreezers(); !slices.Equal(got, want) {
		t.Errorf("products sorted by freezer = %q, want %q", got, want)
	}
}

// BenchmarkTextIndexRows is the indexing of 10,000 loaded rows: folded
// search text and collation keys, made once per load.
func BenchmarkTextIndexRows(b *testing.B) {
	rows := bigRows(b)
	plain := make([]ui.ProductRow, len(rows))
	for i, r := range rows {
		plain[i] = r.ProductRow
	}
	names := map[int]string{}
	for _, t := range domain.DefaultProductTypes() {
		names[t.ID] = t.NameFR
	}
	for b.Loop() {
		ui.ExportIndexRows(plain, names)
	}
}

// BenchmarkTextSortShuffledByName re-sorts 10,000 rows by name from a
// shuffled order (the store hands them over already by name, which flatters
// BenchmarkSortByName): the keys are compared, never made, while sorting.
func BenchmarkTextSortShuffledByName(b *testing.B) {
	rows := bigRows(b)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	for b.Loop() {
		ui.ExportFilterRows(rows, ui.RowFilter{Where: ui.WhereAll}, ui.SortSpec{Col: ui.ColName})
	}
}

// TestTextTypeFilterSortsInFrench checks the products screen's type filter
// in French: "épices" sorts among the e's, not after "viande".
func TestTextTypeFilterSortsInFrench(t *testing.T) {
	db := mustOpenDB(t)
	u, _ := mustStartUI(t, db, options{lang: "fr"})
	_, _, ptype, _ := u.Filters()
	opts := ptype.Options[1:]
	if !slices.Contains(opts, "épices") {
		t.Fatalf("type filter %q lacks \"épices\"", opts)
	}
	if !slices.IsSortedFunc(opts, func(a, b string) int { return domain.CompareNames("fr", a, b) }) {
		t.Errorf("type filter %q is not in French order", opts)
	}
}
