package synctest

// Crash emulation: a device's process dies in the middle of a sync round.
// The syncer reaches the store through crashStore, which, at a planned
// call, closes the store (what is not on disk is gone: the in-memory clock,
// the client) and fails the call; the device then opens its file again, as
// the app would when restarted. A store call is one transaction, so a
// death inside it leaves what a death just before it leaves: the crash
// points are just before and just after the transaction of the call.

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"freezer/storage"
)

// ErrCrashed is the error of a store call during which the device died.
var ErrCrashed = errors.New("the device crashed")

// Crash points: the store calls a round makes, where a device may die.
const (
	CrashApply  = "apply"  // applying a pulled page (ApplyPull)
	CrashFinish = "finish" // ending a reconciliation (FinishReconcile)
	CrashAck    = "ack"    // removing acknowledged mutations (Acknowledge)
)

// CrashPlan makes the device die at the Nth call (from 1) to Point since
// the plan was set: before the call's transaction, or After it committed.
type CrashPlan struct {
	Point string
	Nth   int
	After bool
}

// String names a crash plan: "crash before apply #2".
func (p CrashPlan) String() string {
	when := "before"
	if p.After {
		when = "after"
	}
	return fmt.Sprintf("crash %s %s #%d", when, p.Point, p.Nth)
}

// crashState is a device's crash plan and what it did.
type crashState struct {
	mu      sync.Mutex
	plan    *CrashPlan
	calls   map[string]int
	crashed int
}

// PlanCrash makes the device die at a store call of its next rounds (nil
// cancels the plan).
func (d *Device) PlanCrash(p *CrashPlan) {
	d.crash.mu.Lock()
	defer d.crash.mu.Unlock()
	d.crash.plan, d.crash.calls = p, map[string]int{}
}

// Crashes returns how many times the device died so far.
func (d *Device) Crashes() int {
	d.crash.mu.Lock()
	defer d.crash.mu.Unlock()
	return d.crash.crashed
}

// crashAt counts a call to point and says whether the device dies before
// it, after it, or not at all.
func (d *Device) crashAt(point string) (before, after bool) {
	d.crash.mu.Lock()
	defer d.crash.mu.Unlock()
	if d.crash.plan == nil {
		return false, false
	}
	d.crash.calls[point]++
	p := *d.crash.plan
	if p.Point != point || p.Nth != d.crash.calls[point] {
		return false, false
	}
	d.crash.plan = nil
	d.crash.crashed++
	return !p.After, p.After
}

// die closes the device's store and opens its file again: the process died
// and was started again. The round that was running fails with ErrCrashed
// and its client, which holds the closed store, is dropped.
func (d *Device) die() error {
	if err := d.DB.Close(); err != nil {
		return fmt.Errorf("%w: close %s: %w", ErrCrashed, d.Name, err)
	}
	if err := d.open(); err != nil {
		return fmt.Errorf("%w: reopen %s: %w", ErrCrashed, d.Name, err)
	}
	return ErrCrashed
}

// crashStore is the device's store as its syncer sees it: the store, with
// the planned crash.
type crashStore struct {
	*storage.DB
	d *Device
}

// ApplyPull applies a pulled page, unless the device dies before or after.
func (s crashStore) ApplyPull(ctx context.Context, page storage.PulledPage) (storage.PullApplied, error) {
	before, after := s.d.crashAt(CrashApply)
	if before {
		return storage.PullApplied{}, s.d.die()
	}
	res, err := s.DB.ApplyPull(ctx, page)
	if err == nil && after {
		return storage.PullApplied{}, s.d.die()
	}
	return res, err
}

// FinishReconcile ends a reconciliation, unless the device dies before or
// after.
func (s crashStore) FinishReconcile(ctx context.Context, seen map[string]storage.Seen) (int, error) {
	before, after := s.d.crashAt(CrashFinish)
	if before {
		return 0, s.d.die()
	}
	n, err := s.DB.FinishReconcile(ctx, seen)
	if err == nil && after {
		return 0, s.d.die()
	}
	return n, err
}

// Acknowledge removes acknowledged mutations, unless the device dies before
// or after.
func (s crashStore) Acknowledge(ctx context.Context, acks []storage.Ack) error {
	before, after := s.d.crashAt(CrashAck)
	if before {
		return s.d.die()
	}
	err := s.DB.Acknowledge(ctx, acks)
	if err == nil && after {
		return s.d.die()
	}
	return err
}
