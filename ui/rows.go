package ui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// Which products the products screen lists.
const (
	whereInside = iota
	whereOut
	whereAll
)

// Table columns of the products screen.
const (
	colStatus = iota
	colName
	colType
	colFreezer
	colPlace
	colDateIn
	colDeadline
	colPersons
	numCols
)

// rowFilter selects rows in memory; zero fields select everything.
type rowFilter struct {
	Where   int
	Freezer uuid.UUID
	TypeID  int
	Status  domain.Status
	Text    string
}

// sortSpec orders rows by a column.
type sortSpec struct {
	Col  int
	Desc bool
}

// indexedRow is a product row with what filtering and sorting need made
// once when rows are loaded, not on every keystroke.
type indexedRow struct {
	ProductRow
	TypeName string
	search   string // lower-case name, description and type name
	// Lower-case sort keys, made once: sorting calls compare n·log n times.
	nameKey, typeKey, freezerKey string
}

// indexRows prepares rows for filterRows; typeNames maps type ids to names
// in the language in use.
func indexRows(rows []ProductRow, typeNames map[int]string) []indexedRow {
	out := make([]indexedRow, len(rows))
	for i, r := range rows {
		tn := typeNames[r.TypeID]
		name := strings.ToLower(r.Name)
		out[i] = indexedRow{ProductRow: r, TypeName: tn,
			search:  name + "\x00" + strings.ToLower(r.Description) + "\x00" + strings.ToLower(tn),
			nameKey: name, typeKey: strings.ToLower(tn), freezerKey: strings.ToLower(r.FreezerName)}
	}
	return out
}

// filterRows returns the rows f selects, ordered by s. It only reads rows,
// so it can run off the UI goroutine while the table shows an older view.
func filterRows(rows []indexedRow, f rowFilter, s sortSpec) []*indexedRow {
	text := strings.ToLower(strings.TrimSpace(f.Text))
	out := make([]*indexedRow, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		switch f.Where {
		case whereInside:
			if !r.Inside() {
				continue
			}
		case whereOut:
			if r.Inside() {
				continue
			}
		}
		if f.Freezer != uuid.Nil && r.Location.FreezerID != f.Freezer {
			continue
		}
		if f.TypeID != 0 && r.TypeID != f.TypeID {
			continue
		}
		if f.Status != "" && r.Status != f.Status {
			continue
		}
		if text != "" && !strings.Contains(r.search, text) {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *indexedRow) int {
		c := compareBy(a, b, s.Col)
		if s.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c := cmp.Compare(a.nameKey, b.nameKey); c != 0 {
			return c
		}
		return slices.Compare(a.ID[:], b.ID[:])
	})
	return out
}

func compareBy(a, b *indexedRow, col int) int {
	switch col {
	case colStatus:
		if c := cmp.Compare(statusRank(a.Status), statusRank(b.Status)); c != 0 {
			return c
		}
		return a.Deadline.Compare(b.Deadline)
	case colName:
		return cmp.Compare(a.nameKey, b.nameKey)
	case colType:
		return cmp.Compare(a.typeKey, b.typeKey)
	case colFreezer:
		if c := cmp.Compare(a.freezerKey, b.freezerKey); c != 0 {
			return c
		}
		return comparePlace(a, b)
	case colPlace:
		return comparePlace(a, b)
	case colDateIn:
		return a.DateIn.Compare(b.DateIn)
	case colDeadline:
		return a.Deadline.Compare(b.Deadline)
	case colPersons:
		return cmp.Compare(a.Quantity, b.Quantity)
	}
	return 0
}

func comparePlace(a, b *indexedRow) int {
	if c := cmp.Compare(a.Location.Box, b.Location.Box); c != 0 {
		return c
	}
	return cmp.Compare(a.Location.Slot, b.Location.Slot)
}

func statusRank(s domain.Status) int {
	switch s {
	case domain.StatusOverdue:
		return 0
	case domain.StatusDueSoon:
		return 1
	case domain.StatusOK:
		return 2
	}
	return 3
}
