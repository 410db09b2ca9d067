package server_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"freezer/domain"
)

// suggestionsBody is the answer of GET /api/v1/suggestions, as a client
// reads it.
type suggestionsBody struct {
	Lang  string
	Today string
	Count int
	Days  int
	Plan  []struct {
		Product vProduct
		Score   float64
		Reasons []vReason
	}
	Restock []struct {
		TypeID int `json:"type_id"`
		Type   string
		Reason vReason
	}
}

type vReason struct {
	Code    string
	Days    int
	TypeID  int `json:"type_id"`
	Count   int
	Of      int
	Persons int
	Usual   int
	Text    string
}

// mustAddSuggestHousehold gives B (who has a pizza for 2 due in 50 days) a
// history and two more products, on the env's day (2018-02-10):
// 5 fish taken out, 3 discarded; 3 soups eaten; 3 ice creams discarded,
// a month apart (none left); all for 2 people but the ice creams (3).
// Inside: a cabillaud for 2 overdue by 5 days, a soup for 2 due in 28 days.
func mustAddSuggestHousehold(t *testing.T, e *env) {
	t.Helper()
	slot := 0
	add := func(name string, typeID, persons int, in string, months int, out string, how domain.Outcome) {
		t.Helper()
		slot++
		p := domain.Product{Name: name, TypeID: typeID, Quantity: persons, PeriodMonths: months,
			Location: domain.Location{FreezerID: e.bFreezer.ID, Box: 2, Slot: slot}, Outcome: how}
		p.DateIn, _ = domain.ParseDate(in)
		if out != "" {
			p.DateOut, _ = domain.ParseDate(out)
		}
		if _, err := e.store.CreateProduct(context.Background(), e.bID, p); err != nil {
			t.Fatalf("CreateProduct(%q) error = %v", name, err)
		}
	}
	D, E := domain.OutcomeDiscarded, domain.OutcomeEaten
	for _, o := range []struct {
		day string
		how domain.Outcome
	}{{"2017-12-01", D}, {"2017-12-15", E}, {"2018-01-01", D}, {"2018-01-15", E}, {"2018-02-01", D}} {
		add("old fish", 13, 2, "2017-06-01", 12, o.day, o.how)
	}
	for _, day := range []string{"2017-11-20", "2017-12-20", "2018-01-25"} {
		add("old soup", 1, 2, "2017-06-01", 12, day, E)
	}
	for _, day := range []string{"2017-12-05", "2018-01-05", "2018-02-05"} {
		add("old ice cream", 24, 3, "2017-06-01", 12, day, D)
	}
	add("cabillaud", 13, 2, "2017-02-05", 12, "", "")
	add("soupe", 1, 2, "2017-09-10", 6, "", "")
}

// TestV1Suggestions: B's household ranked by hand, written before the
// run: 1. cabillaud (overdue by 5 days; fish often thrown away, 3 of 5;
// the usual 2 people), 2. soupe (due in 28 days; 2 people), 3. bob's
// pizza (due in 50 days; 2 people). Restock: ice cream, taken out every
// 31 days and none left (the last 5 days ago), and its last 3 discarded.
func TestV1Suggestions(t *testing.T) {
	e := newEnv(t)
	mustAddSuggestHousehold(t, e)
	w := e.do(t, request{method: "GET", path: "/api/v1/suggestions", bearer: e.b})
	if w.Code != http.StatusOK || w.Header().Get("Content-Language") != "en" {
		t.Fatalf("GET /api/v1/suggestions = %d (Content-Language %q) %s", w.Code, w.Header().Get("Content-Language"), w.Body)
	}
	got := decode[suggestionsBody](t, w)
	if got.Lang != "en" || got.Today != "2018-02-10" || got.Count != 7 || got.Days != 7 {
		t.Errorf("lang, today, count, days = %q %q %d %d; want en 2018-02-10 7 7", got.Lang, got.Today, got.Count, got.Days)
	}
	type row struct {
		name    string
		reasons []vReason
	}
	want := []row{
		{"cabillaud", []vReason{{Code: "overdue", Days: 5, Text: "overdue by 5 days"},
			{Code: "often_discarded", TypeID: 13, Count: 3, Of: 5, Text: "your fish is often thrown away (3 of 5)"},
			{Code: "usual_portion", Persons: 2, Text: "for 2 people, like most of your meals"}}},
		{"soupe", []vReason{{Code: "due_in", Days: 28, Text: "due in 28 days"},
			{Code: "usual_portion", Persons: 2, Text: "for 2 people, like most of your meals"}}},
		{"bob's pizza", []vReason{{Code: "due_in", Days: 50, Text: "due in 50 days"},
			{Code: "usual_portion", Persons: 2, Text: "for 2 people, like most of your meals"}}},
	}
	if len(got.Plan) != len(want) {
		t.Fatalf("plan = %d suggestions, want %d: %+v", len(got.Plan), len(want), got.Plan)
	}
	for i, wr := range want {
		if g := got.Plan[i]; g.Product.Name != wr.name || !slices.Equal(g.Reasons, wr.reasons) || g.Product.Deadline == "" {
			t.Errorf("plan[%d] = %q %+v, want %q %+v", i, g.Product.Name, g.Reasons, wr.name, wr.reasons)
		}
	}
	if got.Plan[0].Product.Status != "overdue" || got.Plan[0].Product.FreezerName != "bob's" {
		t.Errorf("plan[0] product = %+v, want overdue in bob's", got.Plan[0].Product)
	}
	wantHints := []vReason{
		{Code: "usually_have", TypeID: 24, Count: 3, Usual: 31, Days: 5,
			Text: "you usually have ice-cream (one every 31 days); the last one went out 5 days ago"},
		{Code: "always_discarded", TypeID: 24, Count: 3, Of: 3, Text: "ice-cream: 3 of the last 3 were thrown away; buy smaller?"},
	}
	if len(got.Restock) != len(wantHints) {
		t.Fatalf("restock = %+v, want %+v", got.Restock, wantHints)
	}
	for i, h := range wantHints {
		if g := got.Restock[i]; g.Reason != h || g.TypeID != 24 || g.Type != "ice-cream" {
			t.Errorf("restock[%d] = %+v, want %+v", i, g, h)
		}
	}
}

func TestV1SuggestionsLanguage(t *testing.T) {
	e := newEnv(t)
	mustAddSuggestHousehold(t, e)
	for _, tt := range []struct {
		accept, lang, first string
	}{
		{"", "en", "overdue by 5 days"},
		{"fr-BE,fr;q=0.9,en;q=0.8", "fr", "en retard de 5 jours"},
		{"de-DE, en;q=0.5, fr;q=0.4", "en", "overdue by 5 days"},
		{"nl-BE, fr;q=0.7", "fr", "en retard de 5 jours"},
		{"en;q=0.2, fr;q=0.9", "fr", "en retard de 5 jours"},
		{"*", "en", "overdue by 5 days"},
	} {
		w := e.do(t, request{method: "GET", path: "/api/v1/suggestions?count=1", bearer: e.b,
			header: http.Header{"Accept-Language": {tt.accept}}})
		got := decode[suggestionsBody](t, w)
		if w.Code != http.StatusOK || got.Lang != tt.lang || w.Header().Get("Content-Language") != tt.lang ||
			len(got.Plan) != 1 || got.Plan[0].Reasons[0].Text != tt.first {
			t.Errorf("Accept-Language %q: %d, lang %q, plan %+v; want %s, %q first", tt.accept, w.Code, got.Lang, got.Plan, tt.lang, tt.first)
		}
	}
	w := e.do(t, request{method: "GET", path: "/api/v1/suggestions", bearer: e.b, header: http.Header{"Accept-Language": {"fr"}}})
	got := decode[suggestionsBody](t, w)
	if len(got.Plan) == 0 || len(got.Restock) != 2 ||
		got.Plan[0].Reasons[1].Text != "« poisson » finit souvent à la poubelle chez vous (3 sur 5)" ||
		got.Restock[1].Reason.Text != "« glace » : les 3 derniers ont été jetés ; acheter en plus petit ?" {
		t.Errorf("French suggestions = %+v", got)
	}
}

func TestV1SuggestionsBounds(t *testing.T) {
	e := newEnv(t)
	mustAddSuggestHousehold(t, e)
	for _, tt := range []struct {
		query, field string
		want         int
		plan         int // suggestions, when 200
	}{
		{"?count=1", "", 200, 1},
		{"?count=100&days=365", "", 200, 3},
		{"?count=2&count=3", "", 200, 3}, // the last value wins
		{"?days=1", "", 200, 3},
		{"?count=0", "count", 400, 0},
		{"?count=101", "count", 400, 0},
		{"?count=two", "count", 400, 0},
		{"?days=0", "days", 400, 0},
		{"?days=366", "days", 400, 0},
		{"?days=", "days", 400, 0},
		{"?where=all", "where", 400, 0},
	} {
		w := e.do(t, request{method: "GET", path: "/api/v1/suggestions" + tt.query, bearer: e.b})
		if w.Code != tt.want {
			t.Errorf("GET %s = %d %s, want %d", tt.query, w.Code, w.Body, tt.want)
			continue
		}
		if tt.want == 200 {
			if got := decode[suggestionsBody](t, w); len(got.Plan) != tt.plan {
				t.Errorf("GET %s = %d suggestions, want %d", tt.query, len(got.Plan), tt.plan)
			}
			continue
		}
		if p := decode[problemDoc](t, w); p.Code != "invalid" || p.Field != tt.field {
			t.Errorf("GET %s = %+v, want invalid on %q", tt.query, p, tt.field)
		}
	}
	if w := e.do(t, request{method: "GET", path: "/api/v1/suggestions"}); w.Code != http.StatusUnauthorized {
		t.Errorf("GET without a token = %d, want 401", w.Code)
	}
	// A sees only A's products: the sample household, none of B's.
	w := e.do(t, request{method: "GET", path: "/api/v1/suggestions?count=100", bearer: e.a})
	for _, s := range decode[suggestionsBody](t, w).Plan {
		if s.Product.Name == "cabillaud" && s.Product.FreezerName != "frigo 1" || s.Product.FreezerName == "bob's" {
			t.Errorf("A's plan holds %+v", s.Product)
		}
	}
}
