package domain

import (
	"slices"

	"github.com/google/uuid"
)

// NextFreeSlot returns the smallest positive slot of box in freezer that no
// product currently inside uses. Taken-out products free their slot.
func NextFreeSlot(products []Product, freezer uuid.UUID, box int) int {
	var used []int
	for _, p := range products {
		if p.Inside() && p.Location.FreezerID == freezer && p.Location.Box == box {
			used = append(used, p.Location.Slot)
		}
	}
	return smallestMissing(used)
}

// NextFreeSlots returns, for every box of f (1..f.Boxes), the next free slot.
func NextFreeSlots(products []Product, f Freezer) map[int]int {
	used := make(map[int][]int, f.Boxes)
	for _, p := range products {
		if p.Inside() && p.Location.FreezerID == f.ID {
			used[p.Location.Box] = append(used[p.Location.Box], p.Location.Slot)
		}
	}
	next := make(map[int]int, f.Boxes)
	for box := 1; box <= f.Boxes; box++ {
		next[box] = smallestMissing(used[box])
	}
	return next
}

// smallestMissing returns the smallest positive integer not in used.
func smallestMissing(used []int) int {
	slices.Sort(used)
	next := 1
	for _, s := range used {
		if s == next {
			next++
		} else if s > next {
			break
		}
	}
	return next
}
