package synctest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// barcodeServer is what the barcode tests read of a backend (both have it).
type barcodeServer interface {
	Barcodes() []protocol.BarcodeState
	LostBarcodeWrites() []string
}

const (
	peasEAN  = "5410041001204"
	friesEAN = "4006381333931"
	colaUPC  = "036000291452" // stored as its EAN-13, 0036000291452
)

func remember(t *testing.T, d *synctest.Device, code, name string, typeID, months int) {
	t.Helper()
	if _, _, err := d.DB.RememberBarcode(context.Background(), domain.Barcode{Code: code, Name: name, TypeID: typeID, PeriodMonths: months}); err != nil {
		t.Fatalf("%s: RememberBarcode(%s) = %v", d.Name, code, err)
	}
}

func findBarcode(t *testing.T, d *synctest.Device, code string) domain.Barcode {
	t.Helper()
	b, err := d.DB.FindBarcode(context.Background(), code)
	if err != nil {
		t.Fatalf("%s: FindBarcode(%s) = %v", d.Name, code, err)
	}
	return b
}

// convergeBarcodes syncs like converge and checks that every device holds
// the server's barcodes, and that the server lost no acknowledged write.
func (c *cluster) convergeBarcodes() string {
	c.t.Helper()
	c.converge()
	srv := c.srv.(barcodeServer)
	var onServer []domain.Barcode
	for _, s := range srv.Barcodes() {
		onServer = append(onServer, s.Barcode)
	}
	want := synctest.DumpBarcodes(onServer)
	for _, d := range c.devices {
		all, err := d.DB.Barcodes(context.Background())
		if err != nil {
			c.t.Fatal(err)
		}
		if got := synctest.DumpBarcodes(all); got != want {
			c.t.Fatalf("device %s's barcodes differ from the server's:\n%s\nserver:\n%s", d.Name, got, want)
		}
		for _, s := range srv.Barcodes() {
			stamps, err := d.DB.EntityStamps(context.Background(), domain.EntityBarcode, domain.BarcodeID(s.Barcode.Code))
			if err != nil {
				c.t.Fatal(err)
			}
			for f, ts := range s.Stamps {
				if stamps[f] != ts {
					c.t.Fatalf("device %s: barcode %s field %s stamped %s, server %s", d.Name, s.Barcode.Code, f, stamps[f], ts)
				}
			}
		}
	}
	if lost := srv.LostBarcodeWrites(); len(lost) > 0 {
		c.t.Fatalf("acknowledged barcode writes lost:\n%s", strings.Join(lost, "\n"))
	}
	return want
}

// TestBarcodesConverge: two devices remember barcodes offline, one of them
// the same barcode with other values; after syncing in either order they
// hold one row per barcode, the same everywhere, field by field the later
// write's. Concurrent edits of different fields both survive; a device
// that pulls one change per page gets them all; after a server restore,
// the barcodes it lost come back.
func TestBarcodesConverge(t *testing.T) { forEachBackend(t, testBarcodesConverge) }

func testBarcodesConverge(t *testing.T) {
	for _, bFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("b first %t", bFirst), func(t *testing.T) {
			c := newCluster(t, 0, 2*time.Second)
			a, b := c.devices[0], c.devices[1]
			remember(t, a, peasEAN, "Petits pois", 12, 8)
			remember(t, a, colaUPC, "Cola", 43, 3)
			remember(t, b, peasEAN, "Pois fins", 11, 6) // later: b's clock runs 2 s ahead
			remember(t, b, friesEAN, "Frites", 20, 6)
			if bFirst {
				c.sync(b)
			}
			c.convergeBarcodes()
			if got, want := findBarcode(t, a, peasEAN), (domain.Barcode{Code: peasEAN, Name: "Pois fins", TypeID: 11, PeriodMonths: 6}); got != want {
				t.Fatalf("a's peas = %+v, want b's later write %+v", got, want)
			}
			if n := len(c.srv.(barcodeServer).Barcodes()); n != 3 {
				t.Fatalf("server holds %d barcodes, want 3 (one per code)", n)
			}
			if got := findBarcode(t, b, colaUPC); got.Code != "0"+colaUPC || got.Name != "Cola" {
				t.Fatalf("b's cola = %+v, want a's, under its EAN-13", got)
			}

			// Concurrent edits of different fields both survive.
			remember(t, a, peasEAN, "Pois fins", 11, 10)
			remember(t, b, peasEAN, "Pois extra-fins", 11, 6)
			c.convergeBarcodes()
			if got, want := findBarcode(t, b, peasEAN), (domain.Barcode{Code: peasEAN, Name: "Pois extra-fins", TypeID: 11, PeriodMonths: 10}); got != want {
				t.Fatalf("after concurrent edits: %+v, want %+v", got, want)
			}
		})
	}
}

// TestBarcodesPagedAndRestored: a device pulling one change per page gets
// every barcode; a server restored from a backup gets back, from the
// device, the barcodes remembered after the backup.
func TestBarcodesPagedAndRestored(t *testing.T) { forEachBackend(t, testBarcodesPagedAndRestored) }

func testBarcodesPagedAndRestored(t *testing.T) {
	c := newCluster(t, 0, 0)
	a, b := c.devices[0], c.devices[1]
	b.SetSizes(2, 1)
	f := mustFreezer(t, a.DB, "garage", 2)
	mustProduct(t, a.DB, "soupe", f.ID, 1, 1)
	remember(t, a, peasEAN, "Petits pois", 12, 8)
	c.sync(a)
	if err := c.srv.Backup(); err != nil {
		t.Fatal(err)
	}
	remember(t, a, friesEAN, "Frites", 20, 6)
	remember(t, a, peasEAN, "Petits pois", 12, 9)
	remember(t, a, colaUPC, "Cola", 43, 3)
	c.convergeBarcodes()
	if err := c.srv.RestoreBackup(); err != nil {
		t.Fatal(err)
	}
	// The restored server lacks the fries, the cola and the new period:
	// the devices reconcile and send them again.
	dump := c.convergeBarcodes()
	for _, want := range []string{`B 4006381333931 "Frites" type=20 period=6`, `B 5410041001204 "Petits pois" type=12 period=9`, `B 0036000291452 "Cola"`} {
		if !strings.Contains(dump, want) {
			t.Fatalf("after the restore the server holds:\n%s\nwant %s", dump, want)
		}
	}
}

// TestBarcodesOlderDevice: a device of the previous release (protocol
// version 3, which knows no barcodes) keeps syncing against today's server
// while another device remembers barcodes: it is sent none, its product
// edits merge, and the barcodes stay intact on the server. Once updated,
// its store's migration starts its cursor over and it pulls them.
func TestBarcodesOlderDevice(t *testing.T) { forEachBackend(t, testBarcodesOlderDevice) }

func testBarcodesOlderDevice(t *testing.T) {
	c := newCluster(t, 0, 0)
	old, cur := c.devices[0], c.devices[1]
	v3 := speak(old, 3)
	ctx := context.Background()
	f := mustFreezer(t, cur.DB, "garage", 4)
	p := mustProduct(t, cur.DB, "soupe", f.ID, 1, 1)
	remember(t, cur, peasEAN, "Petits pois", 12, 8)
	remember(t, cur, colaUPC, "Cola", 43, 3)
	c.sync(cur)
	rep, err := old.Sync(ctx)
	if err != nil {
		t.Fatalf("version 3 device: sync = %v", err)
	}
	if rep.Pulled != 2 {
		t.Fatalf("version 3 device pulled %d changes, want the freezer and the product only", rep.Pulled)
	}
	if all, _ := old.DB.Barcodes(ctx); len(all) != 0 {
		t.Fatalf("version 3 device got barcodes: %+v", all)
	}
	if _, err := old.DB.UpdateProduct(ctx, p.ID, storage.ProductUpdate{Quantity: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	mustProduct(t, old.DB, "peas", f.ID, 2, 1)
	if _, err := old.Sync(ctx); err != nil {
		t.Fatalf("version 3 device: sync of its edits = %v", err)
	}
	remember(t, cur, peasEAN, "Petits pois", 12, 9)
	c.sync(cur)
	if _, err := old.Sync(ctx); err != nil {
		t.Fatalf("version 3 device: sync after a barcode change = %v", err)
	}
	for _, v := range v3.seen {
		if v != 3 {
			t.Fatalf("the server answered the version 3 device in version %d", v)
		}
	}
	if got := product(t, cur.DB, p.ID); got.Quantity != 3 {
		t.Fatalf("the version 3 device's edit did not reach the other device: quantity %d", got.Quantity)
	}
	srvBarcodes := c.srv.(barcodeServer).Barcodes()
	if len(srvBarcodes) != 2 {
		t.Fatalf("server holds %d barcodes after the older device's syncs, want 2", len(srvBarcodes))
	}

	// The app is updated: its store goes from migration 8 to 9 (here: 9
	// is undone and runs again), which starts the pull cursor over.
	old.Faults.Base = http.DefaultTransport
	undoMigration9(t, old)
	if err := old.Restart(); err != nil {
		t.Fatal(err)
	}
	c.convergeBarcodes()
	if got := findBarcode(t, old, peasEAN); got.PeriodMonths != 9 || got.Name != "Petits pois" {
		t.Fatalf("updated device's peas = %+v, want the latest period 9", got)
	}
}

// undoMigration9 puts a device's store back to migration 8 (no barcodes
// table), as the store of the previous release is.
func undoMigration9(t *testing.T, d *synctest.Device) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+d.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`DROP TABLE barcodes`, `DELETE FROM schema_migrations WHERE version = 9`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// olderServer answers like freezerd of the previous release (protocol 1
// to 3), which serves no newer device: 400, with the sentence telling the
// server needs an update. Everything else goes to the real server.
type olderServer struct {
	base    http.Handler
	updated atomic.Bool // freezerd was updated: everything goes to base
	refused atomic.Int32
}

func (o *olderServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, _ := strconv.Atoi(r.Header.Get(protocol.VersionHeader))
	if !o.updated.Load() && v > 3 && (r.URL.Path == protocol.PushPath || r.URL.Path == protocol.PullPath) {
		o.refused.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"code":"invalid","detail":"This app is newer than this server (it speaks sync protocol %d; the server, 1 to 3): the server needs an update; tell its administrator."}`, v)
		return
	}
	o.base.ServeHTTP(w, r)
}

// TestBarcodesNewDeviceOlderServer: today's device against a server of
// the previous release is refused before anything is applied, with the
// server's sentence; it keeps every queued change (its barcodes too) and
// sends them once the server is updated (docs/SYNC.md: update freezerd
// before the apps).
func TestBarcodesNewDeviceOlderServer(t *testing.T) {
	srv, err := synctest.NewRealServer(t, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	old := &olderServer{base: srv}
	ts := httptest.NewServer(old)
	t.Cleanup(ts.Close)
	a := synctest.NewDevice(t, "a", ts.URL, srv.AuthToken(), 0)
	b := synctest.NewDevice(t, "b", ts.URL, srv.AuthToken(), 0)
	ctx := context.Background()
	f := mustFreezer(t, a.DB, "garage", 2)
	mustProduct(t, a.DB, "soupe", f.ID, 1, 1)
	remember(t, a, peasEAN, "Petits pois", 12, 8)
	_, err = a.Sync(ctx)
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Kind != client.KindRefused || !strings.Contains(ce.Message, "the server needs an update") {
		t.Fatalf("sync against the older server = %v, want the server's refusal saying it needs an update", err)
	}
	if n, _ := a.DB.PendingCount(ctx); n != 3 || old.refused.Load() == 0 {
		t.Fatalf("outbox after the refusal = %d (refused %d requests), want the 3 changes kept", n, old.refused.Load())
	}
	if got := srv.Barcodes(); len(got) != 0 {
		t.Fatalf("the older server stored %d barcodes", len(got))
	}
	old.updated.Store(true)
	for _, d := range []*synctest.Device{a, b, a, b} {
		if _, err := d.Sync(ctx); err != nil {
			t.Fatalf("sync %s after the server's update: %v", d.Name, err)
		}
	}
	if n, _ := a.DB.PendingCount(ctx); n != 0 {
		t.Fatalf("outbox after the server's update = %d, want empty", n)
	}
	if got, want := findBarcode(t, b, peasEAN), (domain.Barcode{Code: peasEAN, Name: "Petits pois", TypeID: 12, PeriodMonths: 8}); got != want {
		t.Fatalf("b's peas = %+v, want %+v", got, want)
	}
}
