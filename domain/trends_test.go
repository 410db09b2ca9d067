package domain_test

import (
	"slices"
	"testing"
	"time"

	"freezer/domain"
)

// typed returns a product of type typeID that went in on in and, unless out
// is zero, came out on out with outcome o.
func typed(typeID int, in, out domain.Date, o domain.Outcome) domain.Product {
	return domain.Product{TypeID: typeID, DateIn: in, DateOut: out, Outcome: o}
}

func tendencyProducts() []domain.Product {
	none := domain.Date{}
	return []domain.Product{
		typed(1, date(2024, 1, 1), date(2024, 2, 1), domain.OutcomeEaten),
		typed(5, date(2024, 1, 1), none, ""),
		typed(1, date(2024, 1, 1), date(2024, 3, 1), domain.OutcomeEaten),
		typed(2, date(2024, 1, 1), date(2024, 3, 1), domain.OutcomeDiscarded),
		typed(3, date(2024, 1, 1), date(2024, 3, 1), domain.OutcomeEaten),
		typed(4, date(2024, 1, 1), none, ""),
		typed(1, date(2024, 1, 1), none, ""),
		typed(3, date(2024, 1, 1), date(2024, 1, 15), ""),
		typed(6, date(2024, 1, 1), date(2024, 4, 1), domain.OutcomeEaten),
		typed(4, date(2024, 1, 1), none, ""),
		typed(5, date(2024, 1, 1), none, ""),
	}
}

func TestTypeTendency(t *testing.T) {
	want := []domain.TypeCount{
		{TypeID: 6, Count: 1, Latest: date(2024, 4, 1)}, // latest out first
		{TypeID: 1, Count: 3, Latest: date(2024, 3, 1)}, // same latest: count descending
		{TypeID: 3, Count: 2, Latest: date(2024, 3, 1)},
		{TypeID: 2, Count: 1, Latest: date(2024, 3, 1)},
		{TypeID: 4, Count: 2}, // never out: last; same count: id ascending
		{TypeID: 5, Count: 2},
	}
	products := tendencyProducts()
	for _, tt := range []struct {
		name     string
		products []domain.Product
	}{
		{"as given", products},
		{"reversed", reversed(products)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.TypeTendency(tt.products); !slices.Equal(got, want) {
				t.Errorf("TypeTendency() =\n%v\nwant\n%v", got, want)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		if got := domain.TypeTendency(nil); len(got) != 0 {
			t.Errorf("TypeTendency(nil) = %v, want empty", got)
		}
	})
}

func TestTypeFrequency(t *testing.T) {
	want := []domain.TypeCount{
		{TypeID: 1, Count: 3},
		{TypeID: 3, Count: 2},
		{TypeID: 4, Count: 2},
		{TypeID: 5, Count: 2},
		{TypeID: 2, Count: 1},
		{TypeID: 6, Count: 1},
	}
	products := tendencyProducts()
	for _, tt := range []struct {
		name     string
		products []domain.Product
	}{
		{"as given", products},
		{"reversed", reversed(products)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.TypeFrequency(tt.products); !slices.Equal(got, want) {
				t.Errorf("TypeFrequency() =\n%v\nwant\n%v", got, want)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		if got := domain.TypeFrequency(nil); len(got) != 0 {
			t.Errorf("TypeFrequency(nil) = %v, want empty", got)
		}
	})
}

func TestStockPerWeek(t *testing.T) {
	none := domain.Date{}
	products := []domain.Product{
		typed(1, date(2024, 1, 1), none, ""),                                  // A: always inside
		typed(1, date(2024, 1, 8), date(2024, 1, 15), domain.OutcomeEaten),    // B: in on 8, out on 15
		typed(1, date(2023, 12, 1), date(2024, 1, 1), domain.OutcomeEaten),    // C: out on the first day
		typed(1, date(2024, 1, 23), none, ""),                                 // D: in after the 22nd
		typed(1, date(2024, 1, 2), date(2024, 1, 9), domain.OutcomeDiscarded), // E: inside on the 8th only
		typed(1, date(2024, 3, 1), none, ""),                                  // F: after the range
	}
	for _, tt := range []struct {
		name     string
		from, to domain.Date
		want     []domain.StockPoint
	}{
		{"whole weeks", date(2024, 1, 1), date(2024, 1, 22), []domain.StockPoint{
			{Day: date(2024, 1, 1), Inside: 1},
			{Day: date(2024, 1, 8), Inside: 3},
			{Day: date(2024, 1, 15), Inside: 1},
			{Day: date(2024, 1, 22), Inside: 1},
		}},
		{"last point at to", date(2024, 1, 1), date(2024, 1, 24), []domain.StockPoint{
			{Day: date(2024, 1, 1), Inside: 1},
			{Day: date(2024, 1, 8), Inside: 3},
			{Day: date(2024, 1, 15), Inside: 1},
			{Day: date(2024, 1, 22), Inside: 1},
			{Day: date(2024, 1, 24), Inside: 2},
		}},
		{"one day", date(2024, 1, 8), date(2024, 1, 8), []domain.StockPoint{
			{Day: date(2024, 1, 8), Inside: 3},
		}},
		{"across a year", date(2023, 12, 25), date(2024, 1, 1), []domain.StockPoint{
			{Day: date(2023, 12, 25), Inside: 1},
			{Day: date(2024, 1, 1), Inside: 1},
		}},
		{"to before from", date(2024, 1, 8), date(2024, 1, 7), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.StockPerWeek(products, tt.from, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("StockPerWeek(%v, %v) =\n%v\nwant\n%v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	t.Run("no products", func(t *testing.T) {
		got := domain.StockPerWeek(nil, date(2024, 1, 1), date(2024, 1, 10))
		want := []domain.StockPoint{{Day: date(2024, 1, 1)}, {Day: date(2024, 1, 8)}, {Day: date(2024, 1, 10)}}
		if !slices.Equal(got, want) {
			t.Errorf("StockPerWeek(nil) = %v, want %v", got, want)
		}
	})
}

func TestPerMonth(t *testing.T) {
	none := domain.Date{}
	products := []domain.Product{
		typed(1, date(2024, 1, 5), none, ""),
		typed(1, date(2024, 1, 31), date(2024, 2, 1), domain.OutcomeEaten),
		typed(1, date(2023, 12, 1), date(2024, 2, 10), domain.OutcomeDiscarded),
		typed(1, date(2024, 2, 29), date(2024, 3, 1), ""), // no outcome: counts as eaten
		typed(1, date(2024, 3, 31), date(2024, 4, 1), domain.OutcomeEaten),
		typed(1, none, none, ""), // no date in: counted nowhere
	}
	for _, tt := range []struct {
		name     string
		from, to domain.Date
		want     []domain.MonthStats
	}{
		{"mid-month bounds", date(2024, 1, 20), date(2024, 3, 5), []domain.MonthStats{
			{Year: 2024, Month: 1, In: 2},
			{Year: 2024, Month: 2, In: 1, Out: 2, Eaten: 1, Discarded: 1},
			{Year: 2024, Month: 3, In: 1, Out: 1, Eaten: 1},
		}},
		{"across a year", date(2023, 11, 30), date(2024, 1, 1), []domain.MonthStats{
			{Year: 2023, Month: 11},
			{Year: 2023, Month: 12, In: 1},
			{Year: 2024, Month: 1, In: 2},
		}},
		{"one month", date(2024, 4, 30), date(2024, 4, 1), []domain.MonthStats{
			{Year: 2024, Month: 4, Out: 1, Eaten: 1},
		}},
		{"to before from", date(2024, 4, 1), date(2024, 3, 31), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.PerMonth(products, tt.from, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("PerMonth(%v, %v) =\n%v\nwant\n%v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	t.Run("twelve months from a 31st", func(t *testing.T) {
		got := domain.PerMonth(nil, date(2024, 1, 31), date(2024, 12, 31))
		if len(got) != 12 {
			t.Fatalf("PerMonth() = %d months, want 12", len(got))
		}
		for i, m := range got {
			want := domain.MonthStats{Year: 2024, Month: 1 + time.Month(i)}
			if m != want {
				t.Errorf("PerMonth()[%d] = %+v, want %+v", i, m, want)
			}
		}
	})
}

func reversed(p []domain.Product) []domain.Product {
	r := slices.Clone(p)
	slices.Reverse(r)
	return r
}
