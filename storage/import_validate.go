// Import validation: every imported entity checked against the rules and
// against the store as it will be after the import.

package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"

	"freezer/domain"
)

// validateImport checks every imported entity against the rules and the
// store as it will be after the import, before anything is written. A
// product without a slot (a CSV without the slot column) gets, in
// products, the next slot free in that final state, around the slots the
// file gives.
func (db *DB) validateImport(ctx context.Context, tx *sql.Tx, freezers []domain.Freezer, products []importProduct) error {
	var c importCheck
	var err error
	if c.freezers, err = db.freezersAfterImport(ctx, freezers); err != nil {
		return err
	}
	if c.types, err = db.typeIDs(ctx); err != nil {
		return err
	}
	imported, err := importedIDs(products)
	if err != nil {
		return err
	}
	if c.taken, err = slotsKept(ctx, tx, imported); err != nil {
		return err
	}
	c.reserved = slotsGiven(products)
	c.today = db.today()
	for i, ip := range products {
		if ip.p.Location.Slot == 0 && ip.p.Location.Box >= 1 {
			ip.p.Location.Slot = c.freeSlot(ip.p.Location)
			products[i].p.Location.Slot = ip.p.Location.Slot
		}
		if err := c.check(ip); err != nil {
			return err
		}
	}
	return nil
}

// slotKey is a slot of a box of a freezer.
type slotKey struct {
	freezer   uuid.UUID
	box, slot int
}

// importCheck is the store as it will be after an import, which each
// imported product is checked against.
type importCheck struct {
	today    domain.Date
	freezers map[uuid.UUID]domain.Freezer // stored and imported, the imported version winning
	types    map[int]bool                 // product type ids
	taken    map[slotKey]string           // name of the product inside each slot, filled as products are checked
	reserved map[slotKey]bool             // slots the file gives to products inside
}

// freezersAfterImport returns the store's freezers and the imported ones,
// which replace them, after checking the imported ones' rules.
func (db *DB) freezersAfterImport(ctx context.Context, freezers []domain.Freezer) (map[uuid.UUID]domain.Freezer, error) {
	all, err := db.allFreezers(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[uuid.UUID]domain.Freezer{}
	for _, f := range all {
		byID[f.ID] = f
	}
	for _, f := range freezers {
		if err := f.Validate(); err != nil {
			return nil, domain.Errorf(domain.EInvalid, "Freezer %q: %s", f.Name, domain.ErrorMessage(err))
		}
		byID[f.ID] = f
	}
	return byID, nil
}

// typeIDs returns the set of product type ids.
func (db *DB) typeIDs(ctx context.Context) (map[int]bool, error) {
	types, err := db.ProductTypes(ctx)
	if err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, t := range types {
		known[t.ID] = true
	}
	return known, nil
}

// importedIDs returns the ids of the imported products, refusing an id the
// file gives twice.
func importedIDs(products []importProduct) (map[uuid.UUID]bool, error) {
	imported := map[uuid.UUID]bool{}
	for _, ip := range products {
		if imported[ip.p.ID] {
			return nil, lineError(ip.line, "id", domain.Errorf(domain.EInvalid, "The id %s appears twice in the file.", ip.p.ID))
		}
		imported[ip.p.ID] = true
	}
	return imported, nil
}

// slotsKept returns the slots held by the store's products inside that the
// import does not replace, with the name of the product in each.
func slotsKept(ctx context.Context, tx *sql.Tx, imported map[uuid.UUID]bool) (map[slotKey]string, error) {
	taken := map[slotKey]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, freezer_id, box, slot FROM products WHERE date_out = '' AND deleted = 0`)
	if err != nil {
		return nil, fmt.Errorf("read slots: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, fid string
		var pl slotKey
		if err := rows.Scan(&id, &name, &fid, &pl.box, &pl.slot); err != nil {
			return nil, fmt.Errorf("read slots: %w", err)
		}
		uid, _ := uuid.Parse(id)
		if imported[uid] {
			continue
		}
		pl.freezer, _ = uuid.Parse(fid)
		taken[pl] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read slots: %w", err)
	}
	return taken, nil
}

// slotsGiven returns the slots the file gives to products inside.
func slotsGiven(products []importProduct) map[slotKey]bool {
	reserved := map[slotKey]bool{}
	for _, ip := range products {
		if ip.p.Inside() && ip.p.Location.Slot > 0 {
			reserved[slotKey{ip.p.Location.FreezerID, ip.p.Location.Box, ip.p.Location.Slot}] = true
		}
	}
	return reserved
}

// freeSlot returns the first slot of l's box neither taken nor given by
// the file.
func (c *importCheck) freeSlot(l domain.Location) int {
	pl := slotKey{l.FreezerID, l.Box, 1}
	for _, ok := c.taken[pl]; ok || c.reserved[pl]; _, ok = c.taken[pl] {
		pl.slot++
	}
	return pl.slot
}

// check checks an imported product: its rules, its type, its freezer and,
// while inside, its box and a slot no other product holds; the slot is
// then taken.
func (c *importCheck) check(ip importProduct) error {
	p := ip.p
	if err := p.Validate(c.today); err != nil {
		return lineError(ip.line, domain.ErrorField(err), err)
	}
	if !c.types[p.TypeID] {
		return lineError(ip.line, "type_id", domain.Errorf(domain.EInvalid, "Product type %d does not exist.", p.TypeID))
	}
	f, ok := c.freezers[p.Location.FreezerID]
	if !ok {
		return lineError(ip.line, "freezer_id", domain.Errorf(domain.EInvalid, "Freezer %s is not in the file nor on this device.", p.Location.FreezerID))
	}
	if !p.Inside() {
		return nil
	}
	if err := p.Location.Validate(f); err != nil {
		return lineError(ip.line, "box", err)
	}
	pl := slotKey{p.Location.FreezerID, p.Location.Box, p.Location.Slot}
	if other, ok := c.taken[pl]; ok {
		return lineError(ip.line, "slot", domain.Errorf(domain.EInvalid,
			"Slot %d of box %d in %q is already taken by %q.", pl.slot, pl.box, f.Name, other))
	}
	c.taken[pl] = p.Name
	return nil
}
