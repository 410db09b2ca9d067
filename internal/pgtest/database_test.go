package pgtest_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"freezer/internal/pgtest"
)

func TestNewDatabaseIsUsable(t *testing.T) {
	requirePostgres(t)
	began := time.Now()
	url := pgtest.NewDatabase(t)
	t.Logf("NewDatabase() took %v", time.Since(began))
	mustCreateItems(t, url, "peas", "soup")
	conn := mustConnect(t, url)
	if got, want := names(t, conn), []string{"peas", "soup"}; !slices.Equal(got, want) {
		t.Fatalf("items = %q, want %q", got, want)
	}
}

func TestNewDatabaseIsFast(t *testing.T) {
	requirePostgres(t)
	const n = 10
	began := time.Now()
	for range n {
		pgtest.NewDatabase(t)
	}
	each := time.Since(began) / n
	t.Logf("NewDatabase() took %v on average over %d", each, n)
	// Generous: the target is under 100 ms; a loaded CI machine may be slower.
	if each > time.Second {
		t.Fatalf("NewDatabase() took %v on average, want well under a second", each)
	}
}

func TestNewDatabasesAreIsolated(t *testing.T) {
	requirePostgres(t)
	a, b := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	if a == b {
		t.Fatalf("NewDatabase() returned %s twice", a)
	}
	mustCreateItems(t, a, "peas")
	conn := mustConnect(t, b)
	var n int
	err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_tables WHERE tablename = 'items'").Scan(&n)
	if err != nil {
		t.Fatalf("look for the table items: %v", err)
	}
	if n != 0 {
		t.Fatalf("the second database has %d tables named items, want 0: databases share tables", n)
	}
}

func TestCloneCopiesRows(t *testing.T) {
	requirePostgres(t)
	src := pgtest.NewDatabase(t)
	mustCreateItems(t, src, "peas", "soup")
	open := mustConnect(t, src) // Clone cuts it
	clone := pgtest.Clone(t, src)
	if clone == src {
		t.Fatalf("Clone() returned its source %s", src)
	}
	if _, err := open.Exec(context.Background(), "SELECT 1"); err == nil {
		t.Errorf("a connection to the source still works after Clone(), want it cut")
	}
	conn := mustConnect(t, clone)
	if got, want := names(t, conn), []string{"peas", "soup"}; !slices.Equal(got, want) {
		t.Fatalf("the clone's items = %q, want %q", got, want)
	}
	mustExec(t, conn, "INSERT INTO items (name) VALUES ('cake')")
	if got, want := names(t, mustConnect(t, src)), []string{"peas", "soup"}; !slices.Equal(got, want) {
		t.Fatalf("the source's items = %q after writing to the clone, want %q", got, want)
	}
}

func TestReplaceRestoresACopy(t *testing.T) {
	requirePostgres(t)
	live := pgtest.NewDatabase(t)
	mustCreateItems(t, live, "peas")
	backup := pgtest.Clone(t, live)
	conn := mustConnect(t, live)
	mustExec(t, conn, "INSERT INTO items (name) VALUES ('written after the backup')")
	pgtest.Replace(t, live, backup)
	conn = mustConnect(t, live)
	if got, want := names(t, conn), []string{"peas"}; !slices.Equal(got, want) {
		t.Fatalf("items after Replace() = %q, want the backup's %q", got, want)
	}
	if got, want := names(t, mustConnect(t, backup)), []string{"peas"}; !slices.Equal(got, want) {
		t.Fatalf("the backup's items after Replace() = %q, want %q unchanged", got, want)
	}
}

func TestCleanupDropsDatabases(t *testing.T) {
	requirePostgres(t)
	var created []string
	t.Run("create", func(t *testing.T) {
		src := pgtest.NewDatabase(t)
		mustCreateItems(t, src, "peas")
		mustConnect(t, src) // left open: the drop cuts it (cleanups run last in, first out)
		created = append(created, src, pgtest.Clone(t, src))
		replaced := pgtest.NewDatabase(t)
		pgtest.Replace(t, replaced, src)
		created = append(created, replaced)
	})
	conn := mustConnect(t, pgtest.NewDatabase(t))
	for _, url := range created {
		if databaseExists(t, conn, url) {
			t.Errorf("database %s still exists after its test ended, want it dropped", url)
		}
	}
	if len(created) != 3 {
		t.Fatalf("the subtest made %d databases, want 3", len(created))
	}
}

func TestDropDropsNow(t *testing.T) {
	requirePostgres(t)
	url := pgtest.NewDatabase(t)
	open := mustConnect(t, url) // Drop cuts it
	pgtest.Drop(t, url)
	if databaseExists(t, mustConnect(t, pgtest.NewDatabase(t)), url) {
		t.Fatalf("database %s exists after Drop(), want it gone", url)
	}
	if _, err := open.Exec(context.Background(), "SELECT 1"); err == nil {
		t.Errorf("a connection to the database still works after Drop(), want it cut")
	}
}

func TestSetReadOnlyRefusesWrites(t *testing.T) {
	requirePostgres(t)
	url := pgtest.NewDatabase(t)
	mustCreateItems(t, url, "peas")
	pgtest.SetReadOnly(t, url)
	conn := mustConnect(t, url)
	if _, err := conn.Exec(context.Background(), "INSERT INTO items (name) VALUES ('soup')"); err == nil {
		t.Fatalf("INSERT after SetReadOnly() succeeded, want a read-only error")
	}
	if got, want := names(t, conn), []string{"peas"}; !slices.Equal(got, want) {
		t.Fatalf("items after SetReadOnly() = %q, want %q", got, want)
	}
}
