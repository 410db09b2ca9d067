package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EnvClockOffset names the environment variable that shifts the clock of a
// run of freezerctl or the desktop app (tests, diagnosis): see
// ParseClockOffset for its form.
const EnvClockOffset = "FREEZER_CLOCK_OFFSET"

// MaxClockOffset bounds a clock offset: a century either way.
const MaxClockOffset = 36500 * 24 * time.Hour

// ParseClockOffset parses a clock offset: an optional sign, then days
// ("400d"), a Go duration ("3h", "90m", "1h30m"), or days then a duration
// ("1d12h"). "" is no offset. Examples: "+400d", "-3h", "90m", "+1h30m".
func ParseClockOffset(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	body, neg := s, false
	switch body[0] {
	case '+':
		body = body[1:]
	case '-':
		body, neg = body[1:], true
	}
	bad := fmt.Errorf("%q is not a clock offset: write it like +400d, -3h, 90m or +1h30m (an optional sign, days, then hours, minutes, seconds)", s)
	if body == "" || body[0] == '+' || body[0] == '-' {
		return 0, bad
	}
	var d time.Duration
	if days, rest, ok := strings.Cut(body, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || days[0] == '+' {
			return 0, bad
		}
		if n > int(MaxClockOffset/(24*time.Hour)) {
			return 0, tooFar(s)
		}
		d, body = time.Duration(n)*24*time.Hour, rest
	}
	if body != "" {
		if body[0] == '+' || body[0] == '-' {
			return 0, bad
		}
		rest, err := time.ParseDuration(body)
		if err != nil {
			return 0, bad
		}
		if rest > MaxClockOffset {
			return 0, tooFar(s)
		}
		d += rest
	}
	if d > MaxClockOffset {
		return 0, tooFar(s)
	}
	if neg {
		d = -d
	}
	return d, nil
}

func tooFar(s string) error {
	return fmt.Errorf("%q is more than a century: a clock offset is at most %dd either way", s, MaxClockOffset/(24*time.Hour))
}

// FormatClockOffset writes d in the form ParseClockOffset reads, with its
// sign and whole days apart: "+400d", "-3h0m0s", "+1d2h0m0s", "+0s".
func FormatClockOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	days := d / (24 * time.Hour)
	rest := d - days*24*time.Hour
	switch {
	case days == 0:
		return sign + rest.String()
	case rest == 0:
		return fmt.Sprintf("%s%dd", sign, days)
	}
	return fmt.Sprintf("%s%dd%s", sign, days, rest)
}
