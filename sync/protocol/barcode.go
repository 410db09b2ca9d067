package protocol

import (
	"fmt"
	"slices"

	"github.com/google/uuid"

	"freezer/domain"
)

// Remembered barcodes (protocol version 4): the entity domain.EntityBarcode,
// whose id is domain.BarcodeID of its code, with the fields
// domain.BarcodeFields merged last-writer-wins like a freezer's. There is
// no delete: a barcode is remembered until another write replaces its
// name, type or period. A server answers a device of an earlier version
// without them (ChangesFor): such a device cannot read them.

// BarcodeState is a remembered barcode with the stamp of each field.
type BarcodeState struct {
	Barcode domain.Barcode
	Stamps  Stamps
}

// BarcodeChange returns the pull change of a remembered barcode's state.
func BarcodeChange(s BarcodeState, seq int64) Change {
	common, rest := CompactStamps(s.Stamps)
	return Change{Entity: domain.EntityBarcode, ID: domain.BarcodeID(s.Barcode.Code), Seq: seq,
		Fields: domain.BarcodeValues(s.Barcode), Stamp: common, Stamps: rest}
}

// DecodeBarcode decodes a pulled barcode change; its code must name its id.
func DecodeBarcode(c Change) (BarcodeState, error) {
	s := BarcodeState{Stamps: Stamps{}}
	for _, f := range domain.BarcodeFields {
		s.Stamps[f] = c.StampOf(f)
		raw, ok := c.Fields[f]
		if !ok {
			return BarcodeState{}, fmt.Errorf("barcode %s: field %s is missing", c.ID, f)
		}
		if err := domain.SetBarcodeField(&s.Barcode, f, raw); err != nil {
			return BarcodeState{}, fmt.Errorf("barcode %s: %w", c.ID, err)
		}
	}
	if domain.BarcodeID(s.Barcode.Code) != c.ID {
		return BarcodeState{}, fmt.Errorf("barcode %s: its code %q names another id", c.ID, s.Barcode.Code)
	}
	return s, nil
}

// applyBarcode merges a barcode mutation: a barcode the server does not
// hold needs every field (a creation, as for a freezer); the code, when
// sent, must be the normalized code that names the entity; the winning
// fields are applied and the result checked against the barcode rules and
// the server's product types.
func (m *Merger) applyBarcode(st MergeStore, mu Mutation, stamps Stamps) error {
	cur, exists, err := st.Barcode(mu.EntityID)
	if err != nil {
		return err
	}
	if !exists {
		for _, f := range domain.BarcodeFields {
			if _, ok := mu.Fields[f]; !ok {
				return domain.Errorf(domain.ENotFound, "This barcode is not remembered on the server.")
			}
		}
		cur = BarcodeState{Stamps: Stamps{}}
	}
	for f, raw := range mu.Fields {
		if !slices.Contains(domain.BarcodeFields, f) {
			return domain.Errorf(domain.EInvalid, "A barcode has no field %q.", f)
		}
		var probe domain.Barcode
		if err := domain.SetBarcodeField(&probe, f, raw); err != nil {
			return err
		}
		if f == domain.FieldCode && domain.BarcodeID(probe.Code) != mu.EntityID {
			return domain.FieldErrorf(domain.FieldCode, "The barcode %q does not name this record.", probe.Code)
		}
	}
	win := winners(domain.BarcodeFields, cur.Stamps, stamps)
	if len(win) == 0 {
		return nil // every field already holds a later edit
	}
	next := BarcodeState{Barcode: cur.Barcode, Stamps: copyStamps(cur.Stamps)}
	for _, f := range win {
		if err := domain.SetBarcodeField(&next.Barcode, f, mu.Fields[f]); err != nil {
			return err
		}
		next.Stamps[f] = stamps[f]
	}
	if err := next.Barcode.Validate(); err != nil {
		return err
	}
	if ok, err := st.TypeExists(next.Barcode.TypeID); err != nil {
		return err
	} else if !ok {
		return domain.FieldErrorf(domain.FieldType, "Product type %d does not exist on the server.", next.Barcode.TypeID)
	}
	return st.PutBarcode(next, !exists)
}

// Barcode and PutBarcode keep the state before and after of the entity
// of the mutation (ApplyOwn), as Freezer and PutFreezer do.
func (o *ownStore) Barcode(id uuid.UUID) (BarcodeState, bool, error) {
	s, ok, err := o.MergeStore.Barcode(id)
	mine := o.entity == domain.EntityBarcode && id == o.id
	if err == nil && ok && !o.read && mine {
		o.before = BarcodeChange(s, 0)
	}
	o.read = o.read || mine
	return s, ok, err
}

func (o *ownStore) PutBarcode(s BarcodeState, created bool) error {
	if o.entity == domain.EntityBarcode && domain.BarcodeID(s.Barcode.Code) == o.id {
		c := BarcodeChange(s, 0)
		o.after = &c
	}
	return o.MergeStore.PutBarcode(s, created)
}
