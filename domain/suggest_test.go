package domain_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// suggestToday is the day every plan test is computed on.
var suggestToday = domain.NewDate(2026, time.March, 10)

// Product types used by the tests (the default types' ids).
const (
	tSoup     = 1
	tWhite    = 7
	tFish     = 13
	tMeal     = 16
	tIceCream = 24
	tPizza    = 33
	tVeg      = 43
)

// inside is a product inside whose deadline is in days days (negative:
// overdue by -days).
func inside(t *testing.T, name string, typeID, persons, days int) domain.Product {
	t.Helper()
	deadline := suggestToday.AddDays(days)
	p := domain.Product{ID: domain.NewID(), Name: name, TypeID: typeID, Quantity: persons,
		DateIn: deadline.AddMonths(-12), PeriodMonths: 12, Location: domain.Location{FreezerID: uuid.Nil, Box: 1, Slot: 1}}
	if p.Deadline() != deadline {
		t.Fatalf("test product %q: deadline %v, want %v (choose other days)", name, p.Deadline(), deadline)
	}
	return p
}

// out is a product of typeID for persons taken out daysAgo days ago.
func out(typeID, persons, daysAgo int, how domain.Outcome) domain.Product {
	day := suggestToday.AddDays(-daysAgo)
	return domain.Product{ID: domain.NewID(), Name: fmt.Sprintf("old %d", typeID), TypeID: typeID, Quantity: persons,
		DateIn: day.AddDays(-30), PeriodMonths: 6, DateOut: day, Outcome: how}
}

// outs is n take-outs of typeID for persons, discarded of them discarded,
// a week apart from 7 days ago.
func outs(typeID, persons, n, discarded int) []domain.Product {
	var ps []domain.Product
	for i := range n {
		how := domain.OutcomeEaten
		if i < discarded {
			how = domain.OutcomeDiscarded
		}
		ps = append(ps, out(typeID, persons, 7*(i+1), how))
	}
	return ps
}

// r builds a reason; the fields are the ones its code sets.
func overdue(days int) domain.Reason { return domain.Reason{Code: domain.ReasonOverdue, Days: days} }
func dueIn(days int) domain.Reason   { return domain.Reason{Code: domain.ReasonDueIn, Days: days} }
func usual(persons int) domain.Reason {
	return domain.Reason{Code: domain.ReasonUsualPortion, Persons: persons}
}
func other(persons, usual int) domain.Reason {
	return domain.Reason{Code: domain.ReasonOtherPortion, Persons: persons, Usual: usual}
}
func often(typeID, count, of int) domain.Reason {
	return domain.Reason{Code: domain.ReasonOftenDiscarded, TypeID: typeID, Count: count, Of: of}
}

var dueToday = domain.Reason{Code: domain.ReasonDueToday}

// want is one expected suggestion: the product's name and its reasons.
type want struct {
	name    string
	reasons []domain.Reason
}

func checkPlan(t *testing.T, got []domain.Suggestion, wants []want) {
	t.Helper()
	var names []string
	for _, s := range got {
		names = append(names, s.Product.Name)
	}
	if len(got) != len(wants) {
		t.Fatalf("Plan() = %d suggestions %q, want %d", len(got), names, len(wants))
	}
	for i, w := range wants {
		if got[i].Product.Name != w.name {
			t.Fatalf("Plan()[%d] = %q, want %q (order %q)", i, got[i].Product.Name, w.name, names)
		}
		if !slices.Equal(got[i].Reasons, w.reasons) {
			t.Errorf("Plan()[%d] %q reasons = %+v, want %+v", i, w.name, got[i].Reasons, w.reasons)
		}
		if got[i].Deadline != got[i].Product.Deadline() {
			t.Errorf("Plan()[%d] deadline = %v, want %v", i, got[i].Deadline, got[i].Product.Deadline())
		}
	}
}

func TestPlan(t *testing.T) {
	for _, tt := range []struct {
		name     string
		products func(t *testing.T) []domain.Product
		opts     domain.SuggestOptions
		want     []want
	}{{
		// No take-out at all: deadlines only, overdue first, no risk and
		// no portion said; the products already out never show.
		name: "no history falls back to deadlines",
		products: func(t *testing.T) []domain.Product {
			return []domain.Product{
				inside(t, "later", tSoup, 2, 20), inside(t, "soon", tFish, 6, 3),
				inside(t, "late", tMeal, 1, -2), inside(t, "today", tVeg, 2, 0),
				inside(t, "very late", tPizza, 3, -9),
			}
		},
		want: []want{
			{"very late", []domain.Reason{overdue(9)}}, {"late", []domain.Reason{overdue(2)}},
			{"today", []domain.Reason{dueToday}}, {"soon", []domain.Reason{dueIn(3)}},
			{"later", []domain.Reason{dueIn(20)}},
		},
	}, {
		// One ice cream of one was discarded, nine chickens eaten (the
		// household discards 1 in 10). Smoothed, the ice cream's risk is
		// (1+0.4)/(1+4) = 0.28, not 1: it does not pass a chicken due two
		// days earlier (exp(2/7) = 1.33 > 1.28), and one discard is not
		// "often".
		name: "one discard does not jump to the top",
		products: func(t *testing.T) []domain.Product {
			ps := append(outs(tWhite, 2, 9, 0), outs(tIceCream, 2, 1, 1)...)
			return append(ps, inside(t, "glace", tIceCream, 2, 4), inside(t, "poulet", tWhite, 2, 2))
		},
		want: []want{
			{"poulet", []domain.Reason{dueIn(2), usual(2)}},
			{"glace", []domain.Reason{dueIn(4), usual(2)}},
		},
	}, {
		// The same household, both due in 4 days: now the risk decides.
		name: "one discard still counts on the same day",
		products: func(t *testing.T) []domain.Product {
			ps := append(outs(tWhite, 2, 9, 0), outs(tIceCream, 2, 1, 1)...)
			return append(ps, inside(t, "poulet", tWhite, 2, 4), inside(t, "glace", tIceCream, 2, 4))
		},
		want: []want{
			{"glace", []domain.Reason{dueIn(4), usual(2)}},
			{"poulet", []domain.Reason{dueIn(4), usual(2)}},
		},
	}, {
		// Same score: the earlier deadline (overdue urgency stops growing
		// at 28 days), then the name ignoring case and accents.
		name: "ties by deadline then name",
		products: func(t *testing.T) []domain.Product {
			return []domain.Product{
				inside(t, "Épinards", tVeg, 2, 5), inside(t, "carottes", tVeg, 2, 5),
				inside(t, "old", tVeg, 2, -40), inside(t, "older", tVeg, 2, -50),
			}
		},
		want: []want{
			{"older", []domain.Reason{overdue(50)}}, {"old", []domain.Reason{overdue(40)}},
			{"carottes", []domain.Reason{dueIn(5)}}, {"Épinards", []domain.Reason{dueIn(5)}},
		},
	}, {
		// A household that eats alone: the single portion due a day later
		// comes before the dish for six (0.65 against 0.75 x 0.53).
		name: "usual portion one",
		products: func(t *testing.T) []domain.Product {
			return append(outs(tSoup, 1, 5, 0), inside(t, "lasagnes", tMeal, 6, 2), inside(t, "solo", tMeal, 1, 3))
		},
		want: []want{
			{"solo", []domain.Reason{dueIn(3), usual(1)}},
			{"lasagnes", []domain.Reason{dueIn(2), other(6, 1)}},
		},
	}, {
		// The same freezer in a household of six.
		name: "usual portion six",
		products: func(t *testing.T) []domain.Product {
			return append(outs(tSoup, 6, 5, 0), inside(t, "lasagnes", tMeal, 6, 2), inside(t, "solo", tMeal, 1, 3))
		},
		want: []want{
			{"lasagnes", []domain.Reason{dueIn(2), usual(6)}},
			{"solo", []domain.Reason{dueIn(3), other(1, 6)}},
		},
	}, {
		// Count and horizon: the first two only; with a 30-day horizon the
		// fish due in 10 days (4 of 9 discarded) passes the soup due in 8;
		// with 7 days it is later than the week, so it does not.
		name: "horizon 30 lets the risk count",
		opts: domain.SuggestOptions{Count: 2, Horizon: 30},
		products: func(t *testing.T) []domain.Product {
			ps := append(outs(tFish, 4, 9, 4), outs(tSoup, 4, 5, 0)...)
			return append(ps, inside(t, "soupe", tSoup, 4, 8), inside(t, "cabillaud", tFish, 4, 10), inside(t, "pois", tVeg, 4, 20))
		},
		want: []want{
			{"cabillaud", []domain.Reason{dueIn(10), often(tFish, 4, 9), usual(4)}},
			{"soupe", []domain.Reason{dueIn(8), usual(4)}},
		},
	}, {
		name: "horizon 7 keeps the week first",
		opts: domain.SuggestOptions{Count: 2},
		products: func(t *testing.T) []domain.Product {
			ps := append(outs(tFish, 4, 9, 4), outs(tSoup, 4, 5, 0)...)
			return append(ps, inside(t, "soupe", tSoup, 4, 7), inside(t, "cabillaud", tFish, 4, 8), inside(t, "pois", tVeg, 4, 20))
		},
		want: []want{
			{"soupe", []domain.Reason{dueIn(7), usual(4)}},
			{"cabillaud", []domain.Reason{dueIn(8), often(tFish, 4, 9), usual(4)}},
		},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Plan(tt.products(t), suggestToday, tt.opts)
			checkPlan(t, got, tt.want)
		})
	}
}

// TestPlanObviousHousehold is a household small enough to rank by hand.
//
// History: 9 fish taken out, 4 of them discarded; 6 soups, all eaten; the
// eaten ones were for 4 people, so the usual portion is 4.
// Inside: cabillaud (fish, 4 people) overdue by 3 days; soupe de légumes
// (soup, 4 people) due in 30 days; poulet (white meat, 2 people) due in 5
// days; and a deleted product overdue by 100 days (entered by mistake).
//
// Expected, written before running the code:
//  1. cabillaud: overdue by 3 days; your fish is often thrown away (4 of 9);
//     for 4 people, like most of your meals.
//  2. poulet: due in 5 days; for 2 people (you usually eat for 4).
//  3. soupe de légumes: due in 30 days; for 4 people, like most of your meals.
//
// The deleted product is not suggested.
func TestPlanObviousHousehold(t *testing.T) {
	ps := append(outs(tFish, 4, 9, 4), outs(tSoup, 4, 6, 0)...)
	mistake := inside(t, "mistake", tMeal, 4, -100)
	mistake.Deleted = true
	ps = append(ps, inside(t, "soupe de légumes", tSoup, 4, 30), inside(t, "cabillaud", tFish, 4, -3),
		inside(t, "poulet", tWhite, 2, 5), mistake)

	got := domain.Plan(ps, suggestToday, domain.SuggestOptions{})
	checkPlan(t, got, []want{
		{"cabillaud", []domain.Reason{overdue(3), often(tFish, 4, 9), usual(4)}},
		{"poulet", []domain.Reason{dueIn(5), other(2, 4)}},
		{"soupe de légumes", []domain.Reason{dueIn(30), usual(4)}},
	})
	wantText := map[string][]string{
		"en": {"overdue by 3 days", "your fish is often thrown away (4 of 9)", "for 4 people, like most of your meals"},
		"fr": {"en retard de 3 jours", "« poisson » finit souvent à la poubelle chez vous (4 sur 9)", "pour 4 personnes, comme la plupart de vos repas"},
	}
	for lang, texts := range wantText {
		for i, r := range got[0].Reasons {
			if s := r.Text(lang, domain.DefaultProductTypes()[tFish-1].Name(lang)); s != texts[i] {
				t.Errorf("Reason %v in %s = %q, want %q", r.Code, lang, s, texts[i])
			}
		}
	}
}

func TestPlanCountDefaultsAndBounds(t *testing.T) {
	var ps []domain.Product
	for i := range 120 {
		ps = append(ps, inside(t, fmt.Sprintf("p%03d", i), tVeg, 2, i%20))
	}
	for _, tt := range []struct {
		count, want int
	}{{0, domain.DefaultSuggestCount}, {-3, domain.DefaultSuggestCount}, {2, 2}, {1000, domain.MaxSuggestCount}} {
		if got := domain.Plan(ps, suggestToday, domain.SuggestOptions{Count: tt.count}); len(got) != tt.want {
			t.Errorf("Plan(Count %d) = %d suggestions, want %d", tt.count, len(got), tt.want)
		}
	}
	if got := domain.Plan(nil, suggestToday, domain.SuggestOptions{}); len(got) != 0 {
		t.Errorf("Plan(nil) = %d suggestions, want 0", len(got))
	}
}

func TestRestock(t *testing.T) {
	var ps []domain.Product
	// Soup: out 40, 30, 21 and 12 days ago, none inside: gaps 10, 9, 9,
	// one every 9 days, 12 days since (1.3 intervals).
	for _, d := range []int{40, 30, 21, 12} {
		ps = append(ps, out(tSoup, 2, d, domain.OutcomeEaten))
	}
	// Pizza: out 3 times, but one is inside: no hint.
	for _, d := range []int{50, 20, 5} {
		ps = append(ps, out(tPizza, 2, d, domain.OutcomeEaten))
	}
	ps = append(ps, inside(t, "pizza", tPizza, 2, 30))
	// Peas: twice only. White meat: 3 times, 7 to 9 months ago.
	ps = append(ps, out(tVeg, 2, 10, domain.OutcomeEaten), out(tVeg, 2, 3, domain.OutcomeEaten))
	for _, d := range []int{210, 240, 270} {
		ps = append(ps, out(tWhite, 2, d, domain.OutcomeEaten))
	}
	// Ice cream: eaten, then the last 3 discarded; one is inside.
	ps = append(ps, out(tIceCream, 2, 90, domain.OutcomeEaten))
	for _, d := range []int{60, 30, 2} {
		ps = append(ps, out(tIceCream, 2, d, domain.OutcomeDiscarded))
	}
	ps = append(ps, inside(t, "glace", tIceCream, 3, 100))
	// Fish: 4 out in 6 months (one every 20 days, 40 days since: 2
	// intervals, so before the soup), 3 discarded but not the last 3.
	ps = append(ps, out(tFish, 2, 100, domain.OutcomeDiscarded), out(tFish, 2, 80, domain.OutcomeEaten),
		out(tFish, 2, 60, domain.OutcomeDiscarded), out(tFish, 2, 40, domain.OutcomeDiscarded))
	// A deleted soup taken out yesterday: entered by mistake, not counted.
	mistake := out(tSoup, 2, 1, domain.OutcomeEaten)
	mistake.Deleted = true
	ps = append(ps, mistake)

	got := domain.Restock(ps, suggestToday)
	want := []domain.RestockHint{
		{TypeID: tFish, Reason: domain.Reason{Code: domain.ReasonUsuallyHave, TypeID: tFish, Count: 4, Usual: 20, Days: 40}},
		{TypeID: tSoup, Reason: domain.Reason{Code: domain.ReasonUsuallyHave, TypeID: tSoup, Count: 4, Usual: 9, Days: 12}},
		{TypeID: tIceCream, Reason: domain.Reason{Code: domain.ReasonAlwaysDiscarded, TypeID: tIceCream, Count: 3, Of: 3}},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Restock() =\n%+v\nwant\n%+v", got, want)
	}
	texts := map[string][]string{
		"en": {"you usually have fish (one every 20 days); the last one went out 40 days ago",
			"you usually have soup (one every 9 days); the last one went out 12 days ago",
			"ice-cream: 3 of the last 3 were thrown away; buy smaller?"},
		"fr": {"« poisson » : vous en sortez d'habitude un tous les 20 jours ; le dernier est sorti il y a 40 jours",
			"« soupe » : vous en sortez d'habitude un tous les 9 jours ; le dernier est sorti il y a 12 jours",
			"« glace » : les 3 derniers ont été jetés ; acheter en plus petit ?"},
	}
	types := domain.DefaultProductTypes()
	for lang, want := range texts {
		for i, h := range got {
			if s := h.Reason.Text(lang, types[h.TypeID-1].Name(lang)); s != want[i] {
				t.Errorf("hint %d in %s = %q, want %q", i, lang, s, want[i])
			}
		}
	}
	if got := domain.Restock(nil, suggestToday); len(got) != 0 {
		t.Errorf("Restock(nil) = %+v, want none", got)
	}
}

func TestReasonTextSingulars(t *testing.T) {
	for _, tt := range []struct {
		r      domain.Reason
		en, fr string
	}{
		{overdue(1), "overdue by 1 day", "en retard de 1 jour"},
		{dueIn(1), "due tomorrow", "à consommer demain"},
		{dueToday, "due today", "à consommer aujourd'hui"},
		{usual(1), "for 1 person, like most of your meals", "pour 1 personne, comme la plupart de vos repas"},
		{other(6, 2), "for 6 people; you usually eat for 2", "pour 6 personnes, alors que vous mangez d'habitude à 2"},
		{domain.Reason{Code: domain.ReasonUsuallyHave, Count: 5, Usual: 1, Days: 0},
			"you usually have soup (one a day); the last one went out today",
			"« soupe » : vous en sortez d'habitude un tous les jours ; le dernier est sorti aujourd'hui"},
	} {
		if got := tt.r.Text("en", "soup"); got != tt.en {
			t.Errorf("%+v in English = %q, want %q", tt.r, got, tt.en)
		}
		if got := tt.r.Text("fr", "soupe"); got != tt.fr {
			t.Errorf("%+v in French = %q, want %q", tt.r, got, tt.fr)
		}
	}
}

// BenchmarkPlan plans over 10,000 products inside and 20,000 taken out
// (the history), of 43 types.
func BenchmarkPlan(b *testing.B) {
	ps := make([]domain.Product, 0, 30_000)
	for i := range 30_000 {
		p := domain.Product{ID: domain.NewID(), Name: fmt.Sprintf("product %d", i%500), TypeID: 1 + i%43,
			Quantity: 1 + i%6, DateIn: suggestToday.AddDays(-(i % 300)), PeriodMonths: 1 + i%12}
		if i >= 10_000 {
			p.DateOut = p.DateIn.AddDays(i % 30)
			p.Outcome = domain.OutcomeEaten
			if i%5 == 0 {
				p.Outcome = domain.OutcomeDiscarded
			}
		}
		ps = append(ps, p)
	}
	b.ResetTimer()
	for b.Loop() {
		if got := domain.Plan(ps, suggestToday, domain.SuggestOptions{}); len(got) != domain.DefaultSuggestCount {
			b.Fatalf("Plan() = %d suggestions", len(got))
		}
	}
}
