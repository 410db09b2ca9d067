package ui_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

func readJSON(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("translation", name))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// englishOnly returns the English strings whose French differs: seeing one
// on a French screen means a label escaped translation.
func englishOnly(t *testing.T) map[string]bool {
	en, fr := readJSON(t, "en.json"), readJSON(t, "fr.json")
	out := map[string]bool{}
	for k, v := range en {
		if fr[k] != v {
			out[v] = true
		}
	}
	return out
}

func TestTranslationsComplete(t *testing.T) {
	en, fr := readJSON(t, "en.json"), readJSON(t, "fr.json")
	for k := range en {
		if fr[k] == "" {
			t.Errorf("fr.json lacks %q", k)
		}
	}
	for k := range fr {
		if en[k] == "" {
			t.Errorf("en.json lacks %q", k)
		}
	}
	// Every literal key the code asks for exists.
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`lang\.L\("([a-z_.0-9]+)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if _, ok := en[m[1]]; !ok && !slices.Contains([]string{"history.", "field.", "month."}, m[1]) {
				t.Errorf("%s asks for %q, missing from en.json", f, m[1])
			}
		}
	}
}
