package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"freezer/server"
)

// textGet asks the real server, over HTTP, for path with A's token and
// decodes the products it answers.
func textGet(t *testing.T, ts *httptest.Server, token, path string) []vProduct {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatalf("new request %s: %v", path, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", path, resp.StatusCode)
	}
	var out []vProduct
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET %s: decode: %v", path, err)
	}
	return out
}

func textNames(ps []vProduct) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// TestV1SearchFoldsLikeTheDevice checks that q= ignores case, accents and
// ligatures, as the device store and the app do.
func TestV1SearchFoldsLikeTheDevice(t *testing.T) {
	e := newEnv(t)
	for _, s := range []sample{
		{2, 3, "2018-01-05", 6, "Crème fraîche", 1, "", 37, ""},
		{2, 4, "2018-01-06", 6, "Bœuf bourguignon", 4, "mijoté", 7, ""},
		{2, 5, "2018-01-07", 6, "Smørrebrød", 2, "", 27, ""},
	} {
		mustCreateProduct(t, e.store, e.aID, e.frigo2, s)
	}
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	tests := []struct {
		q    string
		want []string // sorted by name
	}{
		{"noel", []string{"Soupe de Noël"}},
		{"NOËL", []string{"Soupe de Noël"}},
		{"creme", []string{"Crème fraîche"}},
		{"CRÈME FRAICHE", []string{"Crème fraîche"}},
		{"boeuf", []string{"Bœuf bourguignon"}},
		{"bœuf", []string{"Bœuf bourguignon"}},
		{"smorrebrod", []string{"Smørrebrød"}},
		{"mijote", []string{"Bœuf bourguignon"}},                      // the description
		{"soupe noix", []string{"soupe champignons"}},                 // every word, name or description
		{"  tomates   POISSON ", []string{"Soupe de Noël"}},           // both in the description
		{"soupe xyz", []string{}},                                     // one word missing
		{"cabillaud", []string{"cabillaud", "cabillaud"}},             // both kept
		{"glace vanille", []string{"glace cookies", "glace vanille"}}, // "vanille" in the description of the first
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			got := textNames(textGet(t, ts, e.a, "/api/v1/products?sort=name&q="+url.QueryEscape(tc.q)))
			if !slices.Equal(got, tc.want) {
				t.Errorf("GET /api/v1/products?q=%s = %q, want %q", tc.q, got, tc.want)
			}
		})
	}
}

// TestV1SortNamesNaturally checks sort=name (collation, numbers in natural
// order) and sort=location (freezer names in natural order).
func TestV1SortNamesNaturally(t *testing.T) {
	e := newEnv(t)
	f10 := mustCreateFreezer(t, e.store, e.bID, "Freezer 10", 2)
	f2 := mustCreateFreezer(t, e.store, e.bID, "Freezer 2", 2)
	for i, s := range []struct {
		f    server.Freezer
		name string
	}{{f10, "Soupe 10"}, {f2, "Cuisses de poulet"}, {f10, "Côtes d'agneau"}, {f2, "Soupe 2"}} {
		mustCreateProduct(t, e.store, e.bID, s.f, sample{1, i + 1, "2018-01-05", 6, s.name, 1, "", 7, ""})
	}
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	got := textNames(textGet(t, ts, e.b, "/api/v1/products?sort=name"))
	want := []string{"bob's pizza", "Côtes d'agneau", "Cuisses de poulet", "Soupe 2", "Soupe 10"}
	if !slices.Equal(got, want) {
		t.Errorf("GET /api/v1/products?sort=name = %q, want %q", got, want)
	}
	var freezers []string
	for _, p := range textGet(t, ts, e.b, "/api/v1/products?sort=location") {
		if len(freezers) == 0 || freezers[len(freezers)-1] != p.FreezerName {
			freezers = append(freezers, p.FreezerName)
		}
	}
	if want := []string{"bob's", "Freezer 2", "Freezer 10"}; !slices.Equal(freezers, want) {
		t.Errorf("GET /api/v1/products?sort=location: freezers in order %q, want %q", freezers, want)
	}
}
