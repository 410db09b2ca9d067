package domain

import (
	"cmp"
	"slices"
	"time"
)

// TypeCount is how often a product type was frozen, and the day the last
// product of that type left a freezer (zero if none has left yet).
type TypeCount struct {
	TypeID int  `json:"type_id"`
	Count  int  `json:"count"`
	Latest Date `json:"latest"`
}

// TypeTendency counts products per type with the latest date out, sorted
// like the original "custom tendency": latest date out descending, then
// count descending, then type id ascending so the order is total.
func TypeTendency(products []Product) []TypeCount {
	byType := map[int]*TypeCount{}
	for _, p := range products {
		tc := byType[p.TypeID]
		if tc == nil {
			tc = &TypeCount{TypeID: p.TypeID}
			byType[p.TypeID] = tc
		}
		tc.Count++
		if p.DateOut.After(tc.Latest) {
			tc.Latest = p.DateOut
		}
	}
	out := make([]TypeCount, 0, len(byType))
	for _, tc := range byType {
		out = append(out, *tc)
	}
	slices.SortFunc(out, func(a, b TypeCount) int {
		if c := b.Latest.Compare(a.Latest); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.TypeID, b.TypeID)
	})
	return out
}

// TypeFrequency counts products per type, most frequent first (ties by type
// id): the "general tendency" when given every user's products.
func TypeFrequency(products []Product) []TypeCount {
	out := TypeTendency(products)
	for i := range out {
		out[i].Latest = Date{}
	}
	slices.SortFunc(out, func(a, b TypeCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.TypeID, b.TypeID)
	})
	return out
}

// StockPoint is the number of products inside at the end of a day.
type StockPoint struct {
	Day    Date `json:"day"`
	Inside int  `json:"inside"`
}

// StockPerWeek returns how many products were inside at the end of each
// week from from to to: one point every 7 days starting at from, and a last
// point at to. A product counts on day d when it went in on or before d and
// had not left by d.
func StockPerWeek(products []Product, from, to Date) []StockPoint {
	if to.Before(from) {
		return nil
	}
	var points []StockPoint
	for d := from; !d.After(to); d = d.AddDays(7) {
		points = append(points, StockPoint{Day: d})
	}
	if last := points[len(points)-1].Day; last.Before(to) {
		points = append(points, StockPoint{Day: to})
	}
	for _, p := range products {
		for i := range points {
			d := points[i].Day
			if !p.DateIn.After(d) && (p.DateOut.IsZero() || p.DateOut.After(d)) {
				points[i].Inside++
			}
		}
	}
	return points
}

// MonthStats counts the movements of one calendar month.
type MonthStats struct {
	Year      int        `json:"year"`
	Month     time.Month `json:"month"`
	In        int        `json:"in"`
	Out       int        `json:"out"`
	Eaten     int        `json:"eaten"`
	Discarded int        `json:"discarded"`
}

// PerMonth returns, for every month from from's month to to's month, the
// products that went in and came out, and how the ones out left (eaten or
// discarded; an old product without an outcome counts as eaten, as the
// original system knew no other way out).
func PerMonth(products []Product, from, to Date) []MonthStats {
	from, to = from.MonthStart(), to.MonthStart()
	if to.Before(from) {
		return nil
	}
	var months []MonthStats
	index := map[Date]int{}
	for d := from; !d.After(to); d = d.AddMonths(1) {
		index[d] = len(months)
		months = append(months, MonthStats{Year: d.Year, Month: d.Month})
	}
	for _, p := range products {
		if i, ok := index[p.DateIn.MonthStart()]; ok && !p.DateIn.IsZero() {
			months[i].In++
		}
		if p.DateOut.IsZero() {
			continue
		}
		if i, ok := index[p.DateOut.MonthStart()]; ok {
			months[i].Out++
			if p.Outcome == OutcomeDiscarded {
				months[i].Discarded++
			} else {
				months[i].Eaten++
			}
		}
	}
	return months
}
