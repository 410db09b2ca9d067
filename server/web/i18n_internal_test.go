package web

import (
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"

	"freezer/domain"
	"freezer/server"
)

// Every sentence exists in English and French, and every key the
// templates and the code name exists.
func TestMessagesComplete(t *testing.T) {
	en, fr := slices.Sorted(maps.Keys(messages["en"])), slices.Sorted(maps.Keys(messages["fr"]))
	if !slices.Equal(en, fr) {
		t.Fatalf("en.json and fr.json have different keys")
	}
	for k, v := range messages["fr"] {
		same := v == "Administration" // the same word in both languages
		if v == "" || v == messages["en"][k] && len(v) > 12 && !same {
			t.Errorf("fr %q = %q: empty or left in English", k, v)
		}
	}
	used := map[string]bool{}
	keyRE := regexp.MustCompile(`\.T "([a-z_.0-9]+)"`)
	names, _ := fs.Glob(files, "templates/*.html")
	for _, name := range names {
		b, _ := fs.ReadFile(files, name)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	for _, f := range statusFilters {
		used["filter."+f] = true
	}
	for _, s := range []string{"overdue", "due_soon", "ok", "out"} {
		used["status."+s] = true
	}
	for k := range used {
		if _, ok := messages["en"][k]; !ok {
			t.Errorf("the templates use %q, which en.json lacks", k)
		}
	}
}

// passwordProblem names the rule server.CheckNewPassword applies: the
// English sentence is the server's, word for word.
func TestPasswordProblemMatchesTheServer(t *testing.T) {
	const email = "anne@example.com"
	for _, p := range []string{"short", "          ", "aaaaaaaaaaaa", "abababababab", "anne@example.com", "password123",
		"a very long password that goes on and on and on and on and on and on and on and on"} {
		err := server.CheckNewPassword(email, p)
		if err == nil {
			t.Fatalf("CheckNewPassword(%q) accepted it", p)
		}
		if got, want := tr("en", passwordProblem(email, p)), domain.ErrorMessage(err); got != want {
			t.Errorf("password %q: page says %q, server %q", p, got, want)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for _, tt := range []struct{ header, want string }{
		{"", "en"}, {"fr-BE,fr;q=0.9,en;q=0.8", "fr"}, {"nl-BE, en;q=0.5, fr;q=0.7", "fr"}, {"de", "en"}, {"en-GB, fr;q=0.9", "en"}, {"fr;q=0", "en"},
	} {
		r := httptestRequest(tt.header)
		if got := language(r); got != tt.want {
			t.Errorf("language(Accept-Language %q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

func httptestRequest(acceptLanguage string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/app/", nil)
	if acceptLanguage != "" {
		r.Header.Set("Accept-Language", acceptLanguage)
	}
	return r
}
