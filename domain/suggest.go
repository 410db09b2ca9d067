package domain

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strings"
)

// Suggestions: what to eat first this week (Plan) and what to buy again
// (Restock). Both are pure functions of the household's products, inside
// and taken out, and of the day: the same inputs give the same answer on a
// device offline and on the server.

// Defaults and bounds of the plan's settings.
const (
	DefaultSuggestCount   = 7   // suggestions in a plan
	DefaultSuggestHorizon = 7   // days the plan looks ahead
	MaxSuggestCount       = 100 // the most suggestions a plan asks for
	MaxSuggestHorizon     = 365 // the farthest a plan looks ahead, in days
)

// DiscardPriorStrength is the weight, in take-outs, of the prior that a
// type's discard share is the household's overall share (a Beta prior with
// that mean). With 4, a type needs about 4 take-outs of its own before its
// record weighs as much as the household's habit: one discarded take-out
// (1 of 1) in a household that discards 10% reads as (1 + 0.4) / (1 + 4) =
// 28%, not 100%, so it cannot jump to the top; 4 of 9 reads as (4 + 0.4) /
// (9 + 4) = 34%, close to its own 44%. Smaller weights let a single discard
// dominate, larger ones hide real habits for months.
const DiscardPriorStrength = 4.0

// Thresholds of the reasons and hints.
const (
	oftenDiscardedMin   = 2       // discards of a type before "often thrown away" is said
	oftenDiscardedShare = 1.0 / 3 // and its smoothed share at least this
	portionMinEaten     = 3       // eaten take-outs before the usual portion is known
	portionWeight       = 0.5     // how much a portion far from the usual one lowers a score
	overdueCap          = 28      // days overdue beyond which urgency stops growing
	restockMinOut       = 3       // take-outs in restockMonths to count a type as usual
	restockMonths       = 6
	discardedMinLast    = 3 // last take-outs, all discarded, for "always thrown away"
	discardedMaxLast    = 5 // the most recent take-outs looked at
)

// SuggestOptions tunes a plan. Zero fields take their defaults.
type SuggestOptions struct {
	Count   int // suggestions to return (DefaultSuggestCount)
	Horizon int // days ahead that count as "this week" (DefaultSuggestHorizon)
}

// withDefaults fills zero fields and clamps the others to their bounds.
func (o SuggestOptions) withDefaults() SuggestOptions {
	if o.Count <= 0 {
		o.Count = DefaultSuggestCount
	}
	if o.Horizon <= 0 {
		o.Horizon = DefaultSuggestHorizon
	}
	o.Count = min(o.Count, MaxSuggestCount)
	o.Horizon = min(o.Horizon, MaxSuggestHorizon)
	return o
}

// ReasonCode names why a product is suggested or a type hinted. Each is
// turned into words where it is shown, with the numbers of its Reason.
type ReasonCode string

// Reason codes and the Reason fields each one sets.
const (
	ReasonOverdue         ReasonCode = "overdue"          // Days: days past the deadline
	ReasonDueToday        ReasonCode = "due_today"        // the deadline is today
	ReasonDueIn           ReasonCode = "due_in"           // Days: days to the deadline
	ReasonOftenDiscarded  ReasonCode = "often_discarded"  // TypeID, Count discarded of Of take-outs
	ReasonUsualPortion    ReasonCode = "usual_portion"    // Persons: the product's, the household's usual
	ReasonOtherPortion    ReasonCode = "other_portion"    // Persons: the product's; Usual: the household's
	ReasonUsuallyHave     ReasonCode = "usually_have"     // TypeID, Count take-outs in 6 months, Usual days between, Days since the last
	ReasonAlwaysDiscarded ReasonCode = "always_discarded" // TypeID, Count discarded of the last Of take-outs
)

// Reason is why: a code and its numbers (the fields its code names; the
// others stay zero).
type Reason struct {
	Code    ReasonCode `json:"code"`
	Days    int        `json:"days,omitempty"`
	TypeID  int        `json:"type_id,omitempty"`
	Count   int        `json:"count,omitempty"`
	Of      int        `json:"of,omitempty"`
	Persons int        `json:"persons,omitempty"`
	Usual   int        `json:"usual,omitempty"`
}

// Suggestion is a product to eat soon, with why.
type Suggestion struct {
	Product  Product  `json:"product"`
	Deadline Date     `json:"deadline"`
	Score    float64  `json:"score"`
	Reasons  []Reason `json:"reasons"`
	tier     int      // 0 overdue, 1 due within the horizon, 2 later
}

// RestockHint is a product type to think of when shopping, with why.
type RestockHint struct {
	TypeID int    `json:"type_id"`
	Reason Reason `json:"reason"`
}

// typeStats is one type's take-outs.
type typeStats struct {
	out, discarded int
}

// history is what the household's take-outs say.
type history struct {
	byType       map[int]typeStats
	overallShare float64 // discarded among every take-out (0 with none)
	portion      int     // median persons of what was eaten (0: not known)
}

// readHistory reads the take-outs among products (deleted ones are
// entries made by mistake: left out). An old take-out with no outcome
// counts as eaten, as in PerMonth.
func readHistory(products []Product) history {
	h := history{byType: map[int]typeStats{}}
	var eaten []int
	out, discarded := 0, 0
	for _, p := range products {
		if p.Deleted || p.DateOut.IsZero() {
			continue
		}
		s := h.byType[p.TypeID]
		s.out++
		out++
		if p.Outcome == OutcomeDiscarded {
			s.discarded++
			discarded++
		} else {
			eaten = append(eaten, p.Quantity)
		}
		h.byType[p.TypeID] = s
	}
	if out > 0 {
		h.overallShare = float64(discarded) / float64(out)
	}
	if len(eaten) >= portionMinEaten {
		h.portion = median(eaten)
	}
	return h
}

// median returns the median of xs (the lower middle one for an even count,
// so that the usual portion is a number of persons someone really ate for).
func median(xs []int) int {
	slices.Sort(xs)
	return xs[(len(xs)-1)/2]
}

// discardRisk is the smoothed share of discarded among a type's take-outs:
// the mean of a Beta posterior whose prior has the household's share as its
// mean and DiscardPriorStrength take-outs as its weight.
func (h history) discardRisk(typeID int) float64 {
	s := h.byType[typeID]
	return (float64(s.discarded) + DiscardPriorStrength*h.overallShare) / (float64(s.out) + DiscardPriorStrength)
}

// portionFit is 1 when persons is the usual portion (or none is known),
// and less the farther it is from it, the same for twice as many as for
// half as many.
func (h history) portionFit(persons int) float64 {
	if h.portion == 0 || persons < 1 {
		return 1
	}
	return 1 / (1 + portionWeight*math.Abs(math.Log(float64(persons)/float64(h.portion))))
}

// Plan ranks the products inside for the coming days: the ones to eat
// first come first. Overdue products come before the ones due within the
// horizon, which come before the later ones. Within each, the score is
// the urgency, raised by the risk that this type is thrown away in this
// household (times 1 + discardRisk) and lowered when its persons are far
// from the household's usual portion (times portionFit). The urgency of a
// product due in d days is exp(-d/horizon): each day nearer multiplies it
// by about 1.15 with a week's horizon, so a one-in-three discard risk
// (x1.33) moves a product ahead of one due up to two days earlier, not
// more. An overdue product's urgency is 1 plus the days overdue / 28
// (capped at 2). Ties go to the earlier deadline, then to the name
// (ignoring case and accents), then to the id.
func Plan(products []Product, today Date, o SuggestOptions) []Suggestion {
	o = o.withDefaults()
	h := readHistory(products)
	// Score every product inside, keep the best o.Count in order (an
	// insertion into a short list: a full sort of thousands costs more),
	// and say why for those only.
	best := make([]Suggestion, 0, o.Count+1)
	for _, p := range products {
		if !p.Inside() {
			continue
		}
		c := h.score(p, today, o.Horizon)
		if len(best) == o.Count && compareSuggestions(c, best[len(best)-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, c, compareSuggestions)
		best = slices.Insert(best, i, c)
		if len(best) > o.Count {
			best = best[:o.Count]
		}
	}
	for i := range best {
		best[i].Reasons = h.reasons(best[i].Product, today)
	}
	return best
}

// compareSuggestions orders by tier, score (highest first), deadline, then
// name and id. Names are folded only for ties, which are rare: folding
// every name would cost more than the rest of the plan.
func compareSuggestions(x, y Suggestion) int {
	if c := cmp.Or(cmp.Compare(x.tier, y.tier), cmp.Compare(y.Score, x.Score), x.Deadline.Compare(y.Deadline)); c != 0 {
		return c
	}
	return cmp.Or(strings.Compare(Fold(x.Product.Name), Fold(y.Product.Name)),
		bytes.Compare(x.Product.ID[:], y.Product.ID[:]))
}

// score places one product inside: its tier and score (see Plan).
func (h history) score(p Product, today Date, horizon int) Suggestion {
	s := Suggestion{Product: p, Deadline: p.Deadline()}
	left := today.DaysUntil(s.Deadline)
	var urgency float64
	switch {
	case left < 0:
		s.tier = 0
		urgency = 1 + float64(min(-left, overdueCap))/overdueCap
	case left <= horizon:
		s.tier = 1
		urgency = math.Exp(-float64(left) / float64(horizon))
	default:
		s.tier = 2
		urgency = math.Exp(-float64(left) / float64(horizon))
	}
	s.Score = urgency * (1 + h.discardRisk(p.TypeID)) * h.portionFit(p.Quantity)
	return s
}

// reasons says why p is suggested: its deadline, its type's discards when
// they are frequent, and its portion against the usual one when known.
func (h history) reasons(p Product, today Date) []Reason {
	var rs []Reason
	switch left := today.DaysUntil(p.Deadline()); {
	case left < 0:
		rs = append(rs, Reason{Code: ReasonOverdue, Days: -left})
	case left == 0:
		rs = append(rs, Reason{Code: ReasonDueToday})
	default:
		rs = append(rs, Reason{Code: ReasonDueIn, Days: left})
	}
	st := h.byType[p.TypeID]
	if st.discarded >= oftenDiscardedMin && h.discardRisk(p.TypeID) >= oftenDiscardedShare {
		rs = append(rs, Reason{Code: ReasonOftenDiscarded, TypeID: p.TypeID, Count: st.discarded, Of: st.out})
	}
	switch {
	case h.portion == 0:
	case p.Quantity == h.portion:
		rs = append(rs, Reason{Code: ReasonUsualPortion, Persons: p.Quantity})
	default:
		rs = append(rs, Reason{Code: ReasonOtherPortion, Persons: p.Quantity, Usual: h.portion})
	}
	return rs
}
