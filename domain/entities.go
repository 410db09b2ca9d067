package domain

import (
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Limits of the data rules.
const (
	MaxNameLength   = 256 // characters, for freezer and product names
	MaxDescription  = 4096
	MinPeriodMonths = 1
	MaxPeriodMonths = 120
	MaxBoxes        = 1000
	MaxQuantity     = 1000   // persons a product feeds
	MaxSlot         = 10_000 // slot numbers in a box
	DefaultDueSoon  = 14     // days before the deadline a product counts as due soon
)

// Field names. They name a product's or freezer's fields in validation
// errors, in the per-field clocks of the store and on the sync wire. A
// product's location (freezer, box, slot) is one field: it is never merged
// part by part.
const (
	FieldName        = "name"
	FieldDescription = "description"
	FieldType        = "type"
	FieldLocation    = "location"
	FieldQuantity    = "quantity"
	FieldDateIn      = "date_in"
	FieldPeriod      = "period"
	FieldOut         = "out" // date out and outcome, set and cleared together
	FieldBoxes       = "boxes"
	FieldDeleted     = "deleted"
)

// ProductFields lists a product's mergeable fields in a fixed order.
// FieldDeleted (a product entered by mistake, deleted: a tombstone) came
// with sync protocol version 3: a product written by an older device does
// not carry it, which means not deleted (OptionalProductField).
var ProductFields = []string{FieldName, FieldDescription, FieldType, FieldLocation, FieldQuantity, FieldDateIn, FieldPeriod, FieldOut, FieldDeleted}

// OptionalProductField reports whether a product's field may be missing
// from a creation or a pulled state (its zero value, never stamped): the
// fields that later protocol versions added.
func OptionalProductField(f string) bool { return f == FieldDeleted }

// FreezerFields lists a freezer's mergeable fields in a fixed order.
var FreezerFields = []string{FieldName, FieldBoxes, FieldDeleted}

// NewID returns a new time-ordered identifier (UUID v7) for a freezer or a
// product, made on the device that creates it.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// Freezer is a freezer with its numbered boxes (1..Boxes).
type Freezer struct {
	ID      uuid.UUID `json:"id"`
	Name    string    `json:"name"`
	Boxes   int       `json:"boxes"`
	Deleted bool      `json:"deleted,omitempty"`
}

// Validate checks the freezer's name and box count.
func (f Freezer) Validate() error {
	if err := validateName(FieldName, f.Name, "The freezer's name"); err != nil {
		return err
	}
	if f.Boxes < 1 {
		return FieldErrorf(FieldBoxes, "A freezer needs at least 1 box.")
	}
	if f.Boxes > MaxBoxes {
		return FieldErrorf(FieldBoxes, "A freezer can have at most %d boxes.", MaxBoxes)
	}
	return nil
}

// Location is where a product sits: a freezer, a box in it, a slot in the box.
type Location struct {
	FreezerID uuid.UUID `json:"freezer_id"`
	Box       int       `json:"box"`
	Slot      int       `json:"slot"`
}

// Validate checks the location against the freezer it names.
func (l Location) Validate(f Freezer) error {
	if l.FreezerID != f.ID || f.Deleted {
		return FieldErrorf(FieldLocation, "This freezer does not exist. Choose one of your freezers.")
	}
	if l.Box < 1 || l.Box > f.Boxes {
		if f.Boxes == 1 {
			return FieldErrorf(FieldLocation, "Box %d does not exist in %q: it has only box 1.", l.Box, f.Name)
		}
		return FieldErrorf(FieldLocation, "Box %d does not exist in %q: choose a box from 1 to %d.", l.Box, f.Name, f.Boxes)
	}
	if l.Slot < 1 {
		return FieldErrorf(FieldLocation, "The slot number must be 1 or more.")
	}
	return nil
}

// Outcome says how a product left its freezer.
type Outcome string

// Outcomes. OutcomeNone is the outcome of a product still inside.
const (
	OutcomeNone      Outcome = ""
	OutcomeEaten     Outcome = "eaten"
	OutcomeDiscarded Outcome = "discarded"
)

// Valid reports whether o is one of the known outcomes.
func (o Outcome) Valid() bool {
	return o == OutcomeNone || o == OutcomeEaten || o == OutcomeDiscarded
}

// Product is something frozen: what it is, where it is, since when and for
// how long it may stay. A product with a DateOut has left its freezer; its
// record stays as history. A deleted product was entered by mistake: it
// stays as a tombstone (so the delete syncs and its history stays
// readable), frees its slot and is listed nowhere.
type Product struct {
	ID           uuid.UUID `json:"id"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	TypeID       int       `json:"type_id"`
	Location     Location  `json:"location"`
	Quantity     int       `json:"quantity"`
	DateIn       Date      `json:"date_in"`
	PeriodMonths int       `json:"period_months"`
	DateOut      Date      `json:"date_out"`
	Outcome      Outcome   `json:"outcome"`
	Deleted      bool      `json:"deleted,omitempty"`
}

// Inside reports whether the product is still in its freezer: not taken
// out, and not deleted. Only a product inside holds its slot.
func (p Product) Inside() bool { return p.DateOut.IsZero() && !p.Deleted }

// Deadline is the last day the product should stay frozen: the date in plus
// the period in calendar months (clamped at month ends).
func (p Product) Deadline() Date { return p.DateIn.AddMonths(p.PeriodMonths) }

// Status returns the product's status on day today with a due-soon window
// of dueSoonDays days. Products taken out (or deleted) have StatusOut.
func (p Product) Status(today Date, dueSoonDays int) Status {
	if !p.Inside() {
		return StatusOut
	}
	left := today.DaysUntil(p.Deadline())
	switch {
	case left < 0:
		return StatusOverdue
	case left <= dueSoonDays:
		return StatusDueSoon
	}
	return StatusOK
}

// Problems returns every rule the product breaks, one error per field, in
// the order of the form. The location's box is checked against the freezer
// by Location.Validate, which needs the freezer.
func (p Product) Problems(today Date) []*Error { return p.problems(today, nil) }

// problems is Problems; with old set, the bounds that earlier versions did
// not check are skipped for the values old already held (ValidateChange).
func (p Product) problems(today Date, old *Product) []*Error {
	var errs []*Error
	if err := validateName(FieldName, p.Name, "The product's name"); err != nil {
		errs = append(errs, err)
	}
	if utf8.RuneCountInString(p.Description) > MaxDescription {
		errs = append(errs, FieldErrorf(FieldDescription, "The description is too long: at most %d characters.", MaxDescription))
	} else if err := textProblem(FieldDescription, p.Description, "The description", true); err != nil {
		errs = append(errs, err)
	}
	if p.TypeID < 1 {
		errs = append(errs, FieldErrorf(FieldType, "Choose the product's type."))
	}
	switch {
	case p.Location.Box < 1:
		errs = append(errs, FieldErrorf(FieldLocation, "The box number must be 1 or more."))
	case p.Location.Slot < 1:
		errs = append(errs, FieldErrorf(FieldLocation, "The slot number must be 1 or more."))
	case p.Location.Slot > MaxSlot && (old == nil || old.Location.Slot != p.Location.Slot):
		errs = append(errs, FieldErrorf(FieldLocation, "The slot number can be at most %d.", MaxSlot))
	}
	switch {
	case p.Quantity < 1:
		errs = append(errs, FieldErrorf(FieldQuantity, "The quantity must be at least 1 person."))
	case p.Quantity > MaxQuantity && (old == nil || old.Quantity != p.Quantity):
		errs = append(errs, FieldErrorf(FieldQuantity, "The quantity can be at most %d persons.", MaxQuantity))
	}
	switch {
	case p.DateIn.IsZero():
		errs = append(errs, FieldErrorf(FieldDateIn, "Give the date the product went in (YYYY-MM-DD)."))
	case p.DateIn.After(today):
		errs = append(errs, FieldErrorf(FieldDateIn, "The date in (%s) is in the future: it can be today (%s) at the latest.", p.DateIn, today))
	case p.DateIn.Before(MinDate) && (old == nil || old.DateIn != p.DateIn):
		errs = append(errs, FieldErrorf(FieldDateIn, "The date in (%s) is too early: it can be %s at the earliest.", p.DateIn, MinDate))
	}
	if p.PeriodMonths < MinPeriodMonths || p.PeriodMonths > MaxPeriodMonths {
		errs = append(errs, FieldErrorf(FieldPeriod, "The period must be from %d to %d months.", MinPeriodMonths, MaxPeriodMonths))
	}
	switch {
	case !p.Outcome.Valid():
		errs = append(errs, FieldErrorf(FieldOut, "A product leaves as eaten or discarded, not %q.", string(p.Outcome)))
	case p.DateOut.IsZero() && p.Outcome != OutcomeNone:
		errs = append(errs, FieldErrorf(FieldOut, "Give the date the product was taken out."))
	case !p.DateOut.IsZero() && p.DateOut.After(today):
		errs = append(errs, FieldErrorf(FieldOut, "The date out (%s) is in the future: it can be today (%s) at the latest.", p.DateOut, today))
	case !p.DateOut.IsZero() && !p.DateIn.IsZero() && p.DateOut.Before(p.DateIn):
		errs = append(errs, FieldErrorf(FieldOut, "The date out (%s) is before the date in (%s).", p.DateOut, p.DateIn))
	case !p.DateOut.IsZero() && p.DateOut.Before(MinDate) && (old == nil || old.DateOut != p.DateOut):
		errs = append(errs, FieldErrorf(FieldOut, "The date out (%s) is too early: it can be %s at the earliest.", p.DateOut, MinDate))
	}
	return errs
}

// Validate returns the first rule the product breaks, or nil.
func (p Product) Validate(today Date) error {
	return first(p.Problems(today))
}

// ValidateChange is Validate for a write that turns old into p: the bounds
// of MaxQuantity, MaxSlot and MinDate apply to the values the write sets,
// not to a value it leaves as it was (earlier versions stored larger
// quantities and slots and earlier dates: such a product stays readable and
// editable, and only a new out-of-range value is refused).
func (p Product) ValidateChange(old Product, today Date) error {
	return first(p.problems(today, &old))
}

func first(errs []*Error) error {
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// Status of a product relative to its deadline.
type Status string

// Statuses, from the most to the least urgent.
const (
	StatusOverdue Status = "overdue"
	StatusDueSoon Status = "due_soon"
	StatusOK      Status = "ok"
	StatusOut     Status = "out" // taken out: no status
)

func validateName(field, name, what string) *Error {
	n := utf8.RuneCountInString(name)
	switch {
	case strings.TrimSpace(name) == "":
		return FieldErrorf(field, "%s is required.", what)
	case n > MaxNameLength:
		return FieldErrorf(field, "%s is too long (%d characters): at most %d.", what, n, MaxNameLength)
	}
	return textProblem(field, name, what, false)
}
