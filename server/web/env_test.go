package web_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/server/web"
)

// env is a real freezerd handler with the household page, over a real
// SQLite store in a temporary folder, on a loopback httptest server.
type env struct {
	t     *testing.T
	store *sqlstore.DB
	path  string // the SQLite file
	srv   *server.Server
	http  *httptest.Server
	now   time.Time
}

const testPassword = "a long household password"

// testToday pins the clock: the inventory's statuses depend on the day.
var testToday = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

type envOptions struct {
	tls        bool
	closed     bool
	sessionTTL time.Duration
	now        func() time.Time
}

func mustEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	e := &env{t: t, now: testToday}
	now := o.now
	if now == nil {
		now = func() time.Time { return e.now }
	}
	e.path = filepath.Join(t.TempDir(), "freezerd.db")
	store, err := sqlstore.Open(context.Background(), e.path, sqlstore.Options{Now: now})
	if err != nil {
		t.Fatalf("sqlstore.Open() error = %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	e.store = store
	e.srv = server.New(server.Config{Store: store, Now: now, BcryptCost: 4, RegistrationClosed: o.closed,
		Limits: server.Limits{Disabled: true}})
	web.Mount(web.Config{Server: e.srv, Store: store, Now: now, SessionTTL: o.sessionTTL})
	if o.tls {
		e.http = httptest.NewTLSServer(e.srv)
	} else {
		e.http = httptest.NewServer(e.srv)
	}
	t.Cleanup(e.http.Close)
	return e
}

// mustAccount makes an account (an administrator when admin is set).
func (e *env) mustAccount(email string, admin bool) int64 {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.srv.Register(ctx, email, testPassword); err != nil {
		e.t.Fatalf("Register(%s) error = %v", email, err)
	}
	a, err := e.store.FindAccountByEmail(ctx, email)
	if err != nil {
		e.t.Fatalf("FindAccountByEmail(%s) error = %v", email, err)
	}
	if admin {
		if err := e.store.SetAdmin(ctx, a.ID, true); err != nil {
			e.t.Fatalf("SetAdmin() error = %v", err)
		}
	}
	return a.ID
}

// mustFreezer makes a freezer of the account.
func (e *env) mustFreezer(account int64, name string, boxes int) uuid.UUID {
	e.t.Helper()
	f, err := e.store.CreateFreezer(context.Background(), account, domain.Freezer{Name: name, Boxes: boxes}, server.UniqueName)
	if err != nil {
		e.t.Fatalf("CreateFreezer(%s) error = %v", name, err)
	}
	return f.ID
}

// mustProduct puts a product in box 1 of the freezer, in on dateIn for
// months.
func (e *env) mustProduct(account int64, freezer uuid.UUID, name string, typeID int, dateIn domain.Date, months int) {
	e.t.Helper()
	p := domain.Product{Name: name, TypeID: typeID, Location: domain.Location{FreezerID: freezer, Box: 1}, Quantity: 2,
		DateIn: dateIn, PeriodMonths: months}
	slots, err := e.store.FindProducts(context.Background(), account, server.ProductFilter{Where: server.Inside, FreezerID: &freezer})
	if err != nil {
		e.t.Fatal(err)
	}
	p.Location.Slot = len(slots) + 1
	if _, err := e.store.CreateProduct(context.Background(), account, p); err != nil {
		e.t.Fatalf("CreateProduct(%s) error = %v", name, err)
	}
}

// browser is an HTTP client with its own cookies, like one browser.
type browser struct {
	e    *env
	c    *http.Client
	last string // the body of the last page read
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := *e.http.Client() // a copy: each browser has its own cookies
	c.Jar = jar
	return &browser{e: e, c: &c}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.e.t.Helper()
	return b.do(http.MethodGet, path, nil)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.e.t.Helper()
	return b.do(http.MethodPost, path, form)
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.http.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	b.last = string(raw)
	return resp, b.last
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the CSRF token of the last page read.
func (b *browser) csrf() string {
	b.e.t.Helper()
	m := csrfRE.FindStringSubmatch(b.last)
	if m == nil {
		b.e.t.Fatalf("no CSRF token in the page:\n%s", b.last)
	}
	return m[1]
}

// signIn signs in through the form and checks the inventory answers.
func (b *browser) signIn(email string) {
	b.e.t.Helper()
	b.get("/app/signin")
	resp, body := b.post("/app/signin", url.Values{"csrf": {b.csrf()}, "email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/app/" {
		b.e.t.Fatalf("sign in as %s: %d at %s:\n%s", email, resp.StatusCode, resp.Request.URL.Path, body)
	}
}

func t0() context.Context { return context.Background() }

// queryRow reads the store's SQLite file directly (a test looks at what is
// stored, e.g. that a session id is kept only as its hash).
func (e *env) queryRow(query string, args ...any) *sql.Row {
	e.t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = db.Close() })
	return db.QueryRow(query, args...)
}
