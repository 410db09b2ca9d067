package synctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/protocol"
)

// Device is a device store with its syncer client, its own clock skew and
// a fault-injecting transport.
type Device struct {
	Name   string
	DB     *storage.DB
	Client *client.Client
	Faults *FaultTransport

	dir, url, token string
	// pushBatch and pullPage size the client's batches and pages (0: the
	// client's defaults); SetSizes changes them.
	pushBatch, pullPage int
	crash               crashState

	mu   sync.Mutex
	skew time.Duration
}

// NewDevice opens a store in a temporary folder of t and a client for the
// server at url. The device's clock runs skew ahead of the real one (behind
// when negative).
func NewDevice(t testing.TB, name, url, token string, skew time.Duration) *Device {
	t.Helper()
	d, err := OpenDevice(t.TempDir(), name, url, token, skew)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.DB.Close() })
	return d
}

// OpenDevice opens a device store in dir; the caller closes d.DB.
func OpenDevice(dir, name, url, token string, skew time.Duration) (*Device, error) {
	d := &Device{Name: name, skew: skew, dir: dir, url: url, token: token}
	if err := d.open(); err != nil {
		return nil, err
	}
	if err := d.DB.SetSyncServer(context.Background(), url); err != nil {
		d.DB.Close()
		return nil, fmt.Errorf("set server of %s: %w", name, err)
	}
	return d, nil
}

func (d *Device) open() error {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(d.dir, d.Name+".db"))
	if err != nil {
		return fmt.Errorf("open device %s: %w", d.Name, err)
	}
	db.Now = d.Now
	d.DB = db
	if d.Faults == nil {
		d.Faults = &FaultTransport{Base: http.DefaultTransport}
	}
	d.newClient()
	return nil
}

// newClient makes the device's client over its store (through crashStore,
// which plays the planned crash).
func (d *Device) newClient() {
	d.Client = client.NewClient(crashStore{d.DB, d}, client.Config{Server: d.url, Token: d.token, Now: d.Now,
		HTTPClient: &http.Client{Transport: d.Faults}, Timeout: 10 * time.Second,
		PushBatch: d.pushBatch, PullPage: d.pullPage})
}

// SetSizes sets the most mutations a push batch carries and the most
// changes a pull page holds (small sizes make every round page), and
// makes the device's client again with them.
func (d *Device) SetSizes(pushBatch, pullPage int) {
	d.pushBatch, d.pullPage = pushBatch, pullPage
	d.newClient()
}

// Restart closes the device's store and opens it again, as a restart of
// the app would: only what is on disk remains.
func (d *Device) Restart() error {
	if err := d.DB.Close(); err != nil {
		return err
	}
	return d.open()
}

// Now is the device's clock.
func (d *Device) Now() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return time.Now().Add(d.skew)
}

// SetSkew changes the device's clock skew (a clock jump).
func (d *Device) SetSkew(skew time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.skew = skew
}

// Sync runs one round.
func (d *Device) Sync(ctx context.Context) (client.Report, error) {
	return d.Client.Sync(ctx, nil)
}

// Dump returns a canonical text of the device's inventory: every freezer
// (deleted ones too) and product, sorted by id, one per line.
func (d *Device) Dump() (string, error) {
	var buf bytes.Buffer
	if err := d.DB.Export(context.Background(), &buf, storage.FormatJSON, nil); err != nil {
		return "", fmt.Errorf("export %s: %w", d.Name, err)
	}
	var doc domain.ExportDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return "", fmt.Errorf("read export of %s: %w", d.Name, err)
	}
	var lines []string
	for _, x := range doc.Freezers {
		lines = append(lines, freezerLine(x.ID, x.Name, x.Boxes, x.Deleted))
	}
	for _, x := range doc.Products {
		lines = append(lines, productLine(x.ID, x.Name, x.Description, x.TypeID, x.FreezerID, x.Box, x.Slot, x.Quantity, x.DateIn, x.PeriodMonths, x.DateOut, x.Outcome))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n"), nil
}

func freezerLine(id, name string, boxes int, deleted bool) string {
	return fmt.Sprintf("F %s %q boxes=%d deleted=%t", id, name, boxes, deleted)
}

func productLine(id, name, descr string, typeID int, freezer string, box, slot, qty int, in string, period int, out, outcome string) string {
	return fmt.Sprintf("P %s %q %q type=%d at=%s/%d/%d qty=%d in=%s period=%d out=%s %s",
		id, name, descr, typeID, freezer, box, slot, qty, in, period, out, outcome)
}

// DumpStates returns the canonical text of a server's state, in the form of
// Device.Dump: deleted products are left out, as a device's export leaves
// them out (the tests of product deletion check the tombstones).
func DumpStates(freezers []protocol.FreezerState, products []protocol.ProductState) string {
	var lines []string
	for _, f := range freezers {
		lines = append(lines, freezerLine(f.Freezer.ID.String(), f.Freezer.Name, f.Freezer.Boxes, f.Freezer.Deleted))
	}
	for _, s := range products {
		p := s.Product
		if p.Deleted {
			continue
		}
		lines = append(lines, productLine(p.ID.String(), p.Name, p.Description, p.TypeID, p.Location.FreezerID.String(),
			p.Location.Box, p.Location.Slot, p.Quantity, p.DateIn.String(), p.PeriodMonths, p.DateOut.String(), string(p.Outcome)))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// SlotViolations returns the products inside that share a slot with
// another, as text ("" when none).
func SlotViolations(products []protocol.ProductState) string {
	seen := map[domain.Location]string{}
	var out []string
	for _, s := range products {
		p := s.Product
		if !p.Inside() {
			continue
		}
		if other, ok := seen[p.Location]; ok {
			out = append(out, fmt.Sprintf("%s and %s share %v", other, p.ID, p.Location))
		}
		seen[p.Location] = p.ID.String()
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}
