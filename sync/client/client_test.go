package client_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
	"freezer/sync/protocol"
)

const token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func mustOpenDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "device.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fakeServer asserts every request's method, path, auth, version and
// encoding, and answers with the functions set by the test.
type fakeServer struct {
	t        *testing.T
	mu       sync.Mutex
	pushes   []protocol.PushRequest
	pulls    []string // raw queries
	onPush   func(protocol.PushRequest) (int, any, http.Header)
	onPull   func(q map[string]string) (int, any)
	requests atomic.Int32
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	t := f.t
	if got := r.Header.Get("Authorization"); got != "Bearer "+token {
		t.Errorf("%s %s: Authorization = %q, want the bearer token", r.Method, r.URL.Path, got)
	}
	if got := r.Header.Get(protocol.VersionHeader); got != strconv.Itoa(protocol.Version) {
		t.Errorf("%s: %s = %q, want %d", r.URL.Path, protocol.VersionHeader, got, protocol.Version)
	}
	if got := r.Header.Get("Accept-Encoding"); got != "gzip" {
		t.Errorf("%s: Accept-Encoding = %q, want gzip", r.URL.Path, got)
	}
	reply := func(status int, v any, h http.Header) {
		for k, vs := range h {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw := gzip.NewWriter(w)
		_ = json.NewEncoder(zw).Encode(v)
		_ = zw.Close()
	}
	switch r.URL.Path {
	case protocol.PushPath:
		if r.Method != http.MethodPost {
			t.Errorf("push method = %s, want POST", r.Method)
		}
		if r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("push headers: Content-Encoding %q, Content-Type %q; want gzip JSON",
				r.Header.Get("Content-Encoding"), r.Header.Get("Content-Type"))
		}
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
		if req.Version != protocol.Version || len(req.Mutations) == 0 || len(req.Mutations) > protocol.MaxPushBatch {
			t.Errorf("push: version %d with %d mutations", req.Version, len(req.Mutations))
		}
		f.mu.Lock()
		f.pushes = append(f.pushes, req)
		f.mu.Unlock()
		status, v, h := f.onPush(req)
		reply(status, v, h)
	case protocol.PullPath:
		if r.Method != http.MethodGet {
			t.Errorf("pull method = %s, want GET", r.Method)
		}
		q := map[string]string{}
		for k := range r.URL.Query() {
			q[k] = r.URL.Query().Get(k)
		}
		f.mu.Lock()
		f.pulls = append(f.pulls, r.URL.RawQuery)
		f.mu.Unlock()
		status, v := f.onPull(q)
		reply(status, v, nil)
	default:
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	}
}

func applyAll(req protocol.PushRequest) (int, any, http.Header) {
	resp := protocol.PushResponse{Version: 1, ServerTime: time.Now().UTC(), Epoch: "e1"}
	for _, m := range req.Mutations {
		resp.Results = append(resp.Results, protocol.Result{ID: m.ID, Status: protocol.StatusApplied})
	}
	return http.StatusOK, resp, nil
}

func emptyPull(map[string]string) (int, any) {
	return http.StatusOK, protocol.PullResponse{Version: 1, ServerTime: time.Now().UTC(), Epoch: "e1", TypesTag: "t"}
}

func newFake(t *testing.T) (*fakeServer, string) {
	f := &fakeServer{t: t, onPush: applyAll, onPull: emptyPull}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	return f, ts.URL
}

func TestPushSendsTheOutboxInBatchesWithPerFieldStamps(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	fr, err := db.CreateFreezer(ctx, "garage", 2)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if _, err := db.AddProduct(ctx, domain.Product{Name: "soup", TypeID: 1, PeriodMonths: 3,
			Location: domain.Location{FreezerID: fr.ID, Box: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token, PushBatch: 2})
	rep, err := c.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pushed != 5 || rep.Pending != 0 || len(f.pushes) != 3 {
		t.Fatalf("pushed %d in %d requests, %d pending; want 5 in 3, 0", rep.Pushed, len(f.pushes), rep.Pending)
	}
	m := f.pushes[1].Mutations[0]
	if m.Entity != domain.EntityProduct || m.Op != domain.OpCreate || len(m.Fields) != len(domain.ProductFields) {
		t.Fatalf("second push's first mutation = %+v, want a full product create", m)
	}
	for name := range m.Fields {
		if m.StampOf(name).IsZero() {
			t.Fatalf("field %s has no stamp", name)
		}
	}
	if f.pushes[0].Device != db.DeviceID() || f.pushes[0].Epoch != "" {
		t.Fatalf("first push: device %q epoch %q; want %q and no epoch", f.pushes[0].Device, f.pushes[0].Epoch, db.DeviceID())
	}
	st, _ := db.SyncState(ctx)
	if st.Epoch != "e1" || st.LastSuccess.IsZero() {
		t.Fatalf("sync state after a round: %+v", st)
	}
}

func TestOnlyExplicitResultsAcknowledge(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	if _, err := db.CreateFreezer(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFreezer(ctx, "b", 1); err != nil {
		t.Fatal(err)
	}
	// The server answers only the first mutation, then fails.
	f.onPush = func(req protocol.PushRequest) (int, any, http.Header) {
		return http.StatusOK, protocol.PushResponse{Version: 1, Epoch: "e1", ServerTime: time.Now(),
			Results: []protocol.Result{{ID: req.Mutations[0].ID, Status: protocol.StatusRejected, Reason: "no"}}}, nil
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token, PushBatch: 10})
	f.onPush = onceThen(f.onPush, func(protocol.PushRequest) (int, any, http.Header) {
		return http.StatusInternalServerError, protocol.ErrorResponse{Code: "internal", Detail: "boom"}, nil
	})
	rep, err := c.Sync(ctx, nil)
	if err == nil {
		t.Fatalf("sync with a failing server succeeded")
	}
	if n, _ := db.PendingCount(ctx); n != 1 {
		t.Fatalf("pending = %d, want 1 (the rejected one left, the unanswered one stays)", n)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].Reason != "no" {
		t.Fatalf("rejected = %+v", rep.Rejected)
	}
	var e *client.Error
	if !errors.As(err, &e) || e.Status != 500 || domain.ErrorCode(err) != domain.EUnavailable {
		t.Fatalf("error = %#v, want an unavailable *client.Error with status 500", err)
	}
}

func onceThen(first, then func(protocol.PushRequest) (int, any, http.Header)) func(protocol.PushRequest) (int, any, http.Header) {
	var n atomic.Int32
	return func(r protocol.PushRequest) (int, any, http.Header) {
		if n.Add(1) == 1 {
			return first(r)
		}
		return then(r)
	}
}

func TestPullPagesMoveTheCursorAndTypes(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	fid := domain.NewID()
	stamp := domain.Timestamp{Wall: time.Now().UnixMilli(), Node: "other"}
	stamps := func(fields []string) protocol.Stamps {
		s := protocol.Stamps{}
		for _, f := range fields {
			s[f] = stamp
		}
		return s
	}
	types := append(domain.DefaultProductTypes(), domain.ProductType{ID: 44, NameEN: "kimchi", NameFR: "kimchi"})
	f.onPull = func(q map[string]string) (int, any) {
		resp := protocol.PullResponse{Version: 1, ServerTime: time.Now(), Epoch: "e1", TypesTag: "tag2"}
		if q[protocol.QueryTypes] != "tag2" {
			resp.Types = types
		}
		switch q[protocol.QueryCursor] {
		case "0":
			fr := protocol.FreezerState{Freezer: domain.Freezer{ID: fid, Name: "garage", Boxes: 3}, Stamps: stamps(domain.FreezerFields)}
			resp.Changes = []protocol.Change{protocol.FreezerChange(fr, 7)}
			resp.Cursor, resp.More = 7, true
		case "7":
			p := protocol.ProductState{Product: domain.Product{ID: domain.NewID(), Name: "kimchi", TypeID: 44, Quantity: 1,
				PeriodMonths: 3, DateIn: domain.NewDate(2026, 1, 2), Location: domain.Location{FreezerID: fid, Box: 1, Slot: 1}},
				Stamps: stamps(domain.ProductFields)}
			resp.Changes = []protocol.Change{protocol.ProductChange(p, 9)}
			resp.Cursor = 9
		default:
			resp.Cursor, _ = strconv.ParseInt(q[protocol.QueryCursor], 10, 64)
		}
		if q[protocol.QueryLimit] != strconv.Itoa(protocol.MaxPullPage) {
			t.Errorf("limit = %q, want %d", q[protocol.QueryLimit], protocol.MaxPullPage)
		}
		return http.StatusOK, resp
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token})
	rep, err := c.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pulled != 2 || rep.Changed != 2 {
		t.Fatalf("pulled %d, changed %d; want 2 and 2", rep.Pulled, rep.Changed)
	}
	st, _ := db.SyncState(ctx)
	if st.Cursor != 9 || st.TypesTag != "tag2" {
		t.Fatalf("state = %+v, want cursor 9 and types tag2", st)
	}
	got, _ := db.ProductTypes(ctx)
	if len(got) != 44 {
		t.Fatalf("%d product types, want 44", len(got))
	}
	rows, _ := db.FindProducts(ctx, storage.ProductFilter{})
	if len(rows) != 1 || rows[0].Name != "kimchi" || rows[0].FreezerName != "garage" {
		t.Fatalf("products = %+v", rows)
	}
	// The next round asks from cursor 9 with the known types tag.
	if _, err := c.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if last := f.pulls[len(f.pulls)-1]; last != "cursor=9&limit=1000&types=tag2" {
		t.Fatalf("next pull query = %q", last)
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	if _, err := db.CreateFreezer(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token})
	f.onPush = func(protocol.PushRequest) (int, any, http.Header) {
		return http.StatusTooManyRequests, protocol.ErrorResponse{Code: "rate_limited"}, http.Header{"Retry-After": {"7"}}
	}
	_, err := c.Sync(ctx, nil)
	var e *client.Error
	if !errors.As(err, &e) || e.Code != domain.ERateLimited || e.RetryAfter != 7*time.Second {
		t.Fatalf("429: error = %#v, want rate limited with Retry-After 7s", err)
	}
	f.onPush = func(protocol.PushRequest) (int, any, http.Header) {
		return http.StatusUnauthorized, protocol.ErrorResponse{Code: "unauthorized"}, nil
	}
	if _, err = c.Sync(ctx, nil); domain.ErrorCode(err) != domain.EUnauthorized || domain.ErrorMessage(err) == "" {
		t.Fatalf("401: error = %v", err)
	}
	off := client.NewClient(db, client.Config{Server: "http://127.0.0.1:1", Token: token})
	_, err = off.Sync(ctx, nil)
	if !client.Offline(err) {
		t.Fatalf("unreachable server: error = %v, want offline", err)
	}
}

func TestClockOffsetFromServerTime(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	ahead := 3 * time.Hour
	f.onPull = func(map[string]string) (int, any) {
		return http.StatusOK, protocol.PullResponse{Version: 1, ServerTime: time.Now().Add(ahead), Epoch: "e1"}
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token})
	if _, err := c.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if d := db.ClockOffset() - ahead; d > time.Second || d < -time.Second {
		t.Fatalf("clock offset = %v, want about %v", db.ClockOffset(), ahead)
	}
}

func TestEpochChangeRestartsWithFullState(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	if _, err := db.CreateFreezer(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token})
	if _, err := c.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFreezer(ctx, "b", 1); err != nil {
		t.Fatal(err)
	}
	// The server was restored: a push with the old epoch applies nothing.
	f.onPush = func(req protocol.PushRequest) (int, any, http.Header) {
		if req.Epoch == "e1" {
			return http.StatusOK, protocol.PushResponse{Version: 1, Epoch: "e2", ServerTime: time.Now()}, nil
		}
		st, _, _ := applyAll(req)
		resp := protocol.PushResponse{Version: 1, Epoch: "e2", ServerTime: time.Now()}
		for _, m := range req.Mutations {
			resp.Results = append(resp.Results, protocol.Result{ID: m.ID, Status: protocol.StatusApplied})
		}
		return st, resp, nil
	}
	f.onPull = func(map[string]string) (int, any) {
		return http.StatusOK, protocol.PullResponse{Version: 1, ServerTime: time.Now(), Epoch: "e2"}
	}
	rep, err := c.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.EpochReset || rep.Pushed != 2 {
		t.Fatalf("report = %+v, want an epoch reset pushing both freezers", rep)
	}
	last := f.pushes[len(f.pushes)-1]
	if last.Epoch != "e2" || len(last.Mutations) != 2 || last.Mutations[0].Op != domain.OpCreate {
		t.Fatalf("re-push = %+v", last)
	}
}

func TestSyncerPublishesStateAndBacksOff(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	var fails atomic.Int32
	fails.Store(2)
	f.onPull = func(q map[string]string) (int, any) {
		if fails.Add(-1) >= 0 {
			return http.StatusServiceUnavailable, protocol.ErrorResponse{Code: "unavailable"}
		}
		return emptyPull(q)
	}
	s, err := client.NewSyncer(db, client.Config{Server: url, Token: token, Schedule: "@every 1h",
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Debounce: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	states := make(chan client.Status, 100)
	unsub := s.Subscribe(func(st client.Status) {
		select {
		case states <- st:
		default:
		}
	})
	defer unsub()
	s.Start(ctx)
	defer s.Close()
	seen := map[client.State]bool{}
	deadline := time.After(5 * time.Second)
	for !(seen[client.StateError] && seen[client.StateIdle] && !s.Status().LastSuccess.IsZero()) {
		select {
		case st := <-states:
			seen[st.State] = true
			if st.State == client.StateError && st.Error == "" {
				t.Fatalf("error state without a message")
			}
		case <-deadline:
			t.Fatalf("syncer never recovered: saw %v, status %v", seen, s.Status())
		}
	}
	// A local change leads to a push after the debounce.
	if _, err := db.CreateFreezer(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	s.Changed()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n, _ := db.PendingCount(ctx); n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("local change never pushed")
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSyncerRejectsABadSchedule(t *testing.T) {
	if _, err := client.NewSyncer(mustOpenDB(t), client.Config{Schedule: "every tuesday"}); domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("NewSyncer(bad schedule) = %v, want invalid", err)
	}
}

func TestLogin(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != protocol.LoginPath {
			t.Errorf("login request %s %s", r.Method, r.URL.Path)
		}
		var c protocol.Credentials
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &c)
		if c.Email != "ann@example.org" || c.Password != "secret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(protocol.TokenResponse{Token: token})
	}))
	defer ts.Close()
	got, err := client.Login(context.Background(), nil, ts.URL, "ann@example.org", "secret")
	if err != nil || got != token {
		t.Fatalf("Login = %q, %v", got, err)
	}
	if _, err := client.Login(context.Background(), nil, ts.URL, "ann@example.org", "wrong"); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Fatalf("Login(wrong password) = %v, want unauthorized", err)
	}
}

func TestPushHalvesBatchesTheServerFindsTooLarge(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	f, url := newFake(t)
	for i := range 5 {
		if _, err := db.CreateFreezer(ctx, "f"+strconv.Itoa(i), 1); err != nil {
			t.Fatal(err)
		}
	}
	f.onPush = func(req protocol.PushRequest) (int, any, http.Header) {
		if len(req.Mutations) > 2 {
			return http.StatusRequestEntityTooLarge, protocol.ErrorResponse{Code: "too_large"}, nil
		}
		return applyAll(req)
	}
	c := client.NewClient(db, client.Config{Server: url, Token: token, PushBatch: 8})
	rep, err := c.Sync(ctx, nil)
	if err != nil || rep.Pushed != 5 {
		t.Fatalf("Sync = %+v, %v; want 5 pushed in smaller batches", rep, err)
	}
}
