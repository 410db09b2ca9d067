package app_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"freezer/app"
	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/tokens"
	"freezer/ui"
)

func startServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "freezerd.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler),
		Limits: server.Limits{Disabled: true}, BcryptCost: 4})
	if _, err := srv.Register(ctx, "anne@example.org", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); store.Close() })
	return ts
}

func openDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "freezer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStoreOnWriteAfterSuccessfulWritesOnly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := app.New(db)
	calls := 0
	s.OnWrite = func() { calls++ }
	f, err := s.CreateFreezer(ctx, "Kitchen", 2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.AddProduct(ctx, domain.Product{Name: "Peas", TypeID: 43, Quantity: 2,
		Location: domain.Location{FreezerID: f.ID, Box: 1}, DateIn: s.Today(), PeriodMonths: 6})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeOutProduct(ctx, p.ID, s.Today(), domain.OutcomeEaten); err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Errorf("OnWrite calls = %d, want 3", calls)
	}
	if _, err := s.AddProduct(ctx, domain.Product{Name: "", TypeID: 43}); err == nil {
		t.Fatal("an invalid product was added")
	}
	if _, err := s.Freezers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Products(ctx); err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Errorf("OnWrite calls after a refused write and reads = %d, want 3", calls)
	}
}

// TestSyncStartLoadsTokenAndSyncsAfterWrites starts a second adapter on a
// signed-in database: it finds the token, runs its background loop, and a
// local write is sent a debounce later.
func TestSyncStartLoadsTokenAndSyncsAfterWrites(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t)
	db := openDB(t)
	dir := filepath.Join(t.TempDir(), "tokens")
	store := func() tokens.Store { return tokens.FileStore{Dir: dir} }
	cfg := client.Config{HTTPClient: ts.Client(), Debounce: 20 * time.Millisecond, MinBackoff: 10 * time.Millisecond}

	first, err := app.NewSync(ctx, db, app.SyncOptions{Tokens: store, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.SignIn(ctx, ts.URL, "anne@example.org", "correct horse battery"); err != nil {
		t.Fatalf("SignIn() error = %v", err)
	}
	first.Close()

	s, err := app.NewSync(ctx, db, app.SyncOptions{Tokens: store, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	statuses := make(chan ui.SyncStatus, 100)
	s.Subscribe(func(st ui.SyncStatus) {
		select {
		case statuses <- st:
		default:
		}
	})
	inv := app.New(db)
	inv.OnWrite = s.Changed
	s.Start(ctx)
	defer s.Close()

	wait := func(what string, ok func(ui.SyncStatus) bool) ui.SyncStatus {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case st := <-statuses:
				if ok(st) {
					return st
				}
			case <-deadline:
				t.Fatalf("timed out waiting for %s; last status %+v", what, s.Status())
			}
		}
	}
	st := wait("the first round", func(st ui.SyncStatus) bool { return st.State == ui.SyncIdle && !st.LastSuccess.IsZero() })
	if !st.SignedIn || st.Server != ts.URL {
		t.Errorf("status = %+v, want signed in to %s", st, ts.URL)
	}
	if _, err := inv.CreateFreezer(ctx, "Garage", 3); err != nil {
		t.Fatal(err)
	}
	after := st.LastSuccess
	wait("a round after the write", func(st ui.SyncStatus) bool {
		return st.State == ui.SyncIdle && st.LastSuccess.After(after) && st.Pending == 0
	})
	if n, _ := db.PendingCount(ctx); n != 0 {
		t.Errorf("pending = %d after the debounced round, want 0", n)
	}
}

// TestSyncStatusErrorKinds provokes each failure the syncer words for a
// person, against a server that answers so, and checks that the adapter
// gives it a kind the UI has a translated sentence for (the syncer's status
// carries a kind beside its English sentence; see errKinds).
func TestSyncStatusErrorKinds(t *testing.T) {
	ctx := context.Background()
	slow := make(chan struct{})
	t.Cleanup(func() { close(slow) })
	for _, tt := range []struct {
		name    string
		handler http.HandlerFunc // nil: nothing listens
		want    string
	}{
		{"unreachable", nil, ui.SyncErrOffline},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-slow:
			case <-r.Context().Done():
			}
		}, ui.SyncErrTimeout},
		{"token refused", status(http.StatusUnauthorized, `{"detail":"bad token"}`), ui.SyncErrToken},
		{"busy", status(http.StatusTooManyRequests, `{}`), ui.SyncErrBusy},
		{"server problem", status(http.StatusInternalServerError, `{}`), ui.SyncErrServer},
		{"not a sync server", status(http.StatusNotFound, `not found`), ui.SyncErrNotSync},
		{"refused request", status(http.StatusBadRequest, `{"detail":"unknown field"}`), ui.SyncErrRefused},
		{"malformed answer", status(http.StatusOK, `{"cut`), ui.SyncErrRetry},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var url string
			hc := http.DefaultClient
			if tt.handler == nil {
				ts := httptest.NewServer(http.NotFoundHandler())
				url = ts.URL
				ts.Close()
			} else {
				ts := httptest.NewServer(tt.handler)
				t.Cleanup(ts.Close)
				url, hc = ts.URL, ts.Client()
			}
			db := openDB(t)
			if err := db.SetSyncServer(ctx, url); err != nil {
				t.Fatal(err)
			}
			store := tokens.FileStore{Dir: t.TempDir()}
			if err := store.SetToken(tokens.Key(url, db.DeviceID()), "device-token"); err != nil {
				t.Fatal(err)
			}
			s, err := app.NewSync(ctx, db, app.SyncOptions{Tokens: func() tokens.Store { return store },
				Config: client.Config{HTTPClient: hc, Timeout: 200 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if err := s.Load(ctx); err != nil {
				t.Fatal(err)
			}
			err = s.SyncNow(ctx)
			var got *ui.SyncErr
			if !errors.As(err, &got) || got.Kind != tt.want {
				t.Errorf("SyncNow() = %#v, want a SyncErr of kind %q", err, tt.want)
			}
			st := s.Status()
			if st.Err == nil || st.Err.Kind != tt.want {
				t.Errorf("Status().Err = %#v, want kind %q", st.Err, tt.want)
			}
			if st.Err != nil && st.Err.Message == "" {
				t.Error("Status().Err has no sentence to fall back on")
			}
		})
	}
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}
