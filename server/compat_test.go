package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// compatCase is one request to a compat route and what must come back.
type compatCase struct {
	name    string
	req     request // {A}, {B} in path are replaced by the tokens
	want    int
	details string                 // the error text, when want is an error
	json    string                 // the exact JSON body expected (compared as JSON)
	check   func(*testing.T, *env) // state to verify afterwards
}

// addBody returns an add_product body with the given keys replaced
// (a nil value removes the key).
func addBody(changes map[string]any) string {
	m := map[string]any{
		"product_name": "glace fraise", "text_descr": "glace aux fraises", "freezer_id": 1, "type_id": 24,
		"date_in": "2018-02-01", "period": 12, "box_num": 2, "prod_num": 3, "quantity": 2,
	}
	return body(m, changes)
}

// updBody returns an update_product body where every value is "" except changes.
func updBody(changes map[string]any) string {
	m := map[string]any{}
	for _, k := range []string{"product_name", "text_descr", "freezer_id", "type_id", "date_in", "period", "box_num", "prod_num", "quantity", "date_out"} {
		m[k] = ""
	}
	return body(m, changes)
}

func body(m, changes map[string]any) string {
	for k, v := range changes {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func get(path string) request        { return request{method: http.MethodGet, path: path} }
func post(path, body string) request { return request{method: http.MethodPost, path: path, body: body} }
func put(path, body string) request  { return request{method: http.MethodPut, path: path, body: body} }
func del(path, body string) request {
	return request{method: http.MethodDelete, path: path, body: body}
}
func withCT(r request, ct string) request { r.ctype = ct; return r }

// compatJSON reads path as A and returns the decoded JSON.
func compatJSON[T any](t *testing.T, e *env, path string) T {
	t.Helper()
	w := e.do(t, get(e.expand(path)))
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
	}
	return decode[T](t, w)
}

type cFreezer struct {
	FreezerID int    `json:"freezer_id"`
	Name      string `json:"freezer_name"`
	Boxes     int    `json:"number_boxes"`
}

type cProduct struct {
	BoxNum      int     `json:"box_num"`
	DateIn      string  `json:"date_formatted_in"`
	DateOut     *string `json:"date_formatted_out"`
	DescrID     int     `json:"descr_id"`
	FreezerID   int     `json:"freezer_id"`
	FreezerName string  `json:"freezer_name"`
	Period      int     `json:"period"`
	ProdNum     int     `json:"prod_num"`
	ProductName string  `json:"product_name"`
	Quantity    int     `json:"quantity"`
	TextDescr   string  `json:"text_descr"`
	TypeID      int     `json:"type_id"`
}

func productNum(t *testing.T, e *env, num int) cProduct {
	t.Helper()
	for _, p := range compatJSON[[]cProduct](t, e, "/get_product/all/0/{A}") {
		if p.DescrID == num {
			return p
		}
	}
	t.Fatalf("product %d not found", num)
	return cProduct{}
}

func wantFreezers(want ...cFreezer) func(*testing.T, *env) {
	return func(t *testing.T, e *env) {
		t.Helper()
		got := compatJSON[[]cFreezer](t, e, "/freezers/{A}")
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("freezers = %v, want %v", got, want)
		}
	}
}

var frigos = []cFreezer{{1, "frigo 1", 4}, {2, "frigo 2", 8}}

func compatCases() []compatCase {
	unknownToken := strings.Repeat("ab", 32)
	return []compatCase{
		// GET /
		{name: "index", req: get("/"), want: 200},

		// check_token
		{name: "check_token ok", req: get("/check_token/{A}"), want: 200},
		{name: "check_token upper case and trailing spaces", req: get("/check_token/{UPPER_A}%20%20"), want: 200},
		{name: "check_token unknown", req: get("/check_token/" + unknownToken), want: 400, details: BAD_TOKEN},
		{name: "check_token malformed", req: get("/check_token/abc"), want: 400, details: BAD_TOKEN},
		{name: "check_token missing", req: get("/check_token/"), want: 404},
		{name: "check_token POST", req: post("/check_token/{A}", "{}"), want: 405},

		// types
		{name: "types", req: get("/types/{A}"), want: 200, check: func(t *testing.T, e *env) {
			types := compatJSON[[]map[string]any](t, e, "/types/{A}")
			if len(types) != 43 || types[0]["type_name_en"] != "soup" || types[42]["type_name_fr"] != "légume" {
				t.Errorf("types = %d types starting %v", len(types), types[0])
			}
		}},
		{name: "types bad token", req: get("/types/" + unknownToken), want: 400, details: BAD_TOKEN},
		{name: "types DELETE", req: del("/types/{A}", "{}"), want: 405},

		// GET /freezers
		{name: "freezers list", req: get("/freezers/{A}"), want: 200,
			json: `[{"freezer_id":1,"freezer_name":"frigo 1","number_boxes":4},{"freezer_id":2,"freezer_name":"frigo 2","number_boxes":8}]`},
		{name: "freezers list bad token", req: get("/freezers/" + unknownToken), want: 400, details: BAD_TOKEN},
		{name: "freezers PATCH", req: request{method: http.MethodPatch, path: "/freezers/{A}", body: "{}"}, want: 405},

		// POST /freezers
		{name: "freezer create", req: post("/freezers/{A}", `{"num_boxes": 4, "name": "garage"}`), want: 200,
			check: wantFreezers(append(frigos, cFreezer{4, "garage", 4})...)},
		{name: "freezer create numeric string", req: post("/freezers/{A}", `{"num_boxes": "6", "name": "cave"}`), want: 200,
			check: wantFreezers(append(frigos, cFreezer{4, "cave", 6})...)},
		{name: "freezer create charset", req: withCT(post("/freezers/{A}", `{"num_boxes": 1, "name": "x"}`), "application/json; charset=utf-8"), want: 200},
		{name: "freezer create bad token", req: post("/freezers/"+unknownToken, `{"num_boxes": 4, "name": "garage"}`), want: 400, details: BAD_TOKEN},
		{name: "freezer create text/plain", req: withCT(post("/freezers/{A}", `{"num_boxes": 4, "name": "garage"}`), "text/plain"), want: 415, details: BAD_CONTENT_TYPE, check: wantFreezers(frigos...)},
		{name: "freezer create no content type", req: withCT(post("/freezers/{A}", `{"num_boxes": 4, "name": "garage"}`), "-"), want: 415, details: BAD_CONTENT_TYPE},
		{name: "freezer create malformed", req: post("/freezers/{A}", `{"num_boxes": 4, "name": "garage"`), want: 400, details: BAD_FORMAT},
		{name: "freezer create trailing data", req: post("/freezers/{A}", `{"num_boxes": 4, "name": "garage"} {}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create array", req: post("/freezers/{A}", `[1]`), want: 400, details: BAD_FORMAT},
		{name: "freezer create null", req: post("/freezers/{A}", `null`), want: 400, details: BAD_FORMAT},
		{name: "freezer create missing key", req: post("/freezers/{A}", `{"name": "garage"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create extra key", req: post("/freezers/{A}", `{"num_boxes": 4, "name": "garage", "color": "white"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create name not a string", req: post("/freezers/{A}", `{"num_boxes": 4, "name": 5}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create boxes word", req: post("/freezers/{A}", `{"num_boxes": "four", "name": "garage"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create boxes fraction", req: post("/freezers/{A}", `{"num_boxes": 4.5, "name": "garage"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create 0 boxes", req: post("/freezers/{A}", `{"num_boxes": 0, "name": "garage"}`), want: 400, details: BAD_FORMAT, check: wantFreezers(frigos...)},
		{name: "freezer create empty name", req: post("/freezers/{A}", `{"num_boxes": 2, "name": "  "}`), want: 400, details: BAD_FORMAT},
		{name: "freezer create empty boxes", req: post("/freezers/{A}", `{"num_boxes": "", "name": "garage"}`), want: 400, details: BAD_FORMAT},

		// PUT /freezers
		{name: "freezer rename", req: put("/freezers/{A}", `{"freezer_id": 2, "num_boxes": "", "name": "cellar"}`), want: 200,
			check: wantFreezers(frigos[0], cFreezer{2, "cellar", 8})},
		{name: "freezer resize numeric string", req: put("/freezers/{A}", `{"freezer_id": "2", "num_boxes": "6", "name": ""}`), want: 200,
			check: wantFreezers(frigos[0], cFreezer{2, "frigo 2", 6})},
		{name: "freezer update keys absent", req: put("/freezers/{A}", `{"freezer_id": 1}`), want: 200, check: wantFreezers(frigos...)},
		{name: "freezer update both", req: put("/freezers/{A}", `{"freezer_id": 1, "num_boxes": 5, "name": "big"}`), want: 200,
			check: wantFreezers(cFreezer{1, "big", 5}, frigos[1])},
		{name: "freezer shrink below used box", req: put("/freezers/{A}", `{"freezer_id": 1, "num_boxes": 3}`), want: 400, details: BAD_FORMAT, check: wantFreezers(frigos...)},
		{name: "freezer update 0 boxes", req: put("/freezers/{A}", `{"freezer_id": 2, "num_boxes": 0}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update unknown", req: put("/freezers/{A}", `{"freezer_id": 99, "name": "x"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update other account's", req: put("/freezers/{A}", `{"freezer_id": 3, "name": "mine now"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update missing id", req: put("/freezers/{A}", `{"name": "x"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update extra key", req: put("/freezers/{A}", `{"freezer_id": 2, "name": "x", "boxes": 3}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update id word", req: put("/freezers/{A}", `{"freezer_id": "two"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update name number", req: put("/freezers/{A}", `{"freezer_id": 2, "name": 7}`), want: 400, details: BAD_FORMAT},
		{name: "freezer update wrong content type", req: withCT(put("/freezers/{A}", `{"freezer_id": 2}`), "application/x-www-form-urlencoded"), want: 415, details: BAD_CONTENT_TYPE},
		{name: "freezer update bad token", req: put("/freezers/"+unknownToken, `{"freezer_id": 2}`), want: 400, details: BAD_TOKEN},

		// DELETE /freezers
		{name: "freezer delete empty", req: del("/freezers/{A}", `{"freezer_id": 2}`), want: 200, check: wantFreezers(frigos[0])},
		{name: "freezer delete holding products", req: del("/freezers/{A}", `{"freezer_id": 1}`), want: 400, details: DELETE_FREEZER, check: wantFreezers(frigos...)},
		{name: "freezer delete extra key", req: del("/freezers/{A}", `{"freezer_id": 2, "name": "x"}`), want: 400, details: BAD_REQUEST},
		{name: "freezer delete missing key", req: del("/freezers/{A}", `{}`), want: 400, details: BAD_REQUEST},
		{name: "freezer delete malformed", req: del("/freezers/{A}", `{"freezer_id": `), want: 400, details: BAD_FORMAT},
		{name: "freezer delete unknown", req: del("/freezers/{A}", `{"freezer_id": 42}`), want: 400, details: BAD_FORMAT},
		{name: "freezer delete other account's", req: del("/freezers/{A}", `{"freezer_id": 3}`), want: 400, details: BAD_FORMAT},
		{name: "freezer delete id word", req: del("/freezers/{A}", `{"freezer_id": "x"}`), want: 400, details: BAD_FORMAT},
		{name: "freezer delete wrong content type", req: withCT(del("/freezers/{A}", `{"freezer_id": 2}`), "text/json"), want: 415, details: BAD_CONTENT_TYPE},
		{name: "freezer delete bad token", req: del("/freezers/"+unknownToken, `{"freezer_id": 2}`), want: 400, details: BAD_TOKEN},

		// freezer_next_id
		{name: "next id", req: get("/freezer_next_id/1/{A}"), want: 200, json: `{"1": 1, "2": 3, "3": 3, "4": 3}`},
		{name: "next id empty freezer", req: get("/freezer_next_id/2/{A}"), want: 200, json: `{"1":1,"2":1,"3":1,"4":1,"5":1,"6":1,"7":1,"8":1}`},
		{name: "next id other account's", req: get("/freezer_next_id/3/{A}"), want: 400, details: BAD_FORMAT},
		{name: "next id unknown", req: get("/freezer_next_id/77/{A}"), want: 400, details: BAD_FORMAT},
		{name: "next id word", req: get("/freezer_next_id/one/{A}"), want: 404},
		{name: "next id bad token", req: get("/freezer_next_id/1/" + unknownToken), want: 400, details: BAD_TOKEN},
		{name: "next id missing token", req: get("/freezer_next_id/1/"), want: 404},

		// get_product
		{name: "get_product all", req: get("/get_product/all/0/{A}"), want: 200, check: func(t *testing.T, e *env) {
			ps := compatJSON[[]cProduct](t, e, "/get_product/all/0/{A}")
			if len(ps) != 12 {
				t.Fatalf("all products = %d, want 12", len(ps))
			}
			want := cProduct{1, "2017-12-26", nil, 1, 1, "frigo 1", 6, 4, "Soupe de Noël", 4, "Soupe à base de tomates, brocoli et poisson", 1}
			if fmt.Sprint(ps[0]) != fmt.Sprint(want) {
				t.Errorf("first product = %+v, want %+v", ps[0], want)
			}
			if ps[10].DateOut == nil || *ps[10].DateOut != "2018-01-10" {
				t.Errorf("product 11 date out = %v, want 2018-01-10", ps[10].DateOut)
			}
		}},
		{name: "get_product inside of freezer 1", req: get("/get_product/inside/1/{A}"), want: 200, check: func(t *testing.T, e *env) {
			if n := len(compatJSON[[]cProduct](t, e, "/get_product/inside/1/{A}")); n != 10 {
				t.Errorf("inside = %d, want 10", n)
			}
		}},
		{name: "get_product outside", req: get("/get_product/outside/0/{A}"), want: 200, check: func(t *testing.T, e *env) {
			if n := len(compatJSON[[]cProduct](t, e, "/get_product/outside/0/{A}")); n != 2 {
				t.Errorf("outside = %d, want 2", n)
			}
		}},
		{name: "get_product empty freezer", req: get("/get_product/all/2/{A}"), want: 200, json: `[]`},
		{name: "get_product other account's freezer", req: get("/get_product/all/3/{A}"), want: 200, json: `[]`},
		{name: "get_product bad param", req: get("/get_product/some/0/{A}"), want: 400, details: BAD_PARAMETER},
		{name: "get_product freezer word", req: get("/get_product/all/zero/{A}"), want: 404},
		{name: "get_product bad token", req: get("/get_product/all/0/" + unknownToken), want: 400, details: BAD_TOKEN},
		{name: "get_product POST", req: post("/get_product/all/0/{A}", "{}"), want: 405},

		// add_product
		{name: "add", req: post("/add_product/{A}", addBody(nil)), want: 200, check: func(t *testing.T, e *env) {
			p := productNum(t, e, 14)
			want := cProduct{2, "2018-02-01", nil, 14, 1, "frigo 1", 12, 3, "glace fraise", 2, "glace aux fraises", 24}
			if fmt.Sprint(p) != fmt.Sprint(want) {
				t.Errorf("added = %+v, want %+v", p, want)
			}
		}},
		{name: "add numeric strings", req: post("/add_product/{A}", addBody(map[string]any{"freezer_id": "2", "type_id": "24", "period": "3", "box_num": "8", "prod_num": "1", "quantity": "5"})), want: 200,
			check: func(t *testing.T, e *env) {
				if p := productNum(t, e, 14); p.FreezerID != 2 || p.BoxNum != 8 || p.Quantity != 5 || p.Period != 3 {
					t.Errorf("added = %+v", p)
				}
			}},
		{name: "add into a slot freed by a taken-out product", req: post("/add_product/{A}", addBody(map[string]any{"box_num": 1, "prod_num": 7})), want: 200},
		{name: "add bad token", req: post("/add_product/"+unknownToken, addBody(nil)), want: 400, details: BAD_TOKEN},
		{name: "add wrong content type", req: withCT(post("/add_product/{A}", addBody(nil)), "text/plain"), want: 415, details: BAD_CONTENT_TYPE},
		{name: "add malformed", req: post("/add_product/{A}", `{"product_name": "x",`), want: 400, details: BAD_FORMAT},
		{name: "add missing key", req: post("/add_product/{A}", addBody(map[string]any{"quantity": nil})), want: 400, details: BAD_FORMAT},
		{name: "add extra key", req: post("/add_product/{A}", addBody(map[string]any{"date_out": ""})), want: 400, details: BAD_FORMAT},
		{name: "add name not a string", req: post("/add_product/{A}", addBody(map[string]any{"product_name": 12})), want: 400, details: BAD_FORMAT},
		{name: "add empty name", req: post("/add_product/{A}", addBody(map[string]any{"product_name": ""})), want: 400, details: BAD_FORMAT},
		{name: "add description not a string", req: post("/add_product/{A}", addBody(map[string]any{"text_descr": []int{1}})), want: 400, details: BAD_FORMAT},
		{name: "add freezer of another account", req: post("/add_product/{A}", addBody(map[string]any{"freezer_id": 3})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add unknown freezer", req: post("/add_product/{A}", addBody(map[string]any{"freezer_id": 0})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add freezer word", req: post("/add_product/{A}", addBody(map[string]any{"freezer_id": "frigo"})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add box beyond freezer", req: post("/add_product/{A}", addBody(map[string]any{"box_num": 5})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add box 0", req: post("/add_product/{A}", addBody(map[string]any{"box_num": 0})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add slot 0", req: post("/add_product/{A}", addBody(map[string]any{"prod_num": 0})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add slot taken", req: post("/add_product/{A}", addBody(map[string]any{"box_num": 1, "prod_num": 4})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add box word", req: post("/add_product/{A}", addBody(map[string]any{"box_num": "one"})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "add unknown type", req: post("/add_product/{A}", addBody(map[string]any{"type_id": 44})), want: 400, details: BAD_PRODUCT_TYPE},
		{name: "add type 0", req: post("/add_product/{A}", addBody(map[string]any{"type_id": 0})), want: 400, details: BAD_PRODUCT_TYPE},
		{name: "add type word", req: post("/add_product/{A}", addBody(map[string]any{"type_id": "soup"})), want: 400, details: BAD_PRODUCT_TYPE},
		{name: "add bad date", req: post("/add_product/{A}", addBody(map[string]any{"date_in": "2018-02-30"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "add date other format", req: post("/add_product/{A}", addBody(map[string]any{"date_in": "01/02/2018"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "add future date", req: post("/add_product/{A}", addBody(map[string]any{"date_in": "2018-02-11"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "add date number", req: post("/add_product/{A}", addBody(map[string]any{"date_in": 20180201})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "add period word", req: post("/add_product/{A}", addBody(map[string]any{"period": "a year"})), want: 400, details: BAD_PRODUCT_PERIOD},
		{name: "add period 0", req: post("/add_product/{A}", addBody(map[string]any{"period": 0})), want: 400, details: BAD_PRODUCT_PERIOD},
		{name: "add quantity word", req: post("/add_product/{A}", addBody(map[string]any{"quantity": "two"})), want: 400, details: BAD_PRODUCT_QUANTITY},
		{name: "add quantity 0", req: post("/add_product/{A}", addBody(map[string]any{"quantity": 0})), want: 400, details: BAD_PRODUCT_QUANTITY},
		{name: "add empty quantity", req: post("/add_product/{A}", addBody(map[string]any{"quantity": ""})), want: 400, details: BAD_PRODUCT_QUANTITY},
		{name: "add GET", req: get("/add_product/{A}"), want: 405},

		// update_product
		{name: "update rename", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"product_name": "soupe", "text_descr": "tomates"})), want: 200,
			check: func(t *testing.T, e *env) {
				if p := productNum(t, e, 1); p.ProductName != "soupe" || p.TextDescr != "tomates" || p.Quantity != 4 || p.BoxNum != 1 || p.ProdNum != 4 {
					t.Errorf("renamed = %+v", p)
				}
			}},
		{name: "update take out", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"date_out": "2018-02-05"})), want: 200,
			check: func(t *testing.T, e *env) {
				if p := productNum(t, e, 1); p.DateOut == nil || *p.DateOut != "2018-02-05" {
					t.Errorf("taken out = %+v", p)
				}
			}},
		{name: "update put back", req: post("/update_product/1/1/7/0/{A}", updBody(map[string]any{"date_out": "null"})), want: 200,
			check: func(t *testing.T, e *env) {
				if p := productNum(t, e, 12); p.DateOut != nil {
					t.Errorf("put back = %+v", p)
				}
			}},
		{name: "update put back into a taken slot", req: post("/update_product/1/1/4/0/{A}", updBody(map[string]any{"date_out": "null"})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "update put back into a free slot", req: post("/update_product/1/1/4/0/{A}", updBody(map[string]any{"date_out": "null", "prod_num": 9})), want: 200,
			check: func(t *testing.T, e *env) {
				if p := productNum(t, e, 11); p.DateOut != nil || p.ProdNum != 9 {
					t.Errorf("put back = %+v", p)
				}
			}},
		{name: "update all fields", req: post("/update_product/1/2/2/1/{A}", updBody(map[string]any{"product_name": "moka", "text_descr": "café", "freezer_id": 2,
			"type_id": "40", "date_in": "2017-08-01", "period": "6", "box_num": 7, "prod_num": "3", "quantity": 1})), want: 200,
			check: func(t *testing.T, e *env) {
				want := cProduct{7, "2017-08-01", nil, 4, 2, "frigo 2", 6, 3, "moka", 1, "café", 40}
				if p := productNum(t, e, 4); fmt.Sprint(p) != fmt.Sprint(want) {
					t.Errorf("updated = %+v, want %+v", p, want)
				}
			}},
		{name: "update move box keeps freezer and slot", req: post("/update_product/1/3/1/1/{A}", updBody(map[string]any{"box_num": 1})), want: 200,
			check: func(t *testing.T, e *env) {
				if p := productNum(t, e, 7); p.FreezerID != 1 || p.BoxNum != 1 || p.ProdNum != 1 {
					t.Errorf("moved = %+v", p)
				}
			}},
		{name: "update move to the slot it holds", req: post("/update_product/1/2/2/1/{A}", updBody(map[string]any{"freezer_id": 1, "box_num": 2, "prod_num": 2})), want: 200},
		{name: "update move to a taken slot", req: post("/update_product/1/2/2/1/{A}", updBody(map[string]any{"box_num": 1, "prod_num": 5})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "update move beyond the boxes", req: post("/update_product/1/2/2/1/{A}", updBody(map[string]any{"box_num": 9})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "update move to another account's freezer", req: post("/update_product/1/2/2/1/{A}", updBody(map[string]any{"freezer_id": 3})), want: 400, details: BAD_PRODUCT_EMPLACEMENT},
		{name: "update date out before date in", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"date_out": "2017-12-25"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "update date out in the future", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"date_out": "2019-01-01"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "update date out malformed", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"date_out": "yesterday"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "update date in after date out", req: post("/update_product/1/1/7/0/{A}", updBody(map[string]any{"date_in": "2018-02-01"})), want: 400, details: BAD_PRODUCT_DATE},
		{name: "update unknown type", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"type_id": 50})), want: 400, details: BAD_PRODUCT_TYPE},
		{name: "update period word", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"period": "long"})), want: 400, details: BAD_PRODUCT_PERIOD},
		{name: "update period too long", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"period": 121})), want: 400, details: BAD_PRODUCT_PERIOD},
		{name: "update quantity 0", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"quantity": "0"})), want: 400, details: BAD_PRODUCT_QUANTITY},
		{name: "update no product there", req: post("/update_product/1/1/3/1/{A}", updBody(nil)), want: 400, details: BAD_PARAMETER},
		{name: "update inside flag wrong", req: post("/update_product/1/1/5/0/{A}", updBody(nil)), want: 400, details: BAD_PARAMETER},
		{name: "update another account's product", req: post("/update_product/3/1/1/1/{A}", updBody(map[string]any{"product_name": "mine"})), want: 400, details: BAD_PARAMETER},
		{name: "update missing key", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"date_out": nil})), want: 400, details: BAD_FORMAT},
		{name: "update extra key", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"outcome": "eaten"})), want: 400, details: BAD_FORMAT},
		{name: "update name not a string", req: post("/update_product/1/1/4/1/{A}", updBody(map[string]any{"product_name": true})), want: 400, details: BAD_FORMAT},
		{name: "update malformed", req: post("/update_product/1/1/4/1/{A}", `{"product_name": }`), want: 400, details: BAD_FORMAT},
		{name: "update wrong content type", req: withCT(post("/update_product/1/1/4/1/{A}", updBody(nil)), "text/html"), want: 415, details: BAD_CONTENT_TYPE},
		{name: "update bad token", req: post("/update_product/1/1/4/1/"+unknownToken, updBody(nil)), want: 400, details: BAD_TOKEN},
		{name: "update path word", req: post("/update_product/1/one/4/1/{A}", updBody(nil)), want: 404},
		{name: "update inside word", req: post("/update_product/1/1/4/yes/{A}", updBody(nil)), want: 404},
		{name: "update PUT", req: put("/update_product/1/1/4/1/{A}", updBody(nil)), want: 405},

		// tendencies
		{name: "general tendency", req: get("/general_tendency/{A}"), want: 200,
			json: `[{"freq":3,"type_id":1,"type_name_en":"soup","type_name_fr":"soupe"},
			{"freq":3,"type_id":7,"type_name_en":"white meat","type_name_fr":"viande blanche"},
			{"freq":3,"type_id":24,"type_name_en":"ice-cream","type_name_fr":"glace"},
			{"freq":2,"type_id":13,"type_name_en":"fish","type_name_fr":"poisson"},
			{"freq":1,"type_id":27,"type_name_en":"bread","type_name_fr":"pain"},
			{"freq":1,"type_id":33,"type_name_en":"pizza","type_name_fr":"pizza"}]`},
		{name: "general tendency bad token", req: get("/general_tendency/" + unknownToken), want: 400, details: BAD_TOKEN},
		{name: "custom tendency", req: get("/custom_tendency/{A}"), want: 200,
			json: `[{"freq":1,"latest":"2018-01-20","type_id":27,"type_name_en":"bread","type_name_fr":"pain"},
			{"freq":3,"latest":"2018-01-10","type_id":1,"type_name_en":"soup","type_name_fr":"soupe"},
			{"freq":3,"latest":null,"type_id":7,"type_name_en":"white meat","type_name_fr":"viande blanche"},
			{"freq":3,"latest":null,"type_id":24,"type_name_en":"ice-cream","type_name_fr":"glace"},
			{"freq":2,"latest":null,"type_id":13,"type_name_en":"fish","type_name_fr":"poisson"}]`},
		{name: "custom tendency bad token", req: get("/custom_tendency/" + unknownToken), want: 400, details: BAD_TOKEN},

		// unknown routes
		{name: "unknown route", req: get("/products/{A}"), want: 404},
		{name: "too many segments", req: get("/types/{A}/more"), want: 404},
	}
}

func TestCompatRoutes(t *testing.T) {
	for _, tc := range compatCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			req := tc.req
			req.path = strings.ReplaceAll(e.expand(req.path), "{UPPER_A}", strings.ToUpper(e.a))
			w := e.do(t, req)
			if w.Code != tc.want {
				t.Fatalf("%s %s = %d %s, want %d", req.method, tc.req.path, w.Code, w.Body, tc.want)
			}
			if tc.want >= 400 {
				got := decode[compatErr](t, w)
				if got.Status != tc.want {
					t.Errorf("status in body = %d, want %d", got.Status, tc.want)
				}
				if tc.details != "" && got.Details != tc.details {
					t.Errorf("details = %q, want %q", got.Details, tc.details)
				}
				if ct := w.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q, want application/json", ct)
				}
			}
			if tc.want == 405 && w.Header().Get("Allow") == "" {
				t.Errorf("405 without an Allow header")
			}
			if tc.want == 200 && req.method != http.MethodGet && w.Body.Len() != 0 {
				t.Errorf("write answered body %q, want empty", w.Body)
			}
			if tc.json != "" {
				assertJSON(t, w.Body.Bytes(), tc.json)
			}
			if tc.check != nil {
				tc.check(t, e)
			}
		})
	}
}

func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("body = %s\nwant   %s", gb, wb)
	}
}
