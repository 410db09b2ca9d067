package domain

import (
	"cmp"
	"slices"
)

// Restock returns the hints for shopping, on day today:
//
//   - the types the household takes out regularly (at least 3 times in
//     the last 6 months) and of which none is inside now, with the usual
//     interval between two take-outs (ReasonUsuallyHave), the most overdue
//     against that interval first;
//   - the types whose last take-outs (3 to 5 of them) were all discarded
//     (ReasonAlwaysDiscarded), the longest run first.
//
// Within each kind, ties go to the type id. Deleted products (entered by
// mistake) are left out.
func Restock(products []Product, today Date) []RestockHint {
	since := today.AddMonths(-restockMonths)
	inside := map[int]bool{}
	outs := map[int][]Product{} // every take-out of each type
	for _, p := range products {
		switch {
		case p.Deleted:
		case p.Inside():
			inside[p.TypeID] = true
		default:
			outs[p.TypeID] = append(outs[p.TypeID], p)
		}
	}
	var usual, wasted []RestockHint
	for typeID, ps := range outs {
		// Latest first; same day: the id (UUID v7, time-ordered) decides.
		slices.SortFunc(ps, func(a, b Product) int {
			return cmp.Or(b.DateOut.Compare(a.DateOut), cmp.Compare(b.ID.String(), a.ID.String()))
		})
		if r, ok := usuallyHave(typeID, ps, since, today); ok && !inside[typeID] {
			usual = append(usual, RestockHint{TypeID: typeID, Reason: r})
		}
		if r, ok := alwaysDiscarded(typeID, ps); ok {
			wasted = append(wasted, RestockHint{TypeID: typeID, Reason: r})
		}
	}
	slices.SortFunc(usual, func(a, b RestockHint) int {
		// a.Days/a.Usual > b.Days/b.Usual, in integers.
		return cmp.Or(cmp.Compare(b.Reason.Days*a.Reason.Usual, a.Reason.Days*b.Reason.Usual),
			cmp.Compare(b.Reason.Count, a.Reason.Count), cmp.Compare(a.TypeID, b.TypeID))
	})
	slices.SortFunc(wasted, func(a, b RestockHint) int {
		return cmp.Or(cmp.Compare(b.Reason.Count, a.Reason.Count), cmp.Compare(a.TypeID, b.TypeID))
	})
	return append(usual, wasted...)
}

// usuallyHave says whether the take-outs ps of a type (latest first) are
// regular: at least restockMinOut on or after since. The usual interval is
// the median of the days between consecutive take-outs in that window
// (at least 1 day).
func usuallyHave(typeID int, ps []Product, since, today Date) (Reason, bool) {
	var gaps []int
	n := 0
	for i, p := range ps {
		if p.DateOut.Before(since) {
			break
		}
		n++
		if i > 0 {
			gaps = append(gaps, p.DateOut.DaysUntil(ps[i-1].DateOut))
		}
	}
	if n < restockMinOut {
		return Reason{}, false
	}
	return Reason{Code: ReasonUsuallyHave, TypeID: typeID, Count: n,
		Usual: max(1, median(gaps)), Days: ps[0].DateOut.DaysUntil(today)}, true
}

// alwaysDiscarded says whether the last take-outs of a type (ps, latest
// first), at least discardedMinLast and at most discardedMaxLast of them,
// were all discarded.
func alwaysDiscarded(typeID int, ps []Product) (Reason, bool) {
	n := 0
	for _, p := range ps[:min(len(ps), discardedMaxLast)] {
		if p.Outcome != OutcomeDiscarded {
			break
		}
		n++
	}
	if n < discardedMinLast {
		return Reason{}, false
	}
	return Reason{Code: ReasonAlwaysDiscarded, TypeID: typeID, Count: n, Of: n}, true
}
