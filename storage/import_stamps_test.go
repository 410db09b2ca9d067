package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

// importEdited exports db as JSON, lets edit change the document and
// imports the result into db.
func importEdited(t *testing.T, db *DB, edit func(*exportDoc)) {
	t.Helper()
	var doc exportDoc
	if err := json.Unmarshal(mustExport(t, db, FormatJSON), &doc); err != nil {
		t.Fatalf("read export: %v", err)
	}
	edit(&doc)
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("write edited export: %v", err)
	}
	if _, err := db.Import(context.Background(), bytes.NewReader(data), FormatJSON, nil); err != nil {
		t.Fatalf("Import(edited export) error: %v", err)
	}
}

func mustStamps(t *testing.T, db *DB, entity string, id uuid.UUID) map[string]domain.Timestamp {
	t.Helper()
	s, err := db.EntityStamps(context.Background(), entity, id)
	if err != nil {
		t.Fatalf("EntityStamps(%s %s) error: %v", entity, id, err)
	}
	return s
}

// checkImportQueued checks what an import queued after the first n outbox
// rows: nothing when want is empty, else one update of entity id carrying
// exactly the fields want, valued as values, each stamped with the
// mutation's stamp; and that the stored stamps moved for those fields only.
func checkImportQueued(t *testing.T, db *DB, n int, entity string, id uuid.UUID, want []string,
	values map[string]json.RawMessage, before map[string]domain.Timestamp) {
	t.Helper()
	got := mustOutbox(t, db, 0)[n:]
	after := mustStamps(t, db, entity, id)
	if len(want) == 0 {
		if len(got) != 0 {
			t.Errorf("import queued %d mutations (first: %s %v), want none", len(got), got[0].Entity, slices.Sorted(maps.Keys(got[0].Fields)))
		}
		if !maps.Equal(after, before) {
			t.Errorf("stamps after import = %v, want unchanged %v", after, before)
		}
		return
	}
	if len(got) != 1 {
		t.Fatalf("import queued %d mutations, want 1", len(got))
	}
	m := got[0]
	if m.Entity != entity || m.EntityID != id || m.Op != domain.OpUpdate {
		t.Errorf("mutation = %s %s %s, want %s %s %s", m.Entity, m.Op, m.EntityID, entity, domain.OpUpdate, id)
	}
	sorted := slices.Sorted(slices.Values(want))
	if keys := slices.Sorted(maps.Keys(m.Fields)); !slices.Equal(keys, sorted) {
		t.Errorf("mutation fields = %q, want only %q", keys, sorted)
	}
	if keys := slices.Sorted(maps.Keys(m.Stamps)); !slices.Equal(keys, sorted) {
		t.Errorf("mutation stamps = %q, want only %q", keys, sorted)
	}
	for _, f := range want {
		if g, w := string(m.Fields[f]), string(values[f]); g != w {
			t.Errorf("mutation field %s = %s, want %s", f, g, w)
		}
		if m.Stamps[f] != m.Stamp {
			t.Errorf("mutation stamp of %s = %s, want %s", f, m.Stamps[f], m.Stamp)
		}
	}
	for f, s := range after {
		switch {
		case slices.Contains(want, f) && s != m.Stamp:
			t.Errorf("stored stamp of %s = %s, want the import's %s", f, s, m.Stamp)
		case !slices.Contains(want, f) && s != before[f]:
			t.Errorf("stored stamp of %s = %s, want it kept at %s", f, s, before[f])
		}
	}
}

// TestImportStampsOnlyChangedFreezerFields: an import writes, stamps and
// queues only the freezer fields the file changes, so that a rename does
// not carry the box count or the deletion along (and revive a freezer
// another device deleted).
func TestImportStampsOnlyChangedFreezerFields(t *testing.T) {
	tests := []struct {
		name    string
		deleted bool // the freezer is deleted before the export
		edit    func(*exportFreezer)
		want    []string
	}{
		{"unchanged", false, func(*exportFreezer) {}, nil},
		{"rename", false, func(f *exportFreezer) { f.Name = "cave" }, []string{domain.FieldName}},
		{"more boxes", false, func(f *exportFreezer) { f.Boxes = 6 }, []string{domain.FieldBoxes}},
		{"rename and resize", false, func(f *exportFreezer) { f.Name, f.Boxes = "cave", 2 }, []string{domain.FieldName, domain.FieldBoxes}},
		{"delete", false, func(f *exportFreezer) { f.Deleted = true }, []string{domain.FieldDeleted}},
		{"unchanged deleted", true, func(*exportFreezer) {}, nil},
		{"rename deleted", true, func(f *exportFreezer) { f.Name = "cave" }, []string{domain.FieldName}},
		{"undelete", true, func(f *exportFreezer) { f.Deleted = false }, []string{domain.FieldDeleted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "garage", 4)
			other := mustCreateFreezer(t, db, "cellier", 3)
			mustAddProduct(t, db, product(other, 1, 1, "porc"))
			if tt.deleted {
				if err := db.DeleteFreezer(ctx, f.ID); err != nil {
					t.Fatalf("DeleteFreezer() error: %v", err)
				}
			}
			before, n := mustStamps(t, db, domain.EntityFreezer, f.ID), pendingCount(t, db)
			var want domain.Freezer
			importEdited(t, db, func(doc *exportDoc) {
				for i := range doc.Freezers {
					if doc.Freezers[i].ID == f.ID.String() {
						tt.edit(&doc.Freezers[i])
						var err error
						if want, err = freezerOf(doc.Freezers[i]); err != nil {
							t.Fatalf("edited freezer: %v", err)
						}
					}
				}
			})
			checkImportQueued(t, db, n, domain.EntityFreezer, f.ID, tt.want, domain.FreezerValues(want), before)
			got, err := db.FindFreezer(ctx, f.ID)
			if err != nil {
				t.Fatalf("FindFreezer() error: %v", err)
			}
			if got != want {
				t.Errorf("freezer after import = %+v, want %+v", got, want)
			}
		})
	}
}

// TestImportStampsOnlyChangedProductFields: the same for products, whose
// history also names only the changed fields.
func TestImportStampsOnlyChangedProductFields(t *testing.T) {
	tests := []struct {
		name string
		edit func(*exportProduct)
		want []string
	}{
		{"unchanged", func(*exportProduct) {}, nil},
		{"quantity", func(p *exportProduct) { p.Quantity = 3 }, []string{domain.FieldQuantity}},
		{"name and description", func(p *exportProduct) { p.Name, p.Description = "porc fumé", "du marché" },
			[]string{domain.FieldName, domain.FieldDescription}},
		{"slot", func(p *exportProduct) { p.Slot = 4 }, []string{domain.FieldLocation}},
		{"take out", func(p *exportProduct) { p.DateOut, p.Outcome = testToday.String(), string(domain.OutcomeEaten) },
			[]string{domain.FieldOut}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "garage", 4)
			p := mustAddProduct(t, db, product(f, 1, 1, "porc"))
			mustAddProduct(t, db, product(f, 1, 2, "glace"))
			before, n := mustStamps(t, db, domain.EntityProduct, p.ID), pendingCount(t, db)
			history := countRows(t, db, "history")
			var want domain.Product
			importEdited(t, db, func(doc *exportDoc) {
				for i := range doc.Products {
					if doc.Products[i].ID == p.ID.String() {
						tt.edit(&doc.Products[i])
						var err error
						if want, err = productOf(doc.Products[i]); err != nil {
							t.Fatalf("edited product: %v", err)
						}
					}
				}
			})
			checkImportQueued(t, db, n, domain.EntityProduct, p.ID, tt.want, domain.ProductValues(want), before)
			if got := mustFindProduct(t, db, p.ID).Product; got != want {
				t.Errorf("product after import = %+v, want %+v", got, want)
			}
			if len(tt.want) == 0 {
				if got := countRows(t, db, "history"); got != history {
					t.Errorf("history rows after import = %d, want %d", got, history)
				}
				return
			}
			hist, err := db.ProductHistory(ctx, p.ID)
			if err != nil {
				t.Fatalf("ProductHistory() error: %v", err)
			}
			var fields []string
			for _, c := range hist[len(hist)-1].Changes {
				fields = append(fields, c.Field)
			}
			if !slices.Equal(fields, tt.want) {
				t.Errorf("history of the import names %q, want %q", fields, tt.want)
			}
		})
	}
}
