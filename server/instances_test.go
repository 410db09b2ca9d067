package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"freezer/server"
	"freezer/server/sqlstore"
)

// instancesPair returns two freezerd handlers over two openings of one
// database, as two instances behind a load balancer are.
func instancesPair(t *testing.T) (a, b *server.Server) {
	t.Helper()
	target := storeTarget(t)
	var srvs [2]*server.Server
	for i := range srvs {
		store, err := sqlstore.Open(context.Background(), target, sqlstore.Options{})
		if err != nil {
			t.Fatalf("Open() #%d error = %v", i+1, err)
		}
		t.Cleanup(func() { _ = store.Close() })
		srvs[i] = server.New(server.Config{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Limits: server.Limits{Disabled: true}, BcryptCost: bcrypt.MinCost})
	}
	return srvs[0], srvs[1]
}

func instancesCall(t *testing.T, srv http.Handler, method, path, body string) string {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("%s %s = %d %s", method, path, w.Code, w.Body)
	}
	return w.Body.String()
}

// TestInstancesCompatCacheSeesOtherInstancesWrites: instance A caches the
// compat freezer and product lists; writes made through instance B move
// the account's sequence in the shared database, so A's next answer is
// fresh, never its cached copy.
func TestInstancesCompatCacheSeesOtherInstancesWrites(t *testing.T) {
	a, b := instancesPair(t)
	token := mustRegister(t, a, "anne@example.com")
	instancesCall(t, b, http.MethodPost, "/freezers/"+token, `{"num_boxes": 4, "name": "garage"}`)
	for range 2 { // the second answer comes from A's cache
		if got := instancesCall(t, a, http.MethodGet, "/freezers/"+token, ""); !strings.Contains(got, "garage") {
			t.Fatalf("A's freezers = %s, want the garage", got)
		}
	}
	instancesCall(t, b, http.MethodPost, "/freezers/"+token, `{"num_boxes": 2, "name": "cave"}`)
	if got := instancesCall(t, a, http.MethodGet, "/freezers/"+token, ""); !strings.Contains(got, "cave") {
		t.Fatalf("A's freezers after B's write = %s, want the cave too", got)
	}
	products := "/get_product/all/0/" + token
	before := instancesCall(t, a, http.MethodGet, products, "")
	instancesCall(t, b, http.MethodPost, "/add_product/"+token, addBody(map[string]any{"product_name": "soupe"}))
	if after := instancesCall(t, a, http.MethodGet, products, ""); after == before || !strings.Contains(after, "soupe") {
		t.Fatalf("A's products after B's add = %s (before %s), want the soupe", after, before)
	}
}
