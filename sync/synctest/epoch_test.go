package synctest_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/sync/client"
	"freezer/sync/protocol"
	"freezer/sync/synctest"
)

// epochSecondInstance opens a second freezerd handler over the database of
// srv, as a second freezerd process on the same file would be.
func epochSecondInstance(t *testing.T, srv *synctest.RealServer) (*sqlstore.DB, http.Handler) {
	t.Helper()
	store, err := sqlstore.Open(context.Background(), srv.Path(), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store, server.New(server.Config{Store: store, Logger: slog.New(slog.DiscardHandler),
		Limits: server.Limits{Disabled: true}, BcryptCost: 4})
}

// epochSync runs one round of d and fails when it reconciled.
func epochSync(t *testing.T, d *synctest.Device, what string) client.Report {
	t.Helper()
	rep, err := d.Sync(context.Background())
	if err != nil {
		t.Fatalf("%s: sync %s: %v", what, d.Name, err)
	}
	return rep
}

// epochConverged checks that every device holds the server's inventory.
func epochConverged(t *testing.T, srv *synctest.RealServer, devices ...*synctest.Device) {
	t.Helper()
	want := synctest.DumpStates(srv.Freezers(), srv.Products())
	for _, d := range devices {
		got, err := d.Dump()
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("device %s differs from the server:\n%s\nserver:\n%s", d.Name, got, want)
		}
	}
	if lost := srv.LostWrites(); len(lost) > 0 {
		t.Fatalf("acknowledged writes lost: %v", lost)
	}
}

// TestEpochSameForEveryInstanceAndRestart: two freezerd instances on one
// database file behind a round-robin balancer, and a restart of one, all
// answer the same epoch: the devices never reconcile, and converge.
func TestEpochSameForEveryInstanceAndRestart(t *testing.T) {
	srv, err := synctest.NewRealServer(t, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	second, other := epochSecondInstance(t, srv)
	var n atomic.Int64
	balancer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			other.ServeHTTP(w, r)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(balancer.Close)
	a := synctest.NewDevice(t, "a", balancer.URL, srv.AuthToken(), 0)
	b := synctest.NewDevice(t, "b", balancer.URL, srv.AuthToken(), 0)
	f := mustFreezer(t, a.DB, "garage", 4)
	mustProduct(t, a.DB, "soup", f.ID, 1, 1)
	epochSync(t, a, "first round")
	epochSync(t, b, "first round")
	for round := range 4 {
		if round == 2 {
			if err := srv.Reboot(); err != nil {
				t.Fatal(err)
			}
		}
		mustProduct(t, b.DB, "cake", f.ID, 2, round+1)
		for _, d := range []*synctest.Device{a, b} {
			if rep := epochSync(t, d, "later round"); rep.EpochReset {
				t.Fatalf("round %d: device %s reconciled: the epoch changed", round, d.Name)
			}
		}
	}
	epochSync(t, a, "last round")
	epochConverged(t, srv, a, b)
	e1, err := srv.Store().Epoch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e2, err := second.Epoch(context.Background())
	if err != nil || e1 != e2 {
		t.Fatalf("instances answer epochs %q and %q (%v), want one", e1, e2, err)
	}
	st, err := a.DB.SyncState(context.Background())
	if err != nil || st.Epoch != e1 {
		t.Fatalf("device a knows epoch %q (%v), the server's is %q", st.Epoch, err, e1)
	}
}

// TestEpochRestoreDoneDeviceSendsAgain follows README.md's restore: a
// device syncs, the database is copied (the backup), the device syncs more
// changes, the backup is put back and restore-done runs. The device's next
// round notices the new epoch and sends again what the backup lacks: the
// server and the device converge and no acknowledged write is lost.
func TestEpochRestoreDoneDeviceSendsAgain(t *testing.T) {
	ctx := context.Background()
	srv, err := synctest.NewRealServer(t, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	a := synctest.NewDevice(t, "a", ts.URL, srv.AuthToken(), 0)
	f := mustFreezer(t, a.DB, "garage", 4)
	mustProduct(t, a.DB, "soup", f.ID, 1, 1)
	epochSync(t, a, "before the backup")
	before, err := srv.Store().Epoch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Backup(); err != nil {
		t.Fatal(err)
	}
	cake := mustProduct(t, a.DB, "cake", f.ID, 1, 2)
	if rep := epochSync(t, a, "after the backup"); rep.Pushed == 0 || rep.EpochReset {
		t.Fatalf("sync after the backup = %+v, want the cake pushed under the same epoch", rep)
	}
	if err := srv.RestoreBackup(); err != nil { // the file put back, then restore-done
		t.Fatal(err)
	}
	after, err := srv.Store().Epoch(ctx)
	if err != nil || after == before {
		t.Fatalf("epoch after restore-done = %q (%v), before %q: want a new one", after, err, before)
	}
	if slices.ContainsFunc(srv.Products(), func(p protocol.ProductState) bool { return p.Product.ID == cake.ID }) {
		t.Fatalf("the restored server still has the cake: the backup was not put back")
	}
	rep := epochSync(t, a, "after the restore")
	if !rep.EpochReset {
		t.Fatalf("the device did not notice the restore: %+v", rep)
	}
	epochSync(t, a, "after the reconciliation")
	if !slices.ContainsFunc(srv.Products(), func(p protocol.ProductState) bool { return p.Product.ID == cake.ID }) {
		t.Fatalf("the device did not send the cake again")
	}
	epochConverged(t, srv, a)
}
