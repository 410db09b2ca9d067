package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/sync/protocol"
)

func gz(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.String()
}

func TestSyncRoutes(t *testing.T) {
	e := newEnv(t)
	ts := domain.Timestamp{Wall: e.clock.Now().Add(time.Second).UnixMilli(), Node: "dev1"}.String() // after the setup's stamps
	push := `{"version": 1, "device": "dev1", "mutations": [{"id": "m1", "entity": "product", "entity_id": "` + e.aProducts[0].ID.String() +
		`", "op": "update", "fields": {"name": "renamed"}, "stamp": "` + ts + `"}]}`
	t.Run("plain push, then the same push gzipped is a duplicate", func(t *testing.T) {
		w := e.do(t, request{method: "POST", path: protocol.PushPath, body: push, bearer: e.a})
		if w.Code != 200 {
			t.Fatalf("push = %d %s", w.Code, w.Body)
		}
		got := decode[protocol.PushResponse](t, w)
		if len(got.Results) != 1 || got.Results[0].Status != protocol.StatusApplied || got.Epoch == "" || got.ServerTime.IsZero() {
			t.Fatalf("push = %+v", got)
		}
		w = e.do(t, request{method: "POST", path: protocol.PushPath, body: gz(t, push), bearer: e.a,
			header: http.Header{"Content-Encoding": {"gzip"}, "Accept-Encoding": {"gzip"}}})
		// An answer this small is sent as it is: gzip would make it longer.
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "" {
			t.Fatalf("gzip push = %d, Content-Encoding %q; want a plain answer", w.Code, w.Header().Get("Content-Encoding"))
		}
		b := w.Body.Bytes()
		var again protocol.PushResponse
		if err := json.Unmarshal(b, &again); err != nil || again.Results[0].Status != protocol.StatusDuplicate {
			t.Fatalf("repeat = %s, %v", b, err)
		}
	})
	t.Run("a large answer is gzipped for a client that accepts it", func(t *testing.T) {
		for range 2 { // the pooled gzip writer serves twice
			w := e.do(t, request{method: "GET", path: protocol.PullPath + "?cursor=0", bearer: e.a, header: http.Header{"Accept-Encoding": {"gzip"}}})
			if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("full pull = %d, Content-Encoding %q; want gzip", w.Code, w.Header().Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			var page protocol.PullResponse
			if err := json.Unmarshal(b, &page); err != nil || len(page.Changes) < 5 {
				t.Fatalf("gzipped pull = %d changes, %v", len(page.Changes), err)
			}
		}
	})
	t.Run("pull pages in change order and reads the push", func(t *testing.T) {
		w := e.do(t, request{method: "GET", path: protocol.PullPath + "?cursor=0&limit=5", bearer: e.a})
		page := decode[protocol.PullResponse](t, w)
		if w.Code != 200 || len(page.Changes) != 5 || !page.More || page.Cursor != page.Changes[4].Seq || len(page.Types) != 43 {
			t.Fatalf("first page = %d, %d changes, more %t, cursor %d, %d types", w.Code, len(page.Changes), page.More, page.Cursor, len(page.Types))
		}
		var last protocol.Change
		for cursor := int64(0); ; {
			w := e.do(t, request{method: "GET", path: protocol.PullPath + "?cursor=" + strconv.FormatInt(cursor, 10) + "&types=" + page.TypesTag, bearer: e.a})
			p := decode[protocol.PullResponse](t, w)
			if p.Types != nil {
				t.Fatalf("types sent again with a matching tag")
			}
			for _, c := range p.Changes {
				if c.Seq <= cursor {
					t.Fatalf("seq %d after cursor %d", c.Seq, cursor)
				}
				last = c
			}
			cursor = p.Cursor
			if !p.More {
				break
			}
		}
		if last.ID != e.aProducts[0].ID || string(last.Fields["name"]) != `"renamed"` {
			t.Fatalf("last change = %s %s, want the renamed product", last.ID, last.Fields["name"])
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for _, c := range []struct {
			name string
			req  request
			want int
		}{
			{"no token", request{method: "POST", path: protocol.PushPath, body: push}, 401},
			{"bad version", request{method: "POST", path: protocol.PushPath, body: strings.Replace(push, `"version": 1`, `"version": 9`, 1), bearer: e.a}, 400},
			{"no device", request{method: "POST", path: protocol.PushPath, body: strings.Replace(push, `"dev1"`, `""`, 1), bearer: e.a}, 400},
			{"not gzip", request{method: "POST", path: protocol.PushPath, body: push, bearer: e.a, header: http.Header{"Content-Encoding": {"gzip"}}}, 400},
			{"not JSON", request{method: "POST", path: protocol.PushPath, body: push, ctype: "text/plain", bearer: e.a}, 415},
			{"bad cursor", request{method: "GET", path: protocol.PullPath + "?cursor=x", bearer: e.a}, 400},
			{"too many", request{method: "POST", path: protocol.PushPath, body: `{"version": 1, "device": "d", "mutations": [` +
				strings.Repeat(`{"id": "x"},`, 500) + `{"id": "y"}]}`, bearer: e.a}, 413},
		} {
			if w := e.do(t, c.req); w.Code != c.want {
				t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.want)
			}
		}
	})
}
