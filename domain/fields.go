package domain

import (
	"bytes"
	"encoding/json"

	"github.com/google/uuid"
)

// The wire form of fields: how one field's value is written in the device's
// outbox, in sync mutations and in pulled changes. One codec for all of
// them, so a value written by one part always reads back in another.

// Entities that a mutation or a pulled change names.
const (
	EntityFreezer = "freezer"
	EntityProduct = "product"
)

// Operations of a mutation. Every operation is merged field by field;
// Create and Update differ only in that a create carries every field, so it
// can make an entity the receiver does not have. Delete is an update of the
// freezer's or the product's deleted field (a tombstone).
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// WireLocation is the wire value of a product's location field.
type WireLocation struct {
	FreezerID uuid.UUID `json:"freezer_id"`
	Box       int       `json:"box"`
	Slot      int       `json:"slot"`
}

// WireOut is the wire value of a product's out field: the date it was taken
// out and how ("" and "" while inside).
type WireOut struct {
	Date    Date    `json:"date"`
	Outcome Outcome `json:"outcome"`
}

// ProductValues returns the wire values of the named fields of p (every
// field when none is named).
func ProductValues(p Product, fields ...string) map[string]json.RawMessage {
	if len(fields) == 0 {
		fields = ProductFields
	}
	out := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		var v any
		switch f {
		case FieldName:
			v = p.Name
		case FieldDescription:
			v = p.Description
		case FieldType:
			v = p.TypeID
		case FieldLocation:
			v = WireLocation{p.Location.FreezerID, p.Location.Box, p.Location.Slot}
		case FieldQuantity:
			v = p.Quantity
		case FieldDateIn:
			v = p.DateIn
		case FieldPeriod:
			v = p.PeriodMonths
		case FieldOut:
			v = WireOut{p.DateOut, p.Outcome}
		case FieldDeleted:
			v = p.Deleted
		default:
			continue
		}
		b, _ := json.Marshal(v) // plain values: cannot fail
		out[f] = b
	}
	return out
}

// SetProductField decodes the wire value of one field into p.
func SetProductField(p *Product, field string, raw json.RawMessage) error {
	if isNull(raw) {
		return Errorf(EInvalid, "The value of the product's field %q is null: send the field's value.", field)
	}
	var err error
	switch field {
	case FieldName:
		err = json.Unmarshal(raw, &p.Name)
	case FieldDescription:
		err = json.Unmarshal(raw, &p.Description)
	case FieldType:
		err = json.Unmarshal(raw, &p.TypeID)
	case FieldLocation:
		var l WireLocation
		if err = json.Unmarshal(raw, &l); err == nil {
			p.Location = Location(l) // the same fields: a field added to one must be added to the other
		}
	case FieldQuantity:
		err = json.Unmarshal(raw, &p.Quantity)
	case FieldDateIn:
		err = json.Unmarshal(raw, &p.DateIn)
	case FieldPeriod:
		err = json.Unmarshal(raw, &p.PeriodMonths)
	case FieldOut:
		var o WireOut
		if err = json.Unmarshal(raw, &o); err == nil {
			p.DateOut, p.Outcome = o.Date, o.Outcome
		}
	case FieldDeleted:
		err = json.Unmarshal(raw, &p.Deleted)
	default:
		return Errorf(EInvalid, "A product has no field %q.", field)
	}
	if err != nil {
		return Errorf(EInvalid, "The value of the product's field %q is malformed: %v.", field, err)
	}
	return nil
}

// FreezerValues returns the wire values of the named fields of f (every
// field when none is named).
func FreezerValues(f Freezer, fields ...string) map[string]json.RawMessage {
	if len(fields) == 0 {
		fields = FreezerFields
	}
	out := make(map[string]json.RawMessage, len(fields))
	for _, name := range fields {
		var v any
		switch name {
		case FieldName:
			v = f.Name
		case FieldBoxes:
			v = f.Boxes
		case FieldDeleted:
			v = f.Deleted
		default:
			continue
		}
		b, _ := json.Marshal(v)
		out[name] = b
	}
	return out
}

// SetFreezerField decodes the wire value of one field into f.
func SetFreezerField(f *Freezer, field string, raw json.RawMessage) error {
	if isNull(raw) {
		return Errorf(EInvalid, "The value of the freezer's field %q is null: send the field's value.", field)
	}
	var err error
	switch field {
	case FieldName:
		err = json.Unmarshal(raw, &f.Name)
	case FieldBoxes:
		err = json.Unmarshal(raw, &f.Boxes)
	case FieldDeleted:
		err = json.Unmarshal(raw, &f.Deleted)
	default:
		return Errorf(EInvalid, "A freezer has no field %q.", field)
	}
	if err != nil {
		return Errorf(EInvalid, "The value of the freezer's field %q is malformed: %v.", field, err)
	}
	return nil
}

// isNull reports whether raw is JSON null (or empty), which decodes into
// any value as "leave it unchanged": a field's wire value is never null.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}
