package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"freezer/domain"
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
	Date    domain.Date    `json:"date"`
	Outcome domain.Outcome `json:"outcome"`
}

// Stamps maps field names to the clock stamps of their values.
type Stamps = map[string]domain.Timestamp

// ProductState is a product with the stamp of each field and the server's
// relabel flag.
type ProductState struct {
	Product domain.Product
	Stamps  Stamps
	Moved   bool
}

// FreezerState is a freezer with the stamp of each field.
type FreezerState struct {
	Freezer domain.Freezer
	Stamps  Stamps
}

// ProductValues returns the wire values of the named fields of p (every
// field when none is named).
func ProductValues(p domain.Product, fields ...string) map[string]json.RawMessage {
	if len(fields) == 0 {
		fields = domain.ProductFields
	}
	out := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		var v any
		switch f {
		case domain.FieldName:
			v = p.Name
		case domain.FieldDescription:
			v = p.Description
		case domain.FieldType:
			v = p.TypeID
		case domain.FieldLocation:
			v = WireLocation{p.Location.FreezerID, p.Location.Box, p.Location.Slot}
		case domain.FieldQuantity:
			v = p.Quantity
		case domain.FieldDateIn:
			v = p.DateIn
		case domain.FieldPeriod:
			v = p.PeriodMonths
		case domain.FieldOut:
			v = WireOut{p.DateOut, p.Outcome}
		default:
			continue
		}
		b, _ := json.Marshal(v) // plain values: cannot fail
		out[f] = b
	}
	return out
}

// SetProductField decodes the wire value of one field into p.
func SetProductField(p *domain.Product, field string, raw json.RawMessage) error {
	var err error
	switch field {
	case domain.FieldName:
		err = json.Unmarshal(raw, &p.Name)
	case domain.FieldDescription:
		err = json.Unmarshal(raw, &p.Description)
	case domain.FieldType:
		err = json.Unmarshal(raw, &p.TypeID)
	case domain.FieldLocation:
		var l WireLocation
		if err = json.Unmarshal(raw, &l); err == nil {
			p.Location = domain.Location{FreezerID: l.FreezerID, Box: l.Box, Slot: l.Slot}
		}
	case domain.FieldQuantity:
		err = json.Unmarshal(raw, &p.Quantity)
	case domain.FieldDateIn:
		err = json.Unmarshal(raw, &p.DateIn)
	case domain.FieldPeriod:
		err = json.Unmarshal(raw, &p.PeriodMonths)
	case domain.FieldOut:
		var o WireOut
		if err = json.Unmarshal(raw, &o); err == nil {
			p.DateOut, p.Outcome = o.Date, o.Outcome
		}
	default:
		return domain.Errorf(domain.EInvalid, "A product has no field %q.", field)
	}
	if err != nil {
		return domain.Errorf(domain.EInvalid, "The value of the product's field %q is malformed: %v.", field, err)
	}
	return nil
}

// FreezerValues returns the wire values of the named fields of f (every
// field when none is named).
func FreezerValues(f domain.Freezer, fields ...string) map[string]json.RawMessage {
	if len(fields) == 0 {
		fields = domain.FreezerFields
	}
	out := make(map[string]json.RawMessage, len(fields))
	for _, name := range fields {
		var v any
		switch name {
		case domain.FieldName:
			v = f.Name
		case domain.FieldBoxes:
			v = f.Boxes
		case domain.FieldDeleted:
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
func SetFreezerField(f *domain.Freezer, field string, raw json.RawMessage) error {
	var err error
	switch field {
	case domain.FieldName:
		err = json.Unmarshal(raw, &f.Name)
	case domain.FieldBoxes:
		err = json.Unmarshal(raw, &f.Boxes)
	case domain.FieldDeleted:
		err = json.Unmarshal(raw, &f.Deleted)
	default:
		return domain.Errorf(domain.EInvalid, "A freezer has no field %q.", field)
	}
	if err != nil {
		return domain.Errorf(domain.EInvalid, "The value of the freezer's field %q is malformed: %v.", field, err)
	}
	return nil
}

// ProductChange returns the pull change of a product's current state.
func ProductChange(s ProductState, seq int64) Change {
	common, rest := CompactStamps(s.Stamps)
	return Change{Entity: EntityProduct, ID: s.Product.ID, Seq: seq, Fields: ProductValues(s.Product),
		Stamp: common, Stamps: rest, Moved: s.Moved}
}

// FreezerChange returns the pull change of a freezer's current state.
func FreezerChange(s FreezerState, seq int64) Change {
	common, rest := CompactStamps(s.Stamps)
	return Change{Entity: EntityFreezer, ID: s.Freezer.ID, Seq: seq, Fields: FreezerValues(s.Freezer),
		Stamp: common, Stamps: rest}
}

// DecodeProduct decodes a pulled product change.
func DecodeProduct(c Change) (ProductState, error) {
	s := ProductState{Product: domain.Product{ID: c.ID}, Stamps: Stamps{}, Moved: c.Moved}
	for _, f := range domain.ProductFields {
		s.Stamps[f] = c.StampOf(f)
		raw, ok := c.Fields[f]
		if !ok {
			return ProductState{}, fmt.Errorf("product %s: field %s is missing", c.ID, f)
		}
		if err := SetProductField(&s.Product, f, raw); err != nil {
			return ProductState{}, fmt.Errorf("product %s: %w", c.ID, err)
		}
	}
	return s, nil
}

// DecodeFreezer decodes a pulled freezer change.
func DecodeFreezer(c Change) (FreezerState, error) {
	s := FreezerState{Freezer: domain.Freezer{ID: c.ID}, Stamps: Stamps{}}
	for _, f := range domain.FreezerFields {
		s.Stamps[f] = c.StampOf(f)
		raw, ok := c.Fields[f]
		if !ok {
			return FreezerState{}, fmt.Errorf("freezer %s: field %s is missing", c.ID, f)
		}
		if err := SetFreezerField(&s.Freezer, f, raw); err != nil {
			return FreezerState{}, fmt.Errorf("freezer %s: %w", c.ID, err)
		}
	}
	return s, nil
}

// TypesTag returns a short digest of a list of product types; a device
// sends the tag of the list it holds and receives the list only when the
// server's differs.
func TypesTag(types []domain.ProductType) string {
	sorted := slices.Clone(types)
	slices.SortFunc(sorted, func(a, b domain.ProductType) int { return a.ID - b.ID })
	b, _ := json.Marshal(sorted)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func copyStamps(s Stamps) Stamps {
	out := make(Stamps, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}
