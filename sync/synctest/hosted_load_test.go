package synctest_test

// A load test of a hosted service: clients write through two freezerd
// instances on one PostgreSQL database, and every write an instance
// acknowledged is in the database afterwards, even when one instance is
// killed in the middle of the burst.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/internal/pgtest"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// loadFor is how long the first burst of TestHostedLoad runs.
var loadFor = flag.Duration("hosted.load", 30*time.Second, "how long the first burst of TestHostedLoad runs")

const (
	loadClients  = 16
	loadAccounts = 10 // clients 0-7 have an account each; 8-11 share one, 12-15 another
	loadBoxes    = 50
	// The second burst: instance A is killed killAfter into it and started
	// again restartAfter into it.
	killBurst    = 8 * time.Second
	killAfter    = 2 * time.Second
	restartAfter = 5 * time.Second
)

// loadValue is what the updates change: a product's quantity and description.
type loadValue struct {
	quantity int
	descr    string
}

// loadProduct is what a client knows of a product it created: where, and
// its values as last acknowledged.
type loadProduct struct {
	name      string
	id        uuid.UUID // uuid.Nil for a product added through compat
	via       string    // "v1", "compat" or "push"
	box, slot int
	acked     bool // its creation was acknowledged
	value     loadValue
	// maybe holds the values of creations and updates sent since the last
	// acknowledged one that got no answer: the instance may have committed
	// them before it died.
	maybe []loadValue
}

// loadClient is one client of the load test: its own freezer in an
// account it may share, and the products it made there.
type loadClient struct {
	id       int
	token    string
	freezer  uuid.UUID
	compatID int64
	http     *http.Client
	rng      *rand.Rand
	via      []*synctest.Instance // drawn at random for each write
	next     [loadBoxes + 1]int   // the next slot of each box
	products []*loadProduct
	byKind   map[string][]*loadProduct // acknowledged creations, by via
	seq      int                       // names and mutation ids
	clock    domain.Timestamp          // the stamp of the last push

	acked, unanswered, refused int
	firstRefusal               string
}

// TestHostedLoad: 16 clients write through instances A and B at random
// (/api/v1 and compat creations and updates, sync pushes), some of them
// into one shared account, for -hosted.load (30 s); then every acknowledged
// creation is in the database, nothing else is, and every product holds
// its last acknowledged values. A second burst kills A (SIGKILL) after 2 s,
// starts it again 3 s later, and checks the same, allowing the writes that
// got no answer to be there or not.
//
// In the SQLite pass the same runs against one freezerd on a file, whose
// writes commit in groups (server/sqlstore/group.go), for 10 s: a kill
// during a group loses no write that was answered.
func TestHostedLoad(t *testing.T) {
	var dbURL string
	var instances []*synctest.Instance
	d := *loadFor
	if pgtest.Postgres() {
		dbURL, instances = startHosted(t, 2, "-no-rate-limit")
	} else {
		dbURL, instances = startInstances(t, filepath.Join(t.TempDir(), "freezerd.db"), 1, "-no-rate-limit")
		d = min(d, 10*time.Second)
	}
	if testing.Short() {
		d = 5 * time.Second
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 2 * loadClients}
	t.Cleanup(transport.CloseIdleConnections)
	httpClient := &http.Client{Transport: transport, Timeout: 20 * time.Second}
	tokens := make([]string, loadAccounts)
	for i := range tokens {
		tokens[i] = registerAccount(t, instances[i%len(instances)].URL(), fmt.Sprintf("load%d@example.org", i))
	}
	seed := uint64(time.Now().UnixNano())
	clients := make([]*loadClient, loadClients)
	for i := range clients {
		c := &loadClient{id: i, token: tokens[loadAccount(i)], http: httpClient, via: instances,
			rng: rand.New(rand.NewPCG(seed, uint64(i))), byKind: map[string][]*loadProduct{}}
		c.createFreezer(t, instances[i%len(instances)])
		clients[i] = c
	}

	writes := runBurst(clients, d, nil)
	t.Logf("burst 1: %d acknowledged writes in %v through %d instances: %.0f writes/s (%d clients, %d accounts, seed %d)",
		writes, d, len(instances), float64(writes)/d.Seconds(), loadClients, loadAccounts, seed)
	for _, c := range clients {
		if c.unanswered+c.refused > 0 {
			t.Errorf("client %d: %d writes got no answer and %d were refused with both instances up; the first refusal: %s",
				c.id, c.unanswered, c.refused, c.firstRefusal)
		}
	}
	checkLoad(t, dbURL, tokens, clients)
	if t.Failed() {
		return
	}

	burstWithKill(t, dbURL, tokens, clients, instances[0])
}

// burstWithKill runs the clients for killBurst, kills a (SIGKILL)
// killAfter into it and starts it again restartAfter into it, then checks
// that a serves again and that the database holds every acknowledged
// write.
func burstWithKill(t *testing.T, dbURL string, tokens []string, clients []*loadClient, a *synctest.Instance) {
	killed, restarted := false, false
	events := func(elapsed time.Duration) {
		switch {
		case elapsed >= killAfter && !killed:
			killed = true
			if err := a.Kill(); err != nil {
				t.Errorf("kill A: %v", err)
			}
		case elapsed >= restartAfter && !restarted:
			restarted = true
			if err := a.Restart(); err != nil {
				t.Errorf("start A again after the kill: %v", err)
			}
		}
	}
	writes := runBurst(clients, killBurst, events)
	unanswered := 0
	for _, c := range clients {
		unanswered += c.unanswered
	}
	t.Logf("burst 2: %d acknowledged writes in %v, A killed after %v and back after %v; %d writes got no answer",
		writes, killBurst, killAfter, restartAfter, unanswered)
	if !killed || !restarted || !a.Running() {
		t.Fatalf("A was not killed and started again during the burst (killed %t, restarted %t, running %t); its log:\n%s",
			killed, restarted, a.Running(), a.Log())
	}
	if unanswered == 0 {
		t.Errorf("no write failed while A was down: the clients did not reach A during the burst")
	}
	// A serves again: a write through it is acknowledged.
	c := clients[0]
	before := c.acked
	c.updateV1(a, c.byKind["v1"][0])
	if c.acked != before+1 {
		t.Errorf("an update through A after it started again was not acknowledged; A's log:\n%s", a.Log())
	}
	checkLoad(t, dbURL, tokens, clients)
}

// loadAccount is the account of client i.
func loadAccount(i int) int {
	switch {
	case i < 8:
		return i
	case i < 12:
		return 8
	default:
		return 9
	}
}

// runBurst runs every client for d, calling tick (when set) every 50 ms
// with the time elapsed, and returns how many writes were acknowledged.
func runBurst(clients []*loadClient, d time.Duration, tick func(time.Duration)) int {
	start := time.Now()
	deadline := start.Add(d)
	var total atomic.Int64
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			before := c.acked
			for time.Now().Before(deadline) {
				c.write()
			}
			total.Add(int64(c.acked - before))
		})
	}
	if tick != nil {
		for now := time.Now(); now.Before(deadline); now = time.Now() {
			tick(now.Sub(start))
			time.Sleep(50 * time.Millisecond)
		}
	}
	wg.Wait()
	return int(total.Load())
}

// write makes one random write through an instance drawn at random.
func (c *loadClient) write() {
	in := c.via[c.rng.IntN(len(c.via))]
	switch n := c.rng.IntN(20); {
	case n < 5 || len(c.byKind["v1"]) == 0:
		c.createV1(in)
	case n < 9:
		c.updateV1(in, c.byKind["v1"][c.rng.IntN(len(c.byKind["v1"]))])
	case n < 12 || len(c.byKind["compat"]) == 0:
		c.addCompat(in)
	case n < 15:
		c.updateCompat(in, c.byKind["compat"][c.rng.IntN(len(c.byKind["compat"]))])
	default:
		c.push(in)
	}
}

// newProduct takes the next name and free slot for a product made via via.
func (c *loadClient) newProduct(via string) *loadProduct {
	c.seq++
	box := 1 + c.rng.IntN(loadBoxes)
	c.next[box]++
	return &loadProduct{name: fmt.Sprintf("c%02d-%s-%d", c.id, via, c.seq), via: via, box: box, slot: c.next[box],
		value: loadValue{quantity: 1 + c.rng.IntN(9), descr: fmt.Sprintf("made %d", c.seq)}}
}

// newValue draws the values of an update.
func (c *loadClient) newValue() loadValue {
	c.seq++
	return loadValue{quantity: 1 + c.rng.IntN(99), descr: fmt.Sprintf("update %d", c.seq)}
}

// outcome records how a write ended. A write without an answer (a
// transport error, a 5xx) may or may not have been committed; a 4xx
// certainly was not.
type outcome int

const (
	acked outcome = iota
	unanswered
	refused
)

// send sends a JSON body and sorts the answer: want is the status of an
// acknowledgement. out, when set, receives the decoded answer.
func (c *loadClient) send(method, url string, body any, want int, out any) (outcome, string) {
	b, err := json.Marshal(body)
	if err != nil {
		return refused, err.Error()
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		return refused, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set(protocol.VersionHeader, fmt.Sprint(protocol.Version))
	resp, err := c.http.Do(req)
	if err != nil {
		return unanswered, err.Error()
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return unanswered, err.Error()
	case resp.StatusCode >= 500:
		return unanswered, fmt.Sprintf("%s %s = %d %s", method, url, resp.StatusCode, got)
	case resp.StatusCode != want:
		return refused, fmt.Sprintf("%s %s = %d %s", method, url, resp.StatusCode, got)
	case out != nil:
		if err := json.Unmarshal(got, out); err != nil {
			return unanswered, fmt.Sprintf("%s %s = %d with a body that is not the entity: %v", method, url, resp.StatusCode, err)
		}
	}
	return acked, ""
}

// settle counts how a write of p's value v ended and updates what the
// client knows of p; create says the write made p.
func (c *loadClient) settle(p *loadProduct, v loadValue, create bool, o outcome, why string) {
	switch o {
	case acked:
		c.acked++
		p.value, p.maybe = v, nil
		if create {
			p.acked = true
			c.byKind[p.via] = append(c.byKind[p.via], p)
		}
	case unanswered:
		c.unanswered++
		p.maybe = append(p.maybe, v)
	case refused:
		c.refused++
		if c.firstRefusal == "" {
			c.firstRefusal = why
		}
	}
	if create && o != refused {
		c.products = append(c.products, p)
	}
}

// createFreezer makes the client's freezer through /api/v1.
func (c *loadClient) createFreezer(t *testing.T, in *synctest.Instance) {
	t.Helper()
	var f struct {
		ID       uuid.UUID `json:"id"`
		CompatID int64     `json:"compat_id"`
	}
	body := map[string]any{"name": fmt.Sprintf("client %d", c.id), "boxes": loadBoxes}
	if o, why := c.send(http.MethodPost, in.URL()+"/api/v1/freezers", body, http.StatusCreated, &f); o != acked {
		t.Fatalf("client %d: create its freezer on %s: %s", c.id, in.Name, why)
	}
	c.freezer, c.compatID = f.ID, f.CompatID
}

// createV1 creates a product through POST /api/v1/products.
func (c *loadClient) createV1(in *synctest.Instance) {
	p := c.newProduct("v1")
	body := map[string]any{"name": p.name, "description": p.value.descr, "type_id": 1 + c.rng.IntN(40),
		"location": domain.Location{FreezerID: c.freezer, Box: p.box, Slot: p.slot},
		"quantity": p.value.quantity, "date_in": "2026-01-02", "period_months": 6}
	var got domain.Product
	o, why := c.send(http.MethodPost, in.URL()+"/api/v1/products", body, http.StatusCreated, &got)
	if o == acked && (got.Name != p.name || got.ID == uuid.Nil) {
		o, why = refused, fmt.Sprintf("creating %s answered %+v", p.name, got)
	}
	p.id = got.ID
	c.settle(p, p.value, true, o, why)
}

// updateV1 changes a product's quantity and description through PATCH
// /api/v1/products/{id}.
func (c *loadClient) updateV1(in *synctest.Instance, p *loadProduct) {
	v := c.newValue()
	var got domain.Product
	o, why := c.send(http.MethodPatch, in.URL()+"/api/v1/products/"+p.id.String(),
		map[string]any{"quantity": v.quantity, "description": v.descr}, http.StatusOK, &got)
	if o == acked && (got.Quantity != v.quantity || got.Description != v.descr) {
		o, why = refused, fmt.Sprintf("updating %s to %+v answered %+v", p.name, v, got)
	}
	c.settle(p, v, false, o, why)
}

// addCompat adds a product through the original API's POST /add_product.
func (c *loadClient) addCompat(in *synctest.Instance) {
	p := c.newProduct("compat")
	body := map[string]any{"product_name": p.name, "text_descr": p.value.descr, "freezer_id": c.compatID,
		"type_id": 1 + c.rng.IntN(40), "date_in": "2026-01-03", "period": 6,
		"box_num": p.box, "prod_num": p.slot, "quantity": p.value.quantity}
	o, why := c.send(http.MethodPost, in.URL()+"/add_product/"+c.token, body, http.StatusOK, nil)
	c.settle(p, p.value, true, o, why)
}

// updateCompat changes the quantity and description of the product at
// p's place through the original API's POST /update_product.
func (c *loadClient) updateCompat(in *synctest.Instance, p *loadProduct) {
	v := c.newValue()
	body := map[string]any{"product_name": "", "text_descr": v.descr, "freezer_id": "", "type_id": "",
		"date_in": "", "period": "", "box_num": "", "prod_num": "", "quantity": v.quantity, "date_out": ""}
	url := fmt.Sprintf("%s/update_product/%d/%d/%d/1/%s", in.URL(), c.compatID, p.box, p.slot, c.token)
	o, why := c.send(http.MethodPost, url, body, http.StatusOK, nil)
	c.settle(p, v, false, o, why)
}

// stamp returns the client's next clock stamp: its own node, never
// behind the last one.
func (c *loadClient) stamp() domain.Timestamp {
	now := time.Now().UnixMilli()
	if now > c.clock.Wall {
		c.clock = domain.Timestamp{Wall: now, Node: fmt.Sprintf("load%02d", c.id)}
	} else {
		c.clock.Counter++
	}
	return c.clock
}

// push sends a sync push of one to four mutations: creations of products
// and updates of the products it created by push (whose fields only its
// own, increasing stamps write, so the last acknowledged value wins).
func (c *loadClient) push(in *synctest.Instance) {
	type change struct {
		p      *loadProduct
		v      loadValue
		create bool
	}
	var changes []change
	req := protocol.PushRequest{Version: protocol.Version, Device: fmt.Sprintf("load-%02d", c.id)}
	for range 1 + c.rng.IntN(4) {
		ch := change{create: true}
		if pushed := c.byKind["push"]; len(pushed) > 0 && c.rng.IntN(2) == 0 {
			ch.p, ch.v, ch.create = pushed[c.rng.IntN(len(pushed))], c.newValue(), false
		} else {
			ch.p = c.newProduct("push")
			ch.p.id, ch.v = uuid.New(), ch.p.value
		}
		p := domain.Product{ID: ch.p.id, Name: ch.p.name, Description: ch.v.descr, TypeID: 1 + c.rng.IntN(40),
			Location: domain.Location{FreezerID: c.freezer, Box: ch.p.box, Slot: ch.p.slot},
			Quantity: ch.v.quantity, DateIn: domain.NewDate(2026, 1, 4), PeriodMonths: 6}
		mu := protocol.Mutation{ID: fmt.Sprintf("m%d", c.seq), Entity: domain.EntityProduct, EntityID: p.ID,
			Op: domain.OpCreate, Fields: domain.ProductValues(p), Stamp: c.stamp()}
		if !ch.create {
			mu.Op, mu.Fields = domain.OpUpdate, domain.ProductValues(p, domain.FieldQuantity, domain.FieldDescription)
		}
		c.seq++
		req.Mutations = append(req.Mutations, mu)
		changes = append(changes, ch)
	}
	var resp protocol.PushResponse
	o, why := c.send(http.MethodPost, in.URL()+protocol.PushPath, req, http.StatusOK, &resp)
	if o == acked && len(resp.Results) != len(req.Mutations) {
		o, why = unanswered, fmt.Sprintf("a push of %d mutations got %d results", len(req.Mutations), len(resp.Results))
	}
	for i, ch := range changes {
		mo, mwhy := o, why
		if o == acked && resp.Results[i].Status != protocol.StatusApplied {
			mo, mwhy = refused, fmt.Sprintf("push of %s: %+v", ch.p.name, resp.Results[i])
		}
		c.settle(ch.p, ch.v, ch.create, mo, mwhy)
	}
}

// checkLoad reads every account from the database and checks it against
// what the clients were told: every acknowledged creation is there, in
// its place, with the values of its last acknowledged write (or of a
// later write that got no answer); a creation that got no answer may be
// there; nothing else is. Each account's sequence numbers are distinct.
func checkLoad(t *testing.T, dbURL string, tokens []string, clients []*loadClient) {
	t.Helper()
	states, err := synctest.ReadAccounts(context.Background(), dbURL, tokens...)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[uuid.UUID]map[string]protocol.ProductState{} // by freezer, then name
	var problems []string
	total := 0
	for i, st := range states {
		for j := 1; j < len(st.Seqs); j++ {
			if st.Seqs[j] <= st.Seqs[j-1] {
				problems = append(problems, fmt.Sprintf("account %d: seq %d after seq %d in pull order", i, st.Seqs[j], st.Seqs[j-1]))
			}
		}
		for _, s := range st.Products {
			f := s.Product.Location.FreezerID
			if stored[f] == nil {
				stored[f] = map[string]protocol.ProductState{}
			}
			if _, dup := stored[f][s.Product.Name]; dup {
				problems = append(problems, fmt.Sprintf("two products named %s", s.Product.Name))
			}
			stored[f][s.Product.Name] = s
			total++
		}
	}
	ackedCreates, maybeCreates := 0, 0
	for _, c := range clients {
		present := stored[c.freezer]
		delete(stored, c.freezer)
		for _, p := range c.products {
			if p.acked {
				ackedCreates++
			} else {
				maybeCreates++
			}
			s, ok := present[p.name]
			delete(present, p.name)
			problems = append(problems, p.check(s, ok, c.freezer)...)
		}
		for name := range present {
			problems = append(problems, fmt.Sprintf("client %d: %s is in the database but no write of it was sent", c.id, name))
		}
	}
	for f, ps := range stored {
		problems = append(problems, fmt.Sprintf("%d products in freezer %s, which no client made", len(ps), f))
	}
	if total < ackedCreates || total > ackedCreates+maybeCreates {
		problems = append(problems, fmt.Sprintf("%d products in the database, want the %d acknowledged creations (plus up to %d that got no answer)",
			total, ackedCreates, maybeCreates))
	}
	t.Logf("the database holds %d products: %d acknowledged creations, %d that got no answer", total, ackedCreates, maybeCreates)
	if len(problems) > 0 {
		t.Errorf("%d problems in the database after the burst; the first ones:\n  %s", len(problems),
			strings.Join(problems[:min(len(problems), 20)], "\n  "))
	}
}

// check compares p with its stored state s (ok: it is stored).
func (p *loadProduct) check(s protocol.ProductState, ok bool, freezer uuid.UUID) []string {
	switch {
	case !ok && p.acked:
		return []string{fmt.Sprintf("%s: its creation through %s was acknowledged, and it is not in the database", p.name, p.via)}
	case !ok:
		return nil
	case !p.acked && len(p.maybe) == 0:
		return []string{fmt.Sprintf("%s: its creation through %s was refused, and it is in the database", p.name, p.via)}
	}
	var out []string
	got := loadValue{s.Product.Quantity, s.Product.Description}
	if got != p.value && !slices.Contains(p.maybe, got) || !p.acked && !slices.Contains(p.maybe, got) {
		out = append(out, fmt.Sprintf("%s: quantity %d, description %q; the last acknowledged write (through %s) set %d, %q (%d unanswered since)",
			p.name, got.quantity, got.descr, p.via, p.value.quantity, p.value.descr, len(p.maybe)))
	}
	if want := (domain.Location{FreezerID: freezer, Box: p.box, Slot: p.slot}); s.Product.Location != want {
		out = append(out, fmt.Sprintf("%s: at %v, want %v", p.name, s.Product.Location, want))
	}
	if p.id != uuid.Nil && s.Product.ID != p.id {
		out = append(out, fmt.Sprintf("%s: id %s, want %s", p.name, s.Product.ID, p.id))
	}
	if s.Product.Deleted || !s.Product.Inside() {
		out = append(out, fmt.Sprintf("%s: deleted %t, taken out %s; no write did either", p.name, s.Product.Deleted, s.Product.DateOut))
	}
	return out
}
