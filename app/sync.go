package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"freezer/domain"
	"freezer/internal/pubsub"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/tokens"
	"freezer/ui"
)

// Sync adapts the syncer (freezer/sync/client) to ui.Sync. It keeps the
// token in a tokens.Store (the OS keyring, or a private file), never
// in the inventory database nor in the preferences, and never logs it.
// The server's address is kept in the database's sync state.
type Sync struct {
	db     *storage.DB
	cfg    client.Config
	syncer *client.Syncer
	tokens func() tokens.Store
	store  tokens.Store // made on first use (the keyring probe may take a second)

	appVersion string // sent when pairing, listed with the household's devices

	changed atomic.Bool // a pull changed the device's data since the last status

	pub sync.Mutex // publishes one at a time, in order
	seq uint64     // under pub

	mu       sync.Mutex
	server   string
	token    string
	signedIn bool
	last     ui.SyncStatus

	subs pubsub.Hub[ui.SyncStatus]

	// ctx bounds the reads made for a published status (they run on the
	// syncer's goroutine, with no caller's context); Close cancels it.
	ctx      context.Context
	closeCtx context.CancelFunc

	started chan struct{} // closed when Start's goroutine is done loading
	cancel  context.CancelFunc
}

var _ ui.Sync = (*Sync)(nil)

// SyncOptions configure NewSync.
type SyncOptions struct {
	// Tokens returns where tokens are kept; it is called once, off the UI
	// goroutine (tokens.New probes the keyring).
	Tokens func() tokens.Store
	// Config is the syncer's configuration; Server and Token are set from
	// the database and the token store.
	Config client.Config
	// AppVersion is the app's version, which a device pairing gives the
	// server ("" when unknown).
	AppVersion string
}

// NewSync returns the syncer adapter for db. The server comes from the
// database's sync state; the token is read by Load (or Start).
func NewSync(ctx context.Context, db *storage.DB, opts SyncOptions) (*Sync, error) {
	st, err := db.SyncState(ctx)
	if err != nil {
		return nil, err
	}
	s := &Sync{db: db, tokens: opts.Tokens, server: st.Server, signedIn: st.Server != "", appVersion: opts.AppVersion}
	cfg := opts.Config
	cfg.Server, cfg.Token = st.Server, "" // idle until Load finds the token
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s.cfg = cfg
	s.syncer, err = client.NewSyncer(syncStore{DB: db, changed: &s.changed}, cfg)
	if err != nil {
		return nil, err
	}
	s.ctx, s.closeCtx = context.WithCancel(context.Background())
	ctx, cancel := context.WithTimeout(s.ctx, statusTimeout)
	s.last = s.convert(ctx, s.syncer.Status())
	cancel()
	s.syncer.Subscribe(s.publish)
	return s, nil
}

// syncStore is the device store as the syncer sees it: it notes when a
// pull changed the device's data so that the screens read it again.
type syncStore struct {
	*storage.DB
	changed *atomic.Bool
}

func (s syncStore) ApplyPull(ctx context.Context, page storage.PulledPage) (storage.PullApplied, error) {
	a, err := s.DB.ApplyPull(ctx, page)
	if err == nil && (a.Freezers > 0 || a.Products > 0 || page.Types != nil) {
		s.changed.Store(true)
	}
	return a, err
}

func (s *Sync) tokenStore() tokens.Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store == nil {
		s.store = s.tokens()
	}
	return s.store
}

// Load reads the token of the configured server; without one the device
// is signed out. Start calls it; tests call it alone (no background loop).
func (s *Sync) Load(ctx context.Context) error {
	s.mu.Lock()
	server := s.server
	s.mu.Unlock()
	if server == "" {
		s.setCredentials("", "", false)
		return nil
	}
	tok, err := s.tokenStore().Token(tokens.Key(server, s.db.DeviceID()))
	if err != nil {
		s.setCredentials(server, "", false)
		if domain.ErrorCode(err) == domain.ENotFound {
			return nil
		}
		return err
	}
	s.setCredentials(server, tok, true)
	return nil
}

// Start loads the token and runs the syncer in the background until Close.
func (s *Sync) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.started = make(chan struct{})
	go func() {
		defer close(s.started)
		if err := s.Load(ctx); err != nil {
			s.cfg.Logger.Warn("read the sync token", "error", err.Error()) // the error never holds the token
		}
		if ctx.Err() == nil {
			s.syncer.Start(ctx)
		}
	}()
}

// Close stops the syncer and waits for a running round.
func (s *Sync) Close() error {
	s.closeCtx() // cuts short the reads of a status being published
	if s.cancel != nil {
		s.cancel()
		<-s.started
	}
	return s.syncer.Close()
}

// Changed tells the syncer of a local write (app.Store calls it).
func (s *Sync) Changed() { s.syncer.Changed() }

func (s *Sync) setCredentials(server, token string, signedIn bool) {
	s.mu.Lock()
	s.server, s.token, s.signedIn = server, token, signedIn
	s.mu.Unlock()
	if signedIn {
		s.syncer.SetCredentials(server, token)
	} else {
		s.syncer.SetCredentials("", "")
	}
}

// SignIn implements ui.Sync.
func (s *Sync) SignIn(ctx context.Context, server, email, password string) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	// The device's token is named after the machine, with the app's
	// version, as a pairing names it (Settings, Devices).
	token, err := client.LoginDevice(ctx, s.cfg.HTTPClient, server, email, password, ui.DefaultDeviceName(), s.appVersion)
	if err != nil {
		return signInErr(err, ui.SyncErrWrongPassword)
	}
	return s.keep(ctx, server, token)
}

// SignInWithToken implements ui.Sync: the token is checked by fetching the
// general tendency, which needs a valid token.
func (s *Sync) SignInWithToken(ctx context.Context, server, token string) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	if _, err := client.GeneralTrend(ctx, s.cfg.HTTPClient, server, token); err != nil {
		return signInErr(err, ui.SyncErrBadToken)
	}
	return s.keep(ctx, server, token)
}

// keep stores the token and points the syncer at the server.
func (s *Sync) keep(ctx context.Context, server, token string) error {
	if err := s.tokenStore().SetToken(tokens.Key(server, s.db.DeviceID()), token); err != nil {
		return err
	}
	if err := s.db.SetSyncServer(ctx, server); err != nil {
		return err
	}
	s.setCredentials(server, token, true)
	return nil
}

// SignOut implements ui.Sync: the token is forgotten; the server's address
// and the inventory stay.
func (s *Sync) SignOut(ctx context.Context) error {
	s.mu.Lock()
	server := s.server
	s.mu.Unlock()
	err := s.tokenStore().DeleteToken(tokens.Key(server, s.db.DeviceID()))
	s.setCredentials(server, "", false)
	return err
}

// SyncNow implements ui.Sync.
func (s *Sync) SyncNow(ctx context.Context) error {
	s.mu.Lock()
	signedIn := s.signedIn
	s.mu.Unlock()
	if !signedIn {
		return nil
	}
	_, err := s.syncer.SyncNow(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return roundErr(err)
	}
	return nil
}

// GeneralTendency implements ui.Sync.
func (s *Sync) GeneralTendency(ctx context.Context) ([]ui.TypeTrend, error) {
	s.mu.Lock()
	server, token, signedIn := s.server, s.token, s.signedIn
	s.mu.Unlock()
	if !signedIn || token == "" {
		return nil, &ui.SyncErr{Kind: ui.SyncErrOther, Message: "This device is not signed in."}
	}
	list, err := client.GeneralTrend(ctx, s.cfg.HTTPClient, server, token)
	if err != nil {
		return nil, roundErr(err)
	}
	out := make([]ui.TypeTrend, len(list))
	for i, t := range list {
		out[i] = ui.TypeTrend{TypeID: t.TypeID, Count: t.Count, NameEN: t.NameEN, NameFR: t.NameFR}
	}
	return out, nil
}

// ClearNotices implements ui.Sync.
func (s *Sync) ClearNotices() { s.syncer.ClearNotices() }
