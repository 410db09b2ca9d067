package server_test

import (
	"strings"
	"testing"
)

// TestOpenAPICoversEveryRoute fails when a route of the mux is missing
// from the OpenAPI document (or the document lists a route that is gone).
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, get("/api/v1/openapi.json"))
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json = %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	doc := decode[struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
		Comps   struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}](t, w)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, p := range e.srv.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		path = strings.ReplaceAll(path, "{$}", "")
		routes[strings.ToLower(method)+" "+path] = true
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("route %q is missing from openapi.json", p)
			continue
		}
		// A type assertion, not op["summary"] == "": an absent summary is a
		// nil any, which is not equal to "".
		if summary, _ := op["summary"].(string); strings.TrimSpace(summary) == "" {
			t.Errorf("route %q has no summary in openapi.json", p)
		}
		if responses, _ := op["responses"].(map[string]any); len(responses) == 0 {
			t.Errorf("route %q has no responses in openapi.json", p)
		}
	}
	for path, item := range doc.Paths {
		for method := range item {
			if !routes[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which the mux does not route", method, path)
			}
		}
	}
	// Every $ref resolves.
	for _, ref := range refs(w.Body.String()) {
		if _, ok := doc.Comps.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]; !ok {
			t.Errorf("dangling $ref %q", ref)
		}
	}
}

func refs(s string) []string {
	var out []string
	for _, part := range strings.Split(s, `"$ref": "`)[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	return out
}
