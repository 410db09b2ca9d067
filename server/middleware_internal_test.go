package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// TestSecureHeadersShareNothingWritable: secureHeaders gives every response
// the same value slices; a handler that adds to one of those headers must
// not change what the next response gets.
func TestSecureHeadersShareNothingWritable(t *testing.T) {
	h := (&Server{}).secureHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("add") {
			w.Header().Add("Cache-Control", "private")
			w.Header().Add("X-Frame-Options", "SAMEORIGIN")
		}
	}))
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, "/freezers/x?add", nil))
	if got := first.Header().Values("Cache-Control"); !slices.Equal(got, []string{"no-store", "private"}) {
		t.Errorf("first response's Cache-Control = %q, want no-store then private", got)
	}
	second := httptest.NewRecorder()
	h.ServeHTTP(second, httptest.NewRequest(http.MethodGet, "/freezers/x", nil))
	for k, want := range map[string][]string{"Cache-Control": {"no-store"}, "X-Frame-Options": {"DENY"}} {
		if got := second.Header().Values(k); !slices.Equal(got, want) {
			t.Errorf("next response's %s = %q, want %q: a handler changed the shared value", k, got, want)
		}
	}
}
