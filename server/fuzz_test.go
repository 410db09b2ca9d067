package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fuzzRoutes are the compat routes whose requests the fuzz target builds;
// {SEG} takes the fuzzed path segment.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/freezers/{A}"},
	{"PUT", "/freezers/{A}"},
	{"DELETE", "/freezers/{A}"},
	{"POST", "/add_product/{A}"},
	{"POST", "/update_product/1/1/{SEG}/1/{A}"},
	{"POST", "/update_product/1/1/4/{SEG}/{A}"},
	{"GET", "/get_product/{SEG}/0/{A}"},
	{"GET", "/freezer_next_id/{SEG}/{A}"},
	{"GET", "/check_token/{SEG}"},
}

// FuzzCompatRequests sends arbitrary bodies, content types and path
// segments to the compat routes: no input may answer 500 or panic, and
// every error must be the original's {"status", "details"} object.
// Seeded from the table tests.
func FuzzCompatRequests(f *testing.F) {
	for _, tc := range compatCases() {
		if tc.req.body == "" {
			continue
		}
		first := "/" + strings.Split(tc.req.path, "/")[1] + "/"
		for i, r := range fuzzRoutes {
			if r.method == tc.req.method && strings.HasPrefix(r.path, first) {
				seg := "4"
				if parts := strings.Split(tc.req.path, "/"); len(parts) > 5 {
					seg = parts[3]
				}
				f.Add(uint8(i), seg, tc.req.body, tc.req.ctype)
				break
			}
		}
	}
	f.Add(uint8(6), "inside", "", "")
	f.Add(uint8(7), "1", "", "")
	f.Add(uint8(8), "ABCDEF", "", "")
	f.Add(uint8(4), "-1", updBody(map[string]any{"box_num": "99999999999999999999"}), "")

	e := newEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, seg, body, ctype string) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		path := strings.NewReplacer("{A}", e.a, "{SEG}", url.PathEscape(seg)).Replace(r.path)
		if ctype == "" && body != "" {
			ctype = "application/json"
		}
		if strings.ContainsAny(ctype, "\r\n\x00") {
			ctype = "-"
		}
		w := e.do(t, request{method: r.method, path: path, body: body, ctype: ctype})
		if w.Code >= 500 {
			t.Fatalf("%s %s %q (%q) = %d %s", r.method, r.path, body, ctype, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var ce compatErr
			if err := json.Unmarshal(w.Body.Bytes(), &ce); err != nil || ce.Status != w.Code || ce.Details == "" {
				t.Fatalf("%s %s %q = %d with body %q, want the error object", r.method, r.path, body, w.Code, w.Body)
			}
		}
		if w.Code == http.StatusOK && r.method != http.MethodGet && w.Body.Len() != 0 {
			t.Fatalf("write answered a body %q", w.Body)
		}
	})
}
