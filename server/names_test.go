package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// namesOf returns the names of the account's freezers, as the store keeps them.
func namesOf(t *testing.T, e *env, account int64) []string {
	t.Helper()
	list, err := e.store.ListFreezers(context.Background(), account)
	if err != nil {
		t.Fatalf("ListFreezers() error = %v", err)
	}
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.Name
	}
	return out
}

// namesDo sends req with the token its bearer ("A" or "B") names.
func namesDo(t *testing.T, e *env, req request) *httptest.ResponseRecorder {
	t.Helper()
	switch req.bearer {
	case "A":
		req.bearer = e.a
	case "B":
		req.bearer = e.b
	}
	return e.do(t, req)
}

// namesWantConflict checks a 409 problem on the name saying which name is taken.
func namesWantConflict(t *testing.T, e *env, req request, taken string) {
	t.Helper()
	w := namesDo(t, e, req)
	if w.Code != http.StatusConflict {
		t.Fatalf("%s %s %s = %d %s, want 409", req.method, req.path, req.body, w.Code, w.Body)
	}
	p := decode[problemDoc](t, w)
	want := "A freezer named “" + taken + "” already exists. Choose another name."
	if p.Code != "conflict" || p.Field != "name" || p.Detail != want {
		t.Errorf("problem = %+v, want code conflict, field name, detail %q", p, want)
	}
}

func TestNamesV1RefusesATakenFreezerName(t *testing.T) {
	e := newEnv(t)
	want := []string{"frigo 1", "frigo 2"}
	for _, name := range []string{"frigo 1", "Frigo 1", " FRÍGO 1 "} {
		namesWantConflict(t, e, v1(http.MethodPost, "/api/v1/freezers", `{"name": "`+name+`", "boxes": 2}`), "frigo 1")
	}
	namesWantConflict(t, e, v1(http.MethodPatch, "/api/v1/freezers/"+e.frigo2.ID.String(), `{"name": "Frigo 1", "boxes": 3}`), "frigo 1")
	if got := namesOf(t, e, e.aID); !slices.Equal(got, want) {
		t.Errorf("after the refusals A's freezers = %q, want %q", got, want)
	}
	if f, err := e.store.FindFreezer(context.Background(), e.aID, e.frigo2.ID); err != nil || f.Boxes != 8 {
		t.Errorf("frigo 2 after the refused rename = %+v, %v; want 8 boxes still", f, err)
	}

	// Its own name in another case is allowed; another household's name is free.
	if w := namesDo(t, e, v1(http.MethodPatch, "/api/v1/freezers/"+e.frigo1.ID.String(), `{"name": "Frigo 1"}`)); w.Code != http.StatusOK {
		t.Errorf("renaming frigo 1 to Frigo 1 = %d %s, want 200", w.Code, w.Body)
	}
	if w := namesDo(t, e, asB(v1(http.MethodPost, "/api/v1/freezers", `{"name": "frigo 1", "boxes": 2}`))); w.Code != http.StatusCreated {
		t.Errorf("B creating frigo 1 = %d %s, want 201", w.Code, w.Body)
	}

	// A deleted freezer does not hold its name.
	if w := namesDo(t, e, v1(http.MethodDelete, "/api/v1/freezers/"+e.frigo2.ID.String(), "")); w.Code != http.StatusNoContent {
		t.Fatalf("DELETE frigo 2 = %d %s", w.Code, w.Body)
	}
	if w := namesDo(t, e, v1(http.MethodPost, "/api/v1/freezers", `{"name": "Frigo 2", "boxes": 2}`)); w.Code != http.StatusCreated {
		t.Errorf("creating Frigo 2 after deleting frigo 2 = %d %s, want 201", w.Code, w.Body)
	}
}

// TestNamesCompatAllowsRepeatedNames: the seed-compatible API keeps the
// original's behaviour, where two freezers may share a name.
func TestNamesCompatAllowsRepeatedNames(t *testing.T) {
	e := newEnv(t)
	if w := e.do(t, post(e.expand("/freezers/{A}"), `{"num_boxes": 4, "name": "frigo 1"}`)); w.Code != http.StatusOK {
		t.Fatalf("compat create of a second frigo 1 = %d %s, want 200", w.Code, w.Body)
	}
	if w := e.do(t, put(e.expand("/freezers/{A}"), `{"freezer_id": 2, "name": "FRIGO 1"}`)); w.Code != http.StatusOK {
		t.Fatalf("compat rename of frigo 2 to FRIGO 1 = %d %s, want 200", w.Code, w.Body)
	}
	got := namesOf(t, e, e.aID)
	if len(got) != 3 || strings.Count(strings.ToLower(strings.Join(got, ",")), "frigo 1") != 3 {
		t.Errorf("A's freezers = %q, want three named frigo 1", got)
	}
}
