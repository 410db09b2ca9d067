// Product delete and restore: a product entered by mistake becomes a
// tombstone (its deleted field, replicated like the others), and an undo
// puts back a product's earlier values as a new write.

package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"freezer/domain"
)

// DeleteProduct deletes a product entered by mistake and returns it as it
// was just before. The product stays as a tombstone that syncs (its
// deleted field) and keeps its history (a ChangeDeleted entry is added);
// its slot becomes free and it is listed nowhere. Deleting an unknown or an
// already deleted product is refused with domain.ENotFound.
func (db *DB) DeleteProduct(ctx context.Context, id uuid.UUID) (domain.Product, error) {
	var before domain.Product
	err := db.write(ctx, func(tx *sql.Tx) error {
		row, err := findProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		if row.Deleted {
			return errDeleted(row.Product)
		}
		before = row.Product
		p := before
		p.Deleted = true
		return db.writeChange(ctx, tx, before, p, []string{domain.FieldDeleted})
	})
	if err != nil {
		return domain.Product{}, fmt.Errorf("delete product: %w", err)
	}
	return before, nil
}

// RestoreProduct undoes a take out or a delete: it puts back the values of
// before, the product as it was just before the change (what DeleteProduct
// returns; for a take out, the product as read before TakeOutProduct, which
// returns it taken out), not deleted, as a new write of a person (new
// stamps, queued for sync), so it also works after the change has synced. When before's slot is now held by another product inside,
// the product goes to the next free slot of the same box. It returns the
// product as stored: compare its location with before's to tell where it
// went. The entry in its history is ChangeRestored after a delete,
// ChangePutBack after a take out.
func (db *DB) RestoreProduct(ctx context.Context, before domain.Product) (domain.Product, error) {
	var p domain.Product
	err := db.write(ctx, func(tx *sql.Tx) error {
		row, err := findProduct(ctx, tx, before.ID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.Errorf(domain.ENotFound, "%q cannot be put back: it no longer exists on this device.", before.Name)
		}
		if err != nil {
			return err
		}
		old := row.Product
		p = before
		p.Deleted = false
		if p.Inside() {
			if p.Location.Slot, err = freeSlotFor(ctx, tx, old, p.Location); err != nil {
				return err
			}
		}
		return db.checkAndWrite(ctx, tx, old, p)
	})
	if err != nil {
		return domain.Product{}, fmt.Errorf("restore product: %w", err)
	}
	return p, nil
}

// freeSlotFor returns l's slot when no other product inside holds it, else
// the next free slot of l's box. old is the product as stored now: the
// slot it holds itself (when inside) counts as free.
func freeSlotFor(ctx context.Context, q queryer, old domain.Product, l domain.Location) (int, error) {
	used, err := insideOf(ctx, q, l.FreezerID, l.Box)
	if err != nil {
		return 0, err
	}
	if old.Inside() && old.Location.FreezerID == l.FreezerID && old.Location.Box == l.Box {
		if i := slices.IndexFunc(used, func(o domain.Product) bool { return o.Location.Slot == old.Location.Slot }); i >= 0 {
			used = slices.Delete(used, i, i+1)
		}
	}
	if !slices.ContainsFunc(used, func(o domain.Product) bool { return o.Location.Slot == l.Slot }) {
		return l.Slot, nil
	}
	return domain.NextFreeSlot(used, l.FreezerID, l.Box), nil
}

// errDeleted is the error of a change to a deleted product.
func errDeleted(p domain.Product) error {
	return domain.Errorf(domain.ENotFound, "%q was deleted: it is no longer in your freezers.", p.Name)
}
