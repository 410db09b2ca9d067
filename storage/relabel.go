// Relabel notices: what a product carries after the server moved it to
// another slot, replicated like a field, and cleared by a person on any
// device.

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"freezer/domain"
)

// relabelText is the stored form of a relabel notice: its wire value, or
// the empty string for none.
func relabelText(r *domain.Relabel) string {
	if r == nil {
		return ""
	}
	return string(domain.RelabelValue(r))
}

// ClearRelabel records that the labels of the given products were changed
// (every product with a notice when ids is empty): each notice is cleared
// with a fresh stamp and the clearing is queued, so that every device
// clears it when it pulls. It returns the number of notices cleared.
func (db *DB) ClearRelabel(ctx context.Context, ids ...uuid.UUID) (int, error) {
	n := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `SELECT id FROM products WHERE relabel <> '' ORDER BY id`)
		if err != nil {
			return fmt.Errorf("read notices: %w", err)
		}
		flagged, err := scanIDs(rows)
		if err != nil {
			return fmt.Errorf("read notices: %w", err)
		}
		for _, id := range flagged {
			if len(ids) > 0 && !slices.Contains(ids, id) {
				continue
			}
			if err := db.clearRelabel(ctx, tx, id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("clear relabel notices: %w", err)
	}
	return n, nil
}

// clearRelabel clears one product's notice and queues the clearing.
func (db *DB) clearRelabel(ctx context.Context, tx *sql.Tx, id uuid.UUID) error {
	ts := db.clock.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE products SET relabel = '', moved = 0, relabel_ts = ? WHERE id = ?`,
		ts.String(), id.String()); err != nil {
		return fmt.Errorf("clear notice of %s: %w", id, err)
	}
	fields := map[string]json.RawMessage{domain.FieldRelabel: domain.RelabelValue(nil)}
	return db.enqueue(ctx, tx, domain.EntityProduct, id.String(), domain.OpUpdate, fields, ts)
}
