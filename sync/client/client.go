// Package client is the device's syncer: it pushes the outbox to freezerd
// in batches, pulls the account's changes in pages, rebases what is still
// queued on top, and publishes its state for the UI. It runs in the
// background on a cron schedule, at start, shortly after a local change and
// on demand, and backs off with jitter when the server cannot be reached.
//
// Tokens are not its business: its owner (the desktop app, freezerctl)
// reads the token from freezer/sync/tokens and hands it over with
// Config.Token or Syncer.SetCredentials, so this package never touches the
// OS keyring nor token files.
package client

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/protocol"
)

// Store is what the syncer needs from the device's store.
type Store interface {
	DeviceID() string
	SyncState(ctx context.Context) (storage.SyncState, error)
	OutboxBatch(ctx context.Context, limit int) ([]storage.OutMutation, error)
	Acknowledge(ctx context.Context, acks []storage.Ack) error
	ApplyPull(ctx context.Context, page storage.PulledPage) (storage.PullApplied, error)
	BeginReconcile(ctx context.Context, epoch string) error
	FinishReconcile(ctx context.Context, seen map[string]storage.Seen) (int, error)
	SetLastSyncSuccess(ctx context.Context, t time.Time) error
	SaveClockOffset(ctx context.Context, d time.Duration) error
	ClockOffset() time.Duration
	PendingCount(ctx context.Context) (int, error)
	MovedProducts(ctx context.Context) ([]storage.ProductRow, error)
}

var _ Store = (*storage.DB)(nil)

// Defaults.
const (
	DefaultSchedule   = "@every 5m"
	DefaultDebounce   = 3 * time.Second
	DefaultTimeout    = 30 * time.Second
	DefaultMinBackoff = 2 * time.Second
	DefaultMaxBackoff = 5 * time.Minute
)

// Config configures a Client or a Syncer. Zero fields take the defaults.
type Config struct {
	Server string // base URL, e.g. https://freezer.example.org
	Token  string // bearer token, given by the owner; never logged
	// HTTPClient carries the requests (tests inject faults through its
	// Transport); nil uses a plain client.
	HTTPClient *http.Client
	Timeout    time.Duration // per request
	PushBatch  int           // at most protocol.MaxPushBatch
	PullPage   int           // at most protocol.MaxPullPage
	// Now is the device's time, used to measure its offset from the
	// server's (time.Now when nil; tests give the store's skewed clock).
	Now    func() time.Time
	Logger *slog.Logger

	// Syncer only.
	Schedule   string        // cron spec of the regular sync
	Debounce   time.Duration // wait after a local change
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PushBatch <= 0 || c.PushBatch > protocol.MaxPushBatch {
		c.PushBatch = protocol.MaxPushBatch
	}
	if c.PullPage <= 0 || c.PullPage > protocol.MaxPullPage {
		c.PullPage = protocol.MaxPullPage
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Schedule == "" {
		c.Schedule = DefaultSchedule
	}
	if c.Debounce <= 0 {
		c.Debounce = DefaultDebounce
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = DefaultMinBackoff
	}
	if c.MaxBackoff < c.MinBackoff {
		c.MaxBackoff = max(DefaultMaxBackoff, c.MinBackoff)
	}
	return c
}

// Client runs sync rounds against one server: push, then pull.
type Client struct {
	cfg   Config
	store Store
	http  *resty.Client
}

// NewClient returns a client for store.
func NewClient(store Store, cfg Config) *Client {
	cfg = cfg.withDefaults()
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	rc := resty.NewWithClient(hc).
		SetTimeout(cfg.Timeout).
		SetHeader(protocol.VersionHeader, strconv.Itoa(protocol.Version)).
		SetHeader("Accept", "application/json").
		SetHeader("Accept-Encoding", "gzip").
		SetHeader("User-Agent", "freezer-sync/"+strconv.Itoa(protocol.Version))
	rc.SetLogger(quietLogger{})
	return &Client{cfg: cfg, store: store, http: rc}
}

// quietLogger keeps resty from writing anything (its messages can hold
// request details).
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// Report says what one sync round did.
type Report struct {
	Pushed     int // mutations acknowledged
	Applied    int
	Duplicates int
	Rejected   []Rejection
	Moves      []Move
	Pulled     int // changes received: other devices' and the server's (this round's own writes kept as sent do not come back)
	Changed    int // entities added or changed on the device
	EpochReset bool
	Pending    int // mutations still queued at the end

	// own are the sequence numbers of this round's own writes
	// (protocol.Result.Seq), which its pulls leave out.
	own []int64
}

// Rejection is a local change the server refused for good.
type Rejection struct {
	MutationID string
	Entity     string
	EntityID   string
	Reason     string
	Dropped    bool // the entity did not exist on the server and left the device
}

// Move is a product the server moved to another slot to settle a
// collision: its label must change.
type Move struct {
	ProductID string
	Name      string
	// PutAt is where the product was put: its place on this device before
	// the move reached it. NowAt is where the server put it, and where it
	// still is at the end of the round.
	PutAt, NowAt storage.Place
}

// moveOf returns the report of a move found by applying a pulled page.
func moveOf(m storage.SlotMove) Move {
	return Move{ProductID: m.ProductID.String(), Name: m.Name, PutAt: m.PutAt, NowAt: m.NowAt}
}

// Progress reports a round's phase and how far it got.
type Progress func(phase string, done, total int)

// Sync runs one full round: push every queued mutation, then pull every
// change. When the server's epoch changed (its database was restored from
// a backup or replaced), the round starts over with a reconciliation.
func (c *Client) Sync(ctx context.Context, progress Progress) (Report, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if c.cfg.Server == "" {
		return Report{}, &Error{Code: domain.EInvalid, Kind: KindNoServer, Message: "No server is set up: sign in or give the server's address and a token."}
	}
	var rep Report
	for attempt := 0; ; attempt++ {
		again, err := c.round(ctx, &rep, progress)
		if err != nil {
			return rep, err
		}
		if !again {
			break
		}
		if attempt >= 2 {
			return rep, &Error{Code: domain.EUnavailable, Kind: KindIdentity, Message: "The server's database keeps changing identity; try again later."}
		}
	}
	if len(rep.Moves) > 0 {
		flagged, err := c.flagged(ctx)
		if err != nil {
			return rep, err
		}
		rep.Moves = standingMoves(rep.Moves, flagged)
	}
	now := c.cfg.Now().Add(c.store.ClockOffset())
	if err := c.store.SetLastSyncSuccess(ctx, now); err != nil {
		return rep, err
	}
	n, err := c.store.PendingCount(ctx)
	if err != nil {
		return rep, err
	}
	rep.Pending = n
	return rep, nil
}

// round pushes and pulls once; again is true when the server's epoch changed
// and the round must start over.
func (c *Client) round(ctx context.Context, rep *Report, progress Progress) (again bool, err error) {
	st, err := c.store.SyncState(ctx)
	if err != nil {
		return false, err
	}
	if st.Reconciling {
		again, err := c.reconcile(ctx, rep, st, progress)
		if err != nil || again {
			return again, err
		}
		if st, err = c.store.SyncState(ctx); err != nil {
			return false, err
		}
	}
	if again, err := c.pushOutbox(ctx, st.Epoch, st.Cursor, rep, progress); err != nil || again {
		return again, err
	}
	if st.Epoch == "" { // the first push recorded the server's epoch: pull under it
		if st, err = c.store.SyncState(ctx); err != nil {
			return false, err
		}
	}
	return c.pullChanges(ctx, st, rep, progress)
}

// flagged returns the products inside that the device has flagged to
// relabel, by id.
func (c *Client) flagged(ctx context.Context) (map[string]storage.ProductRow, error) {
	list, err := c.store.MovedProducts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]storage.ProductRow, len(list))
	for _, p := range list {
		out[p.ID.String()] = p
	}
	return out, nil
}

// standingMoves keeps, of moves, the last one of each product, and only
// when it still stands: the product is inside, flagged to relabel (in
// flagged), at the move's NowAt. A move that a later write settled (a
// person's later location write won over the repair, on this device or
// another) is no news any more. The names are the ones the device uses
// now.
func standingMoves(moves []Move, flagged map[string]storage.ProductRow) []Move {
	last := map[string]int{}
	var out []Move
	for _, m := range moves {
		p, ok := flagged[m.ProductID]
		if !ok || p.Location != m.NowAt.Location {
			continue
		}
		m.Name, m.NowAt.Freezer = p.Name, p.FreezerName
		if i, ok := last[m.ProductID]; ok {
			out[i] = m
			continue
		}
		last[m.ProductID] = len(out)
		out = append(out, m)
	}
	return out
}

// restart starts a reconciliation after the server's epoch changed.
func (c *Client) restart(ctx context.Context, rep *Report, epoch string) error {
	c.cfg.Logger.Info("the server's database was restored or replaced: reconciling", "epoch", epoch)
	rep.EpochReset = true
	rep.own = nil // numbers of another database
	return c.store.BeginReconcile(ctx, epoch)
}
