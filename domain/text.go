package domain

import (
	"bytes"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold is the one folding of text for search and for comparing names: case
// folded (Unicode full case folding, so "ß" matches "ss"), accents removed
// (canonical decomposition without the combining marks, so "Noël" matches
// "noel" and "Crème" matches "creme"), and the Latin ligatures French writes
// expanded ("bœuf" matches "boeuf"), like the letters with a stroke
// ("smørbrød" matches "smorbrod"). The store keeps folded columns made
// with it, the app filters with it in memory and /api/v1's q= uses it: a
// search answers the same everywhere.
func Fold(s string) string {
	switch asciiKind(s) {
	case asciiLower:
		return s
	case asciiMixed:
		return strings.ToLower(s) // ASCII has no accents, and its case folding is lowering
	}
	t := foldPool.Get().(transform.Transformer)
	defer foldPool.Put(t)
	t.Reset()
	out, _, err := transform.String(t, s)
	if err != nil {
		out = strings.ToLower(s) // invalid UTF-8: still a usable key
	}
	return undecomposed.Replace(out)
}

// What asciiKind finds.
const (
	asciiLower = iota // ASCII without capitals: nothing to fold
	asciiMixed        // ASCII with capitals
	notASCII
)

// asciiKind classifies s so that Fold can skip its transform chain for the
// common cases: a typed search, an English name.
func asciiKind(s string) int {
	kind := asciiLower
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return notASCII
		}
		if 'A' <= c && c <= 'Z' {
			kind = asciiMixed
		}
	}
	return kind
}

var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
}}

// undecomposed are the letters that Unicode does not decompose but a reader
// writes either way: the ligatures French writes ("bœuf", "boeuf") and the
// letters with a stroke that keyboards without them spell plainly
// ("smørbrød", "smorbrod"; "Łódź", "lodz").
var undecomposed = strings.NewReplacer("œ", "oe", "æ", "ae", "ĳ", "ij",
	"ø", "o", "ł", "l", "đ", "d", "ð", "d", "ħ", "h", "ŧ", "t", "þ", "th", "ı", "i")

// SortKey returns the key that sorts name the way a reader of lang ("en",
// "fr") expects: by the language's collation, ignoring case and accents
// first ("Côtes" before "Cuisses"), with numbers in natural order ("Freezer
// 2" before "Freezer 10"). Keys compare with bytes.Compare; compute them
// once per name when sorting many.
func SortKey(lang, name string) []byte {
	c := collatorFor(lang)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Reset()
	return bytes.Clone(c.c.KeyFromString(&c.buf, name))
}

// CompareNames compares two names as SortKey orders them, then by the names
// themselves so the order is total.
func CompareNames(lang, a, b string) int {
	c := collatorFor(lang)
	c.mu.Lock()
	r := c.c.CompareString(a, b)
	c.mu.Unlock()
	if r != 0 {
		return r
	}
	return strings.Compare(a, b)
}

type lockedCollator struct {
	mu  sync.Mutex // a Collator keeps buffers: one caller at a time
	c   *collate.Collator
	buf collate.Buffer // reused by SortKey: a Buffer holds 4 KB to clear
}

var collators sync.Map // language code -> *lockedCollator

func collatorFor(lang string) *lockedCollator {
	if c, ok := collators.Load(lang); ok {
		return c.(*lockedCollator)
	}
	tag := language.English
	if lang == "fr" {
		tag = language.French
	}
	c, _ := collators.LoadOrStore(lang, &lockedCollator{c: collate.New(tag, collate.Numeric)})
	return c.(*lockedCollator)
}
