package storage

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"freezer/domain"
)

// mustBuildInventory makes a store with the sample household, 300
// generated products, some taken out, and a deleted freezer with history.
func mustBuildInventory(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := mustOpenDB(t)
	if err := db.LoadSample(ctx); err != nil {
		t.Fatalf("LoadSample() error: %v", err)
	}
	old := mustCreateFreezer(t, db, "vieux frigo", 3)
	for i, name := range []string{"Bœuf bourguignon", "Pâté \"maison\", au poivre"} {
		p := mustAddProduct(t, db, product(old, i+1, 0, name))
		mustTakeOut(t, db, p.ID, testToday.AddDays(-i), domain.OutcomeDiscarded)
	}
	if err := db.DeleteFreezer(ctx, old.ID); err != nil {
		t.Fatalf("DeleteFreezer() error: %v", err)
	}
	if err := db.GenerateProducts(ctx, 300, 1); err != nil {
		t.Fatalf("GenerateProducts() error: %v", err)
	}
	for _, r := range mustFind(t, db, ProductFilter{Text: "glace", Limit: 2}) {
		mustTakeOut(t, db, r.ID, testToday, domain.OutcomeEaten)
	}
	if _, err := db.UpdateProduct(ctx, mustFind(t, db, ProductFilter{Text: "porc"})[0].ID,
		ProductUpdate{Description: ptr("porc, «fumé»\nsur deux lignes")}); err != nil {
		t.Fatalf("UpdateProduct() error: %v", err)
	}
	return db
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := mustBuildInventory(t)
	total := len(mustFind(t, src, ProductFilter{Where: All}))
	for _, format := range []Format{FormatJSON, FormatCSV} {
		t.Run(string(format), func(t *testing.T) {
			first := mustExport(t, src, format)

			dst := mustOpenDB(t)
			var calls []int
			n, err := dst.Import(ctx, bytes.NewReader(first), format, func(done, all int) {
				if all != total {
					t.Errorf("progress total = %d, want %d", all, total)
				}
				calls = append(calls, done)
			})
			if err != nil {
				t.Fatalf("Import() error: %v", err)
			}
			if n != total {
				t.Errorf("Import() = %d products, want %d", n, total)
			}
			if len(calls) == 0 || calls[len(calls)-1] != total {
				t.Errorf("progress = %v, want it to end at %d", calls, total)
			}
			for i := 1; i < len(calls); i++ {
				if calls[i] < calls[i-1] {
					t.Errorf("progress went back: %v", calls)
					break
				}
			}

			second := mustExport(t, dst, format)
			if !bytes.Equal(first, second) {
				t.Errorf("export, import, export: %d bytes then %d, want identical\n%s", len(first), len(second), firstDiff(first, second))
			}
			if !bytes.Contains(first, []byte("Soupe de Noël")) || !bytes.Contains(first, []byte("vieux frigo")) {
				t.Errorf("export lacks the sample's accents or the deleted freezer")
			}
		})
	}
	t.Run("export progress", func(t *testing.T) {
		var last [2]int
		var buf bytes.Buffer
		if err := src.Export(ctx, &buf, FormatJSON, func(done, all int) { last = [2]int{done, all} }); err != nil {
			t.Fatalf("Export() error: %v", err)
		}
		if last != [2]int{total, total} {
			t.Errorf("last progress = %v, want [%d %d]", last, total, total)
		}
	})
	t.Run("unknown format", func(t *testing.T) {
		err := src.Export(ctx, &bytes.Buffer{}, "xml", nil)
		wantError(t, "Export(xml)", err, domain.EInvalid, "-")
		_, err = src.Import(ctx, strings.NewReader(""), "xml", nil)
		wantError(t, "Import(xml)", err, domain.EInvalid, "-")
	})
}

// TestImportOwnExport re-imports a store's own export: nothing changes and
// nothing is queued for the server.
func TestImportOwnExport(t *testing.T) {
	ctx := context.Background()
	for _, format := range []Format{FormatJSON, FormatCSV} {
		t.Run(string(format), func(t *testing.T) {
			db := mustBuildInventory(t)
			data := mustExport(t, db, format)
			before := snapshot(t, db)
			if _, err := db.Import(ctx, bytes.NewReader(data), format, nil); err != nil {
				t.Fatalf("Import(own export) error: %v", err)
			}
			if got := snapshot(t, db); got != before {
				t.Errorf("Import(own export) changed the store: outbox %d -> %d, history %d -> %d, export changed %t",
					before.outbox, got.outbox, before.history, got.history, got.export != before.export)
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, then %d", len(al), len(bl))
}

// sampleCSV returns the CSV export of the sample household, split in lines
// (line 1 is the header), and its column index.
func sampleCSV(t *testing.T) ([]string, map[string]int) {
	t.Helper()
	db := mustOpenDB(t)
	if err := db.LoadSample(context.Background()); err != nil {
		t.Fatalf("LoadSample() error: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(mustExport(t, db, FormatCSV)), "\n"), "\n")
	lines = lines[:1+len(sampleProducts)] // the header and the products inside (by id: the history comes after)
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], ",") {
		col[h] = i
	}
	return lines, col
}

func TestImportCSVBadRow(t *testing.T) {
	ctx := context.Background()
	lines, col := sampleCSV(t)
	// The sample has no comma nor quote in its texts: a plain split works.
	cell := func(line int, name string) string { return strings.Split(lines[line-1], ",")[col[name]] }
	set := func(line int, values map[string]string) []string {
		out := append([]string(nil), lines...)
		cells := strings.Split(out[line-1], ",")
		for k, v := range values {
			cells[col[k]] = v
		}
		out[line-1] = strings.Join(cells, ",")
		return out
	}
	tests := []struct {
		name      string
		lines     []string
		wantLine  int
		wantField string
	}{
		{"bad date", set(4, map[string]string{"date_in": "2025-13-01"}), 4, domain.FieldDateIn},
		{"date in another form", set(4, map[string]string{"date_in": "15/06/2025"}), 4, domain.FieldDateIn},
		{"date in tomorrow", set(5, map[string]string{"date_in": testToday.AddDays(1).String()}), 5, domain.FieldDateIn},
		{"bad date out", set(4, map[string]string{"date_out": "hier"}), 4, "date_out"},
		{"unknown type", set(6, map[string]string{"type_id": "99"}), 6, "type_id"},
		{"box beyond the freezer", set(4, map[string]string{"box": "9"}), 4, "box"},
		{"duplicate slot", set(7, map[string]string{"box": cell(3, "box"), "slot": cell(3, "slot")}), 7, "slot"},
		{"quantity not a number", set(4, map[string]string{"quantity": "deux"}), 4, "quantity"},
		{"box not a number", set(8, map[string]string{"box": "1.5"}), 8, "box"},
		{"period not a number", set(4, map[string]string{"period_months": "six"}), 4, "period_months"},
		{"period 0", set(4, map[string]string{"period_months": "0"}), 4, domain.FieldPeriod},
		{"empty name", set(11, map[string]string{"name": ""}), 11, domain.FieldName},
		{"bad id", set(4, map[string]string{"id": "not-an-id"}), 4, "id"},
		{"duplicate id", set(4, map[string]string{"id": cell(2, "id")}), 4, "id"},
		{"bare quote", set(4, map[string]string{"name": `glace "moka`}), 4, "-"},
		{"bare quote in the first column", set(4, map[string]string{"id": `a"b`}), 4, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The target already holds something, which must stay as it is.
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "garage", 2)
			mustAddProduct(t, db, product(f, 1, 1, "porc"))
			before := snapshot(t, db)
			n, err := db.Import(ctx, strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), FormatCSV, nil)
			wantError(t, "Import()", err, domain.EInvalid, tt.wantField, fmt.Sprintf("Line %d", tt.wantLine))
			if n != 0 {
				t.Errorf("Import() = %d, want 0", n)
			}
			if got := snapshot(t, db); got != before {
				t.Errorf("store changed after a refused import")
			}
		})
	}
	t.Run("good file", func(t *testing.T) {
		db := mustOpenDB(t)
		n, err := db.Import(ctx, strings.NewReader(strings.Join(lines, "\n")+"\n"), FormatCSV, nil)
		if err != nil || n != 10 {
			t.Fatalf("Import(sample CSV) = %d, %v, want 10", n, err)
		}
	})
}

func TestImportCSVColumns(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		csv      string
		wantErr  string // part of the message; "" when the import works
		wantN    int
		wantFill []int // BoxFill of the only freezer when it works
	}{
		{"minimal columns, freezer by name",
			"name,type_id,freezer,box,date_in,period_months\nsoupe,1,cave,2,2025-01-10,6\nporc,7,cave,3,2025-02-10,12\n",
			"", 2, []int{0, 1, 1}},
		{"columns in another order with a BOM",
			"\ufeffperiod_months,date_in,box,freezer,type_id,name,slot\n6,2025-01-10,1,cave,1,soupe,4\n", "", 1, []int{1}},
		{"empty slots take the free ones around given slots",
			"name,type_id,freezer,box,slot,date_in,period_months\na,1,cave,1,,2025-01-10,6\nb,1,cave,1,1,2025-01-10,6\nc,1,cave,1,,2025-01-10,6\n",
			"", 3, []int{3}},
		{"box beyond freezer_boxes",
			"name,type_id,freezer,freezer_boxes,box,date_in,period_months\na,1,cave,2,1,2025-01-10,6\nb,1,cave,2,3,2025-01-10,6\n",
			"Line 3, field box", 0, nil},
		{"unknown column", "name,type_id,freezer,box,date_in,period_months,colour\n", "Line 1: unknown column", 0, nil},
		{"missing column", "name,type_id,freezer,box,date_in\n", `Line 1: the column "period_months" is missing`, 0, nil},
		{"no freezer column", "name,type_id,box,date_in,period_months\n", "Line 1", 0, nil},
		{"no freezer on a row", "name,type_id,freezer,box,date_in,period_months\nsoupe,1,,2,2025-01-10,6\n", "Line 2", 0, nil},
		{"empty file", "", "Line 1", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			n, err := db.Import(ctx, strings.NewReader(tt.csv), FormatCSV, nil)
			if tt.wantErr != "" {
				wantError(t, "Import()", err, domain.EInvalid, "-", tt.wantErr)
				if got := countRows(t, db, "products") + countRows(t, db, "freezers"); got != 0 {
					t.Errorf("rows after a refused import = %d, want 0", got)
				}
				return
			}
			if err != nil || n != tt.wantN {
				t.Fatalf("Import() = %d, %v, want %d", n, err, tt.wantN)
			}
			list, err := db.ListFreezers(ctx)
			if err != nil || len(list) != 1 || list[0].Name != "cave" || fmt.Sprint(list[0].BoxFill) != fmt.Sprint(tt.wantFill) {
				t.Errorf("ListFreezers() after import = %+v, %v, want \"cave\" with BoxFill %v", list, err, tt.wantFill)
			}
		})
	}
}

func TestImportJSONErrors(t *testing.T) {
	ctx := context.Background()
	src := mustOpenDB(t)
	if err := src.LoadSample(ctx); err != nil {
		t.Fatalf("LoadSample() error: %v", err)
	}
	lines := strings.Split(string(mustExport(t, src, FormatJSON)), "\n")
	// find returns the 1-based number of the n-th line (from 1) holding s.
	find := func(s string, n int) int {
		for i, l := range lines {
			if strings.Contains(l, s) {
				if n--; n == 0 {
					return i + 1
				}
			}
		}
		t.Fatalf("no line %d holding %q in the export", n, s)
		return 0
	}
	replace := func(line int, old, new string) string {
		out := append([]string(nil), lines...)
		if !strings.Contains(out[line-1], old) {
			t.Fatalf("line %d = %q, want it to hold %q", line, out[line-1], old)
		}
		out[line-1] = strings.Replace(out[line-1], old, new, 1)
		return strings.Join(out, "\n")
	}
	// The third product's object starts on the line before its "id".
	third := find(`"freezer_id"`, 3) - 5
	if !strings.HasSuffix(lines[third-1], "{") {
		t.Fatalf("line %d = %q, want the start of a product", third, lines[third-1])
	}
	tests := []struct {
		name      string
		json      string
		wantLine  int
		wantField string
		wantMsg   string
	}{
		{"unknown key in a product", replace(third+1, `"id"`, `"colour": "red", "id"`), third, "-", `unknown field "colour"`},
		{"quantity as text", replace(third+8, `"quantity": 2,`, `"quantity": "2",`), third, "-", "quantity"},
		{"bad date", replace(third+9, `"date_in": "20`, `"date_in": "x20`), third, domain.FieldDateIn, ""},
		{"unknown type", replace(third+4, `"type_id": `, `"type_id": 9`), third, "type_id", ""},
		{"unknown top-level key", replace(2, `"format"`, `"extra": 1, "format"`), 2, "-", `unknown key "extra"`},
		{"freezer with 0 boxes", replace(find(`"boxes": 4`, 1), `"boxes": 4`, `"boxes": 0`), find(`"boxes": 4`, 1) - 3, domain.FieldBoxes, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			f := mustCreateFreezer(t, db, "garage", 2)
			mustAddProduct(t, db, product(f, 1, 1, "porc"))
			before := snapshot(t, db)
			_, err := db.Import(ctx, strings.NewReader(tt.json), FormatJSON, nil)
			msgs := []string{fmt.Sprintf("Line %d", tt.wantLine)}
			if tt.wantMsg != "" {
				msgs = append(msgs, tt.wantMsg)
			}
			wantError(t, "Import()", err, domain.EInvalid, tt.wantField, msgs...)
			if got := snapshot(t, db); got != before {
				t.Errorf("store changed after a refused import")
			}
		})
	}
	t.Run("not an export", func(t *testing.T) {
		db := mustOpenDB(t)
		for _, in := range []string{``, `[]`, `{"freezers": []}`, `{"format": "other"}`, `{"format": "freezer-inventory", "version": 2}`} {
			_, err := db.Import(ctx, strings.NewReader(in), FormatJSON, nil)
			wantError(t, fmt.Sprintf("Import(%s)", in), err, domain.EInvalid, "-")
		}
	})
}
