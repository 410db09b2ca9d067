package ui

import (
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"freezer/domain"
)

// Date display choices (the Settings screen's "Date format"). DateAuto
// follows the language: DD/MM/YYYY in French, YYYY-MM-DD in English.
const (
	DateAuto = ""
	DateDMY  = "dmy" // 15/09/2027
	DateYMD  = "ymd" // 2027-09-15
	DateMDY  = "mdy" // 09/15/2027
)

// dateFormats lists the choices in the order the Settings screen shows them.
var dateFormats = []string{DateAuto, DateDMY, DateYMD, DateMDY}

var dateLayouts = map[string]string{DateDMY: "02/01/2006", DateYMD: domain.DateLayout, DateMDY: "01/02/2006"}

// dateFormat is the date display choice in use (process-wide, like the
// language: formatDate is called from every screen's cells).
var dateFormat atomic.Value

// setDateFormat applies a date display choice; an unknown one means DateAuto.
func setDateFormat(choice string) {
	if _, ok := dateLayouts[choice]; !ok {
		choice = DateAuto
	}
	dateFormat.Store(choice)
}

// dateLayout is the time layout dates are shown in.
func dateLayout() string {
	choice, _ := dateFormat.Load().(string)
	if l, ok := dateLayouts[choice]; ok {
		return l
	}
	if Language() == "fr" {
		return dateLayouts[DateDMY]
	}
	return dateLayouts[DateYMD]
}

// datePlaceholder is the shown layout written for people: JJ/MM/AAAA.
func datePlaceholder() string {
	l := dateLayout()
	if Language() == "fr" {
		return strings.NewReplacer("2006", "AAAA", "01", "MM", "02", "JJ").Replace(l)
	}
	return strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD").Replace(l)
}

// formatDate writes d as the person chose (by default after the language);
// the zero date is "".
func formatDate(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(dateLayout())
}

// parseDate reads a date typed in the shown format or as YYYY-MM-DD (always
// accepted, as everywhere else in the app). In a day/month format, one
// digit days and months (5/6/2026) and dots or dashes (05.06.2026, as
// Belgians often write) are accepted too.
func parseDate(s string) (domain.Date, bool) {
	s = strings.TrimSpace(s)
	if d, err := domain.ParseDate(s); err == nil {
		return d, true
	}
	layout := dateLayout()
	if strings.Contains(layout, "/") {
		s = strings.NewReplacer(".", "/", "-", "/").Replace(s)
		layout = strings.NewReplacer("02", "2", "01", "1").Replace(layout)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return domain.Date{}, false
	}
	return domain.DateOf(t), true
}

// printer formats numbers for the language in use: "7 510" and "33,3 %"
// in French, "7,510" and "33.3%" in English.
func printer() *message.Printer {
	if Language() == "fr" {
		return frPrinter
	}
	return enPrinter
}

var (
	enPrinter = message.NewPrinter(language.English)
	frPrinter = message.NewPrinter(language.French)
)

// formatInt writes n with the language's thousands separator.
func formatInt(n int) string { return printer().Sprint(number.Decimal(n)) }

// formatNumber writes x with at most digits decimals, in the language's way.
func formatNumber(x float64, digits int) string {
	return printer().Sprint(number.Decimal(x, number.MaxFractionDigits(digits)))
}

// formatPercent writes a share (0.333 is a third) as a percentage with at
// most one decimal: "33,3 %" in French, "33.3%" in English.
func formatPercent(share float64) string {
	return printer().Sprint(number.Percent(share, number.MaxFractionDigits(1)))
}

// pluralL translates key.one or key.other after n, by the language's rule:
// French puts 0 and 1 in the singular, English only 1. (Fyne's
// lang.LocalizePluralKey would need plural objects in the translation
// files, where every value is a plain string.)
func pluralL(key string, n int, data map[string]any) string {
	one := n == 1
	if Language() == "fr" {
		one = n == 0 || n == 1
	}
	if one {
		key += ".one"
	} else {
		key += ".other"
	}
	return lang.L(key, data)
}
