package server

import (
	_ "embed" // the list of common passwords
	"strings"
	"unicode"
	"unicode/utf8"

	"freezer/domain"
)

// MinPasswordLength is the shortest new password accepted, in characters.
// Passwords set before this rule keep working: only new ones are checked.
const MinPasswordLength = 10

// maxPasswordBytes is bcrypt's limit.
const maxPasswordBytes = 72

// commonPasswordList is the start of SecLists' 10k-most-common.txt (MIT
// License, see passwords/README.md): passwords attackers try first.
//
//go:embed passwords/common.txt
var commonPasswordList string

// commonPasswords is commonPasswordList as a set of lowercase entries.
var commonPasswords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for line := range strings.SplitSeq(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m[strings.ToLower(line)] = struct{}{}
		}
	}
	return m
}()

// IsCommonPassword reports whether p is in the shipped list of common
// passwords, ignoring case, or is one of them with digits or symbols
// added before or after it ("password2024!", "123monkey").
func IsCommonPassword(p string) bool {
	p = strings.ToLower(strings.TrimSpace(p))
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, c := range []string{p, strings.TrimRightFunc(p, notLetter), strings.TrimLeftFunc(p, notLetter), strings.TrimFunc(p, notLetter)} {
		if _, ok := commonPasswords[c]; ok {
			return true
		}
	}
	return false
}

// CheckNewPassword validates a password being set for the account of
// email: at least MinPasswordLength characters, not only spaces, more than
// two different characters, not the email, not a common password. Every
// message says what to choose instead.
func CheckNewPassword(email, p string) error {
	const field = "password"
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return domain.FieldErrorf(field, "Choose a password of at least %d characters: a few words you remember work well.", MinPasswordLength)
	}
	if len(p) > maxPasswordBytes {
		return domain.FieldErrorf(field, "The password is too long: choose one of at most %d bytes.", maxPasswordBytes)
	}
	if strings.TrimSpace(p) == "" {
		return domain.FieldErrorf(field, "The password is only spaces: choose one with letters, digits or other characters.")
	}
	if distinctRunes(p) <= 2 {
		return domain.FieldErrorf(field, "The password repeats one or two characters: choose one that is harder to guess, a few words for example.")
	}
	if e := strings.TrimSpace(email); e != "" && strings.EqualFold(strings.TrimSpace(p), e) {
		return domain.FieldErrorf(field, "The password is your email: choose one that others cannot guess.")
	}
	if IsCommonPassword(p) {
		return domain.FieldErrorf(field, "This password is one of the most common ones, which attackers try first: choose another, a few words you remember for example.")
	}
	return nil
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}
