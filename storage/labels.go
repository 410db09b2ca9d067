// Printed labels: a local record of which products have a label, and
// where they were when it was printed.

package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// LabelPrint says that a product's label was printed, and where the
// product was then (the label shows that place).
type LabelPrint struct {
	At    domain.Location
	Print time.Time
}

// RecordLabelsPrinted records that the labels of the given products were
// just printed, at their current places, and clears the relabel notice of
// those that carry one (the new label shows where the server put them; the
// clearing syncs like ClearRelabel's). It returns how many notices it
// cleared. An unknown or deleted product is an ENotFound error and
// changes nothing.
func (db *DB) RecordLabelsPrinted(ctx context.Context, ids ...uuid.UUID) (int, error) {
	cleared := 0
	now := db.Now().UTC().Format(time.RFC3339)
	err := db.write(ctx, func(tx *sql.Tx) error {
		cleared = 0
		for _, id := range ids {
			row, err := findProduct(ctx, tx, id)
			if err != nil {
				return err
			}
			if row.Deleted {
				return domain.Errorf(domain.ENotFound, "The product %s was deleted: there is no label to print.", id)
			}
			l := row.Location
			if _, err := tx.ExecContext(ctx, `INSERT INTO label_prints (product_id, freezer_id, box, slot, printed_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id) DO UPDATE SET
				freezer_id = excluded.freezer_id, box = excluded.box, slot = excluded.slot, printed_at = excluded.printed_at`,
				id.String(), l.FreezerID.String(), l.Box, l.Slot, now); err != nil {
				return fmt.Errorf("record the label of %s: %w", id, err)
			}
			if row.Relabel != nil {
				if err := db.clearRelabel(ctx, tx, id); err != nil {
					return err
				}
				cleared++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("record printed labels: %w", err)
	}
	return cleared, nil
}

// LabelsPrinted returns the printed labels of the products of freezer (of
// every product when freezer is uuid.Nil) by product id.
func (db *DB) LabelsPrinted(ctx context.Context, freezer uuid.UUID) (map[uuid.UUID]LabelPrint, error) {
	q := `SELECT l.product_id, l.freezer_id, l.box, l.slot, l.printed_at FROM label_prints l`
	var args []any
	if freezer != uuid.Nil {
		q += ` JOIN products p ON p.id = l.product_id WHERE p.freezer_id = ?`
		args = append(args, freezer.String())
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read printed labels: %w", err)
	}
	defer rows.Close()
	out := map[uuid.UUID]LabelPrint{}
	for rows.Next() {
		var id, fid, at string
		var lp LabelPrint
		if err := rows.Scan(&id, &fid, &lp.At.Box, &lp.At.Slot, &at); err != nil {
			return nil, fmt.Errorf("read printed labels: %w", err)
		}
		pid, err := uuid.Parse(id)
		if err != nil {
			return nil, fmt.Errorf("read printed labels: product id %q: %w", id, err)
		}
		if lp.At.FreezerID, err = uuid.Parse(fid); err != nil {
			return nil, fmt.Errorf("read printed labels: freezer id %q: %w", fid, err)
		}
		if lp.Print, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("read printed labels: time %q: %w", at, err)
		}
		out[pid] = lp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read printed labels: %w", err)
	}
	return out, nil
}
