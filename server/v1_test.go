package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// v1Case is one request to /api/v1 and what must come back.
type v1Case struct {
	name  string
	req   request // {A}, {FA1}... are expanded in path and body; bearer "A" or "B" picks a token
	want  int
	code  string // the problem's code, when want is an error
	field string
	check func(*testing.T, *env, string) // body
}

type vFreezer struct {
	ID       string
	Name     string
	Boxes    int
	CompatID int `json:"compat_id"`
}

type vProduct struct {
	ID          string
	Name        string
	Description string
	TypeID      int `json:"type_id"`
	Location    struct {
		FreezerID string `json:"freezer_id"`
		Box, Slot int
	}
	Quantity    int
	DateIn      string `json:"date_in"`
	Period      int    `json:"period_months"`
	DateOut     string `json:"date_out"`
	Outcome     string
	CompatID    int    `json:"compat_id"`
	FreezerName string `json:"freezer_name"`
	Deadline    string
	Status      string
}

func v1(method, path, body string) request {
	return request{method: method, path: path, body: body, bearer: "A"}
}

func asB(r request) request { r.bearer = "B"; return r }

func noAuth(r request) request { r.bearer = ""; return r }

func bodyIs[T any](check func(*testing.T, T)) func(*testing.T, *env, string) {
	return func(t *testing.T, e *env, body string) {
		t.Helper()
		check(t, decodeString[T](t, body))
	}
}

func v1Cases() []v1Case {
	const product = `{"name": "glace fraise", "description": "fraises", "type_id": 24,
		"location": {"freezer_id": "{FA1}", "box": 2, "slot": 3}, "quantity": 2, "date_in": "2018-02-01", "period_months": 12}`
	return []v1Case{
		{name: "openapi", req: noAuth(v1("GET", "/api/v1/openapi.json", "")), want: 200},

		// accounts
		{name: "register", req: noAuth(v1("POST", "/api/v1/register", `{"email": "carol@example.com", "password": "plum jam tart"}`)), want: 201,
			check: bodyIs(func(t *testing.T, b map[string]string) {
				if len(b["token"]) != 64 || len(b) != 1 {
					t.Errorf("register = %v", b)
				}
			})},
		{name: "register email taken (other case)", req: noAuth(v1("POST", "/api/v1/register", `{"email": "ALICE@example.com", "password": "plum jam tart"}`)), want: 409, code: "conflict"},
		{name: "register short password", req: noAuth(v1("POST", "/api/v1/register", `{"email": "carol@example.com", "password": "123456789"}`)), want: 400, code: "invalid", field: "password"},
		{name: "register bad email", req: noAuth(v1("POST", "/api/v1/register", `{"email": "carol", "password": "plum jam tart"}`)), want: 400, code: "invalid", field: "email"},
		{name: "register extra key", req: noAuth(v1("POST", "/api/v1/register", `{"email": "c@example.com", "password": "12345678", "admin": true}`)), want: 400, code: "invalid"},
		{name: "register wrong type", req: noAuth(v1("POST", "/api/v1/register", `{"email": "c@example.com", "password": 1234567890}`)), want: 400, code: "invalid"},
		{name: "register malformed", req: noAuth(v1("POST", "/api/v1/register", `{"email": `)), want: 400, code: "invalid"},
		{name: "register wrong content type", req: withCT(noAuth(v1("POST", "/api/v1/register", `{"email": "c@example.com", "password": "plum jam tart"}`)), "text/plain"), want: 415, code: "unsupported_media_type"},
		{name: "register GET", req: noAuth(v1("GET", "/api/v1/register", "")), want: 405, code: "method_not_allowed"},
		{name: "login", req: noAuth(v1("POST", "/api/v1/login", `{"email": "Alice@Example.com", "password": "correct horse"}`)), want: 200,
			check: bodyIs(func(t *testing.T, b map[string]string) {
				if len(b["token"]) != 64 {
					t.Errorf("login = %v", b)
				}
			})},
		{name: "login wrong password", req: noAuth(v1("POST", "/api/v1/login", `{"email": "alice@example.com", "password": "wrong horse"}`)), want: 401, code: "unauthorized"},
		{name: "login unknown email", req: noAuth(v1("POST", "/api/v1/login", `{"email": "zoe@example.com", "password": "correct horse"}`)), want: 401, code: "unauthorized"},
		{name: "login missing key", req: noAuth(v1("POST", "/api/v1/login", `{"email": "alice@example.com", "pass": "correct horse"}`)), want: 400, code: "invalid"},
		{name: "account", req: v1("GET", "/api/v1/account", ""), want: 200, check: bodyIs(func(t *testing.T, b map[string]any) {
			if b["email"] != "alice@example.com" {
				t.Errorf("account = %v", b)
			}
		})},
		{name: "account no token", req: noAuth(v1("GET", "/api/v1/account", "")), want: 401, code: "unauthorized"},
		{name: "account bad token", req: request{method: "GET", path: "/api/v1/account", bearer: strings.Repeat("0", 64)}, want: 401, code: "unauthorized"},
		{name: "account malformed token", req: request{method: "GET", path: "/api/v1/account", bearer: "abc"}, want: 401, code: "unauthorized"},
		{name: "account basic auth", req: request{method: "GET", path: "/api/v1/account", header: http.Header{"Authorization": {"Basic YTpi"}}}, want: 401, code: "unauthorized"},
		{name: "rotate token", req: v1("POST", "/api/v1/account/token", ""), want: 200, check: func(t *testing.T, e *env, body string) {
			tok := decodeString[map[string]string](t, body)["token"]
			if w := e.do(t, request{method: "GET", path: "/api/v1/account", bearer: e.a}); w.Code != 401 {
				t.Errorf("old token after rotation = %d, want 401", w.Code)
			}
			if w := e.do(t, request{method: "GET", path: "/check_token/" + tok}); w.Code != 200 {
				t.Errorf("new token = %d, want 200", w.Code)
			}
		}},
		{name: "change password", req: v1("PUT", "/api/v1/account/password", `{"current_password": "correct horse", "new_password": "battery staple"}`), want: 204,
			check: func(t *testing.T, e *env, _ string) {
				if w := e.do(t, post("/api/v1/login", `{"email": "alice@example.com", "password": "battery staple"}`)); w.Code != 200 {
					t.Errorf("login with the new password = %d", w.Code)
				}
				if w := e.do(t, post("/api/v1/login", `{"email": "alice@example.com", "password": "correct horse"}`)); w.Code != 401 {
					t.Errorf("login with the old password = %d", w.Code)
				}
			}},
		{name: "change password wrong current", req: v1("PUT", "/api/v1/account/password", `{"current_password": "nope nope", "new_password": "battery staple"}`), want: 400, code: "invalid", field: "current_password"},
		{name: "change password too short", req: v1("PUT", "/api/v1/account/password", `{"current_password": "correct horse", "new_password": "short"}`), want: 400, code: "invalid", field: "password"},

		// types
		{name: "types", req: v1("GET", "/api/v1/types", ""), want: 200, check: bodyIs(func(t *testing.T, b []map[string]any) {
			if len(b) != 43 || b[23]["name_en"] != "ice-cream" {
				t.Errorf("types = %d, [23] = %v", len(b), b[23])
			}
		})},
		{name: "types bad token", req: request{method: "GET", path: "/api/v1/types", bearer: strings.Repeat("f", 64)}, want: 401, code: "unauthorized"},

		// freezers
		{name: "freezers", req: v1("GET", "/api/v1/freezers", ""), want: 200, check: bodyIs(func(t *testing.T, b []vFreezer) {
			if len(b) != 2 || b[0].Name != "frigo 1" || b[1].Boxes != 8 || b[1].CompatID != 2 {
				t.Errorf("freezers = %+v", b)
			}
		})},
		{name: "freezer create", req: v1("POST", "/api/v1/freezers", `{"name": "garage", "boxes": 3}`), want: 201, check: func(t *testing.T, e *env, body string) {
			f := decodeString[vFreezer](t, body)
			if f.Name != "garage" || f.Boxes != 3 || f.CompatID != 4 || len(f.ID) != 36 {
				t.Errorf("created %+v", f)
			}
			assertJSON(t, e.do(t, get("/freezers/"+e.a)).Body.Bytes(), `[{"freezer_id":1,"freezer_name":"frigo 1","number_boxes":4},
				{"freezer_id":2,"freezer_name":"frigo 2","number_boxes":8},{"freezer_id":4,"freezer_name":"garage","number_boxes":3}]`)
		}},
		{name: "freezer create with device id", req: v1("POST", "/api/v1/freezers", `{"id": "0190a5c4-3b7e-7d2a-9f00-000000000001", "name": "garage", "boxes": 3}`), want: 201,
			check: bodyIs(func(t *testing.T, f vFreezer) {
				if f.ID != "0190a5c4-3b7e-7d2a-9f00-000000000001" {
					t.Errorf("id = %s", f.ID)
				}
			})},
		{name: "freezer create same id twice", req: v1("POST", "/api/v1/freezers", `{"id": "{FA1}", "name": "dup", "boxes": 3}`), want: 409, code: "conflict"},
		{name: "freezer create 0 boxes", req: v1("POST", "/api/v1/freezers", `{"name": "garage", "boxes": 0}`), want: 400, code: "invalid", field: "boxes"},
		{name: "freezer create no name", req: v1("POST", "/api/v1/freezers", `{"boxes": 2}`), want: 400, code: "invalid", field: "name"},
		{name: "freezer create boxes string", req: v1("POST", "/api/v1/freezers", `{"name": "g", "boxes": "2"}`), want: 400, code: "invalid"},
		{name: "freezer create array body", req: v1("POST", "/api/v1/freezers", `[]`), want: 400, code: "invalid", check: bodyIs(func(t *testing.T, p problemDoc) {
			if !strings.Contains(p.Detail, "JSON object") {
				t.Errorf("detail = %q", p.Detail)
			}
		})},
		{name: "freezer create boxes as text", req: v1("POST", "/api/v1/freezers", `{"name": "g", "boxes": "two"}`), want: 400, code: "invalid", check: bodyIs(func(t *testing.T, p problemDoc) {
			if p.Detail != `The body is not valid JSON for this route: "boxes" must be a number.` {
				t.Errorf("detail = %q", p.Detail)
			}
		})},
		{name: "freezer create extra key", req: v1("POST", "/api/v1/freezers", `{"name": "g", "boxes": 2, "color": "red"}`), want: 400, code: "invalid"},
		{name: "freezer create wrong content type", req: withCT(v1("POST", "/api/v1/freezers", `{"name": "g", "boxes": 2}`), "-"), want: 415, code: "unsupported_media_type"},
		{name: "freezer get", req: v1("GET", "/api/v1/freezers/{FA2}", ""), want: 200, check: bodyIs(func(t *testing.T, f vFreezer) {
			if f.Name != "frigo 2" {
				t.Errorf("freezer = %+v", f)
			}
		})},
		{name: "freezer get unknown", req: v1("GET", "/api/v1/freezers/0190a5c4-3b7e-7d2a-9f00-000000000009", ""), want: 404, code: "not_found"},
		{name: "freezer get not a uuid", req: v1("GET", "/api/v1/freezers/2", ""), want: 404, code: "not_found"},
		{name: "freezer patch", req: v1("PATCH", "/api/v1/freezers/{FA2}", `{"name": "cellar"}`), want: 200, check: bodyIs(func(t *testing.T, f vFreezer) {
			if f.Name != "cellar" || f.Boxes != 8 {
				t.Errorf("patched %+v", f)
			}
		})},
		{name: "freezer patch boxes", req: v1("PATCH", "/api/v1/freezers/{FA1}", `{"boxes": 6}`), want: 200},
		{name: "freezer patch removes a used box", req: v1("PATCH", "/api/v1/freezers/{FA1}", `{"boxes": 2}`), want: 409, code: "conflict", field: "boxes"},
		{name: "freezer patch empty name", req: v1("PATCH", "/api/v1/freezers/{FA1}", `{"name": ""}`), want: 400, code: "invalid", field: "name"},
		{name: "freezer patch unknown key", req: v1("PATCH", "/api/v1/freezers/{FA1}", `{"title": "x"}`), want: 400, code: "invalid"},
		{name: "freezer delete", req: v1("DELETE", "/api/v1/freezers/{FA2}", ""), want: 204, check: func(t *testing.T, e *env, _ string) {
			if w := e.do(t, request{method: "GET", path: "/api/v1/freezers/" + e.frigo2.ID.String(), bearer: e.a}); w.Code != 404 {
				t.Errorf("deleted freezer = %d, want 404", w.Code)
			}
		}},
		{name: "freezer delete holding products", req: v1("DELETE", "/api/v1/freezers/{FA1}", ""), want: 409, code: "conflict", field: "deleted"},
		{name: "freezer delete twice", req: v1("DELETE", "/api/v1/freezers/{FB}", ""), want: 404, code: "not_found"},
		{name: "next slots", req: v1("GET", "/api/v1/freezers/{FA1}/next-slots", ""), want: 200, check: func(t *testing.T, e *env, body string) {
			assertJSON(t, []byte(body), `{"1":1,"2":3,"3":3,"4":3}`)
		}},
		{name: "freezers PUT", req: v1("PUT", "/api/v1/freezers", `{}`), want: 405, code: "method_not_allowed"},

		// products
		{name: "products inside", req: v1("GET", "/api/v1/products", ""), want: 200, check: bodyIs(func(t *testing.T, b []vProduct) {
			if len(b) != 10 || b[0].Name != "Soupe de Noël" || b[0].FreezerName != "frigo 1" || b[0].Deadline != "2018-06-26" || b[0].Status != "due_soon" && b[0].Status != "ok" {
				t.Errorf("products = %d, first %+v", len(b), b[0])
			}
		})},
		{name: "products all", req: v1("GET", "/api/v1/products?where=all", ""), want: 200, check: bodyIs(func(t *testing.T, b []vProduct) {
			if len(b) != 12 {
				t.Errorf("all = %d, want 12", len(b))
			}
		})},
		{name: "products out", req: v1("GET", "/api/v1/products?where=out&sort=date_out&desc=true", ""), want: 200, check: bodyIs(func(t *testing.T, b []vProduct) {
			if len(b) != 2 || b[0].Name != "pain" || b[0].DateOut != "2018-01-20" || b[0].Status != "out" {
				t.Errorf("out = %+v", b)
			}
		})},
		{name: "products search by status, sorted", req: v1("GET", "/api/v1/products?q=GLACE&status=ok,overdue&sort=name&offset=1", ""), want: 200, check: bodyIs(func(t *testing.T, b []vProduct) {
			if len(b) != 2 || b[0].Name != "glace moka" || b[1].Name != "glace vanille" {
				t.Errorf("ice-creams = %+v", b)
			}
		})},
		{name: "products by type, deadline order, limit", req: v1("GET", "/api/v1/products?type=7&sort=deadline&limit=2&freezer={FA1}&box=4", ""), want: 200,
			check: bodyIs(func(t *testing.T, b []vProduct) {
				if len(b) != 1 || b[0].Name != "filet de veau" {
					t.Errorf("white meat in box 4 = %+v", b)
				}
			})},
		{name: "products bad filter", req: v1("GET", "/api/v1/products?where=everywhere", ""), want: 400, code: "invalid", field: "where"},
		{name: "products unknown filter", req: v1("GET", "/api/v1/products?colour=red", ""), want: 400, code: "invalid", field: "colour"},
		{name: "product get", req: v1("GET", "/api/v1/products/{PA1}", ""), want: 200, check: bodyIs(func(t *testing.T, p vProduct) {
			if p.Name != "Soupe de Noël" || p.CompatID != 1 || p.Location.Box != 1 || p.Location.Slot != 4 {
				t.Errorf("product = %+v", p)
			}
		})},
		{name: "product get unknown", req: v1("GET", "/api/v1/products/0190a5c4-3b7e-7d2a-9f00-000000000009", ""), want: 404, code: "not_found"},
		{name: "product create", req: v1("POST", "/api/v1/products", product), want: 201, check: func(t *testing.T, e *env, body string) {
			p := decodeString[vProduct](t, body)
			if p.CompatID != 14 || p.Name != "glace fraise" || p.Location.Box != 2 || p.Location.Slot != 3 || p.Status != "ok" {
				t.Errorf("created %+v", p)
			}
			if p := productNum(t, e, 14); p.ProductName != "glace fraise" || p.FreezerID != 1 {
				t.Errorf("compat reads %+v", p)
			}
		}},
		{name: "product create slot taken", req: v1("POST", "/api/v1/products", strings.Replace(product, `"slot": 3`, `"slot": 2`, 1)), want: 409, code: "conflict", field: "location"},
		{name: "product create bad box", req: v1("POST", "/api/v1/products", strings.Replace(product, `"box": 2`, `"box": 5`, 1)), want: 400, code: "invalid", field: "location"},
		{name: "product create unknown type", req: v1("POST", "/api/v1/products", strings.Replace(product, `"type_id": 24`, `"type_id": 99`, 1)), want: 400, code: "invalid", field: "type"},
		{name: "product create future", req: v1("POST", "/api/v1/products", strings.Replace(product, `2018-02-01`, `2018-03-01`, 1)), want: 400, code: "invalid", field: "date_in"},
		{name: "product create bad date", req: v1("POST", "/api/v1/products", strings.Replace(product, `2018-02-01`, `2018-2-1`, 1)), want: 400, code: "invalid"},
		{name: "product create quantity 0", req: v1("POST", "/api/v1/products", strings.Replace(product, `"quantity": 2`, `"quantity": 0`, 1)), want: 400, code: "invalid", field: "quantity"},
		{name: "product create extra key", req: v1("POST", "/api/v1/products", strings.Replace(product, `"quantity": 2`, `"quantity": 2, "x": 1`, 1)), want: 400, code: "invalid"},
		{name: "product patch", req: v1("PATCH", "/api/v1/products/{PA1}", `{"name": "soupe", "quantity": 3}`), want: 200, check: bodyIs(func(t *testing.T, p vProduct) {
			if p.Name != "soupe" || p.Quantity != 3 || p.Description == "" {
				t.Errorf("patched %+v", p)
			}
		})},
		{name: "product move", req: v1("PATCH", "/api/v1/products/{PA1}", `{"location": {"freezer_id": "{FA2}", "box": 8, "slot": 1}}`), want: 200, check: bodyIs(func(t *testing.T, p vProduct) {
			if p.FreezerName != "frigo 2" || p.Location.Box != 8 {
				t.Errorf("moved %+v", p)
			}
		})},
		{name: "product move to taken slot", req: v1("PATCH", "/api/v1/products/{PA1}", `{"location": {"freezer_id": "{FA1}", "box": 1, "slot": 5}}`), want: 409, code: "conflict", field: "location"},
		{name: "product patch period 0", req: v1("PATCH", "/api/v1/products/{PA1}", `{"period_months": 0}`), want: 400, code: "invalid", field: "period"},
		{name: "take out", req: v1("POST", "/api/v1/products/{PA1}/take-out", `{"date_out": "2018-02-09", "outcome": "discarded"}`), want: 200,
			check: bodyIs(func(t *testing.T, p vProduct) {
				if p.DateOut != "2018-02-09" || p.Outcome != "discarded" || p.Status != "out" {
					t.Errorf("taken out %+v", p)
				}
			})},
		{name: "take out today by default", req: v1("POST", "/api/v1/products/{PA1}/take-out", `{}`), want: 200, check: bodyIs(func(t *testing.T, p vProduct) {
			if p.DateOut != "2018-02-10" || p.Outcome != "eaten" {
				t.Errorf("taken out %+v", p)
			}
		})},
		{name: "take out twice", req: v1("POST", "/api/v1/products/{PA11}/take-out", `{}`), want: 409, code: "conflict", field: "out"},
		{name: "take out before date in", req: v1("POST", "/api/v1/products/{PA1}/take-out", `{"date_out": "2017-01-01"}`), want: 400, code: "invalid", field: "out"},
		{name: "take out bad outcome", req: v1("POST", "/api/v1/products/{PA1}/take-out", `{"outcome": "lost"}`), want: 400, code: "invalid", field: "out"},
		{name: "put back", req: v1("POST", "/api/v1/products/{PA12}/put-back", `{}`), want: 200, check: bodyIs(func(t *testing.T, p vProduct) {
			if p.DateOut != "" || p.Outcome != "" || p.Status == "out" {
				t.Errorf("put back %+v", p)
			}
		})},
		{name: "put back into a taken slot", req: v1("POST", "/api/v1/products/{PA11}/put-back", `{}`), want: 409, code: "conflict", field: "location"},
		{name: "put back elsewhere", req: v1("POST", "/api/v1/products/{PA11}/put-back", `{"location": {"freezer_id": "{FA2}", "box": 1, "slot": 1}}`), want: 200},
		{name: "put back inside", req: v1("POST", "/api/v1/products/{PA1}/put-back", `{}`), want: 409, code: "conflict", field: "out"},

		// trends
		{name: "general trend", req: v1("GET", "/api/v1/trends/general", ""), want: 200, check: bodyIs(func(t *testing.T, b []map[string]any) {
			if len(b) != 6 || b[0]["type_id"] != 1.0 || b[0]["count"] != 3.0 || b[0]["name_en"] != "soup" {
				t.Errorf("general = %v", b)
			}
		})},
		{name: "my trend", req: v1("GET", "/api/v1/trends/mine", ""), want: 200, check: bodyIs(func(t *testing.T, b []map[string]any) {
			if len(b) != 5 || b[0]["type_id"] != 27.0 || b[0]["latest"] != "2018-01-20" {
				t.Errorf("mine = %v", b)
			}
		})},

		{name: "unknown v1 route", req: v1("GET", "/api/v1/nothing", ""), want: 404, code: "not_found"},
	}
}

func TestV1Routes(t *testing.T) {
	for _, tc := range v1Cases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			req := tc.req
			req.path, req.body = e.expand(req.path), e.expand(req.body)
			switch req.bearer {
			case "A":
				req.bearer = e.a
			case "B":
				req.bearer = e.b
			}
			w := e.do(t, req)
			if w.Code != tc.want {
				t.Fatalf("%s %s = %d %s, want %d", req.method, tc.req.path, w.Code, w.Body, tc.want)
			}
			if tc.want >= 400 {
				if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type = %q, want application/problem+json", ct)
				}
				p := decode[problemDoc](t, w)
				if p.Status != tc.want || p.Code != tc.code || p.Field != tc.field || p.Title == "" || p.Type != "about:blank" {
					t.Errorf("problem = %+v, want status %d code %q field %q", p, tc.want, tc.code, tc.field)
				}
				if tc.want == 401 && w.Header().Get("WWW-Authenticate") == "" && tc.req.path != "/api/v1/login" {
					t.Errorf("401 without WWW-Authenticate")
				}
			}
			if tc.check != nil {
				tc.check(t, e, w.Body.String())
			}
		})
	}
}

func decodeString[T any](t *testing.T, s string) T {
	t.Helper()
	w := httptestRecorder(s)
	return decode[T](t, w)
}

func TestLoginThrottle(t *testing.T) {
	e := newEnv(t)
	login := func(password string) int {
		return e.do(t, post("/api/v1/login", fmt.Sprintf(`{"email": "alice@example.com", "password": %q}`, password))).Code
	}
	for i := range 5 {
		if code := login("wrong"); code != 401 {
			t.Fatalf("failure %d = %d, want 401", i+1, code)
		}
	}
	// Now every attempt waits: even the right password is refused at once.
	w := e.do(t, post("/api/v1/login", `{"email": "ALICE@example.com", "password": "correct horse"}`))
	if w.Code != 429 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("login after 5 failures = %d (Retry-After %q), want 429", w.Code, w.Header().Get("Retry-After"))
	}
	if code := e.do(t, post("/api/v1/login", `{"email": "bob@example.com", "password": "correct horse"}`)).Code; code != 200 {
		t.Errorf("another email = %d, want 200", code)
	}
	e.clock.Add(time.Second)
	if code := login("wrong"); code != 401 {
		t.Fatalf("after the wait = %d, want 401", code)
	}
	if code := login("correct horse"); code != 429 {
		t.Fatalf("right after the 6th failure = %d, want 429 (the wait doubled)", code)
	}
	e.clock.Add(2 * time.Second)
	if code := login("correct horse"); code != 200 {
		t.Fatalf("after the doubled wait = %d, want 200", code)
	}
	if code := login("wrong"); code != 401 {
		t.Fatalf("after a success the count restarts: %d, want 401", code)
	}
}
