package synctest_test

// The rounds of the convergence test: faults on any request of a round
// (the second push batch, a later pull page, the pages of a reconciliation
// after a restore), device crashes between a fetched page and its apply,
// and the checks of a device once converged.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"pgregory.net/rapid"

	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// faults are the faults a round may meet.
var faults = []synctest.Fault{synctest.DropRequest, synctest.DropResponse, synctest.Duplicate,
	synctest.ServerError, synctest.TooMany, synctest.Delay}

// drawFaults plans, for one round in three, one to three faults, each on
// the first to fourth request of the round, or of its pushes, or of its
// pulls. With batches and pages of 2 to 5, the later ones fall on a second
// push batch or a later pull page.
func (w *world) drawFaults() []synctest.Planned {
	rt := w.t
	if rapid.IntRange(0, 2).Draw(rt, "faulty") != 0 {
		return nil
	}
	var plan []synctest.Planned
	for range rapid.IntRange(1, 3).Draw(rt, "faults") {
		plan = append(plan, synctest.Planned{
			Path:  rapid.SampledFrom([]string{"", protocol.PushPath, protocol.PullPath}).Draw(rt, "faultPath"),
			Nth:   rapid.IntRange(1, 4).Draw(rt, "faultNth"),
			Fault: rapid.SampledFrom(faults).Draw(rt, "fault"),
		})
	}
	return plan
}

// drawReconcileFaults plans a fault for the round that follows a restore:
// its first pull (or the push before it) finds the new epoch, the pulls
// after it are the pages of the reconciliation, and the push after those
// sends what the reconciliation queued again.
func (w *world) drawReconcileFaults() []synctest.Planned {
	rt := w.t
	return []synctest.Planned{{
		Path:  rapid.SampledFrom([]string{protocol.PullPath, protocol.PullPath, protocol.PushPath}).Draw(rt, "reconcilePath"),
		Nth:   rapid.IntRange(1, 4).Draw(rt, "reconcileNth"),
		Fault: rapid.SampledFrom(faults).Draw(rt, "reconcileFault"),
	}}
}

// drawCrash plans, for one round in four, the device's death at a store
// call of the round: before or after applying a pulled page (the page was
// fetched), ending a reconciliation, or removing acknowledged mutations.
func (w *world) drawCrash() *synctest.CrashPlan {
	rt := w.t
	if rapid.IntRange(0, 3).Draw(rt, "crashy") != 0 {
		return nil
	}
	return &synctest.CrashPlan{
		Point: rapid.SampledFrom([]string{synctest.CrashApply, synctest.CrashApply, synctest.CrashFinish, synctest.CrashAck}).Draw(rt, "crashPoint"),
		Nth:   rapid.IntRange(1, 3).Draw(rt, "crashNth"),
		After: rapid.Bool().Draw(rt, "crashAfter"),
	}
}

// syncStep runs one round of d with the planned faults and crash, and
// sometimes an edit on d during its first pull; then it checks the rebase,
// monotonic reads and the server.
func (w *world) syncStep(d *synctest.Device, plan []synctest.Planned, crash *synctest.CrashPlan) {
	rt := w.t
	d.Faults.Plan(plan...)
	d.PlanCrash(crash)
	if rapid.IntRange(0, 3).Draw(rt, "editDuringPull") == 0 {
		done := false
		d.Faults.BeforeSend = func(r *http.Request) {
			if !done && r.URL.Path == protocol.PullPath {
				done = true
				w.logf("during the pull:")
				w.edit(d)
			}
		}
	}
	before, err := d.DB.SyncState(context.Background())
	if err != nil {
		rt.Fatal(err)
	}
	crashes, t0 := d.Crashes(), time.Now()
	rep, err := d.Sync(context.Background())
	fired := d.Faults.Fired()
	d.Faults.Clear()
	d.Faults.BeforeSend = nil
	d.PlanCrash(nil)
	crashed := d.Crashes() > crashes
	if crashed != errors.Is(err, synctest.ErrCrashed) {
		w.fail("%s: crashed %t, but the round ended with %v", d.Name, crashed, err)
	}
	what := "faults=[" + strings.Join(fired, ", ") + "]"
	if crashed {
		what += " " + crash.String()
	}
	w.logf("sync %s %s err=%v (%v)%s", d.Name, what, err, time.Since(t0), rejections(rep))
	w.checkRebase(d)
	// Monotonic reads: the cursor never goes back within an epoch, but
	// for a reconciliation cut short, which starts over from 0.
	after, serr := d.DB.SyncState(context.Background())
	if serr != nil {
		rt.Fatal(serr)
	}
	if !rep.EpochReset && !before.Reconciling && after.Epoch == before.Epoch && after.Cursor < before.Cursor {
		w.fail("%s: cursor went back from %d to %d", d.Name, before.Cursor, after.Cursor)
	}
	if !crashed && len(fired) > 0 && strings.HasPrefix(fired[len(fired)-1], synctest.DropResponse.String()) && rapid.Bool().Draw(rt, "crash") {
		// The device dies before it hears the answer: the server
		// committed, the outbox still holds the batch.
		if err := d.Restart(); err != nil {
			rt.Fatal(err)
		}
		w.logf("device %s restarted", d.Name)
	}
	w.checkServer()
}

// checkDevice checks, once converged, the invariants of d's inventory: no
// product inside a deleted freezer, every location valid, and every
// product the server moved shows its relabel notice on d.
func (w *world) checkDevice(d *synctest.Device) {
	freezers, products, err := d.States()
	if err != nil {
		w.t.Fatal(err)
	}
	if v := synctest.DeletedFreezerViolations(freezers, products); v != "" {
		w.fail("product inside a deleted freezer on %s: %s", d.Name, v)
	}
	if v := synctest.LocationViolations(freezers, products); v != "" {
		w.fail("invalid location on %s: %s", d.Name, v)
	}
	v, err := d.NoticeViolations(w.srv.Products())
	if err != nil {
		w.t.Fatal(err)
	}
	if v != "" {
		w.fail("relabel notices differ on %s: %s", d.Name, v)
	}
}
