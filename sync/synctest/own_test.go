package synctest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// pullRecorder is an http.RoundTripper that keeps the body of every pull
// answer as it came on the wire, and decoded.
type pullRecorder struct {
	base http.RoundTripper

	mu    sync.Mutex
	wire  [][]byte // as received (gzip)
	pages []protocol.PullResponse
	raw   [][]byte // decompressed JSON
}

func (p *pullRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := p.base.RoundTrip(r)
	if err != nil || r.URL.Path != protocol.PullPath || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	wire, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(wire))
	raw := wire
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var page protocol.PullResponse
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wire, p.raw, p.pages = append(p.wire, wire), append(p.raw, raw), append(p.pages, page)
	return resp, nil
}

// take returns the pull answers recorded since the last take.
func (p *pullRecorder) take() (pages []protocol.PullResponse, raw [][]byte, wire int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.wire {
		wire += len(w)
	}
	pages, raw = p.pages, p.raw
	p.pages, p.raw, p.wire = nil, nil, nil
	return pages, raw, wire
}

func record(d *synctest.Device) *pullRecorder {
	rec := &pullRecorder{base: d.Faults.Base}
	d.Faults.Base = rec
	return rec
}

// wantNotPulled fails when a recorded pull answer names one of ids
// anywhere in its bytes.
func wantNotPulled(t *testing.T, who string, raw [][]byte, ids []uuid.UUID) {
	t.Helper()
	for i := range raw {
		for _, id := range ids {
			if bytes.Contains(raw[i], []byte(id.String())) {
				t.Errorf("%s: pull answer %d carries its own change %s: %s", who, i, id, raw[i])
			}
		}
	}
}

// wantSameStamps fails when a device holds another stamp than the
// server's for a field: the pulls a device skipped must leave it with the
// server's stamps too, or later merges would part.
func (c *cluster) wantSameStamps() {
	c.t.Helper()
	ctx := context.Background()
	check := func(entity string, id uuid.UUID, fields []string, want protocol.Stamps) {
		for _, d := range c.devices {
			got, err := d.DB.EntityStamps(ctx, entity, id)
			if err != nil {
				c.t.Fatalf("%s: stamps of %s %s: %v", d.Name, entity, id, err)
			}
			for _, f := range fields {
				if f == domain.FieldDeleted && (want[f].IsZero() || got[f].IsZero()) {
					// Version 3's field: a device of an older version neither
					// sends nor receives it (protocol.ChangesFor).
					continue
				}
				if got[f] != want[f] {
					c.t.Errorf("%s: %s %s field %s stamped %s, the server %s", d.Name, entity, id, f, got[f], want[f])
				}
			}
		}
	}
	for _, f := range c.srv.Freezers() {
		check(domain.EntityFreezer, f.Freezer.ID, domain.FreezerFields, f.Stamps)
	}
	for _, p := range c.srv.Products() {
		check(domain.EntityProduct, p.Product.ID, domain.ProductFields, p.Stamps)
	}
}

func pulledIDs(pages []protocol.PullResponse) map[uuid.UUID]bool {
	out := map[uuid.UUID]bool{}
	for _, p := range pages {
		for _, c := range p.Changes {
			out[c.ID] = true
		}
	}
	return out
}

// TestOwnChangesDoNotComeBack: a device that pushes 14 changes pulls none
// of them back: the pull answer after the push holds no change and not one
// byte naming them. Another device gets them all; what it changes comes
// back to the first, and only that; both converge with the server.
func TestOwnChangesDoNotComeBack(t *testing.T) { forEachBackend(t, testOwnChangesDoNotComeBack) }

func testOwnChangesDoNotComeBack(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	recA, recB := record(a), record(b)
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	ids := []uuid.UUID{f.ID}
	for i := range 13 {
		ids = append(ids, mustProduct(t, a.DB, "soup", f.ID, 1+i%4, 1+i/4).ID)
	}
	rep, err := a.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pushed != 14 || rep.Applied != 14 || rep.Pulled != 0 {
		t.Fatalf("first sync of a: pushed %d (%d applied), pulled %d; want 14, 14 and 0", rep.Pushed, rep.Applied, rep.Pulled)
	}
	pages, raw, wire := recA.take()
	if len(pages) != 1 || len(pages[0].Changes) != 0 || pages[0].More {
		t.Fatalf("a's pull after its push: %d pages, first %s; want one page with no change", len(pages), raw)
	}
	wantNotPulled(t, "a", raw, ids)
	t.Logf("a's pull after pushing 14 changes: %d bytes on the wire (%d bytes of JSON, the product types of a first sync)", wire, len(raw[0]))

	// b pulls all 14; each device then changes a product: each pulls the
	// other's change, never its own.
	c.sync(b)
	if pages, _, _ := recB.take(); len(pulledIDs(pages)) != 14 {
		t.Fatalf("b pulled %d entities, want the 14 of a", len(pulledIDs(pages)))
	}
	q := 5
	if _, err := a.DB.UpdateProduct(ctx, ids[1], storage.ProductUpdate{Quantity: &q}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DB.UpdateProduct(ctx, ids[2], storage.ProductUpdate{Name: ptr("peas")}); err != nil {
		t.Fatal(err)
	}
	c.sync(b)
	if pages, raw, _ := recB.take(); len(pulledIDs(pages)) != 0 {
		t.Fatalf("b pulled back its own change: %s", raw)
	}
	c.sync(a)
	pages, raw, _ = recA.take()
	if got := pulledIDs(pages); len(got) != 1 || !got[ids[2]] {
		t.Fatalf("a pulled %v, want only b's change of %s", got, ids[2])
	}
	wantNotPulled(t, "a", raw, ids[1:2])
	c.converge()
	c.wantSameStamps()
}

// TestServerAlteredChangesComeBack: a change the server did not keep as
// sent comes back to its device: a product moved to settle a slot
// collision, and a change merged into a state the device had not pulled
// (another device's rename it had not seen yet).
func TestServerAlteredChangesComeBack(t *testing.T) {
	forEachBackend(t, testServerAlteredChangesComeBack)
}

func testServerAlteredChangesComeBack(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	recA, recB := record(a), record(b)
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 4)
	soup := mustProduct(t, a.DB, "soup", f.ID, 1, 1)
	c.converge()
	recA.take()
	recB.take()

	// b's peas collide with a's cake in box 2 slot 1; a pushes first.
	mustProduct(t, a.DB, "cake", f.ID, 2, 1)
	peas := mustProduct(t, b.DB, "peas", f.ID, 2, 1)
	// a renames the soup; b, not knowing, changes its quantity.
	if _, err := a.DB.UpdateProduct(ctx, soup.ID, storage.ProductUpdate{Name: ptr("soup!")}); err != nil {
		t.Fatal(err)
	}
	q := 3
	if _, err := b.DB.UpdateProduct(ctx, soup.ID, storage.ProductUpdate{Quantity: &q}); err != nil {
		t.Fatal(err)
	}
	c.sync(a)
	c.sync(b)
	pages, _, _ := recB.take()
	got := pulledIDs(pages)
	if !got[peas.ID] || !got[soup.ID] {
		t.Fatalf("b pulled %v; want its moved peas %s and the soup %s merged with a's rename", got, peas.ID, soup.ID)
	}
	if p := product(t, b.DB, peas.ID); p.Location.Slot == 1 {
		t.Fatalf("b's peas still in slot 1 after the pull")
	}
	if p := product(t, b.DB, soup.ID); p.Name != "soup!" || p.Quantity != 3 {
		t.Fatalf("b's soup = %q x%d, want \"soup!\" x3", p.Name, p.Quantity)
	}
	c.converge()
	c.wantSameStamps()
}
