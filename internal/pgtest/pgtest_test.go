package pgtest_test

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"freezer/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// requirePostgres skips the SQLite pass of a test about databases: the
// PostgreSQL pass of the same run covers it.
func requirePostgres(t *testing.T) {
	t.Helper()
	if !pgtest.Postgres() {
		t.Skipf("the %s pass has no PostgreSQL server; this test runs in the postgres pass", pgtest.Backend())
	}
}

func TestBackend(t *testing.T) {
	got := pgtest.Backend()
	if got != pgtest.SQLite && got != pgtest.PostgreSQL {
		t.Fatalf("Backend() = %q, want %q or %q", got, pgtest.SQLite, pgtest.PostgreSQL)
	}
	if pgtest.Postgres() != (got == pgtest.PostgreSQL) {
		t.Fatalf("Postgres() = %v with Backend() = %q", pgtest.Postgres(), got)
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the goroutine, as the real one does, so a helper's failure can be checked.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = format
	runtime.Goexit()
}

func TestNewDatabaseOutsidePostgresPass(t *testing.T) {
	if pgtest.Postgres() {
		t.Skip("the postgres pass has a server; this test is about the sqlite pass")
	}
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		pgtest.NewDatabase(r)
		t.Error("NewDatabase() returned in the sqlite pass, want a fatal error")
	}()
	<-done
	if !strings.Contains(r.msg, "pgtest.Main") {
		t.Fatalf("NewDatabase() failed with %q, want a message naming pgtest.Main", r.msg)
	}
}

// mustConnect opens a connection to url, closed when t ends.
func mustConnect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	t.Cleanup(func() {
		if err := conn.Close(context.Background()); err != nil {
			t.Errorf("close connection: %v", err)
		}
	})
	return conn
}

// mustExec runs sql on conn.
func mustExec(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// names returns the rows of the table items, in order.
func names(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), "SELECT name FROM items ORDER BY id")
	if err != nil {
		t.Fatalf("select items: %v", err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("read items: %v", err)
	}
	return got
}

// mustCreateItems creates the table items in the database at url and
// inserts rows, closing its connection after.
func mustCreateItems(t *testing.T, url string, rows ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	mustExec(t, conn, "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)")
	for _, r := range rows {
		mustExec(t, conn, "INSERT INTO items (name) VALUES ($1)", r)
	}
	if err := conn.Close(ctx); err != nil {
		t.Fatalf("close connection to %s: %v", url, err)
	}
}

// databaseExists reports whether pg_database has the database of url.
func databaseExists(t *testing.T, conn *pgx.Conn, url string) bool {
	t.Helper()
	name := url[strings.LastIndex(url, "/")+1:]
	name, _, _ = strings.Cut(name, "?")
	var n int
	err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n)
	if err != nil {
		t.Fatalf("look up %s in pg_database: %v", name, err)
	}
	return n == 1
}
