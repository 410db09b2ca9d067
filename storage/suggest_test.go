package storage

import (
	"context"
	"testing"

	"freezer/domain"
)

// TestSampleHistoryMakesSuggestions checks that the sample household has
// a history the suggestions can learn from: its fish are often thrown
// away, its pizza is taken out regularly and none is left, its ice cream
// is always discarded.
func TestSampleHistoryMakesSuggestions(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	if err := db.LoadSample(ctx); err != nil {
		t.Fatalf("LoadSample() error: %v", err)
	}
	all, err := db.AllProducts(ctx)
	if err != nil {
		t.Fatalf("AllProducts() error: %v", err)
	}
	if got, want := len(all), len(sampleProducts)+len(sampleHistory); got != want {
		t.Fatalf("AllProducts() = %d products, want %d", got, want)
	}
	plan := domain.Plan(all, testToday, domain.SuggestOptions{Count: len(sampleProducts)})
	if len(plan) != len(sampleProducts) {
		t.Fatalf("Plan() = %d suggestions, want every product inside (%d)", len(plan), len(sampleProducts))
	}
	fishOften := false
	for _, s := range plan {
		for _, r := range s.Reasons {
			if r.Code == domain.ReasonOftenDiscarded && r.TypeID == 13 && r.Count == 3 && r.Of == 6 {
				fishOften = true
			}
		}
	}
	if !fishOften {
		t.Errorf("Plan() = %+v; want a cabillaud said often thrown away (3 of 6)", plan)
	}
	want := map[domain.Reason]bool{
		{Code: domain.ReasonUsuallyHave, TypeID: 33, Count: 4, Usual: 21, Days: 12}: false,
		{Code: domain.ReasonAlwaysDiscarded, TypeID: 24, Count: 3, Of: 3}:           false,
	}
	for _, h := range domain.Restock(all, testToday) {
		if _, ok := want[h.Reason]; ok {
			want[h.Reason] = true
		}
	}
	for r, found := range want {
		if !found {
			t.Errorf("Restock() lacks %+v", r)
		}
	}
}
