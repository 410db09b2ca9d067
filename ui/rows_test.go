package ui_test

import (
	"fmt"
	"slices"
	"testing"

	"freezer/domain"
	"freezer/ui"
)

// indexTestRows are products whose texts need folding: accents, capitals,
// ligatures, a combining accent, and a description of plain ASCII.
func indexTestRows() []ui.ProductRow {
	names := []string{"Bœuf bourguignon", "Côtes de porc", "cuisses", "Crème brûlée", "SOUPE", "Soupe 10", "Soupe 2", "Noe\u0308l"}
	descs := []string{"", "lot 1", "Pour Noël", "\u0301début", "ÆBLE"}
	freezers := []string{"Cave", "Garage 2", "Garage 10"}
	var rows []ui.ProductRow
	for i := range 40 {
		rows = append(rows, ui.ProductRow{
			Product: domain.Product{ID: domain.NewID(), Name: names[i%len(names)],
				Description: fmt.Sprint(descs[i%len(descs)], i), TypeID: 1 + i%3},
			FreezerName: freezers[i%len(freezers)],
		})
	}
	return rows
}

// TestIndexRowsFoldsEachRow checks the index of a load against the folding
// and collation of each row made from nothing, in English and in French.
func TestIndexRowsFoldsEachRow(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		types := map[int]string{1: "Épices", 2: "viande", 3: "Plats préparés"}
		rows := indexTestRows()
		for i, r := range ui.ExportReindexRows(rows, types, lang, nil) {
			p := rows[i]
			search := domain.Fold(p.Name+"\x00"+p.Description) + "\x00" + domain.Fold(types[p.TypeID])
			if got := r.SearchText(); got != search {
				t.Errorf("%s: search of %q = %q, want %q", lang, p.Name, got, search)
			}
			keys := [3]string{string(domain.SortKey(lang, p.Name)), string(domain.SortKey(lang, types[p.TypeID])),
				string(domain.SortKey(lang, p.FreezerName))}
			if r.Keys() != keys || r.TypeName != types[p.TypeID] || r.ID != p.ID {
				t.Errorf("%s: row %d (%q) has keys %q and type %q, want %q and %q", lang, i, p.Name, r.Keys(), r.TypeName, keys, types[p.TypeID])
			}
		}
	}
}

// TestIndexRowsReusesOnlyWhatDidNotChange reloads after edits (a rename,
// a new description, a type change, a freezer renamed), a product added
// and one removed, in another order: the index reusing the previous one
// equals an index made from nothing.
func TestIndexRowsReusesOnlyWhatDidNotChange(t *testing.T) {
	types := map[int]string{1: "Épices", 2: "viande", 3: "Plats préparés"}
	rows := indexTestRows()
	prev := ui.ExportReindexRows(rows, types, "fr", nil)
	next := slices.Clone(rows)
	next[3].Name = "Côte de bœuf"
	next[5].Description = "Lot Ü"
	next[7].TypeID = 3
	next[9].FreezerName = "Cellier"
	added := indexTestRows()[0]
	added.Name = "Épinards"
	next = slices.Insert(next, 2, added)
	next = slices.Delete(next, 20, 21)
	next[30], next[31] = next[31], next[30]
	for _, changedTypes := range []map[int]string{types, {1: "Epices", 2: "viande", 3: "Plats préparés"}} {
		got := ui.ExportReindexRows(next, changedTypes, "fr", prev)
		want := ui.ExportReindexRows(next, changedTypes, "fr", nil)
		for i := range want {
			if got[i].ID != want[i].ID || got[i].SearchText() != want[i].SearchText() || got[i].Keys() != want[i].Keys() || got[i].TypeName != want[i].TypeName {
				t.Errorf("row %d (%q): reused index has %q %q, want %q %q", i, next[i].Name,
					got[i].SearchText(), got[i].Keys(), want[i].SearchText(), want[i].Keys())
			}
		}
	}
}
