package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/server"
	"freezer/server/sqlstore"
)

// TestMain runs every test on each backend: SQLite, then PostgreSQL
// (internal/pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// storeTarget returns where a test's store lives: a new SQLite file, or a
// new PostgreSQL database in the PostgreSQL pass.
func storeTarget(t testing.TB) string {
	t.Helper()
	if pgtest.Postgres() {
		return pgtest.NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), "freezerd.db")
}

// fakeClock is a settable clock shared by the store and the server.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server over a fresh SQLite file with two accounts: A holds the
// seed's sample household, B one freezer and one product.
type env struct {
	srv   *server.Server
	store *sqlstore.DB
	clock *fakeClock
	a, b  string // tokens
	aID   int64
	bID   int64
	// A's freezers (compat 1 and 2), B's freezer (compat 3).
	frigo1, frigo2, bFreezer server.Freezer
	// A's products: the 10 sample products (compat 1..10) inside, then two
	// taken out: compat 11 (box 1 slot 4, like product 1) and 12 (box 1
	// slot 7). B's product: compat 13.
	aProducts []server.Product
	bProduct  server.Product
}

var today = time.Date(2018, 2, 10, 12, 0, 0, 0, time.UTC)

type envOption func(*server.Config)

func withLimits(l server.Limits) envOption { return func(c *server.Config) { c.Limits = l } }

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	clock := &fakeClock{t: today}
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, storeTarget(t), sqlstore.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	cfg := server.Config{
		Store:       store,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:         clock.Now,
		Limits:      server.Limits{Disabled: true},
		CORSOrigins: []string{"*"},
		BcryptCost:  bcrypt.MinCost,
	}
	if counter, throttle, shared := store.SharedLimits(); shared {
		// On PostgreSQL the limits count where freezerd counts them there.
		cfg.RateCounter, cfg.LoginThrottle = counter, throttle
	}
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{srv: server.New(cfg), store: store, clock: clock}
	e.a = mustRegister(t, e.srv, "alice@example.com")
	e.b = mustRegister(t, e.srv, "bob@example.com")
	ac, _ := store.FindAccountByEmail(ctx, "alice@example.com")
	bc, _ := store.FindAccountByEmail(ctx, "bob@example.com")
	e.aID, e.bID = ac.ID, bc.ID
	e.frigo1 = mustCreateFreezer(t, store, e.aID, "frigo 1", 4)
	e.frigo2 = mustCreateFreezer(t, store, e.aID, "frigo 2", 8)
	e.bFreezer = mustCreateFreezer(t, store, e.bID, "bob's", 2)
	for _, s := range sampleProducts {
		e.aProducts = append(e.aProducts, mustCreateProduct(t, store, e.aID, e.frigo1, s))
	}
	out1 := mustCreateProduct(t, store, e.aID, e.frigo1, sample{1, 4, "2017-10-01", 6, "vieille soupe", 2, "soupe mangée", 1, "2018-01-10"})
	out2 := mustCreateProduct(t, store, e.aID, e.frigo1, sample{1, 7, "2017-10-01", 6, "pain", 2, "pain gris", 27, ""})
	out2 = mustTakeOut(t, store, e.aID, out2, "2018-01-20")
	e.aProducts = append(e.aProducts, out1, out2)
	e.bProduct = mustCreateProduct(t, store, e.bID, e.bFreezer, sample{1, 1, "2018-01-01", 3, "bob's pizza", 2, "margherita", 33, ""})
	return e
}

type sample struct {
	box, slot int
	dateIn    string
	period    int
	name      string
	persons   int
	descr     string
	typeID    int
	dateOut   string
}

// sampleProducts is the seed's sample household (frigo 1).
var sampleProducts = []sample{
	{1, 4, "2017-12-26", 6, "Soupe de Noël", 4, "Soupe à base de tomates, brocoli et poisson", 1, ""},
	{1, 5, "2018-02-01", 1, "soupe champignons", 1, "soupe aux champignons et noix", 1, ""},
	{1, 6, "2018-01-29", 12, "glace cookies", 2, "glace vanille aux cookies dough", 24, ""},
	{2, 2, "2017-07-23", 12, "glace moka", 3, "glace moka", 24, ""},
	{1, 2, "2017-07-23", 12, "glace vanille", 3, "glace à la vanille de Madagascar", 24, ""},
	{2, 1, "2017-05-23", 24, "filet de dinde", 1, "filet de dinde cuit", 7, ""},
	{3, 1, "2017-06-17", 24, "porc", 3, "porc", 7, ""},
	{4, 1, "2017-11-30", 12, "filet de veau", 3, "filet de veau", 7, ""},
	{4, 2, "2017-09-02", 12, "cabillaud", 2, "cabillaud premium", 13, ""},
	{3, 2, "2017-09-16", 12, "cabillaud", 2, "cabillaud premium", 13, ""},
}

func mustRegister(t testing.TB, srv *server.Server, email string) string {
	t.Helper()
	token, err := srv.Register(context.Background(), email, "correct horse")
	if err != nil {
		t.Fatalf("Register(%q) error = %v", email, err)
	}
	return token
}

func mustCreateFreezer(t testing.TB, store server.Store, account int64, name string, boxes int) server.Freezer {
	t.Helper()
	f, err := store.CreateFreezer(context.Background(), account, domain.Freezer{Name: name, Boxes: boxes}, server.UniqueName)
	if err != nil {
		t.Fatalf("CreateFreezer(%q) error = %v", name, err)
	}
	return f
}

func mustCreateProduct(t testing.TB, store server.Store, account int64, f server.Freezer, s sample) server.Product {
	t.Helper()
	d, err := domain.ParseDate(s.dateIn)
	if err != nil {
		t.Fatal(err)
	}
	p := domain.Product{
		Name: s.name, Description: s.descr, TypeID: s.typeID, Location: domain.Location{FreezerID: f.ID, Box: s.box, Slot: s.slot},
		Quantity: s.persons, DateIn: d, PeriodMonths: s.period,
	}
	if s.dateOut != "" {
		if p.DateOut, err = domain.ParseDate(s.dateOut); err != nil {
			t.Fatal(err)
		}
	}
	created, err := store.CreateProduct(context.Background(), account, p)
	if err != nil {
		t.Fatalf("CreateProduct(%q) error = %v", s.name, err)
	}
	return created
}

func mustTakeOut(t testing.TB, store server.Store, account int64, p server.Product, date string) server.Product {
	t.Helper()
	d, _ := domain.ParseDate(date)
	p, err := store.UpdateProduct(context.Background(), account, p.ID, server.ProductUpdate{DateOut: &d})
	if err != nil {
		t.Fatalf("UpdateProduct(take out) error = %v", err)
	}
	return p
}

// request is one HTTP request to the server under test.
type request struct {
	method, path string
	body         string
	ctype        string // Content-Type; "-" for none; application/json by default when there is a body
	bearer       string // Authorization: Bearer
	header       http.Header
	remote       string
}

func (e *env) do(t testing.TB, req request) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r := httptest.NewRequest(req.method, req.path, body)
	switch {
	case req.ctype == "-":
	case req.ctype != "":
		r.Header.Set("Content-Type", req.ctype)
	case req.body != "":
		r.Header.Set("Content-Type", "application/json")
	}
	if req.bearer != "" {
		r.Header.Set("Authorization", "Bearer "+req.bearer)
	}
	for k, v := range req.header {
		r.Header[k] = v
	}
	if req.remote != "" {
		r.RemoteAddr = req.remote
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w
}

// expand replaces {A} and {B} by the tokens of A and B.
func (e *env) expand(s string) string {
	return strings.NewReplacer("{A}", e.a, "{B}", e.b, "{FA1}", e.frigo1.ID.String(), "{FA2}", e.frigo2.ID.String(),
		"{FB}", e.bFreezer.ID.String(), "{PA1}", e.aProducts[0].ID.String(), "{PA11}", e.aProducts[10].ID.String(),
		"{PA12}", e.aProducts[11].ID.String(), "{PB}", e.bProduct.ID.String()).Replace(s)
}

func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", w.Body.String(), err)
	}
	return v
}

// compatErr is the original API's error object.
type compatErr struct {
	Status  int    `json:"status"`
	Details string `json:"details"`
}

// problemDoc is an RFC 9457 problem.
type problemDoc struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	Field  string `json:"field"`
}

// Error texts of seed-api.md, repeated here on purpose: a change to the
// server's constants must break these tests.
const (
	BAD_TOKEN               = "Bad token given"
	BAD_PARAMETER           = "The parameter given is not correct"
	BAD_FORMAT              = "The request does not follow the format rule. Please try again with the correct format"
	BAD_REQUEST             = "Bad request"
	BAD_CONTENT_TYPE        = "The content-type sent is not an application/json. Please try again with this content type."
	BAD_PRODUCT_EMPLACEMENT = "The emplacement where you try to store your new product is not valid.Please check the box number, the freezer and the product identifier assigned to it.The emplacement is probably already taken."
	BAD_PRODUCT_TYPE        = "The type given to the new product to store is not correct.It should be an integer present in the list referring to the different possible types"
	BAD_PRODUCT_DATE        = "The date format is for the new product is not well formatted. It should follow the YYYY-MM-DD format. Please try again with this format"
	BAD_PRODUCT_PERIOD      = "The period given for the product is not valid. It should be an integer.Please Try again with the correct setting"
	BAD_PRODUCT_QUANTITY    = "The quantity given for the product is not valid. It should be an integer.Please Try again with the correct setting"
	SERVER_ERROR            = "An error occurred on the server"
	DELETE_FREEZER          = "It is impossible to delete the freezer since some products are still linked to it"
)

func httptestRecorder(body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	w.Body.WriteString(body)
	return w
}

func httptestRequest(method, path, body, bearer string) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+bearer)
	return r
}
