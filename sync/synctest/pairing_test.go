package synctest_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"freezer/domain"
	"freezer/sync/client"
	"freezer/sync/synctest"
)

// TestPairRevokeAndRemovedDevice: a signed-in device makes a pairing
// code; a new device redeems it (typed in lower case, without its dash)
// for a token of its own and syncs the household with it; the code works
// once. Revoked from the first device, the new one's next sync fails with
// the words of a removed device, through the syncer's status too, and its
// local data (an unsent change included) stays.
func TestPairRevokeAndRemovedDevice(t *testing.T) {
	ctx := context.Background()
	srv, err := synctest.NewRealServer(t, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	a := synctest.NewDevice(t, "a", ts.URL, srv.AuthToken(), 0)
	f := mustFreezer(t, a.DB, "garage", 4)
	if _, err := a.DB.AddProduct(ctx, domain.Product{Name: "Soupe de Noël", TypeID: 1, PeriodMonths: 6, Quantity: 4,
		Location: domain.Location{FreezerID: f.ID, Box: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	pc, err := client.NewPairingCode(ctx, nil, ts.URL, srv.AuthToken())
	if err != nil {
		t.Fatalf("NewPairingCode() error = %v", err)
	}
	if !strings.HasSuffix(pc.Link, "/pair/"+pc.Code) || len(pc.Code) != 9 || pc.Code[4] != '-' {
		t.Fatalf("pairing code = %+v, want ABCD-EFGH and its link", pc)
	}
	server, code, err := client.ParsePairLink(pc.Link)
	if err != nil || server != ts.URL || code != pc.Code {
		t.Fatalf("ParsePairLink(%q) = %q, %q, %v; want %q, %q", pc.Link, server, code, err, ts.URL, pc.Code)
	}
	typed := strings.ToLower(strings.ReplaceAll(pc.Code, "-", ""))
	token, err := client.Pair(ctx, nil, ts.URL, typed, "Kitchen tablet", "1.2.3")
	if err != nil {
		t.Fatalf("Pair() error = %v", err)
	}
	if token == srv.AuthToken() || len(token) != 64 {
		t.Fatalf("Pair() token = %q, want a new token of its own", token)
	}
	_, err = client.Pair(ctx, nil, ts.URL, pc.Code, "Second tablet", "")
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Kind != client.KindPairCode {
		t.Fatalf("Pair() with a used code = %v, want kind %s", err, client.KindPairCode)
	}

	b := synctest.NewDevice(t, "b", ts.URL, token, 0)
	if _, err := b.Sync(ctx); err != nil {
		t.Fatalf("new device's sync: %v", err)
	}
	wantA, _ := a.Dump()
	if gotB, _ := b.Dump(); gotB != wantA {
		t.Fatalf("new device after sync:\n%s\nwant:\n%s", gotB, wantA)
	}

	devs, err := client.Devices(ctx, nil, ts.URL, srv.AuthToken())
	if err != nil || len(devs) != 2 {
		t.Fatalf("Devices() = %+v, %v; want 2 devices", devs, err)
	}
	tablet := devs[1]
	if !devs[0].Current || tablet.Current || tablet.Name != "Kitchen tablet" || tablet.AppVersion != "1.2.3" || tablet.LastSync.IsZero() {
		t.Fatalf("Devices() = %+v, want the first current and the synced Kitchen tablet", devs)
	}
	if err := client.RevokeDevice(ctx, nil, ts.URL, srv.AuthToken(), tablet.ID); err != nil {
		t.Fatalf("RevokeDevice() error = %v", err)
	}

	// The removed device edits offline, then syncs.
	if _, err := b.DB.CreateFreezer(ctx, "cave", 2); err != nil {
		t.Fatal(err)
	}
	before, _ := b.Dump()
	syncer, err := client.NewSyncer(b.DB, client.Config{Server: ts.URL, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	_, err = syncer.SyncNow(ctx)
	if !errors.Is(err, client.ErrDeviceRemoved) {
		t.Fatalf("sync of a removed device = %v, want ErrDeviceRemoved", err)
	}
	st := syncer.Status()
	if st.ErrorKind != client.KindRemoved || !strings.Contains(st.Error, "removed from the household") || !strings.Contains(st.Error, "Join a household") {
		t.Fatalf("status of a removed device = %q (%s), want the removed-device words", st.Error, st.ErrorKind)
	}
	if after, _ := b.Dump(); after != before || !strings.Contains(after, "cave") || !strings.Contains(after, "Soupe de Noël") {
		t.Fatalf("removed device's data changed:\n%s\nwant:\n%s", after, before)
	}
	if n, err := b.DB.PendingCount(ctx); err != nil || n != 1 {
		t.Fatalf("removed device's pending changes = %d, %v; want 1 kept", n, err)
	}
	if _, err := a.Sync(ctx); err != nil {
		t.Fatalf("the first device still syncs: %v", err)
	}
}
