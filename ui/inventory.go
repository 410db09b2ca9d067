package ui

import (
	"context"
	"io"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// Inventory is what the desktop app needs from the device's store. The ui
// package declares it with its own view types so that it never imports the
// storage package; cmd/freezer wires an adapter (package freezer/app).
//
// Every method may do I/O: screens call them only from background work
// (see background), never from a callback on the UI goroutine.
type Inventory interface {
	// Today is the store's current day; statuses are computed against it.
	Today() domain.Date
	// Now is the store's clock (shifted by FREEZER_CLOCK_OFFSET when set):
	// the times the app writes ("today 14:05") are read against it.
	Now() time.Time
	ProductTypes(ctx context.Context) ([]domain.ProductType, error)

	Freezers(ctx context.Context) ([]FreezerSummary, error)
	CreateFreezer(ctx context.Context, name string, boxes int) (domain.Freezer, error)
	UpdateFreezer(ctx context.Context, id uuid.UUID, u FreezerUpdate) (domain.Freezer, error)
	DeleteFreezer(ctx context.Context, id uuid.UUID) error

	// Products lists every product, inside and taken out: the products
	// screen filters and sorts them in memory.
	Products(ctx context.Context) ([]ProductRow, error)
	// ListProducts lists the same products as Products in no particular
	// order, faster: the products screen's load, which sorts them itself.
	// sizeHint is how many products the caller expects (its previous
	// load's, or 0).
	ListProducts(ctx context.Context, sizeHint int) ([]ProductRow, error)
	FindProduct(ctx context.Context, id uuid.UUID) (ProductRow, error)
	AddProduct(ctx context.Context, p domain.Product) (domain.Product, error)
	UpdateProduct(ctx context.Context, id uuid.UUID, u ProductUpdate) (domain.Product, error)
	TakeOutProduct(ctx context.Context, id uuid.UUID, day domain.Date, how domain.Outcome) (domain.Product, error)
	PutBackProduct(ctx context.Context, id uuid.UUID) (domain.Product, error)
	// DeleteProduct deletes a product entered by mistake and returns it as
	// it was just before (keep it for RestoreProduct). The delete syncs as
	// a tombstone: the product frees its slot and is listed nowhere, but
	// its history stays readable (an entry of kind "deleted"). Deleting an
	// unknown or already deleted product fails with domain.ENotFound.
	DeleteProduct(ctx context.Context, id uuid.UUID) (domain.Product, error)
	// RestoreProduct undoes a take out or a delete: a new write (synced like
	// any edit, so it works after the change has synced) that puts back
	// before's values, not deleted. before is the product as it was just
	// before the change: what DeleteProduct returned, or for a take out the
	// product as read before TakeOutProduct (which returns it taken out). When before's slot is
	// now held by another product, the product goes to the next free slot
	// of the same box: compare the returned location with before's to tell
	// where it went. Its history gets an entry of kind "restored" (after a
	// delete) or "put_back" (after a take out).
	RestoreProduct(ctx context.Context, before domain.Product) (domain.Product, error)
	ProductHistory(ctx context.Context, id uuid.UUID) ([]HistoryEntry, error)
	AllProducts(ctx context.Context) ([]domain.Product, error)

	Overview(ctx context.Context) (Overview, error)
	SetDueSoonDays(n int)
	// ClearRelabel says the labels of the given products were changed
	// (of every product with a relabel notice when none is given): their
	// notices are cleared here and, by sync, on every device.
	ClearRelabel(ctx context.Context, ids ...uuid.UUID) error
	// LabelRecords: which products have a printed label (labels.go).
	LabelRecords
	// BarcodeMemory: the name, type and period last saved with each shop
	// barcode (productform_barcode.go).
	BarcodeMemory

	Export(ctx context.Context, w io.Writer, format Format, progress func(done, total int)) error
	Import(ctx context.Context, r io.Reader, format Format, progress func(done, total int)) (int, error)
	LoadSample(ctx context.Context) error
	// SamplePlan says what LoadSample adds and what is there already, so
	// that a person is asked before the sample joins their own freezers.
	SamplePlan(ctx context.Context) (SamplePlan, error)
	// Path is where the database file lives, shown in Settings.
	Path() string
}

// SamplePlan is what loading the sample household adds, and what the
// database holds already.
type SamplePlan struct {
	Freezers, Products         int // what the sample adds
	HaveFreezers, HaveProducts int // freezers, and products inside, already there
}

// Format is an export and import format.
type Format string

// Formats offered in Settings.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
)

// FreezerSummary is a freezer with what it holds right now.
type FreezerSummary struct {
	domain.Freezer
	Inside  int
	Overdue int
	DueSoon int
	BoxFill []int // products inside per box: BoxFill[0] is box 1
}

// FreezerUpdate changes a freezer; nil fields are left unchanged.
type FreezerUpdate struct {
	Name  *string
	Boxes *int
}

// ProductUpdate changes a product; nil fields are left unchanged.
type ProductUpdate struct {
	Name         *string
	Description  *string
	TypeID       *int
	Location     *domain.Location
	Quantity     *int
	DateIn       *domain.Date
	PeriodMonths *int
}

// ProductRow is a product as lists show it.
type ProductRow struct {
	domain.Product
	FreezerName string
	Deadline    domain.Date
	Status      domain.Status
	Relabel     *RelabelNotice // nil when its label is right
}

// RelabelNotice says that sync moved a product from where a person put it
// to settle a slot collision, so its label must change. Every device shows
// it until a person says the label was changed, on any of them.
type RelabelNotice struct {
	PutAt Place     // where the person put it (Freezer "" when unknown)
	By    string    // the device that put it there: "" for this device
	At    time.Time // when it was put there
}

// Overview is the inventory at a glance.
type Overview struct {
	Inside       int
	OK           int
	DueSoon      int
	Overdue      int
	OutThisMonth int
	Alerts       []ProductRow // overdue and due soon, soonest deadline first
	Relabel      []ProductRow // products inside with a relabel notice
}

// HistoryEntry is one change of a product.
type HistoryEntry struct {
	At      time.Time
	Kind    string // created, updated, moved, taken_out, put_back, synced, deleted, restored
	Device  string
	Changes []FieldChange
}

// FieldChange is one field's value before and after a change, as text.
type FieldChange struct {
	Field string
	Old   string
	New   string
}
