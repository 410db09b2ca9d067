package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/sync/protocol"
)

// TestSyncProtocolVersions: the server serves every version from
// protocol.MinVersion to protocol.Version; an older app is told in words
// to update (426, protocol.CodeUpdate), a newer one that the server needs
// an update.
func TestSyncProtocolVersions(t *testing.T) {
	e := newEnv(t)
	ts := domain.Timestamp{Wall: e.clock.Now().Add(time.Second).UnixMilli(), Node: "dev1"}.String()
	push := func(v int) string {
		return `{"version": ` + strconv.Itoa(v) + `, "device": "dev1", "mutations": [{"id": "m` + strconv.Itoa(v) + `", "entity": "product", "entity_id": "` +
			e.aProducts[0].ID.String() + `", "op": "update", "fields": {"quantity": 3}, "stamp": "` + ts + `"}]}`
	}
	header := func(v string) http.Header { return http.Header{protocol.VersionHeader: {v}} }
	for v := protocol.MinVersion; v <= protocol.Version; v++ {
		w := e.do(t, request{method: "POST", path: protocol.PushPath, body: push(v), bearer: e.a, header: header(strconv.Itoa(v))})
		if got := decode[protocol.PushResponse](t, w); w.Code != 200 || got.Version != v || len(got.Results) != 1 {
			t.Errorf("push of version %d = %d %s, want 200 answered in version %d", v, w.Code, w.Body, v)
		}
		w = e.do(t, request{method: "GET", path: protocol.PullPath + "?cursor=0", bearer: e.a, header: header(strconv.Itoa(v))})
		if got := decode[protocol.PullResponse](t, w); w.Code != 200 || got.Version != v || len(got.Changes) == 0 {
			t.Errorf("pull of version %d = %d, version %d, %d changes", v, w.Code, got.Version, len(got.Changes))
		}
	}
	old := strconv.Itoa(protocol.MinVersion - 1)
	for _, req := range []request{
		{method: "POST", path: protocol.PushPath, body: push(protocol.MinVersion - 1), bearer: e.a},
		{method: "POST", path: protocol.PushPath, body: push(protocol.Version), bearer: e.a, header: header(old)},
		{method: "GET", path: protocol.PullPath, bearer: e.a, header: header(old)},
	} {
		w := e.do(t, req)
		p := decode[protocol.ErrorResponse](t, w)
		if w.Code != http.StatusUpgradeRequired || p.Code != protocol.CodeUpdate || !strings.Contains(p.Detail, "update the app") {
			t.Errorf("%s %s of version %s = %d %+v, want 426 %s telling to update the app", req.method, req.path, old, w.Code, p, protocol.CodeUpdate)
		}
	}
	for _, c := range []struct {
		name string
		req  request
	}{
		{"newer push", request{method: "POST", path: protocol.PushPath, body: push(protocol.Version + 1), bearer: e.a}},
		{"newer pull", request{method: "GET", path: protocol.PullPath, bearer: e.a, header: header(strconv.Itoa(protocol.Version + 1))}},
		{"version not a number", request{method: "GET", path: protocol.PullPath, bearer: e.a, header: header("two")}},
		{"bad skip", request{method: "GET", path: protocol.PullPath + "?skip=3-1", bearer: e.a}},
	} {
		if w := e.do(t, c.req); w.Code != http.StatusBadRequest {
			t.Errorf("%s = %d %s, want 400", c.name, w.Code, w.Body)
		}
	}
}

// TestSyncOwnWriteSkipped: a write onto a state within the push's cursor is
// answered with its seq, and a pull naming it leaves the product out; a
// write onto a state the device had not pulled has no seq (it must come
// back).
func TestSyncOwnWriteSkipped(t *testing.T) {
	e := newEnv(t)
	pull := func(query string) protocol.PullResponse {
		t.Helper()
		w := e.do(t, request{method: "GET", path: protocol.PullPath + "?cursor=0" + query, bearer: e.a})
		if w.Code != 200 {
			t.Fatalf("pull%s = %d %s", query, w.Code, w.Body)
		}
		return decode[protocol.PullResponse](t, w)
	}
	first := pull("")
	w := e.do(t, request{method: "POST", path: protocol.PushPath, bearer: e.a, body: `{"version": 2, "device": "dev1", "epoch": "` + first.Epoch +
		`", "cursor": ` + strconv.FormatInt(first.Cursor, 10) + `, "mutations": [` + mutation(e, 0, "m1") + `]}`})
	own := decode[protocol.PushResponse](t, w).Results
	if w.Code != 200 || len(own) != 1 || own[0].Status != protocol.StatusApplied || own[0].Seq <= first.Cursor {
		t.Fatalf("push within the cursor = %d %s, want applied with a seq after %d", w.Code, w.Body, first.Cursor)
	}
	w = e.do(t, request{method: "POST", path: protocol.PushPath, bearer: e.a, body: `{"version": 2, "device": "dev2", "epoch": "` + first.Epoch +
		`", "cursor": 0, "mutations": [` + mutation(e, 1, "m2") + `]}`})
	if res := decode[protocol.PushResponse](t, w).Results; w.Code != 200 || len(res) != 1 || res[0].Seq != 0 {
		t.Fatalf("push onto a state the device had not pulled = %d %s, want no seq", w.Code, w.Body)
	}
	all := pull("")
	skipped := pull("&skip=" + protocol.FormatSkip([]int64{own[0].Seq}, 0))
	has := func(p protocol.PullResponse, i int) bool {
		for _, c := range p.Changes {
			if c.ID == e.aProducts[i].ID {
				return true
			}
		}
		return false
	}
	if !has(all, 0) || !has(all, 1) {
		t.Fatalf("pull without skip lacks the written products")
	}
	if has(skipped, 0) || !has(skipped, 1) || len(skipped.Changes) != len(all.Changes)-1 || skipped.Cursor != all.Cursor {
		t.Fatalf("pull skipping seq %d: %d changes (of %d), cursor %d (want %d), own product sent %t",
			own[0].Seq, len(skipped.Changes), len(all.Changes), skipped.Cursor, all.Cursor, has(skipped, 0))
	}
}

// mutation is a quantity change of e's product i, stamped after the setup.
func mutation(e *env, i int, id string) string {
	ts := domain.Timestamp{Wall: e.clock.Now().Add(time.Second).UnixMilli(), Node: "dev1"}.String()
	return `{"id": "` + id + `", "entity": "product", "entity_id": "` + e.aProducts[i].ID.String() +
		`", "op": "update", "fields": {"quantity": 7}, "stamp": "` + ts + `"}`
}
