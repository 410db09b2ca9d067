package sqlstore

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"freezer/domain"
)

// DeleteProduct marks one of the account's products deleted (a tombstone
// that syncs like a field); it must not be deleted already.
func (db *DB) DeleteProduct(ctx context.Context, accountID int64, id uuid.UUID) error {
	return db.writeAccount(ctx, accountID, func(tx *tx) error {
		p, err := tx.product(ctx, accountID, id)
		if err != nil {
			return err
		}
		seq, err := tx.nextSeq(ctx, accountID)
		if err != nil {
			return err
		}
		if err := tx.observeRow(ctx, domain.EntityProduct, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE products SET deleted = 1, deleted_ts = ?, seq = ? WHERE num = ?`,
			db.Clock.Now().String(), seq, p.Num); err != nil {
			return fmt.Errorf("delete product: %w", err)
		}
		return nil
	})
}
