// Package quietlocale keeps Fyne from logging "Error parsing user locale C"
// at every start under the C locale (LANG=C.UTF-8, as containers and
// minimal sessions set it), and lets it fall back quietly to English.
//
// Fyne's lang package reads the system locales (through go-locale: LC_ALL,
// LC_MESSAGES, LANG, then LANGUAGE) in its own init and each time
// translations are added. "C" and "POSIX" alone are skipped, but
// "C.UTF-8" loses its encoding and reaches language.Parse as "C", which
// fails and is logged. Setting LANGUAGE=en in that case makes go-locale
// answer "en" instead; LANGUAGE only names the languages of messages, and
// programs that use it (gettext) ignore it under the C locale anyway.
//
// The package must run before fyne.io/fyne/v2/lang's init: Go initializes
// packages in import-path order when their imports allow it, and
// "freezer/..." comes before "fyne.io/...", so importing it (blank) from a
// package of ours is enough. It imports only os and strings for that
// reason.
package quietlocale

import (
	"os"
	"strings"
)

func init() {
	if NeedsEnglish(os.Getenv) {
		_ = os.Setenv("LANGUAGE", "en") // best effort: the worst case is the log line
	}
}

// NeedsEnglish reports whether the environment read through getenv names
// the C or POSIX locale with an encoding (C.UTF-8), which Fyne cannot
// parse, and no LANGUAGE list that go-locale would use instead.
func NeedsEnglish(getenv func(string) string) bool {
	locale := ""
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	base, _, _ := strings.Cut(locale, ".")
	base, _, _ = strings.Cut(base, "@")
	if base != "C" && base != "POSIX" {
		return false
	}
	if locale == "C" || locale == "POSIX" {
		return false // go-locale skips these itself
	}
	return getenv("LANGUAGE") == ""
}
