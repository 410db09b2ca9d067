package domain_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

// at returns a product inside freezer f at box, slot.
func at(f uuid.UUID, box, slot int) domain.Product {
	return domain.Product{Location: domain.Location{FreezerID: f, Box: box, Slot: slot}, DateIn: date(2024, 1, 1)}
}

// takenOut returns p with a date out.
func takenOut(p domain.Product) domain.Product {
	p.DateOut, p.Outcome = date(2024, 2, 1), domain.OutcomeEaten
	return p
}

func TestNextFreeSlot(t *testing.T) {
	for _, tt := range []struct {
		name     string
		products []domain.Product
		want     int
	}{
		{"no products", nil, 1},
		{"full run", []domain.Product{at(freezer1, 1, 1), at(freezer1, 1, 2), at(freezer1, 1, 3)}, 4},
		{"gap in the middle", []domain.Product{at(freezer1, 1, 1), at(freezer1, 1, 3)}, 2},
		{"gap at the start", []domain.Product{at(freezer1, 1, 2), at(freezer1, 1, 3)}, 1},
		{"unsorted", []domain.Product{at(freezer1, 1, 3), at(freezer1, 1, 1), at(freezer1, 1, 5), at(freezer1, 1, 2)}, 4},
		{"duplicates", []domain.Product{at(freezer1, 1, 2), at(freezer1, 1, 1), at(freezer1, 1, 1)}, 3},
		{"taken-out product frees its slot", []domain.Product{takenOut(at(freezer1, 1, 1)), at(freezer1, 1, 2)}, 1},
		{"taken out and put back in the same slot", []domain.Product{takenOut(at(freezer1, 1, 1)), at(freezer1, 1, 1)}, 2},
		{"other box ignored", []domain.Product{at(freezer1, 2, 1), at(freezer1, 2, 2)}, 1},
		{"other freezer ignored", []domain.Product{at(freezer2, 1, 1), at(freezer2, 1, 2)}, 1},
		{"mixed", []domain.Product{
			at(freezer2, 1, 1), at(freezer1, 2, 1), at(freezer1, 1, 2), takenOut(at(freezer1, 1, 3)),
			at(freezer1, 1, 1), at(freezer1, 1, 4),
		}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.products)
			if got := domain.NextFreeSlot(tt.products, freezer1, 1); got != tt.want {
				t.Errorf("NextFreeSlot() = %d, want %d", got, tt.want)
			}
			if !slices.Equal(tt.products, before) {
				t.Errorf("NextFreeSlot() changed its input")
			}
		})
	}
}

func TestNextFreeSlots(t *testing.T) {
	f := domain.Freezer{ID: freezer1, Name: "frigo 1", Boxes: 3}
	for _, tt := range []struct {
		name     string
		f        domain.Freezer
		products []domain.Product
		want     map[int]int
	}{
		{"empty freezer", f, nil, map[int]int{1: 1, 2: 1, 3: 1}},
		{"one box", domain.Freezer{ID: freezer1, Boxes: 1}, []domain.Product{at(freezer1, 1, 1)}, map[int]int{1: 2}},
		{"mixed", f, []domain.Product{
			at(freezer1, 1, 2), at(freezer1, 1, 1), // box 1: 1, 2 used
			at(freezer1, 2, 2), takenOut(at(freezer1, 2, 1)), // box 2: 1 freed
			at(freezer2, 3, 1),                     // other freezer
			at(freezer1, 5, 1),                     // box beyond the freezer (fewer boxes now)
			at(freezer1, 3, 3), at(freezer1, 3, 1), // box 3: gap at 2
		}, map[int]int{1: 3, 2: 1, 3: 2}},
		{"no boxes", domain.Freezer{ID: freezer1}, []domain.Product{at(freezer1, 1, 1)}, map[int]int{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.NextFreeSlots(tt.products, tt.f)
			if !maps.Equal(got, tt.want) {
				t.Errorf("NextFreeSlots() = %v, want %v", got, tt.want)
			}
			// It agrees with NextFreeSlot box by box.
			for box := 1; box <= tt.f.Boxes; box++ {
				if one := domain.NextFreeSlot(tt.products, tt.f.ID, box); one != got[box] {
					t.Errorf("NextFreeSlots()[%d] = %d, NextFreeSlot(box %d) = %d, want equal", box, got[box], box, one)
				}
			}
		})
	}
}
