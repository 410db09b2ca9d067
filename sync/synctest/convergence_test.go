package synctest_test

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/synctest"
)

// The convergence test runs with a fixed seed so that CI is reproducible; a
// failure prints the seed and rapid keeps the failing case under
// testdata/rapid, so `go test -run TestConvergence -rapid.seed=N` replays it.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("rapid.seed"); f != nil && f.Value.String() == "0" {
		_ = f.Value.Set("20261124")
	}
	// The race detector slows the stores down about tenfold: fewer cases
	// keep the run under a minute on a small CI machine.
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == "100" && (raceEnabled || testing.Short()) {
		_ = f.Value.Set("10")
	}
	code := pgtest.Main(m)
	synctest.RemoveFreezerdBinary() // built once by the hosted tests
	os.Exit(code)
}

// postgresChecks is the number of cases of the PostgreSQL pass: each
// case makes a database and opens pools of connections (a process each),
// about ten times the cost of a SQLite file, and the merge rules are the
// same; the SQLite pass runs the full number.
const postgresChecks = 20

// convergenceFewerChecks lowers rapid's number of cases to n for this test
// when it was left at rapid's default (100); -rapid.checks given on the
// command line is kept.
func convergenceFewerChecks(t *testing.T, n int) {
	f := flag.Lookup("rapid.checks")
	if f == nil || f.Value.String() != "100" {
		return
	}
	_ = f.Value.Set(strconv.Itoa(n))
	t.Cleanup(func() { _ = f.Value.Set("100") })
}

// raceEnabled is set by race_test.go in -race builds.
var raceEnabled bool

// skews are the device clock errors the test draws from.
var skews = []time.Duration{-time.Hour, -5 * time.Minute, 0, 30 * time.Second, 2 * time.Minute, 365 * 24 * time.Hour}

// world is one run of the convergence test.
type world struct {
	t         *rapid.T
	srv       synctest.Backend
	url       string
	devices   []*synctest.Device
	hasBackup bool
	log       []string
	// placed is the product each device placed last (added or moved): a
	// move that follows it, before the device hears of a repair, is what
	// a slot repair must not beat.
	placed map[*synctest.Device]uuid.UUID
}

// TestConvergence runs random operations from 3 to 5 devices against
// freezerd's real handler over SQLite, then over PostgreSQL, with faults,
// clock skews, server restarts and a restored backup, and checks the
// invariants of sync-notes.md.
func TestConvergence(t *testing.T) {
	if pgtest.Postgres() {
		convergenceFewerChecks(t, postgresChecks)
	}
	dir := fastTempDir(t)
	checkConvergence(t, func(run int) (synctest.Backend, func()) {
		srvDir := filepath.Join(dir, fmt.Sprintf("server-%d", run))
		if err := os.MkdirAll(srvDir, 0o700); err != nil {
			t.Fatal(err)
		}
		s, err := synctest.NewRealServer(t, srvDir)
		if err != nil {
			t.Fatal(err)
		}
		return s, func() { s.Close() }
	})
}

// TestConvergenceReference runs the same against the in-memory reference
// server (same merge rules, no SQL), which keeps the checker honest about
// what belongs to the merge and what to the store.
func TestConvergenceReference(t *testing.T) {
	checkConvergence(t, func(int) (synctest.Backend, func()) { return synctest.NewServer(token), func() {} })
}

func checkConvergence(t *testing.T, newBackend func(run int) (synctest.Backend, func())) {
	dir := fastTempDir(t)
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		srv, closeSrv := newBackend(run)
		defer closeSrv()
		w := &world{t: rt, srv: srv, placed: map[*synctest.Device]uuid.UUID{}}
		ts := httptest.NewServer(w.srv)
		defer ts.Close()
		w.url = ts.URL
		n := rapid.IntRange(3, 5).Draw(rt, "devices")
		for i := range n {
			skew := rapid.SampledFrom(skews).Draw(rt, "skew")
			d, err := synctest.OpenDevice(dir, fmt.Sprintf("r%d-d%d", run, i), ts.URL, srv.AuthToken(), skew)
			if err != nil {
				rt.Fatal(err)
			}
			defer func() { d.DB.Close() }()
			// Small batches and pages: every round pages, and a fault or a
			// crash can fall between two of them.
			d.SetSizes(rapid.IntRange(2, 5).Draw(rt, "pushBatch"), rapid.IntRange(2, 5).Draw(rt, "pullPage"))
			w.devices = append(w.devices, d)
		}
		// Every device starts with a freezer of its own, pushed, so that
		// products have somewhere to go.
		for _, d := range w.devices {
			if _, err := d.DB.CreateFreezer(context.Background(), "F-"+d.Name, 3); err != nil {
				rt.Fatal(err)
			}
		}
		steps := rapid.IntRange(20, 60).Draw(rt, "steps")
		for range steps {
			w.step()
		}
		w.quiesce()
	})
}

func (w *world) logf(format string, args ...any) {
	w.log = append(w.log, fmt.Sprintf(format, args...))
}

// step runs one random operation: a local edit, a sync with faults or a
// crash, a clock jump, a server restart, a backup or a restore of it.
func (w *world) step() {
	rt := w.t
	d := w.devices[rapid.IntRange(0, len(w.devices)-1).Draw(rt, "device")]
	switch op := rapid.IntRange(0, 99).Draw(rt, "op"); {
	case op < 55:
		w.edit(d)
	case op < 88:
		w.syncStep(d, w.drawFaults(), w.drawCrash())
	case op < 91:
		skew := rapid.SampledFrom(skews).Draw(rt, "jump")
		d.SetSkew(skew)
		w.logf("clock %s -> %s", d.Name, skew)
	case op < 94:
		if err := w.srv.Reboot(); err != nil {
			rt.Fatal(err)
		}
		w.logf("server restart")
	default:
		if !w.hasBackup {
			if err := w.srv.Backup(); err != nil {
				rt.Fatal(err)
			}
			w.hasBackup = true
			w.logf("server backup")
		} else {
			if err := w.srv.RestoreBackup(); err != nil {
				rt.Fatal(err)
			}
			w.hasBackup = false
			w.logf("server restored from backup")
			// The next round of some device reconciles: interrupt it.
			w.syncStep(d, w.drawReconcileFaults(), w.drawCrash())
		}
	}
}

// edit makes one random local change; edits the store refuses (a taken
// slot, a freezer that still holds products) are part of the game.
func (w *world) edit(d *synctest.Device) {
	rt, ctx, db := w.t, context.Background(), d.DB
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		rt.Fatal(err)
	}
	products, err := db.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		rt.Fatal(err)
	}
	day := domain.NewDate(2026, 1, 1).AddDays(rapid.IntRange(0, 200).Draw(rt, "day"))
	names := []string{"soup", "peas", "cake", "fish", "bread"}
	kind := rapid.IntRange(0, 11).Draw(rt, "edit")
	if kind >= 10 || len(freezers) == 0 || (kind >= 1 && len(products) == 0) {
		// Adds are frequent: products fill the same slots apart, and
		// every round has pages to pull.
		kind = 0
	}
	var what string
	switch kind {
	case 0:
		if len(freezers) == 0 || rapid.IntRange(0, 3).Draw(rt, "newFreezer") == 0 {
			_, err = db.CreateFreezer(ctx, rapid.SampledFrom([]string{"garage", "kitchen", "cellar"}).Draw(rt, "fname"), rapid.IntRange(1, 3).Draw(rt, "boxes"))
			what = "create freezer"
			break
		}
		f := freezers[rapid.IntRange(0, len(freezers)-1).Draw(rt, "freezer")]
		// Few boxes and slots: devices often fill the same slot apart.
		loc := domain.Location{FreezerID: f.ID, Box: rapid.IntRange(1, min(f.Boxes, 2)).Draw(rt, "box"), Slot: rapid.IntRange(0, 2).Draw(rt, "slot")}
		if rapid.Bool().Draw(rt, "hot") {
			loc = hotSpot(freezers, products, uuid.Nil)
		}
		var added domain.Product
		added, err = db.AddProduct(ctx, domain.Product{Name: rapid.SampledFrom(names).Draw(rt, "name"), TypeID: 1 + rapid.IntRange(0, 5).Draw(rt, "type"),
			PeriodMonths: 6, DateIn: day, Quantity: 1, Location: loc})
		what = "add product"
		if err == nil {
			w.placed[d] = added.ID
		}
		if err == nil && rapid.IntRange(0, 2).Draw(rt, "moveAgain") == 0 {
			// The person moves it at once, before any sync: if the add
			// collides on the server, this later move wins over the repair.
			loc := domain.Location{FreezerID: f.ID, Box: rapid.IntRange(1, f.Boxes).Draw(rt, "box"), Slot: rapid.IntRange(1, 6).Draw(rt, "slot")}
			_, err = db.UpdateProduct(ctx, added.ID, storage.ProductUpdate{Location: &loc})
			what = "add product, then move it"
		}
	case 1, 2:
		p := products[rapid.IntRange(0, len(products)-1).Draw(rt, "product")]
		_, err = db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr(rapid.SampledFrom(names).Draw(rt, "name") + "!")})
		what = "rename " + short(p.ID)
	case 3:
		p := products[rapid.IntRange(0, len(products)-1).Draw(rt, "product")]
		_, err = db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: ptr(rapid.IntRange(1, 9).Draw(rt, "qty"))})
		what = "quantity " + short(p.ID)
	case 4, 5:
		p := products[rapid.IntRange(0, len(products)-1).Draw(rt, "product")]
		if i := slices.IndexFunc(products, func(p storage.ProductRow) bool { return p.ID == w.placed[d] }); i >= 0 && rapid.Bool().Draw(rt, "again") {
			p = products[i] // move again what this device just placed
		}
		f := freezers[rapid.IntRange(0, len(freezers)-1).Draw(rt, "freezer")]
		loc := domain.Location{FreezerID: f.ID, Box: rapid.IntRange(1, f.Boxes).Draw(rt, "box"), Slot: rapid.IntRange(1, 4).Draw(rt, "slot")}
		if rapid.IntRange(0, 2).Draw(rt, "hot") == 0 {
			loc = hotSpot(freezers, products, p.ID)
		}
		_, err = db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Location: &loc})
		what = "move " + short(p.ID)
		if err == nil {
			w.placed[d] = p.ID
		}
	case 6:
		p := products[rapid.IntRange(0, len(products)-1).Draw(rt, "product")]
		_, err = db.TakeOutProduct(ctx, p.ID, laterOf(day, p.DateIn), domain.OutcomeEaten)
		what = "take out " + short(p.ID)
	case 7:
		p := products[rapid.IntRange(0, len(products)-1).Draw(rt, "product")]
		_, err = db.PutBackProduct(ctx, p.ID)
		what = "put back " + short(p.ID)
	case 8:
		f := freezers[rapid.IntRange(0, len(freezers)-1).Draw(rt, "freezer")]
		if rapid.Bool().Draw(rt, "rename") {
			_, err = db.UpdateFreezer(ctx, f.ID, storage.FreezerUpdate{Name: ptr(f.Name + "+")})
			what = "rename freezer " + short(f.ID)
		} else {
			_, err = db.UpdateFreezer(ctx, f.ID, storage.FreezerUpdate{Boxes: ptr(rapid.IntRange(1, 4).Draw(rt, "boxes"))})
			what = "boxes freezer " + short(f.ID)
		}
	case 9:
		f := freezers[rapid.IntRange(0, len(freezers)-1).Draw(rt, "freezer")]
		err = db.DeleteFreezer(ctx, f.ID)
		what = "delete freezer " + short(f.ID)
	}
	w.logf("%s: %s err=%v", d.Name, what, err)
	if err != nil && domain.ErrorCode(err) == domain.EInternal {
		rt.Fatalf("%s: %s: %v", d.Name, what, err)
	}
}

// hotSpot returns the next free slot, as the device sees it, of box 1 of
// the freezer listed first (by name: the one of the first device, once
// pulled). Devices that have not synced fill that same slot apart, and the
// server repairs the collision; a move of the product that follows, before
// its device hears of the repair, must win over the repair.
func hotSpot(freezers []storage.FreezerSummary, products []storage.ProductRow, moving uuid.UUID) domain.Location {
	var others []domain.Product
	for _, p := range products {
		if p.ID != moving {
			others = append(others, p.Product)
		}
	}
	f := freezers[0].ID
	return domain.Location{FreezerID: f, Box: 1, Slot: domain.NextFreeSlot(others, f, 1)}
}

func laterOf(a, b domain.Date) domain.Date {
	if a.Before(b) {
		return b
	}
	return a
}

func short(id uuid.UUID) string { return id.String()[len(id.String())-6:] }

func rejections(rep client.Report) string {
	var b strings.Builder
	for _, r := range rep.Rejected {
		fmt.Fprintf(&b, "\n    refused %s %s: %s (dropped %t)", r.Entity, r.EntityID[len(r.EntityID)-6:], r.Reason, r.Dropped)
	}
	if rep.EpochReset {
		b.WriteString(" [new epoch]")
	}
	return b.String()
}

// checkRebase checks that a device shows every edit still in its outbox:
// for each queued field, the local stamp is at least the queued one (a pull
// never hides a local edit that is on its way).
func (w *world) checkRebase(d *synctest.Device) {
	ctx := context.Background()
	pending, err := d.DB.OutboxBatch(ctx, 100000)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, m := range pending {
		local, err := d.DB.EntityStamps(ctx, m.Entity, m.EntityID)
		if err != nil {
			w.fail("%s: queued %s %s is missing locally: %v", d.Name, m.Entity, m.EntityID, err)
		}
		for f, ts := range m.Stamps {
			if local[f].Compare(ts) < 0 {
				w.fail("%s: %s %s field %s shows stamp %s, older than its queued edit %s", d.Name, m.Entity, m.EntityID, f, local[f], ts)
			}
		}
	}
}

// checkServer checks the invariants that hold after every server commit.
func (w *world) checkServer() {
	freezers, products := w.srv.Freezers(), w.srv.Products()
	if v := synctest.DeletedFreezerViolations(freezers, products); v != "" {
		w.fail("product inside a deleted freezer on the server: %s", v)
	}
	if v := synctest.LocationViolations(freezers, products); v != "" {
		w.fail("invalid location on the server: %s", v)
	}
	if v := synctest.RepairStampViolations(products); v != "" {
		w.fail("slot repair not stamped as a repair on the server: %s", v)
	}
	if v := w.srv.StampsAhead(); len(v) > 0 {
		w.fail("stamps ahead of the server's clock bound: %s", strings.Join(v, "; "))
	}
}

func (w *world) fail(format string, args ...any) {
	w.t.Fatalf("%s\nsteps:\n  %s", fmt.Sprintf(format, args...), strings.Join(w.log, "\n  "))
}

// quiesce heals every fault, syncs until every outbox is empty (liveness),
// then twice more, and checks convergence and that no acknowledged write
// was lost.
func (w *world) quiesce() {
	ctx := context.Background()
	for round := 0; ; round++ {
		pending := 0
		for _, d := range w.devices {
			rep, err := d.Sync(ctx)
			if err != nil {
				w.fail("sync %s with faults healed: %v", d.Name, err)
			}
			w.logf("quiesce: sync %s%s", d.Name, rejections(rep))
			n, err := d.DB.PendingCount(ctx)
			if err != nil {
				w.t.Fatal(err)
			}
			pending += n
		}
		if pending == 0 {
			break
		}
		if round == 3 {
			w.fail("outboxes still hold %d mutations after %d rounds", pending, round+1)
		}
	}
	for range 2 {
		for _, d := range w.devices {
			if _, err := d.Sync(ctx); err != nil {
				w.fail("sync %s: %v", d.Name, err)
			}
		}
	}
	w.checkServer()
	want := synctest.DumpStates(w.srv.Freezers(), w.srv.Products())
	for _, d := range w.devices {
		got, err := d.Dump()
		if err != nil {
			w.t.Fatal(err)
		}
		if got != want {
			w.fail("device %s did not converge:\n%s\nserver:\n%s", d.Name, got, want)
		}
		w.checkDevice(d)
	}
	if lost := w.srv.LostWrites(); len(lost) > 0 {
		w.fail("acknowledged writes lost: %s", strings.Join(lost, "; "))
	}
}

// fastTempDir returns a temporary folder in memory (/dev/shm) when the
// system has one: the stores sync to disk on every commit, and the
// convergence test makes thousands of commits.
func fastTempDir(t *testing.T) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "synctest-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}
