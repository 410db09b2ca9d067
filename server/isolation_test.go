package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestCrossAccountIsolation has account B try every route on account A's
// freezers and products, by compat number and by UUID. Nothing of A's may
// change or show; every non-public route must be tried.
func TestCrossAccountIsolation(t *testing.T) {
	e := newEnv(t)
	snapshot := func() string {
		var b strings.Builder
		for _, r := range []request{
			get("/freezers/" + e.a), get("/get_product/all/0/" + e.a), get("/freezer_next_id/1/" + e.a), get("/custom_tendency/" + e.a),
			{method: "GET", path: "/api/v1/products?where=all", bearer: e.a}, {method: "GET", path: "/api/v1/freezers", bearer: e.a},
		} {
			w := e.do(t, r)
			if w.Code != 200 {
				t.Fatalf("snapshot %s = %d", r.path, w.Code)
			}
			b.WriteString(w.Body.String())
		}
		return b.String()
	}
	before := snapshot()

	type attempt struct {
		pattern string // the route tried
		req     request
		want    int
		details string // compat error text
		body    string // exact JSON expected, when set
	}
	product := `{"name": "x", "description": "", "type_id": 1, "location": {"freezer_id": "{FA1}", "box": 1, "slot": 9}, "quantity": 1, "date_in": "2018-01-01", "period_months": 1}`
	attempts := []attempt{
		{"GET /check_token/{token}", get("/check_token/{B}"), 200, "", ""},
		{"GET /types/{token}", get("/types/{B}"), 200, "", ""},
		{"GET /freezers/{token}", get("/freezers/{B}"), 200, "", `[{"freezer_id":3,"freezer_name":"bob's","number_boxes":2}]`},
		{"POST /freezers/{token}", post("/freezers/{B}", `{"num_boxes": 1, "name": "frigo 1"}`), 200, "", ""},
		{"PUT /freezers/{token}", put("/freezers/{B}", `{"freezer_id": 1, "num_boxes": 9, "name": "taken"}`), 400, BAD_FORMAT, ""},
		{"PUT /freezers/{token}", put("/freezers/{B}", `{"freezer_id": "2", "name": "taken"}`), 400, BAD_FORMAT, ""},
		{"DELETE /freezers/{token}", del("/freezers/{B}", `{"freezer_id": 2}`), 400, BAD_FORMAT, ""},
		{"GET /freezer_next_id/{freezer_id}/{token}", get("/freezer_next_id/1/{B}"), 400, BAD_FORMAT, ""},
		{"GET /get_product/{param}/{freezer_id}/{token}", get("/get_product/all/1/{B}"), 200, "", `[]`},
		{"GET /get_product/{param}/{freezer_id}/{token}", get("/get_product/outside/0/{B}"), 200, "", `[]`},
		{"POST /add_product/{token}", post("/add_product/{B}", addBody(map[string]any{"freezer_id": 1, "box_num": 1, "prod_num": 9})), 400, BAD_PRODUCT_EMPLACEMENT, ""},
		{"POST /update_product/{freezer_id}/{box_num}/{prod_num}/{inside}/{token}", post("/update_product/1/1/4/1/{B}", updBody(map[string]any{"product_name": "mine"})), 400, BAD_PARAMETER, ""},
		{"POST /update_product/{freezer_id}/{box_num}/{prod_num}/{inside}/{token}", post("/update_product/1/1/7/0/{B}", updBody(map[string]any{"date_out": "null"})), 400, BAD_PARAMETER, ""},
		{"POST /update_product/{freezer_id}/{box_num}/{prod_num}/{inside}/{token}", post("/update_product/3/1/1/1/{B}", updBody(map[string]any{"freezer_id": 1, "box_num": 1, "prod_num": 9})), 400, BAD_PRODUCT_EMPLACEMENT, ""},
		{"GET /general_tendency/{token}", get("/general_tendency/{B}"), 200, "", ""},
		{"GET /custom_tendency/{token}", get("/custom_tendency/{B}"), 200, "", `[{"freq":1,"latest":null,"type_id":33,"type_name_en":"pizza","type_name_fr":"pizza"}]`},

		{"GET /api/v1/account", asB(v1("GET", "/api/v1/account", "")), 200, "", ""},
		{"PUT /api/v1/account/password", asB(v1("PUT", "/api/v1/account/password", `{"current_password": "correct horse", "new_password": "bob's new one"}`)), 204, "", ""},
		{"GET /api/v1/types", asB(v1("GET", "/api/v1/types", "")), 200, "", ""},
		{"GET /api/v1/freezers", asB(v1("GET", "/api/v1/freezers", "")), 200, "", ""},
		{"POST /api/v1/freezers", asB(v1("POST", "/api/v1/freezers", `{"id": "{FA1}", "name": "hijack", "boxes": 9}`)), 409, "", ""},
		{"GET /api/v1/freezers/{id}", asB(v1("GET", "/api/v1/freezers/{FA1}", "")), 404, "", ""},
		{"PATCH /api/v1/freezers/{id}", asB(v1("PATCH", "/api/v1/freezers/{FA1}", `{"name": "hijack"}`)), 404, "", ""},
		{"DELETE /api/v1/freezers/{id}", asB(v1("DELETE", "/api/v1/freezers/{FA2}", "")), 404, "", ""},
		{"GET /api/v1/freezers/{id}/next-slots", asB(v1("GET", "/api/v1/freezers/{FA1}/next-slots", "")), 404, "", ""},
		{"GET /api/v1/products", asB(v1("GET", "/api/v1/products?where=all&freezer={FA1}", "")), 200, "", `[]`},
		{"POST /api/v1/products", asB(v1("POST", "/api/v1/products", product)), 400, "", ""},
		{"POST /api/v1/products", asB(v1("POST", "/api/v1/products", strings.Replace(product, `"name": "x"`, `"id": "{PA1}", "name": "x"`, 1))), 400, "", ""},
		{"POST /api/v1/products", asB(v1("POST", "/api/v1/products", strings.Replace(strings.Replace(product, `"name": "x"`, `"id": "{PA1}", "name": "x"`, 1), "{FA1}", "{FB}", 1))), 409, "", ""},
		{"GET /api/v1/products/{id}", asB(v1("GET", "/api/v1/products/{PA1}", "")), 404, "", ""},
		{"PATCH /api/v1/products/{id}", asB(v1("PATCH", "/api/v1/products/{PA1}", `{"name": "hijack"}`)), 404, "", ""},
		{"PATCH /api/v1/products/{id}", asB(v1("PATCH", "/api/v1/products/{PB}", `{"location": {"freezer_id": "{FA1}", "box": 1, "slot": 9}}`)), 400, "", ""},
		{"DELETE /api/v1/products/{id}", asB(v1("DELETE", "/api/v1/products/{PA1}", "")), 404, "", ""},
		{"POST /api/v1/products/{id}/take-out", asB(v1("POST", "/api/v1/products/{PA1}/take-out", `{}`)), 404, "", ""},
		{"POST /api/v1/products/{id}/put-back", asB(v1("POST", "/api/v1/products/{PA12}/put-back", `{}`)), 404, "", ""},
		{"GET /api/v1/trends/general", asB(v1("GET", "/api/v1/trends/general", "")), 200, "", ""},
		{"GET /api/v1/trends/mine", asB(v1("GET", "/api/v1/trends/mine", "")), 200, "", `[{"type_id":33,"count":1,"latest":"","name_en":"pizza","name_fr":"pizza"}]`},
		{"GET /api/v1/suggestions", asB(v1("GET", "/api/v1/suggestions", "")), 200, "", ""}, // B's plan: below
		{"GET /api/v1/sync/pull", asB(v1("GET", "/api/v1/sync/pull?cursor=0", "")), 200, "", ""},
		{"POST /api/v1/sync/push", asB(v1("POST", "/api/v1/sync/push", `{"version": 1, "device": "b1", "mutations": [`+
			`{"id": "m1", "entity": "product", "entity_id": "{PA1}", "op": "update", "fields": {"name": "hijack"}, "stamp": "001900000000000-00000-b1"},`+
			`{"id": "m2", "entity": "freezer", "entity_id": "{FA2}", "op": "delete", "fields": {"deleted": true}, "stamp": "001900000000000-00000-b1"},`+
			`{"id": "m3", "entity": "freezer", "entity_id": "{FA1}", "op": "create", "fields": {"name": "x", "boxes": 1, "deleted": false}, "stamp": "001900000000000-00000-b1"}]}`)), 200, "", ""},
		// Devices (A's token is device 1) and the feed (devices_test.go
		// and calendar_test.go check that A's stay as they were).
		{"POST /api/v1/pairing", asB(v1("POST", "/api/v1/pairing", "")), 201, "", ""},
		{"GET /api/v1/devices", asB(v1("GET", "/api/v1/devices", "")), 200, "", ""},
		{"PATCH /api/v1/devices/{id}", asB(v1("PATCH", "/api/v1/devices/1", `{"name": "hijack"}`)), 404, "", ""},
		{"DELETE /api/v1/devices/{id}", asB(v1("DELETE", "/api/v1/devices/1", "")), 404, "", ""},
		{"GET /api/v1/feed", asB(v1("GET", "/api/v1/feed", "")), 200, "", ""},
		{"PUT /api/v1/feed", asB(v1("PUT", "/api/v1/feed", `{"alarm_days": 3}`)), 200, "", ""},
		{"DELETE /api/v1/feed", asB(v1("DELETE", "/api/v1/feed", "")), 204, "", ""},
		// Last: B's new token must not touch A's.
		{"POST /api/v1/account/token", asB(v1("POST", "/api/v1/account/token", "")), 200, "", ""},
	}
	tried := map[string]bool{}
	for _, a := range attempts {
		tried[a.pattern] = true
		req := a.req
		req.path, req.body = e.expand(req.path), e.expand(req.body)
		if req.bearer == "B" {
			req.bearer = e.b
		}
		w := e.do(t, req)
		if w.Code != a.want {
			t.Errorf("B: %s %s = %d %s, want %d", a.req.method, a.req.path, w.Code, w.Body, a.want)
			continue
		}
		if a.details != "" {
			if got := decode[compatErr](t, w); got.Details != a.details {
				t.Errorf("B: %s %s details = %q, want %q", a.req.method, a.req.path, got.Details, a.details)
			}
		}
		if a.body != "" {
			assertJSON(t, w.Body.Bytes(), a.body)
		}
		if a.pattern == "GET /api/v1/account" && !strings.Contains(w.Body.String(), "bob@example.com") {
			t.Errorf("B's account = %s", w.Body)
		}
		if a.pattern == "GET /api/v1/suggestions" && (!strings.Contains(w.Body.String(), "bob's pizza") || strings.Contains(w.Body.String(), "Soupe de Noël")) {
			t.Errorf("B's suggestions = %s, want B's pizza and none of A's products", w.Body)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("A's data changed:\nbefore %s\nafter  %s", before, after)
	}
	if w := e.do(t, post("/api/v1/login", `{"email": "alice@example.com", "password": "correct horse"}`)); w.Code != http.StatusOK {
		t.Errorf("A's login after B changed password = %d", w.Code)
	}
	public := map[string]bool{"GET /{$}": true, "GET /api/v1/openapi.json": true, "POST /api/v1/register": true, "POST /api/v1/login": true,
		// A pairing code or a feed key names its account (devices_test.go,
		// calendar_test.go).
		"POST /api/v1/pair": true, "GET /api/v1/calendar/{file}": true, "GET /api/v1/summary/{key}": true}
	for _, p := range e.srv.Patterns() {
		if !tried[p] && !public[p] {
			t.Errorf("route %q has no cross-account attempt", p)
		}
	}
}
