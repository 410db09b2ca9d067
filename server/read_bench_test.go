package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"freezer/domain"
)

// discardWriter is the cheapest http.ResponseWriter: it keeps the status
// and the body's length, so the benchmarks measure the server's work and
// not a recorder's copies.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *discardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(b)
	return len(b), nil
}

func (w *discardWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

// BenchmarkCachedRead is one cached compat read through the whole handler
// (middleware, route, token lookup, cache) against a handler that answers
// the same bytes from memory with the same headers: the in-process form of
// the ceiling server that server/bench/compare.sh runs under wrk. The
// ratio of the two is the handler's share of a keep-alive request.
func BenchmarkCachedRead(b *testing.B) {
	e := newEnv(b)
	for _, route := range []string{"/freezers/{A}", "/get_product/all/0/{A}"} {
		path := e.expand(route)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", route, rec.Code)
		}
		body, header := rec.Body.Bytes(), rec.Header().Clone()
		ceiling := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(body)
		})
		for _, h := range []struct {
			name string
			h    http.Handler
		}{{"freezerd", e.srv}, {"ceiling", ceiling}} {
			b.Run(route[1:4]+"/"+h.name, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				w := &discardWriter{h: http.Header{}}
				for b.Loop() {
					w.reset()
					h.h.ServeHTTP(w, req)
					if w.status != http.StatusOK || w.n != len(body) {
						b.Fatalf("status %d, %d bytes, want 200 and %d", w.status, w.n, len(body))
					}
				}
			})
		}
	}
}

// BenchmarkCompatAdd is compat POST /add_product through the whole handler
// from 32 goroutines at once (group commit shares their commits): its
// ns/op is the server's cost of one added product, fsync included.
func BenchmarkCompatAdd(b *testing.B) {
	e := newEnv(b)
	f := mustCreateFreezer(b, e.store, e.aID, "garage", domain.MaxBoxes)
	var next atomic.Int64
	b.SetParallelism(16) // 32 on these 2 cores
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			n := next.Add(1)
			body := fmt.Sprintf(`{"product_name": "soupe %d", "text_descr": "bench", "freezer_id": %d, "type_id": 1,
				"date_in": "2017-12-26", "period": 6, "box_num": %d, "prod_num": %d, "quantity": 2}`,
				n, f.Num, n/domain.MaxSlot+1, n%domain.MaxSlot+1)
			req := httptest.NewRequest(http.MethodPost, "/add_product/"+e.a, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			w.reset()
			e.srv.ServeHTTP(w, req)
			if w.status != http.StatusOK && w.status != http.StatusCreated {
				b.Errorf("POST /add_product = %d", w.status)
				return
			}
		}
	})
}
