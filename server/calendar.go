package server

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"freezer/domain"
)

// The calendar feed: every product inside as an all-day event on its
// deadline, with an alarm some days before (RFC 5545, written here by
// hand), and a summary in JSON for dashboards. Both are read with a feed
// key: read-only, one per account, separate from the device tokens,
// revocable (a revoked key answers 404).

// DefaultAlarmDays is how many days before a deadline a feed's alarm
// fires unless the household sets another number.
const DefaultAlarmDays = 14

// MaxAlarmDays bounds a feed's alarm days.
const MaxAlarmDays = 365

// summaryNext is how many deadlines the summary lists.
const summaryNext = 10

// newFeedKey returns a new feed key: 24 random bytes in unpadded
// base64url (32 characters), which no token (64 hexadecimal digits)
// can be taken for.
func newFeedKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// FeedKey returns the account's feed key and its alarm days, making a key
// when the account has none.
func (s *Server) FeedKey(ctx context.Context, accountID int64) (key string, alarmDays int, err error) {
	f, err := s.store.EnsureFeed(ctx, accountID, newFeedKey())
	if err != nil {
		return "", 0, fmt.Errorf("feed key: %w", err)
	}
	return f.Key, f.AlarmDays, nil
}

// RevokeFeedKey revokes the account's feed key: calendars subscribed
// with it get 404 from then on. The next FeedKey makes a new one.
func (s *Server) RevokeFeedKey(ctx context.Context, accountID int64) error {
	if err := s.store.DeleteFeed(ctx, accountID); err != nil {
		return fmt.Errorf("revoke feed key: %w", err)
	}
	s.log.Info("calendar feed key revoked", "account", accountID)
	return nil
}

// SetFeed changes the feed's alarm days and language (nil: unchanged),
// making the feed first when the account has none.
func (s *Server) SetFeed(ctx context.Context, accountID int64, alarmDays *int, lang *string) (Feed, error) {
	if alarmDays != nil && (*alarmDays < 0 || *alarmDays > MaxAlarmDays) {
		return Feed{}, domain.FieldErrorf("alarm_days", "The alarm comes from 0 to %d days before the deadline.", MaxAlarmDays)
	}
	if lang != nil && *lang != "en" && *lang != "fr" {
		return Feed{}, domain.FieldErrorf("lang", "The feed's language is en (English) or fr (French).")
	}
	if _, _, err := s.FeedKey(ctx, accountID); err != nil {
		return Feed{}, err
	}
	return s.store.UpdateFeed(ctx, accountID, alarmDays, lang)
}

// FeedURLs are the addresses of a feed key's calendar and summary, on
// the server at base (Server.BaseURL).
func FeedURLs(base, key string) (calendar, summary string) {
	base = strings.TrimRight(base, "/")
	return base + "/api/v1/calendar/" + key + ".ics", base + "/api/v1/summary/" + key
}

// feedWords are the words of a feed's events, per language.
type feedWords struct {
	calName, eatBy, freezer, box, slot string
}

var feedText = map[string]feedWords{
	"en": {calName: "Freezer", eatBy: "Eat by: ", freezer: "Freezer: ", box: "box", slot: "slot"},
	"fr": {calName: "Congélateur", eatBy: "À manger avant : ", freezer: "Congélateur : ", box: "tiroir", slot: "place"},
}

// insideByDeadline returns the account's products inside, earliest
// deadline first (then by name and id, so the order is stable).
func (s *Server) insideByDeadline(ctx context.Context, accountID int64) ([]Product, error) {
	ps, err := s.store.FindProducts(ctx, accountID, ProductFilter{Where: Inside})
	if err != nil {
		return nil, fmt.Errorf("products inside: %w", err)
	}
	slices.SortFunc(ps, func(a, b Product) int {
		return cmp.Or(a.Deadline().Compare(b.Deadline()), strings.Compare(a.Name, b.Name), strings.Compare(a.ID.String(), b.ID.String()))
	})
	return ps, nil
}

// writeICS writes the feed's calendar (RFC 5545): one all-day event per
// product inside, on its deadline, with a display alarm alarmDays
// before. UIDs are the products' UUIDs, stable across fetches, so a
// calendar app updates an event in place and drops the event of a
// product taken out.
func writeICS(b *strings.Builder, ps []Product, alarmDays int, lang string, now time.Time) {
	words := feedText[lang]
	stamp := now.UTC().Format("20060102T150405Z")
	w := func(line string) { b.WriteString(foldLine(line)) }
	w("BEGIN:VCALENDAR")
	w("VERSION:2.0")
	w("PRODID:-//Freezer//Freezer household calendar//" + strings.ToUpper(lang))
	w("CALSCALE:GREGORIAN")
	w("X-WR-CALNAME:" + escapeText(words.calName))
	w("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	w("X-PUBLISHED-TTL:PT1H")
	for _, p := range ps {
		summary := escapeText(words.eatBy + p.Name)
		day := p.Deadline()
		w("BEGIN:VEVENT")
		w("UID:" + p.ID.String() + "@freezer")
		w("DTSTAMP:" + stamp)
		w("DTSTART;VALUE=DATE:" + icsDate(day))
		w("DTEND;VALUE=DATE:" + icsDate(day.AddDays(1)))
		w("SUMMARY:" + summary)
		w("DESCRIPTION:" + escapeText(eventDescription(p, words)))
		w("TRANSP:TRANSPARENT")
		w("BEGIN:VALARM")
		w("ACTION:DISPLAY")
		w("DESCRIPTION:" + summary)
		w("TRIGGER:-P" + strconv.Itoa(alarmDays) + "D")
		w("END:VALARM")
		w("END:VEVENT")
	}
	w("END:VCALENDAR")
}

// eventDescription says where the product is (freezer, box, slot), then
// its own description.
func eventDescription(p Product, words feedWords) string {
	d := fmt.Sprintf("%s%s, %s %d, %s %d", words.freezer, p.FreezerName, words.box, p.Location.Box, words.slot, p.Location.Slot)
	if desc := strings.TrimSpace(p.Description); desc != "" {
		d += "\n" + desc
	}
	return d
}

func icsDate(d domain.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }

// escapeText escapes a TEXT value (RFC 5545 3.3.11): backslashes,
// semicolons, commas and line breaks; other control characters (none
// should be stored) are dropped.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldLine ends a content line with CRLF, folded (RFC 5545 3.1) so that
// no line is longer than 75 octets: a continuation starts with one
// space, and a fold never splits a UTF-8 character.
func foldLine(line string) string {
	const most = 75
	var b strings.Builder
	limit := most
	for len(line) > limit {
		cut := limit
		for cut > 0 && line[cut]&0xC0 == 0x80 { // a continuation byte: back off to the character's start
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = most - 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}

// Summary is the feed's summary for dashboards: counts and the next
// deadlines.
type Summary struct {
	Inside      int           `json:"inside"`
	Overdue     int           `json:"overdue"`
	DueSoon     int           `json:"due_soon"`
	DueSoonDays int           `json:"due_soon_days"`
	Today       domain.Date   `json:"today"`
	Next        []SummaryItem `json:"next"`
}

// SummaryItem is one of the next deadlines.
type SummaryItem struct {
	Name     string        `json:"name"`
	Deadline domain.Date   `json:"deadline"`
	DaysLeft int           `json:"days_left"` // negative when overdue
	Status   domain.Status `json:"status"`
	Freezer  string        `json:"freezer"`
	Box      int           `json:"box"`
	Slot     int           `json:"slot"`
}

// summarize counts the products inside (ps, by deadline) on today, with
// a due-soon window of dueSoonDays, and lists the first summaryNext.
func summarize(ps []Product, today domain.Date, dueSoonDays int) Summary {
	sum := Summary{Inside: len(ps), DueSoonDays: dueSoonDays, Today: today, Next: []SummaryItem{}}
	for i, p := range ps {
		st := p.Status(today, dueSoonDays)
		switch st {
		case domain.StatusOverdue:
			sum.Overdue++
		case domain.StatusDueSoon:
			sum.DueSoon++
		}
		if i < summaryNext {
			sum.Next = append(sum.Next, SummaryItem{Name: p.Name, Deadline: p.Deadline(), DaysLeft: today.DaysUntil(p.Deadline()),
				Status: st, Freezer: p.FreezerName, Box: p.Location.Box, Slot: p.Location.Slot})
		}
	}
	return sum
}
