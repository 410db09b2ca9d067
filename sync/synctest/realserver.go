package synctest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/sync/protocol"
)

// Backend is a sync server under test: the in-memory reference Server or
// freezerd's real handler over SQLite (RealServer).
type Backend interface {
	http.Handler
	// AuthToken is the account's bearer token.
	AuthToken() string
	Freezers() []protocol.FreezerState
	Products() []protocol.ProductState
	// Reboot restarts the server keeping its data.
	Reboot() error
	// Backup saves the data; RestoreBackup puts the saved data back (the
	// server goes back in time).
	Backup() error
	RestoreBackup() error
	AddType(en, fr string) domain.ProductType
	// LostWrites lists the acknowledged writes the current state lost.
	LostWrites() []string
	// StampsAhead lists the stored stamps beyond the clock bound.
	StampsAhead() []string
}

var (
	_ Backend = (*Server)(nil)
	_ Backend = (*RealServer)(nil)
)

// AuthToken implements Backend.
func (s *Server) AuthToken() string { return s.Token }

// Reboot implements Backend (an in-memory server keeps its state).
func (s *Server) Reboot() error { s.Restart(false); return nil }

// Backup implements Backend.
func (s *Server) Backup() error {
	snap := s.Snapshot()
	s.mu.Lock()
	s.saved = snap
	s.mu.Unlock()
	return nil
}

// RestoreBackup implements Backend; the in-memory server takes a new epoch
// as an administrator's restore would.
func (s *Server) RestoreBackup() error {
	s.mu.Lock()
	snap := s.saved
	s.mu.Unlock()
	if snap == nil {
		return fmt.Errorf("no backup")
	}
	s.Restore(snap)
	return nil
}

// RealServer is freezerd's real HTTP handler (server.New) over its store
// (sqlstore): a SQLite file, or a PostgreSQL database in the PostgreSQL
// pass of the tests (internal/pgtest), with one registered account. It
// records the writes it acknowledged, for the lost-write check.
type RealServer struct {
	mu sync.RWMutex
	// tb owns the PostgreSQL databases (the store's and its backup's).
	tb testing.TB
	// path is the SQLite file or the PostgreSQL URL; backup is where
	// Backup put the copy.
	path, backup string
	store        *sqlstore.DB
	handler      http.Handler
	token        string
	account      int64

	wmu       sync.Mutex
	written   []Write
	refused   []Write
	restamped []Write
}

// NewRealServer opens a server database, in dir (SQLite) or a new
// PostgreSQL database in the PostgreSQL pass, and registers an account.
func NewRealServer(tb testing.TB, dir string) (*RealServer, error) {
	s := &RealServer{tb: tb, path: filepath.Join(dir, "freezerd.db")}
	if pgtest.Postgres() {
		s.path = pgtest.NewDatabase(tb)
	}
	if err := s.open(); err != nil {
		return nil, err
	}
	body := `{"email": "sync@example.org", "password": "correct horse battery"}`
	req := httptest.NewRequest(http.MethodPost, protocol.RegisterPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.handler.ServeHTTP(w, req)
	var tr protocol.TokenResponse
	if err := json.Unmarshal(w.Body.Bytes(), &tr); err != nil || tr.Token == "" {
		s.Close()
		return nil, fmt.Errorf("register: %d %s", w.Code, w.Body)
	}
	s.token = tr.Token
	a, err := s.store.FindAccountByToken(context.Background(), server.HashToken(tr.Token))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("find account: %w", err)
	}
	s.account = a.ID
	return s, nil
}

func (s *RealServer) open() error {
	store, err := sqlstore.Open(context.Background(), s.path, sqlstore.Options{})
	if err != nil {
		return err
	}
	s.store = store
	s.handler = server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler),
		Limits: server.Limits{Disabled: true}, BcryptCost: 4})
	return nil
}

// Close closes the database; a PostgreSQL database and its backup are
// dropped at once rather than at the end of the test (the convergence
// test makes one server per run).
func (s *RealServer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.store.Close()
	if sqlstore.IsPostgres(s.path) {
		for _, url := range []string{s.path, s.backup} {
			if url != "" {
				pgtest.Drop(s.tb, url)
			}
		}
	}
	return err
}

// Store returns the server's store.
func (s *RealServer) Store() *sqlstore.DB {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.store
}

// AuthToken implements Backend.
func (s *RealServer) AuthToken() string { return s.token }

// ServeHTTP serves the real handler and records the acknowledged writes of
// pushes.
func (s *RealServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r.URL.Path != protocol.PushPath || r.Method != http.MethodPost {
		s.handler.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
	if rec.Code != http.StatusOK {
		return
	}
	var req protocol.PushRequest
	var resp protocol.PushResponse
	if json.Unmarshal(gunzip(body), &req) != nil || json.Unmarshal(gunzip(rec.Body.Bytes()), &resp) != nil {
		return
	}
	byID := map[string]protocol.Mutation{}
	for _, m := range req.Mutations {
		byID[m.ID] = m
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	for _, res := range resp.Results {
		mu, ok := byID[res.ID]
		if !ok {
			continue
		}
		switch res.Status {
		case protocol.StatusApplied, protocol.StatusMoved:
			for f := range mu.Fields {
				w := Write{mu.Entity, mu.EntityID, f, mu.StampOf(f)}
				if slices.Contains(res.Restamped, f) {
					s.restamped = append(s.restamped, w)
				} else {
					s.written = append(s.written, w)
				}
			}
		case protocol.StatusRejected:
			for f := range mu.Fields {
				s.refused = append(s.refused, Write{mu.Entity, mu.EntityID, f, mu.StampOf(f)})
			}
		}
	}
}

func gunzip(b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil
	}
	return out
}

// state reads every entity of the account with its stamps.
func (s *RealServer) state() ([]protocol.FreezerState, []protocol.ProductState) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var freezers []protocol.FreezerState
	var products []protocol.ProductState
	for cursor := int64(0); ; {
		page, err := s.store.Pull(context.Background(), s.account, cursor, protocol.MaxPullPage, "", nil)
		if err != nil {
			panic(fmt.Sprintf("read server state: %v", err))
		}
		for _, c := range page.Changes {
			if c.Entity == domain.EntityBarcode {
				continue // Barcodes (server_barcodes.go)
			}
			if c.Entity == domain.EntityFreezer {
				f, err := protocol.DecodeFreezer(c)
				if err != nil {
					panic(err)
				}
				freezers = append(freezers, f)
			} else {
				p, err := protocol.DecodeProduct(c)
				if err != nil {
					panic(err)
				}
				products = append(products, p)
			}
		}
		cursor = page.Cursor
		if !page.More {
			return freezers, products
		}
	}
}

// Freezers implements Backend.
func (s *RealServer) Freezers() []protocol.FreezerState { f, _ := s.state(); return f }

// Products implements Backend.
func (s *RealServer) Products() []protocol.ProductState { _, p := s.state(); return p }

// Reboot closes and reopens the database, as a restart of freezerd would.
func (s *RealServer) Reboot() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.Close(); err != nil {
		return err
	}
	return s.open()
}

// Backup copies the database: the file, or a copy of the PostgreSQL
// database (the server is stopped meanwhile).
func (s *RealServer) Backup() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.Close(); err != nil {
		return err
	}
	if sqlstore.IsPostgres(s.path) {
		if s.backup != "" {
			pgtest.Drop(s.tb, s.backup)
		}
		s.backup = pgtest.Clone(s.tb, s.path)
	} else {
		s.backup = s.path + ".bak"
		if err := copyFile(s.path, s.backup); err != nil {
			return err
		}
	}
	return s.open()
}

// RestoreBackup puts the backed-up file back and gives it a new sync epoch
// before serving it again, as an administrator following README.md does
// (the store's RenewEpoch is what "freezerd restore-done" runs).
func (s *RealServer) RestoreBackup() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.Close(); err != nil {
		return err
	}
	if err := s.putBackupBack(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	if _, err := s.store.RenewEpoch(context.Background()); err != nil {
		return fmt.Errorf("restore-done: %w", err)
	}
	return nil
}

// putBackupBack replaces the database with the backup's copy.
func (s *RealServer) putBackupBack() error {
	if s.backup == "" {
		return fmt.Errorf("no backup")
	}
	if sqlstore.IsPostgres(s.path) {
		pgtest.Replace(s.tb, s.path, s.backup)
		return nil
	}
	for _, ext := range []string{"-wal", "-shm"} {
		_ = os.Remove(s.path + ext)
	}
	return copyFile(s.backup, s.path)
}

// Path returns where the server's database is: its file, or its
// PostgreSQL URL.
func (s *RealServer) Path() string { return s.path }

func copyFile(from, to string) error {
	if _, err := os.Stat(from + "-wal"); err == nil {
		return fmt.Errorf("copy %s: the database was not checkpointed", from)
	}
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// AddType implements Backend.
func (s *RealServer) AddType(en, fr string) domain.ProductType {
	t, err := s.Store().CreateType(context.Background(), en, fr)
	if err != nil {
		panic(err)
	}
	return t
}

// LostWrites implements Backend.
func (s *RealServer) LostWrites() []string {
	freezers, products := s.state()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return lostWrites(s.written, s.refused, s.restamped, freezers, products)
}

// StampsAhead implements Backend.
func (s *RealServer) StampsAhead() []string {
	freezers, products := s.state()
	return stampsAhead(time.Now(), freezers, products)
}
