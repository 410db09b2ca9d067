package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/ui"
)

// Sync adapts the syncer (freezer/sync/client) to ui.Sync. It keeps the
// token in a client.TokenStore (the OS keyring, or a private file), never
// in the inventory database nor in the preferences, and never logs it.
// The server's address is kept in the database's sync state.
type Sync struct {
	db     *storage.DB
	cfg    client.Config
	syncer *client.Syncer
	tokens func() client.TokenStore
	store  client.TokenStore // made on first use (the keyring probe may take a second)

	changed atomic.Bool // a pull changed the device's data since the last status

	pub sync.Mutex // publishes one at a time, in order
	seq uint64     // under pub

	mu       sync.Mutex
	server   string
	token    string
	signedIn bool
	last     ui.SyncStatus
	names    map[string]string // product id -> name, for moves and refusals
	subs     map[int]func(ui.SyncStatus)
	nextSub  int

	started chan struct{} // closed when Start's goroutine is done loading
	cancel  context.CancelFunc
}

var _ ui.Sync = (*Sync)(nil)

// SyncOptions configure NewSync.
type SyncOptions struct {
	// Tokens returns where tokens are kept; it is called once, off the UI
	// goroutine (client.NewTokenStore probes the keyring).
	Tokens func() client.TokenStore
	// Config is the syncer's configuration; Server and Token are set from
	// the database and the token store.
	Config client.Config
}

// NewSync returns the syncer adapter for db. The server comes from the
// database's sync state; the token is read by Load (or Start).
func NewSync(db *storage.DB, opts SyncOptions) (*Sync, error) {
	st, err := db.SyncState(context.Background())
	if err != nil {
		return nil, err
	}
	s := &Sync{db: db, tokens: opts.Tokens, server: st.Server, signedIn: st.Server != "",
		names: map[string]string{}, subs: map[int]func(ui.SyncStatus){}}
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
	s.last = s.convert(s.syncer.Status())
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

func (s *Sync) tokenStore() client.TokenStore {
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
	tok, err := s.tokenStore().Token(client.TokenKey(server, s.db.DeviceID()))
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

// Status implements ui.Sync.
func (s *Sync) Status() ui.SyncStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.last
	st.DataChanged = false
	st.Moves = append([]ui.SlotMove(nil), st.Moves...)
	st.Rejected = append([]ui.Rejection(nil), st.Rejected...)
	return st
}

// Subscribe implements ui.Sync.
func (s *Sync) Subscribe(fn func(ui.SyncStatus)) (cancel func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// publish hands the syncer's latest status to the subscribers. The syncer
// calls its subscribers outside its lock, so two updates from different
// goroutines may arrive in either order: publish re-reads the latest
// status and numbers it, so the UI keeps the newest.
func (s *Sync) publish(client.Status) {
	s.pub.Lock()
	defer s.pub.Unlock()
	st := s.convert(s.syncer.Status())
	s.seq++
	st.Seq = s.seq
	s.mu.Lock()
	s.last = st
	subs := make([]func(ui.SyncStatus), 0, len(s.subs))
	for _, fn := range s.subs {
		subs = append(subs, fn)
	}
	s.mu.Unlock()
	for _, fn := range subs {
		fn(st)
	}
}

// convert turns the syncer's status into the UI's, naming the moved and
// refused products.
func (s *Sync) convert(cst client.Status) ui.SyncStatus {
	s.mu.Lock()
	server, signedIn := s.server, s.signedIn
	s.mu.Unlock()
	st := ui.SyncStatus{State: ui.SyncState(cst.State), Server: server, SignedIn: signedIn,
		Phase: cst.Phase, Done: cst.Done, Total: cst.Total, LastSuccess: cst.LastSuccess,
		Pending: cst.Pending, NextRetry: cst.NextRetry}
	if cst.Error != "" {
		st.Err = statusErr(cst)
	}
	if cst.State != client.StateSyncing {
		st.DataChanged = s.changed.Swap(false)
	}
	for _, m := range cst.Moves {
		name := m.Name
		if name == "" {
			name = s.productName(m.ProductID)
		}
		st.Moves = append(st.Moves, ui.SlotMove{Name: name, Freezer: m.Freezer, Box: m.Box, From: m.From, To: m.To})
	}
	for _, r := range cst.Rejected {
		what := r.Entity
		if r.Entity == "product" {
			what += " " + s.productName(r.EntityID)
		} else if id, err := uuid.Parse(r.EntityID); err == nil {
			if f, err := s.db.FindFreezer(context.Background(), id); err == nil {
				what += " " + f.Name
			}
		}
		st.Rejected = append(st.Rejected, ui.Rejection{What: what, Reason: r.Reason, Dropped: r.Dropped})
	}
	return st
}

func (s *Sync) productName(id string) string {
	s.mu.Lock()
	name, ok := s.names[id]
	s.mu.Unlock()
	if ok {
		return name
	}
	name = id
	if len(name) > 8 {
		name = name[:8]
	}
	if pid, err := uuid.Parse(id); err == nil {
		if p, err := s.db.FindProduct(context.Background(), pid); err == nil {
			name = p.Name
		}
	}
	s.mu.Lock()
	s.names[id] = name
	s.mu.Unlock()
	return name
}

// SignIn implements ui.Sync.
func (s *Sync) SignIn(ctx context.Context, server, email, password string) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	token, err := client.Login(ctx, s.cfg.HTTPClient, server, email, password)
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
	if err := s.tokenStore().SetToken(client.TokenKey(server, s.db.DeviceID()), token); err != nil {
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
	err := s.tokenStore().DeleteToken(client.TokenKey(server, s.db.DeviceID()))
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

// signInErr classifies a sign-in failure; refused is the kind of a 401.
func signInErr(err error, refused string) error {
	if domain.ErrorCode(err) == domain.EUnauthorized {
		return &ui.SyncErr{Kind: refused, Message: err.Error()}
	}
	return roundErr(err)
}

// roundErr classifies a sync failure for the UI's translated sentences.
func roundErr(err error) error {
	var e *client.Error
	if !errors.As(err, &e) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return &ui.SyncErr{Kind: ui.SyncErrOther, Message: domain.ErrorMessage(err)}
	}
	return &ui.SyncErr{Kind: errKind(e.Kind), Message: e.Message}
}

// errKinds gives the UI's kind of each of the syncer's error kinds; the UI
// has a translated sentence for each.
var errKinds = map[string]string{
	client.KindOffline:       ui.SyncErrOffline,
	client.KindTimeout:       ui.SyncErrTimeout,
	client.KindWrongPassword: ui.SyncErrWrongPassword,
	client.KindToken:         ui.SyncErrToken,
	client.KindBusy:          ui.SyncErrBusy,
	client.KindServer:        ui.SyncErrServer,
	client.KindNotSync:       ui.SyncErrNotSync,
	client.KindNoServer:      ui.SyncErrNoServer,
	client.KindIdentity:      ui.SyncErrIdentity,
	client.KindUpdate:        ui.SyncErrUpdate,
	client.KindRetry:         ui.SyncErrRetry,
	client.KindRefused:       ui.SyncErrRefused,
}

// errKind returns the UI's kind for a syncer error kind; an unknown one
// is SyncErrOther, and the UI shows the syncer's own sentence.
func errKind(kind string) string {
	if k, ok := errKinds[kind]; ok {
		return k
	}
	return ui.SyncErrOther
}

// statusErr classifies the syncer's published error by its kind, else by
// its state (offline: no answer came); the sentence is kept for the kinds
// the UI does not know.
func statusErr(cst client.Status) *ui.SyncErr {
	kind := errKind(cst.ErrorKind)
	if kind == ui.SyncErrOther && cst.State == client.StateOffline {
		kind = ui.SyncErrOffline
	}
	return &ui.SyncErr{Kind: kind, Message: cst.Error}
}
