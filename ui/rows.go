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
// in lang, the language in use. prev is the previous index made in lang
// (nil at first): a row whose name, description and type name did not
// change keeps its folded text and keys, so a reload after an edit folds
// and collates one row, not every row. Keys are made once per distinct
// name, type and freezer: a household has a few dozen names for thousands
// of products.
func indexRows(rows []ProductRow, typeNames map[int]string, lang string, prev []indexedRow) []indexedRow {
	k := rowKeys{lang: lang, typeNames: typeNames, prev: prev,
		types: make(map[int]textKeys, len(typeNames)), names: map[string]textKeys{}, freezers: map[string]string{}}
	out := make([]indexedRow, len(rows))
	for i := range rows {
		out[i] = k.index(i, &rows[i])
	}
	return out
}

// textKeys is a text folded with domain.Fold and its collation key.
type textKeys struct{ folded, key string }

// rowKeys makes the index of one load (see indexRows).
type rowKeys struct {
	lang      string
	typeNames map[int]string
	types     map[int]textKeys
	names     map[string]textKeys
	freezers  map[string]string // freezer name -> collation key
	prev      []indexedRow
	prevAt    map[uuid.UUID]int // prev's rows by id, made when the order moved
	shift     int               // rows are where they were, shift apart
}

func (k *rowKeys) index(i int, r *ProductRow) indexedRow {
	tn := k.typeNames[r.TypeID]
	out := indexedRow{ProductRow: *r, TypeName: tn}
	if old := k.old(i, r.ID); old != nil && old.Name == r.Name && old.Description == r.Description && old.TypeName == tn {
		out.search, out.nameKey, out.typeKey = old.search, old.nameKey, old.typeKey
		out.freezerKey = old.freezerKey
		if old.FreezerName != r.FreezerName {
			out.freezerKey = k.freezerKey(r.FreezerName)
		}
		return out
	}
	tk, ok := k.types[r.TypeID]
	if !ok {
		tk = textKeys{folded: domain.Fold(tn), key: string(domain.SortKey(k.lang, tn))}
		k.types[r.TypeID] = tk
	}
	nk, ok := k.names[r.Name]
	if !ok {
		nk = textKeys{folded: domain.Fold(r.Name), key: string(domain.SortKey(k.lang, r.Name))}
		k.names[r.Name] = nk
	}
	// Folding works letter by letter: the fields folded one by one read as
	// the fields joined and folded (text that is not valid UTF-8 is
	// lower-cased field by field instead of whole).
	out.search = nk.folded + "\x00" + domain.Fold(r.Description) + "\x00" + tk.folded
	out.nameKey, out.typeKey, out.freezerKey = nk.key, tk.key, k.freezerKey(r.FreezerName)
	return out
}

// old is the previous index's row for product id, the i-th of this load:
// at the same place give or take the rows added or removed before it.
func (k *rowKeys) old(i int, id uuid.UUID) *indexedRow {
	if len(k.prev) == 0 {
		return nil
	}
	if j := i + k.shift; j >= 0 && j < len(k.prev) && k.prev[j].ID == id {
		return &k.prev[j]
	}
	if k.prevAt == nil {
		k.prevAt = make(map[uuid.UUID]int, len(k.prev))
		for j := range k.prev {
			k.prevAt[k.prev[j].ID] = j
		}
	}
	j, ok := k.prevAt[id]
	if !ok {
		return nil
	}
	k.shift = j - i
	return &k.prev[j]
}

func (k *rowKeys) freezerKey(name string) string {
	key, ok := k.freezers[name]
	if !ok {
		key = string(domain.SortKey(k.lang, name))
		k.freezers[name] = key
	}
	return key
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
