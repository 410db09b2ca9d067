package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"freezer/domain"
)

// Preference keys: every preference the app keeps, in one place.
const (
	prefLanguage      = "language"        // "", "en" or "fr" ("" follows the system)
	prefDueSoonDays   = "due_soon_days"   // int
	prefNotifyAt      = "notify_at"       // "HH:MM"
	prefTablet        = "tablet_mode"     // bool
	prefTheme         = "theme"           // "system", "light" or "dark"
	prefDateFormat    = "date_format"     // DateAuto, DateDMY, DateYMD or DateMDY
	prefLastAlerted   = "last_alerted"    // YYYY-MM-DD of the last daily notification
	prefPeriodPrefix  = "period_type_"    // + type id: the period last used for that type
	prefGeneralTrend  = "general_trend"   // JSON: the last general tendency fetched (no token)
	prefLabelLayout   = "label_layout"    // "sheet" or "roll": the labels' last layout
	prefLabelAfterAdd = "label_after_add" // bool: print a product's label when it is added
	prefSuggestCount  = "suggest_count"   // int: suggestions of the "This week" plan
	prefSuggestDays   = "suggest_days"    // int: days the plan looks ahead
)

// Theme choices.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Defaults.
const (
	defaultNotifyAt = "09:00"
	defaultPeriod   = 6 // months, when a type has no remembered period
	// The bounds of the plan's settings: a card of at most 30, up to 60
	// days ahead (the plan of the API goes further).
	maxSuggestCount = 30
	maxSuggestDays  = 60
)

// Settings are the person's choices, read once from the preferences at start
// and written back by the Settings screen's handlers.
type Settings struct {
	Language    string // "", "en" or "fr"
	DueSoonDays int
	NotifyAt    string // HH:MM
	Tablet      bool
	Theme       string // ThemeSystem, ThemeLight or ThemeDark
	DateFormat  string // DateAuto (after the language), DateDMY, DateYMD or DateMDY
	// SuggestCount and SuggestDays size the "This week" plan (domain.Plan).
	SuggestCount, SuggestDays int
}

// LoadSettings reads the settings from p with their defaults.
func LoadSettings(p fyne.Preferences) Settings {
	s := Settings{
		Language:     p.StringWithFallback(prefLanguage, ""),
		DueSoonDays:  p.IntWithFallback(prefDueSoonDays, domain.DefaultDueSoon),
		NotifyAt:     p.StringWithFallback(prefNotifyAt, defaultNotifyAt),
		Tablet:       p.BoolWithFallback(prefTablet, false),
		Theme:        p.StringWithFallback(prefTheme, ThemeSystem),
		DateFormat:   p.StringWithFallback(prefDateFormat, DateAuto),
		SuggestCount: p.IntWithFallback(prefSuggestCount, domain.DefaultSuggestCount),
		SuggestDays:  p.IntWithFallback(prefSuggestDays, domain.DefaultSuggestHorizon),
	}
	if s.SuggestCount < 1 || s.SuggestCount > maxSuggestCount {
		s.SuggestCount = domain.DefaultSuggestCount
	}
	if s.SuggestDays < 1 || s.SuggestDays > maxSuggestDays {
		s.SuggestDays = domain.DefaultSuggestHorizon
	}
	if _, ok := dateLayouts[s.DateFormat]; !ok {
		s.DateFormat = DateAuto
	}
	if _, _, err := ParseClock(s.NotifyAt); err != nil {
		s.NotifyAt = defaultNotifyAt
	}
	if s.DueSoonDays < 0 {
		s.DueSoonDays = domain.DefaultDueSoon
	}
	return s
}

// ParseClock parses a time of day "HH:MM" (24-hour).
func ParseClock(s string) (hour, minute int, err error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 || len(m) != 2 {
		return 0, 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	return hour, minute, nil
}

func periodKey(typeID int) string { return prefPeriodPrefix + strconv.Itoa(typeID) }
