package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/bcrypt"

	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/sync/protocol"
)

// boundsDBSize returns the size of the SQLite database at path with its
// write-ahead log (writes land in the log first), or of the PostgreSQL
// database at that URL.
func boundsDBSize(t *testing.T, path string) int64 {
	t.Helper()
	var n int64
	if sqlstore.IsPostgres(path) {
		db, err := sql.Open("pgx", path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = db.Close() }()
		if err := db.QueryRow(`SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		n += st.Size()
	}
	return n
}

// A push whose stamps carry a 2 MB node is refused with 400 and stores
// nothing: stamps are stored once per field, so before the bound such a
// push grew the database by megabytes.
func TestBoundsHugeNodeRefusedAndDatabaseDoesNotGrow(t *testing.T) {
	path := storeTarget(t)
	store, err := sqlstore.Open(context.Background(), path, sqlstore.Options{})
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	srv := server.New(server.Config{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: server.Limits{Disabled: true}, BcryptCost: bcrypt.MinCost})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	token := mustRegister(t, srv, "mallory@example.com")

	huge := strings.Repeat("a", 2<<20)
	stamp := domain.Timestamp{Wall: time.Now().UnixMilli(), Node: "dev1"}.String()
	stamp = stamp[:len(stamp)-len("dev1")] + huge
	push := `{"version": 3, "device": "dev1", "mutations": [{"id": "m1", "entity": "freezer", "entity_id": "` + domain.NewID().String() +
		`", "op": "create", "fields": {"name": "big", "boxes": 3, "deleted": false}, "stamp": "` + stamp + `"}]}`
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	_, _ = zw.Write([]byte(push))
	_ = zw.Close()

	before := boundsDBSize(t, path)
	req, _ := http.NewRequest(http.MethodPost, hs.URL+protocol.PushPath, &body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(protocol.VersionHeader, "3")
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("push with a 2 MB node = %d %.200s, want 400", resp.StatusCode, answer)
	}
	if len(answer) > 4096 {
		t.Errorf("the refusal is %d bytes: it must not echo the stamp", len(answer))
	}
	if after := boundsDBSize(t, path); after > before+64<<10 {
		t.Fatalf("database grew from %d to %d bytes on a push with a 2 MB node", before, after)
	}
	freezers, err := store.ListFreezers(context.Background(), mustAccountID(t, store, "mallory@example.com"))
	if err != nil || len(freezers) != 0 {
		t.Fatalf("FindFreezers() = %d, %v; want none", len(freezers), err)
	}
}

func mustAccountID(t *testing.T, store *sqlstore.DB, email string) int64 {
	t.Helper()
	a, err := store.FindAccountByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("FindAccountByEmail(%q) error = %v", email, err)
	}
	return a.ID
}

// The push's identifiers and field counts are bounded too.
func TestBoundsPushIdentifiers(t *testing.T) {
	e := newEnv(t)
	ts := domain.Timestamp{Wall: e.clock.Now().Add(time.Second).UnixMilli(), Node: "dev1"}.String()
	mutation := func(id, fields string) string {
		return `{"id": "` + id + `", "entity": "product", "entity_id": "` + e.aProducts[0].ID.String() +
			`", "op": "update", "fields": {` + fields + `}, "stamp": "` + ts + `"}`
	}
	many := make([]string, 20)
	for i := range many {
		many[i] = `"f` + strings.Repeat("x", i) + `": 1`
	}
	for _, c := range []struct{ name, body string }{
		{"long device", `{"version": 3, "device": "` + strings.Repeat("d", 65) + `", "mutations": [` + mutation("m1", `"quantity": 2`) + `]}`},
		{"long mutation id", `{"version": 3, "device": "dev1", "mutations": [` + mutation(strings.Repeat("m", 65), `"quantity": 2`) + `]}`},
		{"too many fields", `{"version": 3, "device": "dev1", "mutations": [` + mutation("m1", strings.Join(many, ", ")) + `]}`},
		{"bad node character", strings.Replace(`{"version": 3, "device": "dev1", "mutations": [`+mutation("m1", `"quantity": 2`)+`]}`, "-dev1", "-dev_1", 1)},
		{"null body", `null`},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := e.do(t, request{method: "POST", path: protocol.PushPath, body: c.body, bearer: e.a, header: http.Header{protocol.VersionHeader: {"3"}}})
			if w.Code != http.StatusBadRequest {
				t.Fatalf("push = %d %s, want 400", w.Code, w.Body)
			}
		})
	}
	got, err := e.store.FindProduct(context.Background(), e.aID, e.aProducts[0].ID)
	if err != nil || got.Quantity != e.aProducts[0].Quantity {
		t.Fatalf("product after refused pushes: quantity %d, %v; want %d", got.Quantity, err, e.aProducts[0].Quantity)
	}
}

// A null body is 400 on every JSON route of /api/v1; a take-out with null
// does not take the product out.
func TestBoundsNullBodies(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ method, path string }{
		{"POST", "/api/v1/products/{PA1}/take-out"},
		{"POST", "/api/v1/products/{PA12}/put-back"},
		{"PATCH", "/api/v1/products/{PA1}"},
		{"POST", "/api/v1/products"},
		{"POST", "/api/v1/freezers"},
		{"PATCH", "/api/v1/freezers/{FA1}"},
		{"PUT", "/api/v1/account/password"},
		{"POST", "/api/v1/login"},
		{"POST", "/api/v1/register"},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			w := e.do(t, request{method: c.method, path: e.expand(c.path), body: "null", bearer: e.a})
			if w.Code != http.StatusBadRequest {
				t.Fatalf("%s %s with null = %d %s, want 400", c.method, c.path, w.Code, w.Body)
			}
			if p := decode[problemDoc](t, w); p.Code != domain.EInvalid {
				t.Fatalf("problem code = %q, want %q", p.Code, domain.EInvalid)
			}
		})
	}
	got, err := e.store.FindProduct(context.Background(), e.aID, e.aProducts[0].ID)
	if err != nil || !got.Inside() {
		t.Fatalf("after a take-out with null: inside %t, %v; want still inside", got.Inside(), err)
	}
	for _, path := range []string{"/add_product/{A}", "/freezers/{A}"} {
		w := e.do(t, request{method: "POST", path: e.expand(path), body: "null"})
		if w.Code != http.StatusBadRequest {
			t.Fatalf("POST %s with null = %d %s, want 400", path, w.Code, w.Body)
		}
	}
}

// Compat path integers are plain digits: a sign or a space is not an
// integer, answered like any other non-integer.
func TestBoundsCompatPathIntegers(t *testing.T) {
	e := newEnv(t)
	for _, seg := range []string{"+1", "-0", "%201", "1%20", "-1", "0x1"} {
		for _, path := range []string{"/freezer_next_id/" + seg + "/{A}", "/get_product/all/" + seg + "/{A}"} {
			w := e.do(t, request{method: "GET", path: e.expand(path)})
			if w.Code != http.StatusNotFound {
				t.Fatalf("GET %s = %d %s, want 404", path, w.Code, w.Body)
			}
			if got := decode[compatErr](t, w); got.Status != http.StatusNotFound || got.Details == "" {
				t.Fatalf("GET %s = %+v, want the compat error shape", path, got)
			}
		}
	}
	if w := e.do(t, request{method: "GET", path: e.expand("/freezer_next_id/1/{A}")}); w.Code != http.StatusOK {
		t.Fatalf("GET /freezer_next_id/1 = %d %s, want 200", w.Code, w.Body)
	}
}
