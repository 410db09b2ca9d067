package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The characters a name or a description may hold. Names are one line:
// no control character at all (NUL, tab, line breaks, DEL, the C1
// controls). A description may hold line breaks ("\n") and no other
// control. Neither may hold the characters that override or isolate the
// direction of the text around them (U+202A to U+202E, U+2066 to U+2069):
// they make a name display as something else than what it is ("gpj.exe"
// shown as "exe.jpg").

// forbiddenRune reports whether r may not appear in a name (multiline
// false) or a description (multiline true).
func forbiddenRune(r rune, multiline bool) bool {
	switch {
	case r == '\n':
		return !multiline
	case unicode.IsControl(r):
		return true
	default:
		return bidiControl(r)
	}
}

// bidiControl reports whether r is a directional embedding, override or
// isolate character.
func bidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// textProblem returns the problem with the characters of s (a name when
// multiline is false, a description when true), or nil. what names the
// text in the sentence ("The product's name").
func textProblem(field, s, what string, multiline bool) *Error {
	if !utf8.ValidString(s) {
		return FieldErrorf(field, "%s is not valid text (UTF-8): type it again.", what)
	}
	for _, r := range s {
		if !forbiddenRune(r, multiline) {
			continue
		}
		if bidiControl(r) {
			return FieldErrorf(field, "%s contains an invisible character that reverses the text (U+%04X): remove it.", what, r)
		}
		if multiline {
			return FieldErrorf(field, "%s contains a control character (U+%04X): only line breaks are allowed; remove it.", what, r)
		}
		return FieldErrorf(field, "%s contains a control character (U+%04X), such as a tab or a line break: remove it.", what, r)
	}
	return nil
}

// CleanName returns name with the characters a name may not hold removed,
// invalid UTF-8 replaced, spaces trimmed, cut to MaxNameLength characters,
// and "Unnamed" when nothing is left: a stored name made valid (stores
// clean what earlier versions accepted with it). A valid name is returned
// as it is.
func CleanName(name string) string {
	s := cleanText(name, false, MaxNameLength)
	if validateName(FieldName, s, "") != nil {
		s = "Unnamed"
	}
	return s
}

// CleanDescription is CleanName for a description, which keeps its line
// breaks and may be empty.
func CleanDescription(d string) string {
	return cleanText(d, true, MaxDescription)
}

func cleanText(s string, multiline bool, most int) string {
	if utf8.ValidString(s) && textProblem("", s, "", multiline) == nil && utf8.RuneCountInString(s) <= most &&
		(multiline || strings.TrimSpace(s) == s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	s = strings.Map(func(r rune) rune {
		if forbiddenRune(r, multiline) {
			return -1
		}
		return r
	}, s)
	if !multiline {
		s = strings.TrimSpace(s)
	}
	if utf8.RuneCountInString(s) > most {
		s = string([]rune(s)[:most])
	}
	return s
}
