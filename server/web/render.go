package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"freezer/domain"
	"freezer/server"
)

//go:embed i18n/*.json
var messageFiles embed.FS

// messages holds every sentence of the page, per language ("en", "fr").
var messages = loadMessages()

func loadMessages() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{"en", "fr"} {
		b, err := messageFiles.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			panic(fmt.Sprintf("web: embedded messages %s: %v", lang, err))
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("web: embedded messages %s: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// tr translates key into lang, formatting args into it (fmt verbs). A key
// missing from French falls back to English, then to the key itself.
func tr(lang, key string, args ...any) string {
	s, ok := messages[lang][key]
	if !ok {
		if s, ok = messages["en"][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// language is the cookie's language, else the first of Accept-Language
// the page speaks (by quality), else English.
func language(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "fr") {
		return c.Value
	}
	type choice struct {
		lang string
		q    float64
	}
	var cs []choice
	for part := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if (base == "en" || base == "fr") && q > 0 {
			cs = append(cs, choice{base, q})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].q > cs[j].q })
	if len(cs) > 0 {
		return cs[0].lang
	}
	return "en"
}

// page is what every template gets: the request's language, session and
// CSRF token, a notice or an error, and the page's own data.
type page struct {
	Lang   string
	Title  string
	Nav    string // the menu entry to mark: inventory, devices, account, admin
	User   *server.WebSession
	CSRF   string
	Path   string
	Notice string
	Error  string
	Data   any
}

// T translates a key (with fmt arguments) into the page's language.
func (p *page) T(key string, args ...any) string { return tr(p.Lang, key, args...) }

// Other is the language the switch offers.
func (p *page) Other() string {
	if p.Lang == "fr" {
		return "en"
	}
	return "fr"
}

// Date formats a date for the page's language: "5 Mar 2026", "5 mars 2026".
func (p *page) Date(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", d.Day, strings.Fields(tr(p.Lang, "months"))[d.Month-1], d.Year)
}

// Time formats a time (UTC) with its date and hour; zero is "never".
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return tr(p.Lang, "never")
	}
	t = t.UTC()
	return p.Date(domain.DateOf(t)) + " " + t.Format("15:04") + " UTC"
}

func parsePages() map[string]*template.Template {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" {
			continue
		}
		out[base] = template.Must(template.New("layout.html").ParseFS(files, "templates/layout.html", name))
	}
	return out
}

// render writes the page called name with status.
func (rq *request) render(status int, name, titleKey, nav string, data any) {
	rq.renderPage(status, name, &page{Title: tr(rq.lang, titleKey), Nav: nav, Data: data})
}

func (rq *request) renderPage(status int, name string, p *page) {
	p.Lang, p.User, p.CSRF, p.Path = rq.lang, rq.sess, rq.csrf, rq.r.URL.RequestURI()
	if p.Notice == "" {
		if key := rq.r.URL.Query().Get("done"); key != "" && messages["en"]["done."+key] != "" {
			p.Notice = tr(rq.lang, "done."+key)
		}
	}
	t, ok := rq.h.pages[name]
	if !ok {
		rq.h.log.Error("household page: no template", "name", name)
		http.Error(rq.w, "Something went wrong on the server.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		rq.h.log.Error("household page: render", "page", name, "err", err)
		http.Error(rq.w, "Something went wrong on the server.", http.StatusInternalServerError)
		return
	}
	rq.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	rq.w.WriteHeader(status)
	_, _ = rq.w.Write(buf.Bytes())
}

// fail answers an error page with the sentence of key.
func (rq *request) fail(status int, key string) {
	rq.renderPage(status, "error", &page{Title: tr(rq.lang, "error.title"), Error: tr(rq.lang, key)})
}

// done redirects after a successful form (post, redirect, get), with the
// notice to show.
func (rq *request) done(to, notice string) {
	if notice != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "done=" + notice
	}
	http.Redirect(rq.w, rq.r, to, http.StatusSeeOther)
}
