// Field stamps: the clock stamp stored with each field of a local freezer
// or product, which pull, rebase and reconcile compare with the server's.

package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"freezer/domain"
)

// EntityStamps returns the clock stamp of each field of a local freezer or
// product (entity is domain.EntityFreezer or domain.EntityProduct).
func (db *DB) EntityStamps(ctx context.Context, entity string, id uuid.UUID) (map[string]domain.Timestamp, error) {
	var stamps map[string]domain.Timestamp
	var found bool
	var err error
	switch entity {
	case domain.EntityFreezer:
		_, stamps, found, err = loadFreezerStamps(ctx, db.r, id)
	case domain.EntityProduct:
		_, stamps, _, found, err = loadProductStamps(ctx, db.r, id)
	case domain.EntityBarcode:
		_, stamps, found, err = loadBarcodeStamps(ctx, db.r, id)
	default:
		return nil, domain.Errorf(domain.EInvalid, "Unknown kind of record %q.", entity)
	}
	if err != nil {
		return nil, fmt.Errorf("entity stamps: %w", err)
	}
	if !found {
		return nil, domain.Errorf(domain.ENotFound, "This %s does not exist.", entity)
	}
	return stamps, nil
}

// loadFreezerStamps reads a local freezer with its stamps.
func loadFreezerStamps(ctx context.Context, q queryer, id uuid.UUID) (domain.Freezer, map[string]domain.Timestamp, bool, error) {
	f := domain.Freezer{ID: id}
	var ts [3]string
	err := q.QueryRowContext(ctx, `SELECT name, boxes, deleted, name_ts, boxes_ts, deleted_ts FROM freezers WHERE id = ?`,
		id.String()).Scan(&f.Name, &f.Boxes, &f.Deleted, &ts[0], &ts[1], &ts[2])
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Freezer{}, nil, false, nil
	}
	if err != nil {
		return domain.Freezer{}, nil, false, fmt.Errorf("read freezer %s: %w", id, err)
	}
	stamps, err := domain.ParseStamps(domain.FreezerFields, ts[:])
	if err != nil {
		return domain.Freezer{}, nil, false, fmt.Errorf("read freezer %s: %w", id, err)
	}
	return f, stamps, true, nil
}

// loadProductStamps reads a local product with its relabel notice and its
// stamps (the notice's under domain.FieldRelabel, zero when it was never
// set).
func loadProductStamps(ctx context.Context, q queryer, id uuid.UUID) (domain.Product, map[string]domain.Timestamp, *domain.Relabel, bool, error) {
	row, err := findProduct(ctx, q, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Product{}, nil, nil, false, nil
	}
	if err != nil {
		return domain.Product{}, nil, nil, false, err
	}
	var ts [10]string
	if err := q.QueryRowContext(ctx, `SELECT name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts,
		period_ts, out_ts, deleted_ts, relabel_ts FROM products WHERE id = ?`, id.String()).
		Scan(&ts[0], &ts[1], &ts[2], &ts[3], &ts[4], &ts[5], &ts[6], &ts[7], &ts[8], &ts[9]); err != nil {
		return domain.Product{}, nil, nil, false, fmt.Errorf("read product %s: %w", id, err)
	}
	stamps, err := domain.ParseStamps(append(slices.Clip(domain.ProductFields), domain.FieldRelabel), ts[:])
	if err != nil {
		return domain.Product{}, nil, nil, false, fmt.Errorf("read product %s: %w", id, err)
	}
	return row.Product, stamps, row.Relabel, true, nil
}
