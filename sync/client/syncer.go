package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"freezer/domain"
	"freezer/internal/pubsub"
	"freezer/storage"
)

// State is what the syncer is doing.
type State string

// States.
const (
	StateIdle    State = "idle"
	StateSyncing State = "syncing"
	StateOffline State = "offline" // the server cannot be reached; retrying
	StateError   State = "error"   // the last round failed; Status.Error says why
	StateOff     State = "off"     // no server set up
)

// Status is the syncer's published state.
type Status struct {
	State       State
	Phase       string // "push" or "pull" while syncing
	Done, Total int    // progress of the phase
	LastSuccess time.Time
	Pending     int    // mutations waiting in the outbox
	Error       string // a sentence a person can act on; "" when fine
	ErrorKind   string // the Kind of that error ("" when unknown or fine)
	NextRetry   time.Time
	// Moves are products the server moved to another slot, to relabel;
	// Rejected are changes the server refused. Both accumulate until
	// ClearNotices; a move leaves earlier when a later round finds it
	// settled (a later location write won over it).
	Moves    []Move
	Rejected []Rejection
}

// Syncer runs sync rounds in the background. Create it with NewSyncer, run
// it with Start, stop it with Close.
type Syncer struct {
	client *Client
	cfg    Config
	rng    *rand.Rand

	round   sync.Mutex // one round at a time
	trigger chan struct{}
	changed chan struct{}

	mu       sync.Mutex
	status   Status
	failures int

	subs pubsub.Hub[Status]

	cancel context.CancelFunc
	done   chan struct{}
	cron   *cron.Cron
}

// NewSyncer returns a syncer for store; it does nothing until Start.
func NewSyncer(store Store, cfg Config) (*Syncer, error) {
	cfg = cfg.withDefaults()
	if _, err := cron.ParseStandard(cfg.Schedule); err != nil {
		return nil, domain.Errorf(domain.EInvalid, "The sync schedule %q is not valid: %v.", cfg.Schedule, err)
	}
	s := &Syncer{
		client:  NewClient(store, cfg),
		cfg:     cfg,
		rng:     rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5bd1e995)),
		trigger: make(chan struct{}, 1),
		changed: make(chan struct{}, 1),
	}
	s.status.State = StateIdle
	if cfg.Server == "" {
		s.status.State = StateOff
	}
	if st, err := store.SyncState(context.Background()); err == nil {
		s.status.LastSuccess = st.LastSuccess
	}
	if n, err := store.PendingCount(context.Background()); err == nil {
		s.status.Pending = n
	}
	return s, nil
}

// now is the device's clock (Config.Now, the store's clock shifted by the
// device's clock offset when one is set).
func (s *Syncer) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// Start runs the syncer until ctx ends or Close: a round now, then on the
// schedule, after local changes and on demand. Call it once.
func (s *Syncer) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	s.cron = cron.New()
	_, _ = s.cron.AddFunc(s.cfg.Schedule, s.SyncSoon) // the spec was checked in NewSyncer
	s.cron.Start()
	s.SyncSoon()
	go s.loop(ctx)
}

// Close stops the syncer and waits for a running round to end.
func (s *Syncer) Close() error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	<-s.cron.Stop().Done()
	<-s.done
	return nil
}

// SetCredentials changes the server and the token (after a sign-in) and
// asks for a round. It waits for a running round to end.
func (s *Syncer) SetCredentials(server, token string) {
	s.round.Lock()
	s.client.cfg.Server, s.client.cfg.Token = server, token
	s.round.Unlock()
	s.update(func(st *Status) {
		if server == "" {
			st.State = StateOff
		} else if st.State == StateOff {
			st.State = StateIdle
		}
	})
	if server != "" {
		s.SyncSoon()
	}
}

// SyncSoon asks for a round as soon as possible (on demand).
func (s *Syncer) SyncSoon() {
	select {
	case s.trigger <- struct{}{}:
	default:
	}
}

// Changed tells the syncer of a local change: a round follows after the
// debounce delay, so that a burst of edits goes in one push.
func (s *Syncer) Changed() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *Syncer) loop(ctx context.Context) {
	defer close(s.done)
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	for {
		select {
		case <-ctx.Done():
			debounce.Stop()
			retry.Stop()
			return
		case <-s.changed:
			s.refreshPending(ctx)
			debounce.Reset(s.cfg.Debounce)
			continue
		case <-s.trigger:
		case <-debounce.C:
		case <-retry.C:
		}
		_, err := s.SyncNow(ctx)
		if ctx.Err() != nil {
			return
		}
		retry.Stop()
		if err != nil {
			retry.Reset(s.backoff(err))
		}
	}
}

// backoff returns the wait before the next attempt after a failure:
// exponential from MinBackoff to MaxBackoff with jitter, and never less
// than the server's Retry-After.
func (s *Syncer) backoff(err error) time.Duration {
	s.mu.Lock()
	s.failures++
	d := s.cfg.MinBackoff << min(s.failures-1, 20)
	if d <= 0 || d > s.cfg.MaxBackoff {
		d = s.cfg.MaxBackoff
	}
	d = d/2 + time.Duration(s.rng.Int64N(int64(d/2)+1)) // jitter: between half and all of it
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > d {
		d = e.RetryAfter
	}
	s.status.NextRetry = time.Now().Add(d)
	st := cloneStatus(s.status)
	s.mu.Unlock()
	s.subs.Publish(st)
	return d
}

// SyncNow runs one round now and waits for it (the command line's sync and
// tests use it; the background loop too).
func (s *Syncer) SyncNow(ctx context.Context) (Report, error) {
	s.round.Lock()
	defer s.round.Unlock()
	if s.client.cfg.Server == "" {
		s.update(func(st *Status) { st.State = StateOff })
		return Report{}, nil
	}
	s.update(func(st *Status) {
		st.State, st.Phase, st.Done, st.Total, st.NextRetry = StateSyncing, "", 0, 0, time.Time{}
	})
	rep, err := s.client.Sync(ctx, func(phase string, done, total int) {
		s.update(func(st *Status) { st.Phase, st.Done, st.Total = phase, done, total })
	})
	flagged, ferr := s.flaggedIfMoves(ctx, rep)
	s.update(func(st *Status) {
		st.Phase, st.Done, st.Total = "", 0, 0
		st.Moves = append(st.Moves, rep.Moves...)
		if ferr == nil {
			st.Moves = standingMoves(st.Moves, flagged) // an earlier round's move may be settled now
		}
		st.Rejected = append(st.Rejected, rep.Rejected...)
		switch {
		case err == nil:
			st.State, st.Error, st.ErrorKind, st.LastSuccess, st.Pending = StateIdle, "", "", s.now(), rep.Pending
			s.failures = 0
		case errors.Is(err, context.Canceled):
			st.State = StateIdle
		case Offline(err):
			st.State, st.Error, st.ErrorKind = StateOffline, humanError(err), errorKind(err)
		default:
			st.State, st.Error, st.ErrorKind = StateError, humanError(err), errorKind(err)
		}
	})
	if err != nil {
		s.refreshPending(ctx)
		s.cfg.Logger.Warn("sync failed", "error", err.Error())
	}
	return rep, err
}

func humanError(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return domain.ErrorMessage(err)
}

// errorKind returns the Kind of err, "" when it is not a sync *Error.
func errorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func (s *Syncer) refreshPending(ctx context.Context) {
	n, err := s.client.store.PendingCount(ctx)
	if err != nil {
		return
	}
	s.update(func(st *Status) { st.Pending = n })
}

// flaggedIfMoves reads the products flagged to relabel when the status
// holds moves or rep brings some (only SyncNow adds moves, one round at a
// time, so the count cannot grow meanwhile).
func (s *Syncer) flaggedIfMoves(ctx context.Context, rep Report) (map[string]storage.ProductRow, error) {
	s.mu.Lock()
	n := len(s.status.Moves)
	s.mu.Unlock()
	if n+len(rep.Moves) == 0 {
		return nil, nil
	}
	return s.client.flagged(ctx)
}

// Status returns the current status.
func (s *Syncer) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneStatus(s.status)
}

// ClearNotices forgets the slot moves and rejections shown to the person.
func (s *Syncer) ClearNotices() {
	s.update(func(st *Status) { st.Moves, st.Rejected = nil, nil })
}

// Subscribe calls fn with every new status, on the syncer's goroutine (a UI
// must hand it over to its own thread); the returned func unsubscribes.
// Subscribers are called outside the syncer's lock, so two updates from
// different goroutines may arrive in either order: a subscriber that needs
// the newest reads Status again.
func (s *Syncer) Subscribe(fn func(Status)) (cancel func()) {
	return s.subs.Subscribe(fn)
}

// update changes the status under the lock and publishes a copy of it
// outside the lock.
func (s *Syncer) update(fn func(*Status)) {
	s.mu.Lock()
	fn(&s.status)
	st := cloneStatus(s.status)
	s.mu.Unlock()
	s.subs.Publish(st)
}

func cloneStatus(st Status) Status {
	st.Moves = slices.Clone(st.Moves)
	st.Rejected = slices.Clone(st.Rejected)
	return st
}

// String describes a status in one line, for logs and the command line.
func (st Status) String() string {
	switch st.State {
	case StateSyncing:
		if st.Total > 0 {
			return fmt.Sprintf("syncing (%s %d/%d)", st.Phase, st.Done, st.Total)
		}
		return "syncing"
	case StateOffline, StateError:
		return fmt.Sprintf("%s: %s", st.State, st.Error)
	}
	return string(st.State)
}
