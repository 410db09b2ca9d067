package synctest_test

// A hosted service: two freezerd processes on one PostgreSQL database, with
// devices syncing through either of them.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/storage"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// hostedSeed replays a run of TestHostedTwoInstancesConverge (the syncs
// run side by side, so a replay draws the same edits and routes, not the
// same interleaving).
var hostedSeed = flag.Uint64("hosted.seed", 0, "seed of TestHostedTwoInstancesConverge (0: from the clock)")

// hostedPassword is the password of every account the hosted tests make.
const hostedPassword = "correct horse battery"

// startHosted starts n freezerd instances (A, B...) at once on a fresh
// PostgreSQL database with flags, and stops them when the test ends. It
// skips the test outside the PostgreSQL pass: the test needs PostgreSQL,
// and the SQLite pass would only run it again.
func startHosted(t *testing.T, n int, flags ...string) (string, []*synctest.Instance) {
	t.Helper()
	if !pgtest.Postgres() {
		t.Skip("runs in the PostgreSQL pass")
	}
	return startInstances(t, pgtest.NewDatabase(t), n, flags...)
}

// startInstances starts n freezerd on the database at target (a SQLite
// file or a PostgreSQL URL) and returns target with them.
func startInstances(t *testing.T, target string, n int, flags ...string) (string, []*synctest.Instance) {
	t.Helper()
	bin, err := synctest.FreezerdBinary()
	if err != nil {
		t.Fatal(err)
	}
	dbURL := target
	flags = append([]string{"-registration", "open", "-registration-rate", "-1"}, flags...)
	instances := make([]*synctest.Instance, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			instances[i], errs[i] = synctest.StartInstance(string(rune('A'+i)), bin, dbURL, flags...)
		})
	}
	wg.Wait()
	for _, in := range instances {
		if in == nil {
			continue
		}
		t.Cleanup(func() {
			if err := in.Stop(); err != nil {
				t.Errorf("stop instance %s: %v", in.Name, err)
			}
			for _, c := range in.Crashes() {
				t.Errorf("%s; its log:\n%s", c, in.Log())
			}
			if strings.Contains(in.Log(), "level=ERROR") {
				t.Errorf("instance %s logged an error:\n%s", in.Name, in.Log())
			}
		})
	}
	for _, err := range errs {
		if err != nil {
			t.Fatalf("start freezerd on %s: %v", target, err)
		}
	}
	return dbURL, instances
}

// registerAccount makes an account through base's /api/v1/register and
// returns its token.
func registerAccount(t *testing.T, base, email string) string {
	t.Helper()
	body := fmt.Sprintf(`{"email": %q, "password": %q}`, email, hostedPassword)
	resp, err := http.Post(base+protocol.RegisterPath, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var tr protocol.TokenResponse
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(b, &tr) != nil || tr.Token == "" {
		t.Fatalf("register %s = %d %s, want 201 and a token", email, resp.StatusCode, b)
	}
	return tr.Token
}

// hostedRun is one run of TestHostedTwoInstancesConverge.
type hostedRun struct {
	t         *testing.T
	seed      uint64
	rng       *rand.Rand
	instances []*synctest.Instance
	devices   []*synctest.Device
	routers   []*synctest.Router
	ledger    *synctest.Ledger

	mu  sync.Mutex // guards log: the syncs of a round log side by side
	log []string
}

func (h *hostedRun) logf(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, fmt.Sprintf(format, args...))
}

func (h *hostedRun) fail(format string, args ...any) {
	h.t.Helper()
	h.mu.Lock()
	steps := slices.Clone(h.log)
	h.mu.Unlock()
	h.t.Fatalf("%s\nseed %d (replay the edits and routes with -hosted.seed=%d); the steps:\n  %s",
		fmt.Sprintf(format, args...), h.seed, h.seed, strings.Join(steps, "\n  "))
}

// TestHostedTwoInstancesConverge: four devices of one account edit at
// random and sync, each round through instance A or B drawn at random, the
// syncs of a round side by side. Afterwards every device holds what the
// database holds, no acknowledged write is lost, the stored inventory
// keeps its invariants, and every page a device pulled from either
// instance came in increasing sequence after its cursor.
func TestHostedTwoInstancesConverge(t *testing.T) {
	dbURL, instances := startHosted(t, 2, "-no-rate-limit") // every device syncs from one address
	seed := *hostedSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	h := &hostedRun{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 9)), instances: instances, ledger: &synctest.Ledger{}}
	token := registerAccount(t, instances[0].URL(), "devices@example.org")
	skews := []time.Duration{0, -5 * time.Minute, 30 * time.Second, 2 * time.Minute}
	for i, skew := range skews {
		d := synctest.NewDevice(t, fmt.Sprintf("d%d", i), instances[0].URL(), token, skew)
		r := &synctest.Router{Base: http.DefaultTransport, Ledger: h.ledger, Device: d.Name}
		d.Faults.Base = r
		// Small batches and pages: every round pages, through either instance.
		d.SetSizes(3, 4)
		h.devices, h.routers = append(h.devices, d), append(h.routers, r)
		if _, err := d.DB.CreateFreezer(context.Background(), "F-"+d.Name, 3); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 40 {
		for _, d := range h.devices {
			for range h.rng.IntN(4) {
				h.edit(d)
			}
		}
		h.syncRound(round)
	}
	h.quiesce()
	h.check(dbURL, token)
}

// syncRound syncs about two devices in three, side by side, each through
// an instance drawn at random.
func (h *hostedRun) syncRound(round int) {
	var wg sync.WaitGroup
	errs := make([]error, len(h.devices))
	for i, d := range h.devices {
		if h.rng.IntN(3) == 0 {
			continue
		}
		in := h.instances[h.rng.IntN(len(h.instances))]
		h.routers[i].Use(in)
		h.logf("round %d: %s syncs through %s", round, d.Name, in.Name)
		wg.Go(func() {
			rep, err := d.Sync(context.Background())
			if err == nil && len(rep.Rejected) > 0 {
				h.logf("round %d: %s:%s", round, d.Name, rejections(rep))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			h.fail("round %d: sync %s: %v", round, h.devices[i].Name, err)
		}
	}
}

// quiesce syncs every device in turn, through instances drawn at random,
// until no outbox holds anything, then twice more.
func (h *hostedRun) quiesce() {
	ctx := context.Background()
	for round := 0; ; round++ {
		pending := 0
		for i, d := range h.devices {
			h.routers[i].Use(h.instances[h.rng.IntN(len(h.instances))])
			if _, err := d.Sync(ctx); err != nil {
				h.fail("quiesce: sync %s: %v", d.Name, err)
			}
			n, err := d.DB.PendingCount(ctx)
			if err != nil {
				h.t.Fatal(err)
			}
			pending += n
		}
		if pending == 0 {
			break
		}
		if round == 4 {
			h.fail("outboxes still hold %d mutations after %d rounds through both instances", pending, round+1)
		}
	}
	for range 2 {
		for i, d := range h.devices {
			h.routers[i].Use(h.instances[h.rng.IntN(len(h.instances))])
			if _, err := d.Sync(ctx); err != nil {
				h.fail("quiesce: sync %s: %v", d.Name, err)
			}
		}
	}
}

// check compares every device with the database and checks the ledger.
func (h *hostedRun) check(dbURL, token string) {
	states, err := synctest.ReadAccounts(context.Background(), dbURL, token)
	if err != nil {
		h.t.Fatal(err)
	}
	st := states[0]
	if v := synctest.DeletedFreezerViolations(st.Freezers, st.Products); v != "" {
		h.fail("product inside a deleted freezer in the database: %s", v)
	}
	if v := synctest.LocationViolations(st.Freezers, st.Products); v != "" {
		h.fail("invalid location in the database: %s", v)
	}
	if !slices.IsSorted(st.Seqs) || len(slices.Compact(slices.Clone(st.Seqs))) != len(st.Seqs) {
		h.fail("the account's entities do not have distinct sequence numbers in pull order: %v", st.Seqs)
	}
	if lost := h.ledger.LostWrites(st.Freezers, st.Products); len(lost) > 0 {
		h.fail("acknowledged writes lost:\n  %s", strings.Join(lost, "\n  "))
	}
	if p := h.ledger.Problems(); len(p) > 0 {
		h.fail("pulled pages out of order:\n  %s", strings.Join(p, "\n  "))
	}
	want := synctest.DumpStates(st.Freezers, st.Products)
	for _, d := range h.devices {
		got, err := d.Dump()
		if err != nil {
			h.t.Fatal(err)
		}
		if got != want {
			diff := lineDiff(got, want)
			h.fail("device %s did not converge with the database:\n%s\n%s", d.Name, diff, stampDiff(d, st, diff, h.ledger))
		}
	}
	pushes, pulls, changes := h.ledger.Counts()
	if pushes == 0 || pulls == 0 {
		h.fail("%d pushes and %d pulls were answered: the devices did not sync", pushes, pulls)
	}
	h.t.Logf("seed %d: %d freezers, %d products; %d pushes and %d pulls (%d changes) through 2 instances",
		h.seed, len(st.Freezers), len(st.Products), pushes, pulls, changes)
}

// edit makes one random local change on d; edits the device refuses (a
// taken slot, a freezer that still holds products) are part of the game.
func (h *hostedRun) edit(d *synctest.Device) {
	ctx, db, rng := context.Background(), d.DB, h.rng
	freezers, err := db.ListFreezers(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	rows, err := db.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		h.t.Fatal(err)
	}
	kind := rng.IntN(14)
	if len(freezers) == 0 {
		kind = 12 // a freezer first
	} else if len(rows) == 0 && kind >= 4 && kind < 12 {
		kind = 0 // a product first
	}
	var what string
	switch {
	case kind < 4:
		what, err = h.add(d, freezers, rows)
	case kind < 12:
		what, err = h.editProduct(d, freezers, rows[rng.IntN(len(rows))], kind)
	case kind == 12 && (len(freezers) < 2 || rng.IntN(3) == 0):
		_, err = db.CreateFreezer(ctx, fmt.Sprintf("%s-%d", d.Name, rng.IntN(1000)), 1+rng.IntN(3))
		what = "create freezer"
	case kind == 12:
		f := freezers[rng.IntN(len(freezers))]
		_, err = db.UpdateFreezer(ctx, f.ID, storage.FreezerUpdate{Name: ptr(f.Name + "+"), Boxes: ptr(1 + rng.IntN(3))})
		what = "rename and resize freezer " + short(f.ID)
	default:
		f := freezers[rng.IntN(len(freezers))]
		err = db.DeleteFreezer(ctx, f.ID)
		what = "delete freezer " + short(f.ID)
	}
	h.logf("%s: %s err=%v", d.Name, what, err)
	if err != nil && domain.ErrorCode(err) == domain.EInternal {
		h.fail("%s: %s: %v", d.Name, what, err)
	}
}

// add puts a product in the next free slot, as the device sees it, of box
// 1 or 2 of a freezer: devices that have not synced fill the same slot
// apart, and the instance that hears of the second settles the collision.
func (h *hostedRun) add(d *synctest.Device, freezers []storage.FreezerSummary, rows []storage.ProductRow) (string, error) {
	f := freezers[h.rng.IntN(len(freezers))]
	box := 1 + h.rng.IntN(min(f.Boxes, 2))
	others := make([]domain.Product, 0, len(rows))
	for _, r := range rows {
		others = append(others, r.Product)
	}
	loc := domain.Location{FreezerID: f.ID, Box: box, Slot: domain.NextFreeSlot(others, f.ID, box)}
	_, err := d.DB.AddProduct(context.Background(), domain.Product{Name: []string{"soup", "peas", "cake", "fish"}[h.rng.IntN(4)],
		TypeID: 1 + h.rng.IntN(6), PeriodMonths: 6, Quantity: 1, Location: loc,
		DateIn: domain.NewDate(2026, 1, 1).AddDays(h.rng.IntN(200))})
	return fmt.Sprintf("add product at %s/%d/%d", short(f.ID), loc.Box, loc.Slot), err
}

// editProduct changes p: kind 4 to 11 rename, set the quantity, move, take
// out, put back or delete it.
func (h *hostedRun) editProduct(d *synctest.Device, freezers []storage.FreezerSummary, p storage.ProductRow, kind int) (string, error) {
	ctx, db, rng := context.Background(), d.DB, h.rng
	var err error
	switch kind {
	case 4, 5:
		_, err = db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr(p.Name + "!")})
		return "rename " + short(p.ID), err
	case 6:
		_, err = db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: ptr(1 + rng.IntN(9))})
		return "quantity " + short(p.ID), err
	case 7, 8:
		f := freezers[rng.IntN(len(freezers))]
		loc := domain.Location{FreezerID: f.ID, Box: 1 + rng.IntN(f.Boxes), Slot: 1 + rng.IntN(4)}
		_, err = db.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Location: &loc})
		return fmt.Sprintf("move %s to %s/%d/%d", short(p.ID), short(f.ID), loc.Box, loc.Slot), err
	case 9:
		_, err = db.TakeOutProduct(ctx, p.ID, laterOf(domain.NewDate(2026, 8, 1), p.DateIn), domain.OutcomeEaten)
		return "take out " + short(p.ID), err
	case 10:
		_, err = db.PutBackProduct(ctx, p.ID)
		return "put back " + short(p.ID), err
	default:
		_, err = db.DeleteProduct(ctx, p.ID)
		return "delete " + short(p.ID), err
	}
}

// lineDiff lists the lines only one of two dumps holds.
func lineDiff(device, db string) string {
	a, b := strings.Split(device, "\n"), strings.Split(db, "\n")
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "device only:   "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "database only: "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestHostedLoginThrottleAcrossInstances: wrong passwords for one email on
// instance A until A answers 429; then the same email from the same
// address is refused on instance B too, without a password being tried
// there, while another email still gets its answer on B.
func TestHostedLoginThrottleAcrossInstances(t *testing.T) {
	_, instances := startHosted(t, 2)
	a, b := instances[0], instances[1]
	registerAccount(t, a.URL(), "ann@example.org")
	registerAccount(t, a.URL(), "bob@example.org")
	refused := false
	for i := 1; i <= 10 && !refused; i++ {
		code, body := login(t, a, "ann@example.org", "wrong password")
		switch code {
		case http.StatusTooManyRequests:
			refused = true
		case http.StatusUnauthorized:
		default:
			t.Fatalf("wrong password %d on A = %d %s, want 401 or 429", i, code, body)
		}
	}
	if !refused {
		t.Fatal("A still judges wrong passwords for ann after 10 of them, want 429")
	}
	code, body := login(t, b, "ann@example.org", hostedPassword)
	if code != http.StatusTooManyRequests || !strings.Contains(body, "failed logins") {
		t.Errorf("after A refused ann's logins, the right password on B = %d %s, want 429 (too many failed logins): "+
			"the login throttle must be shared by the instances, in the database", code, body)
	}
	if code, body := login(t, b, "bob@example.org", "wrong password"); code != http.StatusUnauthorized {
		t.Errorf("a wrong password for bob on B = %d %s, want 401: the throttle holds back ann's email only", code, body)
	}
}

// login posts email and password to in's /api/v1/login and returns the
// status and the body.
func login(t *testing.T, in *synctest.Instance, email, password string) (int, string) {
	t.Helper()
	body := fmt.Sprintf(`{"email": %q, "password": %q}`, email, password)
	resp, err := http.Post(in.URL()+protocol.LoginPath, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("login on %s: %v", in.Name, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("login on %s: read the answer: %v", in.Name, err)
	}
	return resp.StatusCode, string(b)
}

// stampDiff shows, for each entity a lineDiff names, its stamps in the
// database and on the device.
func stampDiff(d *synctest.Device, st synctest.AccountState, diff string, l *synctest.Ledger) string {
	stored := map[string]protocol.Stamps{}
	for _, f := range st.Freezers {
		stored[f.Freezer.ID.String()] = f.Stamps
	}
	for _, p := range st.Products {
		stored[p.Product.ID.String()] = p.Stamps
	}
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(diff, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || seen[f[3]] {
			continue
		}
		seen[f[3]] = true
		entity := domain.EntityProduct
		if f[2] == "F" {
			entity = domain.EntityFreezer
		}
		id, err := uuid.Parse(f[3])
		if err != nil {
			continue
		}
		local, err := d.DB.EntityStamps(context.Background(), entity, id)
		out = append(out, fmt.Sprintf("%s stamps in the database: %v\n  on %s: %v (%v)\n  pushes:\n    %s",
			f[3], stored[f[3]], d.Name, local, err, strings.Join(l.History(id), "\n    ")))
	}
	return strings.Join(out, "\n")
}

// TestHostedReviveAcrossInstances: a product put into a freezer deleted
// meanwhile brings the freezer back, stamped by the instance that merges
// the product. That stamp must be newer than the deletion even when
// another instance stored the deletion, as on a single server: else the
// deletion, acknowledged before, is lost to an older stamp, and a device
// that sends it again (after a restore) deletes a freezer holding a
// product. The device that deletes runs ahead (within protocol.MaxAhead)
// and its clock counts many edits in one millisecond of its own time; the
// instance that revives has seen neither.
func TestHostedReviveAcrossInstances(t *testing.T) {
	dbURL, instances := startHosted(t, 2, "-no-rate-limit")
	a, b := instances[0], instances[1]
	token := registerAccount(t, a.URL(), "clocks@example.org")
	ledger := &synctest.Ledger{}
	ctx := context.Background()
	deleter, viaDeleter := hostedDevice(t, "deleter", token, 50*time.Second, a, ledger)
	filler, viaFiller := hostedDevice(t, "filler", token, 0, b, ledger)
	f, err := deleter.DB.CreateFreezer(ctx, "garage", 1)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, deleter, viaDeleter, a)
	mustSync(t, filler, viaFiller, b)
	for i := range 20 {
		if _, err := deleter.DB.UpdateFreezer(ctx, f.ID, storage.FreezerUpdate{Name: ptr(fmt.Sprintf("garage %d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := deleter.DB.DeleteFreezer(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, deleter, viaDeleter, a)
	if _, err := filler.DB.AddProduct(ctx, domain.Product{Name: "soup", TypeID: 1, PeriodMonths: 6, Quantity: 1,
		DateIn: domain.NewDate(2026, 1, 2), Location: domain.Location{FreezerID: f.ID, Box: 1, Slot: 1}}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, filler, viaFiller, b)
	for range 2 {
		mustSync(t, deleter, viaDeleter, b)
		mustSync(t, filler, viaFiller, a)
	}
	states, err := synctest.ReadAccounts(ctx, dbURL, token)
	if err != nil {
		t.Fatal(err)
	}
	st := states[0]
	if v := synctest.DeletedFreezerViolations(st.Freezers, st.Products); v != "" {
		t.Errorf("product inside a deleted freezer: %s", v)
	}
	if lost := ledger.LostWrites(st.Freezers, st.Products); len(lost) > 0 {
		t.Errorf("acknowledged writes lost: an instance must take in the stamps stored for an entity before it stamps one of its fields:\n  %s",
			strings.Join(lost, "\n  "))
	}
	want := synctest.DumpStates(st.Freezers, st.Products)
	for _, d := range []*synctest.Device{deleter, filler} {
		got, err := d.Dump()
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			diff := lineDiff(got, want)
			t.Errorf("device %s did not converge with the database:\n%s\n%s", d.Name, diff, stampDiff(d, st, diff, ledger))
		}
	}
}

// hostedDevice makes a device of the account of token, with its clock
// skew ahead, whose requests go to in until told otherwise.
func hostedDevice(t *testing.T, name, token string, skew time.Duration, in *synctest.Instance, l *synctest.Ledger) (*synctest.Device, *synctest.Router) {
	t.Helper()
	d := synctest.NewDevice(t, name, in.URL(), token, skew)
	r := &synctest.Router{Base: http.DefaultTransport, Ledger: l, Device: name}
	r.Use(in)
	d.Faults.Base = r
	return d, r
}

// mustSync syncs d once through in.
func mustSync(t *testing.T, d *synctest.Device, r *synctest.Router, in *synctest.Instance) {
	t.Helper()
	r.Use(in)
	if _, err := d.Sync(context.Background()); err != nil {
		t.Fatalf("sync %s through %s: %v", d.Name, in.Name, err)
	}
}
