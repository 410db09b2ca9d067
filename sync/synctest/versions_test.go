package synctest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// olderApp is an http.RoundTripper that makes a device speak an older
// protocol version, as an app of that release would: the version header
// and the push body's version say it, and what the older version lacks is
// not sent (no pull skip, no push cursor). Answers are passed through: an
// older app ignores the fields it does not know, as encoding/json does.
type olderApp struct {
	base    http.RoundTripper
	version int
	seen    []int // the version of every answer read, for the test
}

func (o *olderApp) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(protocol.VersionHeader, strconv.Itoa(o.version))
	q := r.URL.Query()
	q.Del(protocol.QuerySkip)
	r.URL.RawQuery = q.Encode()
	if r.URL.Path == protocol.PushPath && r.Body != nil {
		body, err := o.downgradePush(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	}
	resp, err := o.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
		if plain, err := io.ReadAll(zr); err == nil {
			raw = plain
		}
	}
	var v struct{ Version int }
	if json.Unmarshal(raw, &v) == nil {
		o.seen = append(o.seen, v.Version)
	}
	return resp, nil
}

// downgradePush rewrites a gzipped push body in the older version's shape.
func (o *olderApp) downgradePush(body io.ReadCloser) ([]byte, error) {
	defer body.Close()
	zr, err := gzip.NewReader(body)
	if err != nil {
		return nil, err
	}
	var req map[string]json.RawMessage
	if err := json.NewDecoder(zr).Decode(&req); err != nil {
		return nil, err
	}
	req["version"] = json.RawMessage(strconv.Itoa(o.version))
	delete(req, "cursor")
	if o.version < 3 {
		// Before version 3 a product has no deleted field: the older app
		// never sends it.
		var ms []protocol.Mutation
		if err := json.Unmarshal(req["mutations"], &ms); err != nil {
			return nil, err
		}
		for i := range ms {
			if ms[i].Entity == domain.EntityProduct {
				delete(ms[i].Fields, domain.FieldDeleted)
				delete(ms[i].Stamps, domain.FieldDeleted)
			}
		}
		b, err := json.Marshal(ms)
		if err != nil {
			return nil, err
		}
		req["mutations"] = b
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(req); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func speak(d *synctest.Device, version int) *olderApp {
	o := &olderApp{base: d.Faults.Base, version: version}
	d.Faults.Base = o
	return o
}

// TestPreviousVersionIsServed: a device of the previous release (protocol
// version 1) syncs against today's server with a device of today's: both
// push and pull, concurrent edits merge, and they converge. The old device
// pulls its own changes back, as it always did.
func TestPreviousVersionIsServed(t *testing.T) { forEachBackend(t, testPreviousVersionIsServed) }

func testPreviousVersionIsServed(t *testing.T) {
	if protocol.MinVersion > 1 || protocol.Version < 2 {
		t.Skip("version 1 is no longer served")
	}
	c := newCluster(t, 0, 0)
	old, cur := c.devices[0], c.devices[1]
	v1 := speak(old, 1)
	ctx := context.Background()
	f := mustFreezer(t, old.DB, "garage", 4)
	p := mustProduct(t, old.DB, "soup", f.ID, 1, 1)
	rep, err := old.Sync(ctx)
	if err != nil {
		t.Fatalf("sync of the version 1 device: %v", err)
	}
	if rep.Pushed != 2 || rep.Pulled != 2 {
		t.Fatalf("version 1 device: pushed %d, pulled %d; want 2 and its 2 back", rep.Pushed, rep.Pulled)
	}
	c.sync(cur)
	q := 4
	if _, err := old.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: &q}); err != nil {
		t.Fatal(err)
	}
	if _, err := cur.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Name: ptr("soupe")}); err != nil {
		t.Fatal(err)
	}
	// Both put a product in box 2 slot 1: the older device's comes second
	// and is moved by the server.
	mustProduct(t, cur.DB, "peas", f.ID, 2, 1)
	cake := mustProduct(t, old.DB, "cake", f.ID, 2, 1)
	c.sync(cur)
	c.converge()
	if got := product(t, old.DB, cake.ID); got.Location.Slot == 1 {
		t.Fatalf("version 1 device's cake still in slot 1, want it moved")
	}
	c.wantSameStamps()
	if got := product(t, old.DB, p.ID); got.Name != "soupe" || got.Quantity != 4 {
		t.Fatalf("version 1 device's soup = %q x%d, want \"soupe\" x4", got.Name, got.Quantity)
	}
	for _, v := range v1.seen {
		if v != 1 {
			t.Fatalf("the server answered the version 1 device in version %d", v)
		}
	}
}

// TestTooOldDeviceIsToldToUpdate: a device older than the oldest version
// the server serves is told in words to update the app; its changes stay
// queued, and go once it speaks a served version.
func TestTooOldDeviceIsToldToUpdate(t *testing.T) { forEachBackend(t, testTooOldDeviceIsToldToUpdate) }

func testTooOldDeviceIsToldToUpdate(t *testing.T) {
	c := newCluster(t, 0, 0)
	d := c.devices[0]
	speak(d, protocol.MinVersion-1)
	ctx := context.Background()
	f := mustFreezer(t, d.DB, "garage", 4)
	mustProduct(t, d.DB, "soup", f.ID, 1, 1)
	mustProduct(t, d.DB, "peas", f.ID, 1, 2)
	_, err := d.Sync(ctx)
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Kind != client.KindUpdate || !strings.Contains(ce.Message, "update the app") {
		t.Fatalf("sync of a too old device = %v, want a %q error telling to update the app", err, client.KindUpdate)
	}
	if n, err := d.DB.PendingCount(ctx); err != nil || n != 3 {
		t.Fatalf("outbox after the refusal = %d (%v), want the 3 changes kept", n, err)
	}
	d.Faults.Base = http.DefaultTransport // the app was updated
	c.converge()
	if n, err := d.DB.PendingCount(ctx); err != nil || n != 0 {
		t.Fatalf("outbox after the update = %d (%v), want empty", n, err)
	}
	if got := len(c.srv.Products()); got != 2 {
		t.Fatalf("server holds %d products, want the 2 queued", got)
	}
}
