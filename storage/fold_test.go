package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"freezer/domain"
)

// textOldFold is the hand-made folding the store used before migration 4,
// kept here to write rows as an older version did.
func textOldFold(s string) string {
	accents := map[rune]string{}
	for base, letters := range map[string]string{
		"a": "àáâãäåā", "c": "çćč", "e": "èéêëēė", "i": "ìíîïī", "n": "ñń", "o": "òóôõöøō",
		"u": "ùúûüū", "y": "ýÿ", "oe": "œ", "ae": "æ", "ss": "ß",
	} {
		for _, r := range letters {
			accents[r] = base
		}
	}
	var b strings.Builder
	for _, r := range s {
		r = unicode.ToLower(r)
		if base, ok := accents[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// textOldStore makes, at path, a store as migration 3 left it, with one
// freezer and products whose name_key and search the old folding made.
func textOldStore(t *testing.T, path string, names ...string) {
	t.Helper()
	ctx := context.Background()
	w := mustOldStore(t, path, 3)
	defer w.Close()
	freezer := domain.NewID().String()
	if _, err := w.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes) VALUES (?, 'frigo 1', 2)`, freezer); err != nil {
		t.Fatalf("insert freezer: %v", err)
	}
	for i, name := range names {
		if _, err := w.ExecContext(ctx, `INSERT INTO products (id, name, name_key, description, search, type_id,
			freezer_id, box, slot, quantity, date_in, period, deadline) VALUES (?, ?, ?, 'fait maison', ?, 1, ?, 1, ?, 1,
			'2025-05-01', 3, '2025-08-01')`,
			domain.NewID().String(), name, textOldFold(name), textOldFold(name+"\nfait maison"), freezer, i+1); err != nil {
			t.Fatalf("insert %q: %v", name, err)
		}
	}
}

func TestMigrationRefoldsStoredColumns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "freezer.db")
	stored := []string{"Bœuf", "Pierogi ŁÓDŹ", "Šproti", "Soupe 10", "Soupe 2"}
	textOldStore(t, path, stored...)
	db := mustOpenPath(t, path)

	rows, err := db.r.QueryContext(ctx, `SELECT name, name_key, search FROM products`)
	if err != nil {
		t.Fatalf("read products: %v", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, key, search string
		if err := rows.Scan(&name, &key, &search); err != nil {
			t.Fatalf("scan: %v", err)
		}
		n++
		if want := nameKey(name); key != want {
			t.Errorf("%q: name_key = %q, want %q (made again by migration 4)", name, key, want)
		}
		if want := domain.Fold(name + "\nfait maison"); search != want {
			t.Errorf("%q: search = %q, want %q", name, search, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(stored) {
		t.Fatalf("%d products after the migration, want %d", n, len(stored))
	}
	// What the old folding missed is found now, and names sort naturally.
	for text, want := range map[string]string{"lodz": "Pierogi ŁÓDŹ", "sproti": "Šproti", "BOEUF": "Bœuf"} {
		if got := names(mustFind(t, db, ProductFilter{Text: text})); !slices.Equal(got, []string{want}) {
			t.Errorf("FindProducts(%q) = %q, want [%q]", text, got, want)
		}
	}
	want := []string{"Bœuf", "Pierogi ŁÓDŹ", "Soupe 2", "Soupe 10", "Šproti"}
	if got := names(mustFind(t, db, ProductFilter{})); !slices.Equal(got, want) {
		t.Errorf("FindProducts() by name = %q, want %q", got, want)
	}
	var version int
	if err := db.r.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil || version < 4 {
		t.Errorf("schema version = %d (%v), want at least 4", version, err)
	}
}

func TestFindProductsTextFoldsLikeDomain(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 1)
	for _, name := range []string{"Soupe de Noël", "Crème", "Bœuf bourguignon", "Smørrebrød", "STRASSE"} {
		mustAddProduct(t, db, product(f, 1, 0, name))
	}
	tests := []struct {
		text string
		want []string
	}{
		{"noel", []string{"Soupe de Noël"}},
		{"NOËL", []string{"Soupe de Noël"}},
		{"creme", []string{"Crème"}},
		{"boeuf", []string{"Bœuf bourguignon"}},
		{"Bœuf", []string{"Bœuf bourguignon"}},
		{"smorrebrod", []string{"Smørrebrød"}},
		{"straße", []string{"STRASSE"}},
		{"soupe creme", []string{}},
	}
	for _, tc := range tests {
		if got := names(mustFind(t, db, ProductFilter{Text: tc.text})); !slices.Equal(got, tc.want) {
			t.Errorf("FindProducts(Text: %q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestFindProductsNamesSortLikeReaders(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "frigo 1", 1)
	for _, name := range []string{"Cuisses de poulet", "Soupe 10", "éclairs", "Côtes d'agneau", "Soupe 2", "Abricots", "Soupe 1"} {
		mustAddProduct(t, db, product(f, 1, 0, name))
	}
	want := []string{"Abricots", "Côtes d'agneau", "Cuisses de poulet", "éclairs", "Soupe 1", "Soupe 2", "Soupe 10"}
	if got := names(mustFind(t, db, ProductFilter{})); !slices.Equal(got, want) {
		t.Errorf("FindProducts() by name = %q, want %q", got, want)
	}
	slices.Reverse(want)
	if got := names(mustFind(t, db, ProductFilter{Desc: true})); !slices.Equal(got, want) {
		t.Errorf("FindProducts(Desc) by name = %q, want %q", got, want)
	}
}

func TestFreezersSortNaturally(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	for _, name := range []string{"Freezer 10", "freezer 2", "Cave", "Freezer 1", "Congélateur", "Freezer 11"} {
		f := mustCreateFreezer(t, db, name, 1)
		mustAddProduct(t, db, product(f, 1, 0, "in "+name))
	}
	want := []string{"Cave", "Congélateur", "Freezer 1", "freezer 2", "Freezer 10", "Freezer 11"}
	list, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	var got []string
	for _, f := range list {
		got = append(got, f.Name)
		if f.Inside != 1 {
			t.Errorf("ListFreezers(): %q holds %d products, want 1", f.Name, f.Inside)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("ListFreezers() = %q, want %q", got, want)
	}
	live, err := liveFreezers(ctx, db.r)
	if err != nil {
		t.Fatalf("liveFreezers() error: %v", err)
	}
	got = got[:0]
	for _, f := range live {
		got = append(got, f.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("liveFreezers() = %q, want %q", got, want)
	}
	got = got[:0]
	for _, r := range mustFind(t, db, ProductFilter{Sort: SortLocation}) {
		got = append(got, r.FreezerName)
	}
	if !slices.Equal(got, want) {
		t.Errorf("FindProducts(SortLocation) freezers = %q, want %q", got, want)
	}
}

// BenchmarkFindProductsByLocation is the location order over many products
// in a few freezers: the names collation is a Go callback.
func BenchmarkFindProductsByLocation(b *testing.B) {
	db := mustOpenDB(b)
	if err := db.GenerateProducts(context.Background(), 10000, 1); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows, err := db.FindProducts(context.Background(), ProductFilter{Where: All, Sort: SortLocation})
		if err != nil || len(rows) == 0 {
			b.Fatal(fmt.Sprint(len(rows), err))
		}
	}
}
