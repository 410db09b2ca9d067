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
	search   string // name, description and type name folded with domain.Fold
	// Collation keys (domain.SortKey in the language in use, as strings so
	// they compare with cmp.Compare), made once: sorting compares n·log n
	// times, and a key compare is a byte compare.
	nameKey, typeKey, freezerKey string
}

// indexRows prepares rows for filterRows; typeNames maps type ids to names
// in the language in use. Type and freezer keys are made once per distinct
// name: a household has a few of each for thousands of products.
func indexRows(rows []ProductRow, typeNames map[int]string) []indexedRow {
	lang := Language()
	type typeKeys struct{ folded, key string }
	types := make(map[int]typeKeys, len(typeNames))
	freezers := map[string]string{}
	out := make([]indexedRow, len(rows))
	for i, r := range rows {
		tn := typeNames[r.TypeID]
		tk, ok := types[r.TypeID]
		if !ok {
			tk = typeKeys{folded: domain.Fold(tn), key: string(domain.SortKey(lang, tn))}
			types[r.TypeID] = tk
		}
		fk, ok := freezers[r.FreezerName]
		if !ok {
			fk = string(domain.SortKey(lang, r.FreezerName))
			freezers[r.FreezerName] = fk
		}
		out[i] = indexedRow{ProductRow: r, TypeName: tn,
			search:  domain.Fold(r.Name+"\x00"+r.Description) + "\x00" + tk.folded,
			nameKey: string(domain.SortKey(lang, r.Name)), typeKey: tk.key, freezerKey: fk}
	}
	return out
}

// filterRows returns the rows f selects, ordered by s. It only reads rows,
// so it can run off the UI goroutine while the table shows an older view.
func filterRows(rows []indexedRow, f rowFilter, s sortSpec) []*indexedRow {
	// Every word must appear, in any field, as the store's search does.
	words := strings.Fields(domain.Fold(f.Text))
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
		if !containsAll(r.search, words) {
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

// compareNames orders names the way a reader of the language in use
// expects (domain.CompareNames): for the short lists the app sorts once,
// such as the product types; long lists use keys made once (indexRows).
func compareNames(a, b string) int { return domain.CompareNames(Language(), a, b) }

// containsAll reports whether every word is in s.
func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
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
