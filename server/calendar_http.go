package server

import (
	"net/http"
	"strings"

	"freezer/domain"
)

// The /api/v1 routes of the calendar feed: the feed's settings (device
// token), and the calendar and summary (feed key in the path).

// feedJSON is a feed on the wire.
type feedJSON struct {
	Key         string `json:"key"`
	CalendarURL string `json:"calendar_url"`
	SummaryURL  string `json:"summary_url"`
	AlarmDays   int    `json:"alarm_days"`
	Lang        string `json:"lang"`
}

func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, f Feed) {
	cal, sum := FeedURLs(s.BaseURL(r), f.Key)
	writeJSON(w, http.StatusOK, feedJSON{Key: f.Key, CalendarURL: cal, SummaryURL: sum, AlarmDays: f.AlarmDays, Lang: f.Lang})
}

// handleGetFeed answers the account's feed, making it when there is
// none: GET /api/v1/feed.
func (s *Server) handleGetFeed(w http.ResponseWriter, r *http.Request, a Account) {
	f, err := s.SetFeed(r.Context(), a.ID, nil, nil)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.writeFeed(w, r, f)
}

// handlePutFeed sets the feed's alarm days and language: PUT
// /api/v1/feed {alarm_days, lang} (either may be left out).
func (s *Server) handlePutFeed(w http.ResponseWriter, r *http.Request, a Account) {
	var body struct {
		AlarmDays *int    `json:"alarm_days"`
		Lang      *string `json:"lang"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	f, err := s.SetFeed(r.Context(), a.ID, body.AlarmDays, body.Lang)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.writeFeed(w, r, f)
}

// handleDeleteFeed revokes the feed key: DELETE /api/v1/feed.
func (s *Server) handleDeleteFeed(w http.ResponseWriter, r *http.Request, a Account) {
	if err := s.RevokeFeedKey(r.Context(), a.ID); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// validFeedKey reports whether key has the form of a feed key (32
// characters of base64url), so that anything else is refused without a
// look in the database.
func validFeedKey(key string) bool {
	if len(key) != 32 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// feedOf finds the feed of the key; on failure it has answered (404 for
// a key that is not, or no longer, a feed's).
func (s *Server) feedOf(w http.ResponseWriter, r *http.Request, key string) (Feed, bool) {
	if !validFeedKey(key) {
		s.problem(w, r, http.StatusNotFound, domain.ENotFound, "There is no calendar feed at this address: it was revoked, or the link is incomplete. Copy the link again from the app's Settings or the household page.")
		return Feed{}, false
	}
	f, err := s.store.FindFeed(r.Context(), key)
	if domain.ErrorCode(err) == domain.ENotFound {
		s.problem(w, r, http.StatusNotFound, domain.ENotFound, "There is no calendar feed at this address: it was revoked, or the link is incomplete. Copy the link again from the app's Settings or the household page.")
		return Feed{}, false
	}
	if err != nil {
		s.v1Error(w, r, err)
		return Feed{}, false
	}
	return f, true
}

// handleCalendar answers the feed's calendar: GET
// /api/v1/calendar/{key}.ics. Its language is ?lang=en or ?lang=fr when
// given, else the feed's: calendar apps fetch in the background, without
// a person's Accept-Language, so the household's choice is kept with the
// feed (PUT /api/v1/feed), and a link can still name its own.
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	key, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		key = ""
	}
	f, ok := s.feedOf(w, r, key)
	if !ok {
		return
	}
	lang := f.Lang
	if l := r.URL.Query().Get("lang"); l == "en" || l == "fr" {
		lang = l
	}
	if _, known := feedText[lang]; !known {
		lang = "en"
	}
	ps, err := s.insideByDeadline(r.Context(), f.AccountID)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	var b strings.Builder
	writeICS(&b, ps, f.AlarmDays, lang, s.now())
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="freezer.ics"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// handleSummary answers the feed's summary: GET /api/v1/summary/{key}:
// the products inside, overdue and due soon (within the feed's alarm
// days), and the next ten deadlines, for dashboards.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	f, ok := s.feedOf(w, r, r.PathValue("key"))
	if !ok {
		return
	}
	ps, err := s.insideByDeadline(r.Context(), f.AccountID)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, summarize(ps, s.today(), f.AlarmDays))
}
