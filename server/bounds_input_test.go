package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/server"
	"freezer/sync/protocol"
)

// boundsProduct is a product's inputs, as every route takes them.
type boundsProduct struct {
	name, descr, dateIn string
	slot, quantity      int
}

func (p boundsProduct) compat(freezerNum int64) string {
	b, _ := json.Marshal(map[string]any{"product_name": p.name, "text_descr": p.descr, "freezer_id": freezerNum, "type_id": 24,
		"date_in": p.dateIn, "period": 12, "box_num": 1, "prod_num": p.slot, "quantity": p.quantity})
	return string(b)
}

func (p boundsProduct) v1(freezer string) string {
	b, _ := json.Marshal(map[string]any{"name": p.name, "description": p.descr, "type_id": 24,
		"location": map[string]any{"freezer_id": freezer, "box": 1, "slot": p.slot}, "quantity": p.quantity, "date_in": p.dateIn, "period_months": 12})
	return string(b)
}

func (p boundsProduct) push(freezer, stamp string) string {
	fields := map[string]any{"name": p.name, "description": p.descr, "type": 24,
		"location": map[string]any{"freezer_id": freezer, "box": 1, "slot": p.slot}, "quantity": p.quantity, "date_in": p.dateIn,
		"period": 12, "out": map[string]any{"date": "", "outcome": ""}, "deleted": false}
	mu := map[string]any{"id": domain.NewID().String(), "entity": "product", "entity_id": domain.NewID().String(), "op": "create",
		"fields": fields, "stamp": stamp}
	b, _ := json.Marshal(map[string]any{"version": 3, "device": "dev1", "mutations": []any{mu}})
	return string(b)
}

// Names, descriptions, quantities, slots and dates are refused the same
// way on the compat routes, on /api/v1 and in a sync push.
func TestBoundsInputSameOnEveryRoute(t *testing.T) {
	e := newEnv(t)
	ok := boundsProduct{name: "soupe", descr: "line 1\nline 2", dateIn: "2018-02-01", slot: 1, quantity: 2}
	cases := []struct {
		name  string
		p     boundsProduct
		field string
	}{
		{"NUL in name", boundsProduct{"sou\x00pe", ok.descr, ok.dateIn, 1, 2}, domain.FieldName},
		{"right-to-left override in name", boundsProduct{"gpj\u202Eexe", ok.descr, ok.dateIn, 1, 2}, domain.FieldName},
		{"line break in name", boundsProduct{"sou\npe", ok.descr, ok.dateIn, 1, 2}, domain.FieldName},
		{"257 characters", boundsProduct{strings.Repeat("é", 257), ok.descr, ok.dateIn, 1, 2}, domain.FieldName},
		{"tab in description", boundsProduct{"soupe", "a\tb", ok.dateIn, 1, 2}, domain.FieldDescription},
		{"isolate in description", boundsProduct{"soupe", "a\u2066b", ok.dateIn, 1, 2}, domain.FieldDescription},
		{"4097 characters of description", boundsProduct{"soupe", strings.Repeat("d", 4097), ok.dateIn, 1, 2}, domain.FieldDescription},
		{"quantity 1001", boundsProduct{"soupe", "", ok.dateIn, 1, 1001}, domain.FieldQuantity},
		{"slot 10001", boundsProduct{"soupe", "", ok.dateIn, 10001, 2}, domain.FieldLocation},
		{"year 0000", boundsProduct{"soupe", "", "0000-01-01", 1, 2}, domain.FieldDateIn},
		{"1899-12-31", boundsProduct{"soupe", "", "1899-12-31", 1, 2}, domain.FieldDateIn},
	}
	stamp := func() string {
		e.clock.Add(time.Millisecond)
		return domain.Timestamp{Wall: e.clock.Now().UnixMilli(), Node: "dev1"}.String()
	}
	count := func() int {
		ps, err := e.store.FindProducts(context.Background(), e.aID, server.ProductFilter{Where: server.All})
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	before := count()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := e.do(t, request{method: "POST", path: e.expand("/add_product/{A}"), body: c.p.compat(e.frigo2.Num)})
			if w.Code != http.StatusBadRequest {
				t.Errorf("compat add_product = %d %s, want 400", w.Code, w.Body)
			}
			w = e.do(t, request{method: "POST", path: "/api/v1/products", body: c.p.v1(e.frigo2.ID.String()), bearer: e.a})
			if p := decode[problemDoc](t, w); w.Code != http.StatusBadRequest || p.Field != c.field {
				t.Errorf("POST /api/v1/products = %d %+v, want 400 blaming %q", w.Code, p, c.field)
			}
			w = e.do(t, request{method: "POST", path: protocol.PushPath, body: c.p.push(e.frigo2.ID.String(), stamp()), bearer: e.a,
				header: http.Header{protocol.VersionHeader: {"3"}}})
			resp := decode[protocol.PushResponse](t, w)
			if w.Code != http.StatusOK || len(resp.Results) != 1 || resp.Results[0].Status != protocol.StatusRejected || resp.Results[0].Code != domain.EInvalid {
				t.Errorf("push = %d %+v, want the creation rejected as invalid", w.Code, resp.Results)
			}
		})
	}
	if got := count(); got != before {
		t.Fatalf("%d products after refused writes, want %d", got, before)
	}
	// The same product within the bounds goes in by every route, its
	// description's line break kept.
	for i, route := range []string{"compat", "v1", "push"} {
		p := ok
		p.slot = i + 1
		var w interface{ Result() *http.Response }
		switch route {
		case "compat":
			w = e.do(t, request{method: "POST", path: e.expand("/add_product/{A}"), body: p.compat(e.frigo2.Num)})
		case "v1":
			w = e.do(t, request{method: "POST", path: "/api/v1/products", body: p.v1(e.frigo2.ID.String()), bearer: e.a})
		case "push":
			w = e.do(t, request{method: "POST", path: protocol.PushPath, body: p.push(e.frigo2.ID.String(), stamp()), bearer: e.a,
				header: http.Header{protocol.VersionHeader: {"3"}}})
		}
		if code := w.Result().StatusCode; code/100 != 2 {
			t.Fatalf("%s: valid product = %d", route, code)
		}
	}
	ps, err := e.store.FindProducts(context.Background(), e.aID, server.ProductFilter{Where: server.Inside, FreezerID: &e.frigo2.ID})
	if err != nil || len(ps) != 3 {
		t.Fatalf("frigo 2 holds %d products, %v; want 3", len(ps), err)
	}
	for _, p := range ps {
		if p.Description != ok.descr {
			t.Fatalf("description = %q, want %q", p.Description, ok.descr)
		}
	}
}

// Freezer names follow the same rules on every route.
func TestBoundsFreezerNames(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"frigo\x00", "frigo\u202E", "fri\ngo", strings.Repeat("f", 257)} {
		b, _ := json.Marshal(map[string]any{"name": name, "num_boxes": 3})
		if w := e.do(t, request{method: "POST", path: e.expand("/freezers/{A}"), body: string(b)}); w.Code != http.StatusBadRequest {
			t.Errorf("compat POST /freezers %q = %d %s, want 400", name, w.Code, w.Body)
		}
		b, _ = json.Marshal(map[string]any{"name": name, "boxes": 3})
		if w := e.do(t, request{method: "POST", path: "/api/v1/freezers", body: string(b), bearer: e.a}); w.Code != http.StatusBadRequest {
			t.Errorf("POST /api/v1/freezers %q = %d %s, want 400", name, w.Code, w.Body)
		}
		b, _ = json.Marshal(map[string]any{"name": name})
		if w := e.do(t, request{method: "PATCH", path: e.expand("/api/v1/freezers/{FA1}"), body: string(b), bearer: e.a}); w.Code != http.StatusBadRequest {
			t.Errorf("PATCH /api/v1/freezers %q = %d %s, want 400", name, w.Code, w.Body)
		}
	}
}

// An account at its quota cannot create more, by any route; the refusal
// says why, and a push that would pass it applies nothing.
func TestBoundsEntityQuota(t *testing.T) {
	e := newEnv(t)
	fs, err := e.store.ListFreezers(context.Background(), e.aID)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.store.FindProducts(context.Background(), e.aID, server.ProductFilter{Where: server.All})
	if err != nil {
		t.Fatal(err)
	}
	e.store.MaxEntities = len(fs) + len(ps) // A is full; B is not
	p := boundsProduct{name: "soupe", dateIn: "2018-02-01", slot: 1, quantity: 2}

	w := e.do(t, request{method: "POST", path: "/api/v1/products", body: p.v1(e.frigo2.ID.String()), bearer: e.a})
	if pd := decode[problemDoc](t, w); w.Code != http.StatusForbidden || pd.Code != domain.EForbidden || !strings.Contains(pd.Detail, fmt.Sprint(e.store.MaxEntities)) {
		t.Fatalf("POST /api/v1/products at the quota = %d %+v, want 403 naming the limit", w.Code, pd)
	}
	if w := e.do(t, request{method: "POST", path: "/api/v1/freezers", body: `{"name": "one more", "boxes": 2}`, bearer: e.a}); w.Code != http.StatusForbidden {
		t.Fatalf("POST /api/v1/freezers at the quota = %d %s, want 403", w.Code, w.Body)
	}
	w = e.do(t, request{method: "POST", path: e.expand("/add_product/{A}"), body: p.compat(e.frigo2.Num)})
	if got := decode[compatErr](t, w); w.Code != http.StatusForbidden || !strings.Contains(got.Details, "at most") {
		t.Fatalf("compat add_product at the quota = %d %+v, want 403 with a sentence", w.Code, got)
	}
	if w := e.do(t, request{method: "POST", path: e.expand("/freezers/{A}"), body: `{"name": "one more", "num_boxes": 2}`}); w.Code != http.StatusForbidden {
		t.Fatalf("compat POST /freezers at the quota = %d %s, want 403", w.Code, w.Body)
	}
	stamp := domain.Timestamp{Wall: e.clock.Now().Add(time.Second).UnixMilli(), Node: "dev1"}.String()
	w = e.do(t, request{method: "POST", path: protocol.PushPath, body: p.push(e.frigo2.ID.String(), stamp), bearer: e.a,
		header: http.Header{protocol.VersionHeader: {"3"}}})
	if pd := decode[problemDoc](t, w); w.Code != http.StatusForbidden || pd.Code != domain.EForbidden {
		t.Fatalf("push creating past the quota = %d %+v, want 403", w.Code, pd)
	}
	// Edits still go through, and another account is not concerned.
	if w := e.do(t, request{method: "PATCH", path: e.expand("/api/v1/products/{PA1}"), body: `{"quantity": 3}`, bearer: e.a}); w.Code != http.StatusOK {
		t.Fatalf("edit at the quota = %d %s, want 200", w.Code, w.Body)
	}
	update := strings.Replace(`{"version": 3, "device": "dev1", "mutations": [{"id": "m2", "entity": "product", "entity_id": "{PA1}", "op": "update", "fields": {"quantity": 4}, "stamp": "`+stamp+`"}]}`, "{PA1}", e.aProducts[0].ID.String(), 1)
	if w := e.do(t, request{method: "POST", path: protocol.PushPath, body: update, bearer: e.a, header: http.Header{protocol.VersionHeader: {"3"}}}); w.Code != http.StatusOK {
		t.Fatalf("push of an edit at the quota = %d %s, want 200", w.Code, w.Body)
	}
	if w := e.do(t, request{method: "POST", path: "/api/v1/freezers", body: `{"name": "b2", "boxes": 2}`, bearer: e.b}); w.Code != http.StatusCreated {
		t.Fatalf("B's create = %d %s, want 201", w.Code, w.Body)
	}
}
