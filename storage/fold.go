package storage

import (
	"strings"
	"unicode"
)

// fold lowers s and strips the accents of Latin letters, so that a search
// for "creme" finds "Crème" and names sort the way people expect.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if base, ok := accents[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var accents = func() map[rune]string {
	m := map[rune]string{}
	for base, letters := range map[string]string{
		"a": "àáâãäåā", "c": "çćč", "e": "èéêëēė", "i": "ìíîïī", "n": "ñń", "o": "òóôõöøō",
		"u": "ùúûüū", "y": "ýÿ", "oe": "œ", "ae": "æ", "ss": "ß",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
