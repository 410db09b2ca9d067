package domain

import "fmt"

// Text says the reason in words, in French when lang is "fr" and in English
// otherwise: freezerctl and the API show these. typeName is the name of the
// reason's type in that language (ProductType.Name), for the codes that
// name one. The app makes its own words from its translation files.
func (r Reason) Text(lang, typeName string) string {
	if lang == "fr" {
		return r.textFR(typeName)
	}
	return r.textEN(typeName)
}

func (r Reason) textEN(typeName string) string {
	switch r.Code {
	case ReasonOverdue:
		return "overdue by " + plural(r.Days, "day", "days")
	case ReasonDueToday:
		return "due today"
	case ReasonDueIn:
		if r.Days == 1 {
			return "due tomorrow"
		}
		return "due in " + plural(r.Days, "day", "days")
	case ReasonOftenDiscarded:
		return fmt.Sprintf("your %s is often thrown away (%d of %d)", typeName, r.Count, r.Of)
	case ReasonUsualPortion:
		return "for " + plural(r.Persons, "person", "people") + ", like most of your meals"
	case ReasonOtherPortion:
		return fmt.Sprintf("for %s; you usually eat for %d", plural(r.Persons, "person", "people"), r.Usual)
	case ReasonUsuallyHave:
		every, ago := "one every "+plural(r.Usual, "day", "days"), plural(r.Days, "day", "days")+" ago"
		if r.Usual == 1 {
			every = "one a day"
		}
		if r.Days == 0 {
			ago = "today"
		}
		return fmt.Sprintf("you usually have %s (%s); the last one went out %s", typeName, every, ago)
	case ReasonAlwaysDiscarded:
		return fmt.Sprintf("%s: %d of the last %d were thrown away; buy smaller?", typeName, r.Count, r.Of)
	}
	return string(r.Code)
}

func (r Reason) textFR(typeName string) string {
	switch r.Code {
	case ReasonOverdue:
		return "en retard de " + plural(r.Days, "jour", "jours")
	case ReasonDueToday:
		return "à consommer aujourd'hui"
	case ReasonDueIn:
		if r.Days == 1 {
			return "à consommer demain"
		}
		return "à consommer dans " + plural(r.Days, "jour", "jours")
	case ReasonOftenDiscarded:
		return fmt.Sprintf("« %s » finit souvent à la poubelle chez vous (%d sur %d)", typeName, r.Count, r.Of)
	case ReasonUsualPortion:
		return "pour " + plural(r.Persons, "personne", "personnes") + ", comme la plupart de vos repas"
	case ReasonOtherPortion:
		return fmt.Sprintf("pour %s, alors que vous mangez d'habitude à %d", plural(r.Persons, "personne", "personnes"), r.Usual)
	case ReasonUsuallyHave:
		every, ago := "tous les "+plural(r.Usual, "jour", "jours"), "il y a "+plural(r.Days, "jour", "jours")
		if r.Usual == 1 {
			every = "tous les jours"
		}
		if r.Days == 0 {
			ago = "aujourd'hui"
		}
		return fmt.Sprintf("« %s » : vous en sortez d'habitude un %s ; le dernier est sorti %s", typeName, every, ago)
	case ReasonAlwaysDiscarded:
		return fmt.Sprintf("« %s » : les %d derniers ont été jetés ; acheter en plus petit ?", typeName, r.Count)
	}
	return string(r.Code)
}

// plural writes n with the singular noun when n is 1, the plural otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
