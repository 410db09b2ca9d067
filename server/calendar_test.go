package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"freezer/server"
)

type feedDoc struct {
	Key         string
	CalendarURL string `json:"calendar_url"`
	SummaryURL  string `json:"summary_url"`
	AlarmDays   int    `json:"alarm_days"`
	Lang        string
}

func (e *env) feed(t *testing.T, method, token, body string) feedDoc {
	t.Helper()
	w := e.do(t, request{method: method, path: "/api/v1/feed", bearer: token, body: body})
	if w.Code != http.StatusOK {
		t.Fatalf("%s /api/v1/feed = %d %s", method, w.Code, w.Body)
	}
	return decode[feedDoc](t, w)
}

// calendar fetches a feed's calendar and parses it with a real
// iCalendar parser, after checking its lines: CRLF endings, at most 75
// octets each.
func (e *env) calendar(t *testing.T, path string) (*ics.Calendar, string) {
	t.Helper()
	w := e.do(t, get(path))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("GET %s = %d %s %s", path, w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	raw := w.Body.String()
	if !strings.HasSuffix(raw, "\r\n") || strings.Count(raw, "\n") != strings.Count(raw, "\r\n") {
		t.Fatalf("calendar lines do not all end with CRLF")
	}
	for _, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("calendar line of %d octets (at most 75): %q", len(line), line)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("ParseCalendar() error = %v\n%s", err, raw)
	}
	return cal, raw
}

func prop(c *ics.VEvent, p ics.ComponentProperty) string {
	if v := c.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// eventsByUID are a calendar's events by UID.
func eventsByUID(cal *ics.Calendar) map[string]*ics.VEvent {
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		out[ev.Id()] = ev
	}
	return out
}

// TestCalendarFeed: the feed's calendar holds one all-day event per
// product inside, on its deadline, with its place and an alarm; its text
// is escaped and folded; French on request or by the feed's setting; a
// product taken out leaves at the next fetch; another account's products
// never show; a revoked key answers 404.
func TestCalendarFeed(t *testing.T) {
	e := newEnv(t)
	odd := mustCreateProduct(t, e.store, e.aID, e.frigo2, sample{2, 3, "2018-01-15", 1,
		`Soupe, "maison"; à l'ail \ et thym, la très longue recette de grand-mère Léontine`, 2, "ligne 1\nligne 2; fin", 1, ""})
	f := e.feed(t, "GET", e.a, "")
	if f.AlarmDays != server.DefaultAlarmDays || f.Lang != "en" || len(f.Key) != 32 ||
		f.CalendarURL != "http://example.com/api/v1/calendar/"+f.Key+".ics" || f.SummaryURL != "http://example.com/api/v1/summary/"+f.Key {
		t.Fatalf("feed = %+v", f)
	}
	if again := e.feed(t, "GET", e.a, ""); again.Key != f.Key {
		t.Fatalf("feed again = %q, want the same key %q", again.Key, f.Key)
	}
	calPath := strings.TrimPrefix(f.CalendarURL, "http://example.com")
	cal, raw := e.calendar(t, calPath)
	events := eventsByUID(cal)
	inside := append([]server.Product{odd}, e.aProducts[:10]...)
	if len(cal.Events()) != len(inside) {
		t.Fatalf("calendar = %d events, want %d (the products inside)", len(cal.Events()), len(inside))
	}
	for _, p := range inside {
		ev := events[p.ID.String()+"@freezer"]
		if ev == nil {
			t.Fatalf("no event for %q", p.Name)
		}
		start, err := ev.GetAllDayStartAt()
		if err != nil || start.Format("2006-01-02") != p.Deadline().String() || prop(ev, ics.ComponentPropertyDtStart) != strings.ReplaceAll(p.Deadline().String(), "-", "") {
			t.Errorf("%q starts %v (%v), want the all-day %s", p.Name, start, err, p.Deadline())
		}
		if got := prop(ev, ics.ComponentPropertySummary); got != "Eat by: "+p.Name {
			t.Errorf("summary = %q, want %q", got, "Eat by: "+p.Name)
		}
		place := fmt.Sprintf("Freezer: %s, box %d, slot %d", p.FreezerName, p.Location.Box, p.Location.Slot)
		if got := prop(ev, ics.ComponentPropertyDescription); !strings.HasPrefix(got, place) || !strings.Contains(got, p.Description) {
			t.Errorf("description = %q, want %q and the product's description", got, place)
		}
		if al := ev.Alarms(); len(al) != 1 || al[0].GetProperty(ics.ComponentPropertyTrigger).Value != "-P14D" {
			t.Errorf("%q alarms = %d, want one at -P14D", p.Name, len(al))
		}
		if _, err := ev.GetDtStampTime(); err != nil {
			t.Errorf("DTSTAMP of %q: %v", p.Name, err)
		}
	}
	if !strings.Contains(raw, `SUMMARY:Eat by: Soupe\, "maison"\; à l'ail \\ et thym\, la très longue`) || !strings.Contains(raw, `ligne 1\nligne 2\; fin`) {
		t.Errorf("the odd product's text is not escaped:\n%s", raw)
	}

	// French: by the link, then by the feed's setting (and English back by the link).
	fr, _ := e.calendar(t, calPath+"?lang=fr")
	ev := eventsByUID(fr)[e.aProducts[0].ID.String()+"@freezer"]
	if got := prop(ev, ics.ComponentPropertySummary); got != "À manger avant : Soupe de Noël" {
		t.Errorf("French summary = %q", got)
	}
	if got := prop(ev, ics.ComponentPropertyDescription); !strings.HasPrefix(got, "Congélateur : frigo 1, tiroir 1, place 4") {
		t.Errorf("French description = %q", got)
	}
	if f := e.feed(t, "PUT", e.a, `{"alarm_days": 3, "lang": "fr"}`); f.AlarmDays != 3 || f.Lang != "fr" {
		t.Fatalf("PUT feed = %+v", f)
	}
	fr, _ = e.calendar(t, calPath)
	ev = eventsByUID(fr)[e.aProducts[0].ID.String()+"@freezer"]
	if !strings.HasPrefix(prop(ev, ics.ComponentPropertySummary), "À manger avant") || ev.Alarms()[0].GetProperty(ics.ComponentPropertyTrigger).Value != "-P3D" {
		t.Errorf("feed set to French, 3 days: %q, %s", prop(ev, ics.ComponentPropertySummary), ev.Alarms()[0].GetProperty(ics.ComponentPropertyTrigger).Value)
	}
	en, _ := e.calendar(t, calPath+"?lang=en")
	if got := prop(eventsByUID(en)[e.aProducts[0].ID.String()+"@freezer"], ics.ComponentPropertySummary); got != "Eat by: Soupe de Noël" {
		t.Errorf("?lang=en summary = %q", got)
	}
	for _, body := range []string{`{"alarm_days": -1}`, `{"alarm_days": 366}`, `{"lang": "de"}`} {
		if w := e.do(t, request{method: "PUT", path: "/api/v1/feed", bearer: e.a, body: body}); w.Code != http.StatusBadRequest {
			t.Errorf("PUT feed %s = %d, want 400", body, w.Code)
		}
	}

	// A product taken out leaves the next fetch.
	if w := e.do(t, request{method: "POST", path: "/api/v1/products/" + odd.ID.String() + "/take-out", bearer: e.a, body: `{}`}); w.Code != http.StatusOK {
		t.Fatalf("take out = %d %s", w.Code, w.Body)
	}
	after, _ := e.calendar(t, calPath)
	if _, still := eventsByUID(after)[odd.ID.String()+"@freezer"]; still || len(after.Events()) != 10 {
		t.Fatalf("after a take-out: %d events, the product's still there: %v", len(after.Events()), still)
	}

	// B's feed shows B's product only, and A's never shows B's.
	fb := e.feed(t, "GET", e.b, "")
	bcal, _ := e.calendar(t, strings.TrimPrefix(fb.CalendarURL, "http://example.com"))
	if evs := bcal.Events(); len(evs) != 1 || evs[0].Id() != e.bProduct.ID.String()+"@freezer" {
		t.Fatalf("B's calendar = %d events, want B's product only", len(evs))
	}
	if _, leak := eventsByUID(after)[e.bProduct.ID.String()+"@freezer"]; leak || fb.Key == f.Key {
		t.Fatalf("A's calendar shows B's product, or the keys are shared")
	}

	// A revoked key answers 404; the next GET makes a new key.
	if w := e.do(t, request{method: "DELETE", path: "/api/v1/feed", bearer: e.a}); w.Code != http.StatusNoContent {
		t.Fatalf("DELETE feed = %d", w.Code)
	}
	for _, p := range []string{calPath, "/api/v1/summary/" + f.Key, "/api/v1/calendar/" + f.Key, "/api/v1/calendar/x.ics", "/api/v1/summary/" + strings.Repeat("a", 32)} {
		if w := e.do(t, get(p)); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, w.Code)
		}
	}
	if nf := e.feed(t, "GET", e.a, ""); nf.Key == f.Key || nf.AlarmDays != server.DefaultAlarmDays {
		t.Fatalf("feed after revoke = %+v, want a new key", nf)
	}
}

// TestFoldingKeepsCharactersWhole: a long line of two-byte characters is
// folded between characters, and the parser reads it back whole.
func TestFoldingKeepsCharactersWhole(t *testing.T) {
	e := newEnv(t)
	name := strings.Repeat("é", 120)
	p := mustCreateProduct(t, e.store, e.aID, e.frigo2, sample{1, 1, "2018-01-01", 3, name, 1, "", 1, ""})
	key, _, err := e.srv.FeedKey(t.Context(), e.aID)
	if err != nil {
		t.Fatal(err)
	}
	cal, raw := e.calendar(t, "/api/v1/calendar/"+key+".ics")
	if !strings.Contains(raw, "\r\n ") {
		t.Fatal("no folded line")
	}
	if got := prop(eventsByUID(cal)[p.ID.String()+"@freezer"], ics.ComponentPropertySummary); got != "Eat by: "+name {
		t.Fatalf("folded summary read back = %q", got)
	}
}

type summaryDoc struct {
	Inside, Overdue int
	DueSoon         int    `json:"due_soon"`
	DueSoonDays     int    `json:"due_soon_days"`
	Today           string `json:"today"`
	Next            []struct {
		Name     string
		Deadline string
		DaysLeft int `json:"days_left"`
		Status   string
		Freezer  string
		Box      int
		Slot     int
	}
}

// TestSummary: counts of the products inside, overdue and due soon
// (within the feed's alarm days), and the next ten deadlines, earliest
// first.
func TestSummary(t *testing.T) {
	e := newEnv(t)
	mustCreateProduct(t, e.store, e.aID, e.frigo2, sample{1, 1, "2017-01-01", 1, "old stew", 2, "", 1, ""})    // 2017-02-01: overdue
	mustCreateProduct(t, e.store, e.aID, e.frigo2, sample{1, 2, "2018-01-15", 1, "fresh pesto", 1, "", 1, ""}) // 2018-02-15: 5 days
	f := e.feed(t, "GET", e.a, "")
	path := strings.TrimPrefix(f.SummaryURL, "http://example.com")
	get := func() summaryDoc {
		t.Helper()
		w := e.do(t, request{method: "GET", path: path})
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
		}
		return decode[summaryDoc](t, w)
	}
	s := get()
	if s.Inside != 12 || s.Overdue != 1 || s.DueSoon != 1 || s.DueSoonDays != 14 || s.Today != "2018-02-10" || len(s.Next) != 10 {
		t.Fatalf("summary = %+v", s)
	}
	first, second, third := s.Next[0], s.Next[1], s.Next[2]
	if first.Name != "old stew" || first.Status != "overdue" || first.DaysLeft != -374 || first.Deadline != "2017-02-01" || first.Freezer != "frigo 2" {
		t.Errorf("first = %+v", first)
	}
	if second.Name != "fresh pesto" || second.Status != "due_soon" || second.DaysLeft != 5 || second.Box != 1 || second.Slot != 2 {
		t.Errorf("second = %+v", second)
	}
	if third.Name != "soupe champignons" || third.Status != "ok" || third.DaysLeft != 19 {
		t.Errorf("third = %+v", third)
	}
	for i := 1; i < len(s.Next); i++ {
		if s.Next[i].Deadline < s.Next[i-1].Deadline {
			t.Errorf("next is not by deadline: %s before %s", s.Next[i-1].Deadline, s.Next[i].Deadline)
		}
	}
	e.feed(t, "PUT", e.a, `{"alarm_days": 30}`)
	if s := get(); s.DueSoon != 2 || s.DueSoonDays != 30 {
		t.Fatalf("summary with 30 days = %+v, want 2 due soon", s)
	}
	fb := e.feed(t, "GET", e.b, "")
	w := e.do(t, request{method: "GET", path: strings.TrimPrefix(fb.SummaryURL, "http://example.com")})
	if b := decode[summaryDoc](t, w); b.Inside != 1 || len(b.Next) != 1 || b.Next[0].Name != "bob's pizza" {
		t.Fatalf("B's summary = %+v", b)
	}
}
