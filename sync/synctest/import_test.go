package synctest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
)

// renamedExport returns db's JSON export with freezer id renamed to name,
// as a person would edit an exported file before importing it.
func renamedExport(t *testing.T, db *storage.DB, id uuid.UUID, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := db.Export(context.Background(), &buf, storage.FormatJSON, nil); err != nil {
		t.Fatalf("Export() = %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("read export: %v", err)
	}
	found := false
	for _, f := range doc["freezers"].([]any) {
		if f := f.(map[string]any); f["id"] == id.String() {
			f["name"], found = name, true
		}
	}
	if !found {
		t.Fatalf("freezer %s not in the export", id)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("write edited export: %v", err)
	}
	return out
}

// TestImportRenameKeepsOtherDevicesFields: device a imports a file that
// only renames a freezer, while device b (whose change a has not pulled)
// deleted it or changed its box count. Only the name comes from the
// import: the freezer stays deleted, b's box count stands.
func TestImportRenameKeepsOtherDevicesFields(t *testing.T) {
	forEachBackend(t, testImportRenameKeepsOtherDevicesFields)
}

func testImportRenameKeepsOtherDevicesFields(t *testing.T) {
	tests := []struct {
		name   string
		change func(ctx context.Context, db *storage.DB, id uuid.UUID) error
		boxes  int  // the freezer's box count after the sync
		gone   bool // whether the freezer is deleted after the sync
	}{
		{"b deleted it", func(ctx context.Context, db *storage.DB, id uuid.UUID) error {
			return db.DeleteFreezer(ctx, id)
		}, 4, true},
		{"b changed its boxes", func(ctx context.Context, db *storage.DB, id uuid.UUID) error {
			_, err := db.UpdateFreezer(ctx, id, storage.FreezerUpdate{Boxes: ptr(6)})
			return err
		}, 6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, 0, 0)
			a, b := c.devices[0], c.devices[1]
			ctx := context.Background()
			f := mustFreezer(t, a.DB, "garage", 4)
			c.converge()
			file := renamedExport(t, a.DB, f.ID, "cave")

			if err := tt.change(ctx, b.DB, f.ID); err != nil {
				t.Fatal(err)
			}
			c.sync(b)
			// a's clock jumps a second ahead (its next sync corrects it),
			// so that its import is surely the later write, whose stamps
			// win every field the import carries.
			a.SetSkew(time.Second)
			if _, err := a.DB.Import(ctx, bytes.NewReader(file), storage.FormatJSON, nil); err != nil {
				t.Fatalf("Import() on a = %v", err)
			}
			c.sync(a)
			c.converge()

			want := domain.Freezer{ID: f.ID, Name: "cave", Boxes: tt.boxes, Deleted: tt.gone}
			var onServer *domain.Freezer
			for _, s := range c.srv.Freezers() {
				if s.Freezer.ID == f.ID {
					onServer = &s.Freezer
				}
			}
			if onServer == nil || *onServer != want {
				t.Errorf("freezer on the server = %+v, want %+v", onServer, want)
			}
			for _, d := range c.devices {
				got, err := d.DB.FindFreezer(ctx, f.ID)
				if err != nil {
					t.Fatalf("FindFreezer() on %s = %v", d.Name, err)
				}
				if got != want {
					t.Errorf("freezer on %s = %+v, want %+v", d.Name, got, want)
				}
			}
		})
	}
}
