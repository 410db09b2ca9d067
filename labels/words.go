package labels

import (
	"strconv"
	"strings"

	"freezer/domain"
)

// wordSet is a label's words in one language (the app's translations live
// in ui, which labels may not import: these are the few a label needs).
type wordSet struct {
	dateIn, eatBy          string // before a date
	person, persons        string // "{n} persons"
	box                    string // "Box {n}"
	place                  string // "{freezer} · box {box} · slot {slot}"
	boxSlot                string // "box {box} · slot {slot}", under a long freezer name
	months                 [12]string
	boxTitle, productTitle string // the PDF's title
}

var words = map[string]wordSet{
	"en": {
		dateIn: "In:", eatBy: "Eat by:", person: "1 person", persons: "{n} persons", box: "Box {n}",
		place: "{freezer} · box {box} · slot {slot}", boxSlot: "box {box} · slot {slot}",
		months:   [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		boxTitle: "Freezer box labels", productTitle: "Freezer product labels",
	},
	"fr": {
		dateIn: "Entré le", eatBy: "Limite\u00a0:", person: "1 personne", persons: "{n} personnes", box: "Tiroir {n}",
		place: "{freezer} · tiroir {box} · place {slot}", boxSlot: "tiroir {box} · place {slot}",
		months:   [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		boxTitle: "Étiquettes de tiroirs", productTitle: "Étiquettes de produits",
	},
}

// langOf is the word set's key for lang: "fr" for French, else "en"; an
// unknown language maps to itself (Validate refuses it).
func langOf(lang string) string {
	switch strings.ToLower(lang) {
	case "", "en":
		return "en"
	case "fr":
		return "fr"
	}
	return lang
}

// date writes d as "1 Dec 2026" or "1 déc. 2026": day, month, year in any
// language, never ambiguous.
func (w wordSet) date(d domain.Date) string {
	if d.IsZero() {
		return "—"
	}
	return strconv.Itoa(d.Day) + " " + w.months[d.Month-1] + " " + strconv.Itoa(d.Year)
}

func (w wordSet) personsText(n int) string {
	if n == 1 {
		return w.person
	}
	return strings.ReplaceAll(w.persons, "{n}", strconv.Itoa(n))
}

func (w wordSet) boxText(n int) string { return strings.ReplaceAll(w.box, "{n}", strconv.Itoa(n)) }

func (w wordSet) placeText(freezer string, box, slot int) string {
	return strings.NewReplacer("{freezer}", freezer, "{box}", strconv.Itoa(box), "{slot}", strconv.Itoa(slot)).Replace(w.place)
}

func (w wordSet) boxSlotText(box, slot int) string {
	return strings.NewReplacer("{box}", strconv.Itoa(box), "{slot}", strconv.Itoa(slot)).Replace(w.boxSlot)
}
