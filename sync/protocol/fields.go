package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"freezer/domain"
)

// WireLocation and WireOut are the wire values of a product's location and
// out fields (domain holds the one codec of field values).
type (
	WireLocation = domain.WireLocation
	WireOut      = domain.WireOut
)

// Stamps maps field names to the clock stamps of their values.
type Stamps = map[string]domain.Timestamp

// ProductState is a product with the stamp of each field and its relabel
// notice. The notice (nil when none) is stamped like a field, under
// domain.FieldRelabel; a zero stamp there means it was never set.
type ProductState struct {
	Product domain.Product
	Stamps  Stamps
	Relabel *domain.Relabel
}

// FreezerState is a freezer with the stamp of each field.
type FreezerState struct {
	Freezer domain.Freezer
	Stamps  Stamps
}

// ProductChange returns the pull change of a product's current state.
func ProductChange(s ProductState, seq int64) Change {
	fields, stamps := domain.ProductValues(s.Product), s.Stamps
	if ts := s.Stamps[domain.FieldRelabel]; !ts.IsZero() {
		fields[domain.FieldRelabel] = domain.RelabelValue(s.Relabel)
	} else if _, ok := stamps[domain.FieldRelabel]; ok {
		stamps = copyStamps(stamps)
		delete(stamps, domain.FieldRelabel)
	}
	if _, ok := stamps[domain.FieldDeleted]; ok && stamps[domain.FieldDeleted].IsZero() {
		// Never stamped (written by an older device): left out, as it
		// reads back (DecodeProduct), so no one takes it for a write.
		stamps = copyStamps(stamps)
		delete(stamps, domain.FieldDeleted)
		delete(fields, domain.FieldDeleted)
	} else if !ok {
		delete(fields, domain.FieldDeleted)
	}
	common, rest := CompactStamps(stamps)
	return Change{Entity: domain.EntityProduct, ID: s.Product.ID, Seq: seq, Fields: fields,
		Stamp: common, Stamps: rest, Moved: s.Relabel != nil}
}

// FreezerChange returns the pull change of a freezer's current state.
func FreezerChange(s FreezerState, seq int64) Change {
	common, rest := CompactStamps(s.Stamps)
	return Change{Entity: domain.EntityFreezer, ID: s.Freezer.ID, Seq: seq, Fields: domain.FreezerValues(s.Freezer),
		Stamp: common, Stamps: rest}
}

// DecodeProduct decodes a pulled product change.
func DecodeProduct(c Change) (ProductState, error) {
	s := ProductState{Product: domain.Product{ID: c.ID}, Stamps: Stamps{}}
	if raw, ok := c.Fields[domain.FieldRelabel]; ok {
		r, err := domain.ParseRelabel(raw)
		if err != nil {
			return ProductState{}, fmt.Errorf("product %s: %w", c.ID, err)
		}
		s.Relabel, s.Stamps[domain.FieldRelabel] = r, c.StampOf(domain.FieldRelabel)
	}
	for _, f := range domain.ProductFields {
		raw, ok := c.Fields[f]
		if !ok && domain.OptionalProductField(f) {
			continue // added by a later version: its zero value, never stamped
		}
		s.Stamps[f] = c.StampOf(f)
		if !ok {
			return ProductState{}, fmt.Errorf("product %s: field %s is missing", c.ID, f)
		}
		if err := domain.SetProductField(&s.Product, f, raw); err != nil {
			return ProductState{}, fmt.Errorf("product %s: %w", c.ID, err)
		}
	}
	return s, nil
}

// ChangesFor returns changes as a device speaking protocol version v
// reads them: a version before 4 does not know remembered barcodes, which
// are left out; a version before 3 does not know a product's deleted
// field, which is left out too (the device keeps such a product as it
// was; see docs/SYNC.md, "Protocol versions"). changes is not modified.
func ChangesFor(v int, changes []Change) []Change {
	if v >= 4 {
		return changes
	}
	out := make([]Change, 0, len(changes))
	for _, c := range changes {
		if c.Entity == domain.EntityBarcode {
			continue
		}
		out = append(out, c)
		if _, ok := c.Fields[domain.FieldDeleted]; v >= 3 || !ok || c.Entity != domain.EntityProduct {
			continue
		}
		last := &out[len(out)-1]
		last.Fields = maps.Clone(c.Fields)
		delete(last.Fields, domain.FieldDeleted)
		if _, ok := c.Stamps[domain.FieldDeleted]; ok {
			last.Stamps = maps.Clone(c.Stamps)
			delete(last.Stamps, domain.FieldDeleted)
			if len(last.Stamps) == 0 {
				last.Stamps = nil
			}
		}
	}
	return out
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
		if err := domain.SetFreezerField(&s.Freezer, f, raw); err != nil {
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
