package storage

import (
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// FreezerSummary is a freezer with what it holds right now.
type FreezerSummary struct {
	domain.Freezer
	Inside  int   // products inside
	Overdue int   // of which overdue
	DueSoon int   // of which due soon
	BoxFill []int // products inside per box: BoxFill[0] is box 1
}

// FreezerUpdate changes a freezer; nil fields are left unchanged.
type FreezerUpdate struct {
	Name  *string
	Boxes *int
}

// ProductUpdate changes a product; nil fields are left unchanged. Location
// moves the product (freezer, box and slot together).
type ProductUpdate struct {
	Name         *string
	Description  *string
	TypeID       *int
	Location     *domain.Location
	Quantity     *int
	DateIn       *domain.Date
	PeriodMonths *int
}

// Where selects products by whether they are inside.
type Where int

// Product selections.
const (
	Inside Where = iota // still in a freezer (the default)
	Out                 // taken out
	All                 // both
)

// SortKey orders a product list.
type SortKey int

// Sort keys. Ties are broken by name, then id, so every order is total.
const (
	SortName     SortKey = iota
	SortDateIn           // oldest first
	SortDeadline         // soonest first
	SortLocation         // freezer name, box, slot
	SortType             // type id
	SortQuantity
	SortDateOut
)

// ProductFilter selects and orders products. Zero values select nothing
// out: the zero filter lists every product inside, sorted by name.
type ProductFilter struct {
	Where     Where
	FreezerID *uuid.UUID
	Box       *int
	TypeID    *int
	Text      string          // matched, case-insensitively, in name and description
	Statuses  []domain.Status // any of these (overdue, due_soon, ok); empty means any
	InFrom    domain.Date     // date in on or after (zero: no bound)
	InTo      domain.Date     // date in on or before
	OutFrom   domain.Date     // date out on or after
	OutTo     domain.Date     // date out on or before
	Sort      SortKey
	Desc      bool
	Limit     int // 0: no limit
	Offset    int
}

// ProductRow is a product as lists show it.
type ProductRow struct {
	domain.Product
	FreezerName string
	Deadline    domain.Date
	Status      domain.Status
	// Relabel is the product's relabel notice (nil when none): the server
	// moved it from where a person put it, and its label must change.
	Relabel *domain.Relabel
}

// Overview is the inventory at a glance.
type Overview struct {
	Inside       int
	OK           int
	DueSoon      int
	Overdue      int
	OutThisMonth int
	// Alerts lists the overdue and due-soon products, soonest deadline first.
	Alerts []ProductRow
}

// Change kinds in a product's history.
const (
	ChangeCreated  = "created"
	ChangeUpdated  = "updated"
	ChangeMoved    = "moved"
	ChangeTakenOut = "taken_out"
	ChangePutBack  = "put_back"
	ChangeSynced   = "synced"   // arrived from another device
	ChangeDeleted  = "deleted"  // deleted (entered by mistake): DeleteProduct
	ChangeRestored = "restored" // a delete undone: RestoreProduct
)

// FieldChange is one field's value before and after a change, as text.
type FieldChange struct {
	Field string
	Old   string
	New   string
}

// HistoryEntry is one change of a product.
type HistoryEntry struct {
	At      time.Time
	Kind    string
	Device  string
	Changes []FieldChange
}

// Format is an export and import format.
type Format string

// Export formats.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
)

// Progress reports done out of total units of a long task; it may be nil.
type Progress func(done, total int)
