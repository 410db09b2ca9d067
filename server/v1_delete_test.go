package server_test

import (
	"fmt"
	"testing"
)

// TestV1DeleteProduct: DELETE /api/v1/products/{id} answers 204; the
// product then 404s, is absent from every list (the compat API's too) and
// frees its slot; a second delete and an unknown id answer 404.
func TestV1DeleteProduct(t *testing.T) {
	e := newEnv(t)
	p := e.aProducts[0] // Soupe de Noël, frigo 1 box 1 slot 4
	path := "/api/v1/products/" + p.ID.String()
	if w := e.do(t, request{method: "DELETE", path: path, bearer: e.a}); w.Code != 204 || w.Body.Len() != 0 {
		t.Fatalf("DELETE %s = %d %q, want 204 and no body", path, w.Code, w.Body.String())
	}
	if w := e.do(t, request{method: "GET", path: path, bearer: e.a}); w.Code != 404 {
		t.Errorf("GET deleted product = %d, want 404", w.Code)
	}
	for _, where := range []string{"inside", "out", "all"} {
		w := e.do(t, request{method: "GET", path: "/api/v1/products?where=" + where, bearer: e.a})
		for _, got := range decode[[]vProduct](t, w) {
			if got.ID == p.ID.String() {
				t.Errorf("GET /api/v1/products?where=%s lists the deleted product", where)
			}
		}
	}
	for _, got := range compatJSON[[]cProduct](t, e, "/get_product/all/0/{A}") {
		if got.ProductName == p.Name {
			t.Errorf("compat get_product/all lists the deleted product %q", p.Name)
		}
	}
	if w := e.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/freezers/%s/next-slots", e.frigo1.ID), bearer: e.a}); w.Code != 200 {
		t.Errorf("next-slots = %d, want 200", w.Code)
	} else {
		assertJSON(t, w.Body.Bytes(), `{"1":1,"2":3,"3":3,"4":3}`) // box 1: slots 2, 5, 6 held; 1 was and stays free
	}
	body := fmt.Sprintf(`{"name": "soupe au pistou", "type_id": 1, "location": {"freezer_id": %q, "box": 1, "slot": 4}, "quantity": 2, "date_in": "2018-01-02", "period_months": 3}`, e.frigo1.ID)
	if w := e.do(t, request{method: "POST", path: "/api/v1/products", body: body, bearer: e.a}); w.Code != 201 {
		t.Errorf("POST a product into the deleted product's slot = %d %s, want 201", w.Code, w.Body.String())
	}
	for _, tc := range []struct{ name, path, bearer string }{
		{"again", path, e.a},
		{"unknown", "/api/v1/products/0195f0c8-0000-7000-8000-000000000000", e.a},
		{"another account's", "/api/v1/products/" + e.aProducts[1].ID.String(), e.b},
	} {
		if w := e.do(t, request{method: "DELETE", path: tc.path, bearer: tc.bearer}); w.Code != 404 {
			t.Errorf("DELETE %s product = %d, want 404", tc.name, w.Code)
		}
	}
	if w := e.do(t, request{method: "GET", path: "/api/v1/products/" + e.aProducts[1].ID.String(), bearer: e.a}); w.Code != 200 {
		t.Errorf("GET the product another account tried to delete = %d, want 200", w.Code)
	}
}
