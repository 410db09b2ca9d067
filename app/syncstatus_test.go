package app_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/app"
	"freezer/domain"
	"freezer/sync/client"
	"freezer/sync/protocol"
	"freezer/sync/tokens"
	"freezer/ui"
)

// TestSyncNoticesFollowRenames has the server move one product and refuse
// another, then renames both on the device: the next status names them as
// they are called now. The local write alone brings that status (the
// syncer refreshes its pending count), before any round.
func TestSyncNoticesFollowRenames(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	inv := app.New(db)
	f, err := inv.CreateFreezer(ctx, "Garage", 2)
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string) domain.Product {
		t.Helper()
		p, err := inv.AddProduct(ctx, domain.Product{Name: name, TypeID: 43, Quantity: 1,
			Location: domain.Location{FreezerID: f.ID, Box: 1}, DateIn: inv.Today(), PeriodMonths: 6})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	peas, soup := add("Peas"), add("Soup")
	moved := domain.Location{FreezerID: f.ID, Box: 1, Slot: 5}
	ts := httptest.NewServer(noticeServer(t, map[uuid.UUID]protocol.Result{
		peas.ID: {Status: protocol.StatusMoved, Location: &moved},
		soup.ID: {Status: protocol.StatusRejected, Code: string(domain.EConflict), Reason: "Not today."},
	}))
	t.Cleanup(ts.Close)

	if err := db.SetSyncServer(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	store := tokens.FileStore{Dir: t.TempDir()}
	if err := store.SetToken(tokens.Key(ts.URL, db.DeviceID()), "device-token"); err != nil {
		t.Fatal(err)
	}
	s, err := app.NewSync(ctx, db, app.SyncOptions{Tokens: func() tokens.Store { return store },
		Config: client.Config{HTTPClient: ts.Client(), Debounce: time.Hour}}) // no round after the renames
	if err != nil {
		t.Fatal(err)
	}
	inv.OnWrite = s.Changed
	news := make(chan struct{}, 1)
	s.Subscribe(func(ui.SyncStatus) {
		select {
		case news <- struct{}{}:
		default:
		}
	})
	s.Start(ctx)
	t.Cleanup(func() { s.Close() })

	wait := func(move, refused string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			st := s.Status()
			if len(st.Moves) == 1 && st.Moves[0].Name == move && len(st.Rejected) == 1 && st.Rejected[0].What == refused {
				return
			}
			select {
			case <-news:
			case <-deadline:
				t.Fatalf("timed out waiting for %q moved and %q refused; status moves %+v, refused %+v",
					move, refused, st.Moves, st.Rejected)
			}
		}
	}
	wait("Peas", "product Soup")
	for id, name := range map[uuid.UUID]string{peas.ID: "Garden peas", soup.ID: "Leek soup"} {
		if _, err := inv.UpdateProduct(ctx, id, ui.ProductUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
	}
	wait("Garden peas", "product Leek soup")
}

// noticeServer is a sync server that answers each pushed mutation of the
// products in results with that result (the mutation's id set), applies
// every other one, and has nothing to pull but the products it moved (at
// their new location, flagged).
func noticeServer(t *testing.T, results map[uuid.UUID]protocol.Result) http.HandlerFunc {
	var mu sync.Mutex
	var changes []protocol.Change
	movedTo := func(m protocol.Mutation, loc domain.Location) {
		mu.Lock()
		defer mu.Unlock()
		ps := protocol.ProductState{Product: domain.Product{ID: m.EntityID}, Stamps: protocol.Stamps{}}
		for f, raw := range m.Fields {
			if err := domain.SetProductField(&ps.Product, f, raw); err != nil {
				t.Errorf("pushed field %s: %v", f, err)
			}
			ps.Stamps[f] = m.StampOf(f)
		}
		ps.Relabel = domain.RelabelOf(ps.Product.Location, ps.Stamps[domain.FieldLocation])
		ps.Product.Location = loc
		ps.Stamps[domain.FieldLocation] = ps.Stamps[domain.FieldLocation].Repair()
		ps.Stamps[domain.FieldRelabel] = ps.Stamps[domain.FieldLocation]
		changes = append(changes, protocol.ProductChange(ps, int64(len(changes)+1)))
	}
	pulled := func(cursor string) protocol.PullResponse {
		mu.Lock()
		defer mu.Unlock()
		from, _ := strconv.ParseInt(cursor, 10, 64)
		resp := protocol.PullResponse{Version: protocol.Version, ServerTime: time.Now().UTC(), Epoch: "e1", TypesTag: "t",
			Cursor: int64(len(changes))}
		if int(from) < len(changes) {
			resp.Changes = changes[from:]
		}
		return resp
	}
	return func(w http.ResponseWriter, r *http.Request) {
		var resp any
		switch r.URL.Path {
		case protocol.PushPath:
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Errorf("push body is not gzip: %v", err)
				return
			}
			var req protocol.PushRequest
			if err := json.NewDecoder(zr).Decode(&req); err != nil {
				t.Errorf("push body: %v", err)
				return
			}
			push := protocol.PushResponse{Version: protocol.Version, ServerTime: time.Now().UTC(), Epoch: "e1"}
			for _, m := range req.Mutations {
				res, ok := results[m.EntityID]
				if !ok || m.Op != domain.OpCreate {
					res = protocol.Result{Status: protocol.StatusApplied}
				}
				res.ID = m.ID
				push.Results = append(push.Results, res)
				if res.Status == protocol.StatusMoved {
					movedTo(m, *res.Location)
				}
			}
			resp = push
		case protocol.PullPath:
			resp = pulled(r.URL.Query().Get(protocol.QueryCursor))
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(resp); err != nil {
			t.Errorf("write the answer: %v", err)
		}
	}
}
