package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestCachedAnswersHaveALength: a compat list, over net/http's 2 KB
// buffer, goes out with its Content-Length, not in chunks, the first time
// (built) and the next (cached).
func TestCachedAnswersHaveALength(t *testing.T) {
	e := newEnv(t)
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	for _, try := range []string{"built", "cached"} {
		resp, err := http.Get(ts.URL + e.expand("/get_product/all/0/{A}"))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET /get_product = %d, %v", try, resp.StatusCode, err)
		}
		if len(body) <= 2048 {
			t.Fatalf("the list is %d bytes: make it larger than net/http's 2 KB buffer for this test to mean anything", len(body))
		}
		if len(resp.TransferEncoding) != 0 || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("%s: Transfer-Encoding %v, Content-Length %q; want no chunks and %d", try, resp.TransferEncoding, resp.Header.Get("Content-Length"), len(body))
		}
	}
}
