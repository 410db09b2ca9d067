package storage

import (
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"freezer/domain"
)

func TestOpenCreatesFolderAndFile(t *testing.T) {
	ctx := context.Background()
	// A folder that does not exist yet, with a space and accents in its name.
	path := filepath.Join(t.TempDir(), "mes données", "sous dossier", "freezer.db")
	db := mustOpenPath(t, path)
	if got, want := db.Path(), path; got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
	mustCreateFreezer(t, db, "frigo 1", 4) // something is written to the file
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("Stat(%q) after Open: %v", path, err)
	}
	if !info.Mode().IsRegular() {
		t.Errorf("%q is %v, want a regular file", path, info.Mode())
	}
	if db.DeviceID() == "" {
		t.Errorf("DeviceID() = \"\", want an id")
	}
	if got, want := db.DueSoonDays(), domain.DefaultDueSoon; got != want {
		t.Errorf("DueSoonDays() = %d, want %d", got, want)
	}
	if _, err := db.ProductTypes(ctx); err != nil {
		t.Errorf("ProductTypes() error: %v", err)
	}
}

func TestOpenEmptyPath(t *testing.T) {
	_, err := Open(context.Background(), "")
	wantError(t, `Open("")`, err, domain.EInvalid, "-")
}

func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	got, err := DefaultPath()
	if err != nil {
		t.Fatalf("DefaultPath() error: %v", err)
	}
	if want := filepath.Join(dir, "freezer", "freezer.db"); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "freezer.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open() error: %v", err)
	}
	db.Now = func() time.Time { return testNow }
	f := mustCreateFreezer(t, db, "frigo 1", 4)
	p := mustAddProduct(t, db, product(f, 2, 3, "Crème brûlée"))
	if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(4)}); err != nil {
		t.Fatalf("UpdateProduct() error: %v", err)
	}
	gone := mustAddProduct(t, db, product(f, 1, 1, "pain"))
	mustTakeOut(t, db, gone.ID, testToday, domain.OutcomeEaten)
	device := db.DeviceID()
	wantFreezers, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	wantHistory, err := db.ProductHistory(ctx, p.ID)
	if err != nil {
		t.Fatalf("ProductHistory() error: %v", err)
	}
	wantOutbox := mustOutbox(t, db, 0)
	wantExport := mustExport(t, db, FormatJSON)
	lastStamp := db.Clock().Last()
	if err := db.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}

	db = mustOpenPath(t, path)
	if got := db.DeviceID(); got != device {
		t.Errorf("DeviceID() after reopen = %q, want %q", got, device)
	}
	if got := string(mustExport(t, db, FormatJSON)); got != string(wantExport) {
		t.Errorf("Export() after reopen =\n%s\nwant\n%s", got, wantExport)
	}
	gotFreezers, err := db.ListFreezers(ctx)
	if err != nil {
		t.Fatalf("ListFreezers() error: %v", err)
	}
	if len(gotFreezers) != 1 || gotFreezers[0].ID != wantFreezers[0].ID || gotFreezers[0].Inside != 1 {
		t.Errorf("ListFreezers() after reopen = %+v, want %+v", gotFreezers, wantFreezers)
	}
	row := mustFindProduct(t, db, p.ID)
	if got, want := row.Name, "Crème brûlée"; got != want {
		t.Errorf("FindProduct().Name = %q, want %q", got, want)
	}
	if got, want := row.Quantity, 4; got != want {
		t.Errorf("FindProduct().Quantity = %d, want %d", got, want)
	}
	gotHistory, err := db.ProductHistory(ctx, p.ID)
	if err != nil {
		t.Fatalf("ProductHistory() error: %v", err)
	}
	if got, want := len(gotHistory), len(wantHistory); got != want {
		t.Errorf("ProductHistory() after reopen = %d entries, want %d", got, want)
	}
	gotOutbox := mustOutbox(t, db, 0)
	if got, want := len(gotOutbox), len(wantOutbox); got != want {
		t.Fatalf("OutboxBatch() after reopen = %d, want %d", got, want)
	}
	for i := range gotOutbox {
		if gotOutbox[i].ID != wantOutbox[i].ID || gotOutbox[i].Stamp != wantOutbox[i].Stamp {
			t.Errorf("OutboxBatch()[%d] = %s %s, want %s %s", i, gotOutbox[i].ID, gotOutbox[i].Stamp, wantOutbox[i].ID, wantOutbox[i].Stamp)
		}
	}
	// The clock resumes after its last stamp even though the pinned time
	// has not moved: no stamp is ever made twice.
	if _, err := db.UpdateProduct(ctx, p.ID, ProductUpdate{Quantity: ptr(5)}); err != nil {
		t.Fatalf("UpdateProduct() after reopen error: %v", err)
	}
	ms := mustOutbox(t, db, 0)
	if got := ms[len(ms)-1].Stamp; !got.After(lastStamp) {
		t.Errorf("stamp after reopen = %s, want after %s", got, lastStamp)
	}
}

func TestMigrationsRunOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "freezer.db")
	for i := range 3 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open() #%d error: %v", i+1, err)
		}
		if i == 0 {
			db.Now = func() time.Time { return testNow }
			mustCreateFreezer(t, db, "frigo", 2)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("Close() #%d error: %v", i+1, err)
		}
	}
	db := mustOpenPath(t, path)
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.r.Query(`SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var versions []int
	for rows.Next() {
		var v, n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("schema_migrations has %d rows for version %d, want 1", n, v)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := len(versions), len(files); got != want {
		t.Fatalf("schema_migrations = %d versions %v, want %d", got, versions, want)
	}
	for i, v := range versions {
		if v != i+1 {
			t.Errorf("schema_migrations version #%d = %d, want %d", i, v, i+1)
		}
	}
	if got, want := countRows(t, db, "product_types"), 43; got != want {
		t.Errorf("product_types after 4 opens = %d rows, want %d", got, want)
	}
	if got, want := countRows(t, db, "freezers"), 1; got != want {
		t.Errorf("freezers after 4 opens = %d rows, want %d", got, want)
	}
}

func TestDefaultProductTypes(t *testing.T) {
	db := mustOpenDB(t)
	types, err := db.ProductTypes(context.Background())
	if err != nil {
		t.Fatalf("ProductTypes() error: %v", err)
	}
	if got, want := len(types), 43; got != want {
		t.Fatalf("ProductTypes() = %d types, want %d", got, want)
	}
	for i, typ := range types {
		if typ.ID != i+1 {
			t.Errorf("ProductTypes()[%d].ID = %d, want %d", i, typ.ID, i+1)
		}
	}
	tests := []struct {
		id     int
		en, fr string
	}{
		{1, "soup", "soupe"},
		{3, "meal soup (vegetable)", "soupe repas (légume)"},
		{11, "prepared meat", "viande préparée"},
		{15, "shellfish", "crustacés"},
		{24, "ice-cream", "glace"},
		{26, "ice cubes", "glaçons"},
		{30, "cakes", "gâteaux"},
		{35, "spices", "épices"},
		{43, "vegetable", "légume"},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			got := types[tt.id-1]
			if got.NameEN != tt.en || got.NameFR != tt.fr {
				t.Errorf("ProductTypes()[id %d] = %q / %q, want %q / %q", tt.id, got.NameEN, got.NameFR, tt.en, tt.fr)
			}
		})
	}
}

// TestReadersMapTheFile: every reader connection reads the file through a
// memory mapping (readerMmap), the writer through read calls, and a
// product written by the writer is read back through the mapping.
func TestReadersMapTheFile(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	p, err := db.AddProduct(ctx, product(f, 1, 0, "Soupe"))
	if err != nil {
		t.Fatalf("AddProduct() error: %v", err)
	}
	// Hold every reader connection at once, so each one is checked.
	conns := make([]*sql.Conn, 0, 4)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 4 {
		c, err := db.r.Conn(ctx)
		if err != nil {
			t.Fatalf("reader connection: %v", err)
		}
		conns = append(conns, c)
		var size int64
		if err := c.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil {
			t.Fatalf("PRAGMA mmap_size: %v", err)
		}
		if size != 256<<20 {
			t.Errorf("reader %d: mmap_size = %d, want %d", len(conns), size, 256<<20)
		}
		var name string
		if err := c.QueryRowContext(ctx, `SELECT name FROM products WHERE id = ?`, p.ID.String()).Scan(&name); err != nil || name != "Soupe" {
			t.Errorf("reader %d: the product's name = %q, %v; want Soupe", len(conns), name, err)
		}
	}
	var size int64
	if err := db.w.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil || size != 0 {
		t.Errorf("writer: mmap_size = %d, %v; want 0", size, err)
	}
}
