// Package client is the device's syncer: it pushes the outbox to freezerd
// in batches, pulls the account's changes in pages, rebases what is still
// queued on top, and publishes its state for the UI. It runs in the
// background on a cron schedule, at start, shortly after a local change and
// on demand, and backs off with jitter when the server cannot be reached.
package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	Token  string // bearer token; never logged
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

// Report says what one sync round did.
type Report struct {
	Pushed     int // mutations acknowledged
	Applied    int
	Duplicates int
	Rejected   []Rejection
	Moves      []Move
	Pulled     int // changes received
	Changed    int // entities added or changed on the device
	EpochReset bool
	Pending    int // mutations still queued at the end
}

// Rejection is a local change the server refused for good.
type Rejection struct {
	MutationID string
	Entity     string
	EntityID   string
	Reason     string
	Dropped    bool // the entity did not exist on the server and left the device
}

// Move is a product the server moved to another slot.
type Move struct {
	ProductID string
	Name      string // "" when only the push result is known
	Freezer   string
	Box       int
	From, To  int // slots (From is 0 when unknown)
}

// Progress reports a round's phase and how far it got.
type Progress func(phase string, done, total int)

// Sync runs one full round: push every queued mutation, then pull every
// change. When the server's epoch changed (it restarted, or its database
// was restored), the round starts over with a reconciliation.
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
	rep.Moves = dedupeMoves(rep.Moves)
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
	total, err := c.store.PendingCount(ctx)
	if err != nil {
		return false, err
	}
	done, size := 0, c.cfg.PushBatch
	progress("push", 0, total)
	for {
		batch, err := c.store.OutboxBatch(ctx, size)
		if err != nil {
			return false, err
		}
		if len(batch) == 0 {
			break
		}
		resp, err := c.push(ctx, st.Epoch, batch)
		var e *Error
		if errors.As(err, &e) && e.Status == http.StatusRequestEntityTooLarge && size > 1 {
			size = max(1, size/2) // long descriptions: the body is over the server's limit
			continue
		}
		if err != nil {
			return false, err
		}
		if st.Epoch != "" && resp.Epoch != st.Epoch {
			return true, c.restart(ctx, rep, resp.Epoch)
		}
		if err := c.acknowledge(ctx, batch, resp.Results, rep); err != nil {
			return false, err
		}
		done += len(batch)
		progress("push", min(done, total), max(total, done))
	}
	cursor, tag := st.Cursor, st.TypesTag
	progress("pull", 0, 0)
	for {
		resp, err := c.pull(ctx, cursor, tag)
		if err != nil {
			return false, err
		}
		if st.Epoch != "" && resp.Epoch != st.Epoch {
			return true, c.restart(ctx, rep, resp.Epoch)
		}
		page, err := decodePage(resp)
		if err != nil {
			return false, &Error{Code: domain.EInternal, Kind: KindUpdate, Message: "The server sent changes this app cannot read: update the app.", err: err}
		}
		applied, err := c.store.ApplyPull(ctx, page)
		if err != nil {
			return false, err
		}
		st.Epoch = resp.Epoch
		rep.Pulled += len(resp.Changes)
		rep.Changed += applied.Freezers + applied.Products
		for _, m := range applied.Moves {
			rep.Moves = append(rep.Moves, Move{ProductID: m.ProductID.String(), Name: m.Name, Freezer: m.Freezer,
				Box: m.Box, From: m.From, To: m.To})
		}
		cursor = resp.Cursor
		if resp.Types != nil {
			tag = resp.TypesTag
		}
		progress("pull", rep.Pulled, rep.Pulled)
		if !resp.More {
			return false, nil
		}
	}
}

// dedupeMoves keeps one move per product, preferring the pulled one (it
// names the product and both slots) over the push result's.
func dedupeMoves(moves []Move) []Move {
	best := map[string]int{}
	var out []Move
	for _, m := range moves {
		if i, ok := best[m.ProductID]; ok {
			if m.Name != "" {
				out[i] = m
			}
			continue
		}
		best[m.ProductID] = len(out)
		out = append(out, m)
	}
	return out
}

// restart starts a reconciliation after the server's epoch changed.
func (c *Client) restart(ctx context.Context, rep *Report, epoch string) error {
	c.cfg.Logger.Info("the server restarted or its database changed: reconciling", "epoch", epoch)
	rep.EpochReset = true
	return c.store.BeginReconcile(ctx, epoch)
}

// reconcile pulls everything from cursor 0 under the new epoch, queueing
// every local entity the server lacks or holds older fields of; the push
// that follows sends them back. A reconciliation cut short starts over.
func (c *Client) reconcile(ctx context.Context, rep *Report, st storage.SyncState, progress Progress) (again bool, err error) {
	if err := c.store.BeginReconcile(ctx, st.Epoch); err != nil {
		return false, err
	}
	seen := map[string]storage.Seen{}
	var cursor int64
	tag := st.TypesTag
	progress("pull", 0, 0)
	for {
		resp, err := c.pull(ctx, cursor, tag)
		if err != nil {
			return false, err
		}
		if resp.Epoch != st.Epoch {
			return true, c.restart(ctx, rep, resp.Epoch)
		}
		page, err := decodePage(resp)
		if err != nil {
			return false, &Error{Code: domain.EInternal, Kind: KindUpdate, Message: "The server sent changes this app cannot read: update the app.", err: err}
		}
		page.Reconcile = true
		applied, err := c.store.ApplyPull(ctx, page)
		if err != nil {
			return false, err
		}
		for _, f := range page.Freezers {
			seen[domain.EntityFreezer+"/"+f.Freezer.ID.String()] = storage.Seen{Stamps: f.Stamps, Boxes: f.Freezer.Boxes}
		}
		for _, p := range page.Products {
			seen[domain.EntityProduct+"/"+p.Product.ID.String()] = storage.Seen{Stamps: p.Stamps}
		}
		for _, m := range applied.Moves {
			rep.Moves = append(rep.Moves, Move{ProductID: m.ProductID.String(), Name: m.Name, Freezer: m.Freezer,
				Box: m.Box, From: m.From, To: m.To})
		}
		rep.Pulled += len(resp.Changes)
		rep.Changed += applied.Freezers + applied.Products
		cursor = resp.Cursor
		if resp.Types != nil {
			tag = resp.TypesTag
		}
		progress("pull", rep.Pulled, rep.Pulled)
		if !resp.More {
			break
		}
	}
	n, err := c.store.FinishReconcile(ctx, seen)
	if err != nil {
		return false, err
	}
	c.cfg.Logger.Info("reconciled with the server", "entities", len(seen), "missing_on_server", n)
	return false, nil
}

// acknowledge removes from the outbox every mutation the server answered.
func (c *Client) acknowledge(ctx context.Context, batch []storage.OutMutation, results []protocol.Result, rep *Report) error {
	byID := make(map[string]storage.OutMutation, len(batch))
	for _, m := range batch {
		byID[m.ID] = m
	}
	var acks []storage.Ack
	for _, r := range results {
		m, ok := byID[r.ID]
		if !ok {
			continue
		}
		ack := storage.Ack{MutationID: r.ID, Entity: m.Entity, EntityID: m.EntityID}
		switch r.Status {
		case protocol.StatusApplied:
			rep.Applied++
		case protocol.StatusDuplicate:
			rep.Duplicates++
		case protocol.StatusMoved:
			rep.Applied++
			if r.Location != nil {
				rep.Moves = append(rep.Moves, Move{ProductID: m.EntityID.String(), Box: r.Location.Box, To: r.Location.Slot})
			}
		case protocol.StatusRejected:
			ack.Drop = r.Missing
			rep.Rejected = append(rep.Rejected, Rejection{MutationID: r.ID, Entity: m.Entity, EntityID: m.EntityID.String(),
				Reason: r.Reason, Dropped: r.Missing})
			c.cfg.Logger.Warn("change refused by the server", "mutation", r.ID, "entity", m.Entity, "reason", r.Reason)
		default:
			continue // unknown status: not an acknowledgement
		}
		acks = append(acks, ack)
		delete(byID, r.ID)
	}
	if len(acks) == 0 {
		return &Error{Code: domain.EInternal, Kind: KindRetry, Message: "The server did not acknowledge any change; the app will retry."}
	}
	rep.Pushed += len(acks)
	return c.store.Acknowledge(ctx, acks)
}

func (c *Client) push(ctx context.Context, epoch string, batch []storage.OutMutation) (protocol.PushResponse, error) {
	req := protocol.PushRequest{Version: protocol.Version, Device: c.store.DeviceID(), Epoch: epoch,
		Mutations: make([]protocol.Mutation, len(batch))}
	for i, m := range batch {
		common, rest := protocol.CompactStamps(m.Stamps)
		req.Mutations[i] = protocol.Mutation{ID: m.ID, Entity: m.Entity, EntityID: m.EntityID, Op: m.Op,
			Fields: m.Fields, Stamp: common, Stamps: rest}
	}
	body, err := gzipJSON(req)
	if err != nil {
		return protocol.PushResponse{}, err
	}
	var out protocol.PushResponse
	t0 := c.cfg.Now()
	resp, err := c.http.R().SetContext(ctx).
		SetAuthToken(c.cfg.Token).
		SetHeader("Content-Type", "application/json").
		SetHeader("Content-Encoding", "gzip").
		SetBody(body).
		Post(c.cfg.Server + protocol.PushPath)
	if err := c.check(resp, err); err != nil {
		return out, err
	}
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return out, &Error{Code: domain.EUnavailable, Kind: KindRetry, Message: "The server's answer was cut or malformed; the app will retry.", err: err}
	}
	return out, c.measure(ctx, t0, c.cfg.Now(), out.ServerTime)
}

func (c *Client) pull(ctx context.Context, cursor int64, tag string) (protocol.PullResponse, error) {
	var out protocol.PullResponse
	t0 := c.cfg.Now()
	resp, err := c.http.R().SetContext(ctx).
		SetAuthToken(c.cfg.Token).
		SetQueryParams(map[string]string{
			protocol.QueryCursor: strconv.FormatInt(cursor, 10),
			protocol.QueryLimit:  strconv.Itoa(c.cfg.PullPage),
			protocol.QueryTypes:  tag,
		}).
		Get(c.cfg.Server + protocol.PullPath)
	if err := c.check(resp, err); err != nil {
		return out, err
	}
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return out, &Error{Code: domain.EUnavailable, Kind: KindRetry, Message: "The server's answer was cut or malformed; the app will retry.", err: err}
	}
	return out, c.measure(ctx, t0, c.cfg.Now(), out.ServerTime)
}

// measure sets the store's clock offset from the server's time, taken as
// read at the middle of the request; changes under a second are noise.
func (c *Client) measure(ctx context.Context, t0, t1, server time.Time) error {
	if server.IsZero() {
		return nil
	}
	mid := t0.Add(t1.Sub(t0) / 2)
	offset := server.Sub(mid)
	if d := offset - c.store.ClockOffset(); d > time.Second || d < -time.Second {
		return c.store.SaveClockOffset(ctx, offset.Round(time.Millisecond))
	}
	return nil
}

func decodePage(resp protocol.PullResponse) (storage.PulledPage, error) {
	page := storage.PulledPage{Cursor: resp.Cursor, Epoch: resp.Epoch, Types: resp.Types, TypesTag: resp.TypesTag}
	for _, ch := range resp.Changes {
		switch ch.Entity {
		case domain.EntityFreezer:
			f, err := protocol.DecodeFreezer(ch)
			if err != nil {
				return storage.PulledPage{}, err
			}
			page.Freezers = append(page.Freezers, storage.PulledFreezer{Freezer: f.Freezer, Stamps: f.Stamps})
		case domain.EntityProduct:
			p, err := protocol.DecodeProduct(ch)
			if err != nil {
				return storage.PulledPage{}, err
			}
			page.Products = append(page.Products, storage.PulledProduct{Product: p.Product, Stamps: p.Stamps, Moved: p.Moved})
		default:
			return storage.PulledPage{}, fmt.Errorf("unknown entity %q", ch.Entity)
		}
	}
	return page, nil
}

func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return buf.Bytes(), nil
}

// Kinds of sync failure. A program (the desktop app) shows its own
// translated sentence for each; Message is the English one.
const (
	KindOffline       = "offline"        // the server cannot be reached
	KindTimeout       = "timeout"        // the server did not answer in time
	KindWrongPassword = "wrong_password" // sign-in refused
	KindToken         = "token"          // the token was refused: sign in again
	KindBusy          = "busy"           // too many requests
	KindServer        = "server"         // the server had a problem (5xx)
	KindNotSync       = "not_sync"       // the address is not a Freezer server
	KindNoServer      = "no_server"      // no server is set up
	KindIdentity      = "identity"       // the server's database keeps changing identity
	KindUpdate        = "update"         // the server sent changes this app cannot read
	KindRetry         = "retry"          // the answer was cut or acknowledged nothing
	KindRefused       = "refused"        // the server refused the request (other 4xx)
)

// Error is a sync failure with a sentence a person can act on.
type Error struct {
	Code       string // a domain error code
	Kind       string // one of the Kind constants
	Message    string
	Status     int           // HTTP status, 0 when no answer came
	RetryAfter time.Duration // the server asked to wait this long (429, 503)
	err        error
}

func (e *Error) Error() string { return e.Message }

// Unwrap gives the domain error (so domain.ErrorCode and ErrorMessage work)
// and the transport's error, when there is one.
func (e *Error) Unwrap() []error {
	errs := []error{&domain.Error{Code: e.Code, Message: e.Message}}
	if e.err != nil {
		errs = append(errs, e.err)
	}
	return errs
}

// Offline reports whether err means the server could not be reached.
func Offline(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == domain.EUnavailable && e.Status == 0
}

// check turns a transport failure or an error status into an *Error.
func (c *Client) check(resp *resty.Response, err error) error {
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		host := c.cfg.Server
		if u, perr := url.Parse(c.cfg.Server); perr == nil && u.Host != "" {
			host = u.Host
		}
		e := &Error{Code: domain.EUnavailable, Kind: KindOffline, err: err,
			Message: fmt.Sprintf("The server %s cannot be reached: check the network connection; the app will retry.", host)}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			e.Kind, e.Message = KindTimeout, fmt.Sprintf("The server %s did not answer in time; the app will retry.", host)
		}
		return e
	}
	status := resp.StatusCode()
	if status >= 200 && status < 300 {
		return nil
	}
	var er protocol.ErrorResponse
	_ = json.Unmarshal(resp.Body(), &er)
	e := &Error{Status: status, RetryAfter: retryAfter(resp.Header().Get("Retry-After"), c.cfg.Now())}
	switch {
	case status == http.StatusUnauthorized:
		e.Code, e.Kind, e.Message = domain.EUnauthorized, KindToken, "The server refused this device's token: sign in again."
	case status == http.StatusTooManyRequests:
		e.Code, e.Kind, e.Message = domain.ERateLimited, KindBusy, "The server is busy with too many requests; the app will retry later."
	case status >= 500:
		e.Code, e.Kind, e.Message = domain.EUnavailable, KindServer, fmt.Sprintf("The server had a problem (status %d); the app will retry.", status)
	case status == http.StatusNotFound:
		e.Code, e.Kind, e.Message = domain.EInvalid, KindNotSync, "This server does not offer sync: check the server's address."
	default:
		e.Code, e.Kind = domain.EInvalid, KindRefused
		e.Message = "The server refused the request"
		if er.Detail != "" {
			e.Message += ": " + er.Detail
		}
		if !strings.HasSuffix(e.Message, ".") {
			e.Message += "."
		}
		e.Message += " Update the app if this keeps happening."
	}
	return e
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// quietLogger keeps resty from writing anything (its messages can hold
// request details).
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}
