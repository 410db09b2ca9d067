package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"freezer/domain"
	"freezer/internal/typesql"
)

// Product types: the list, its changes by the administrator, and the
// counts the suggestions read.

// ListTypes lists the product types by id.
func (db *DB) ListTypes(ctx context.Context) ([]domain.ProductType, error) {
	return typesql.List(ctx, queryer{db})
}

// CreateType adds a product type with the next id.
func (db *DB) CreateType(ctx context.Context, en, fr string) (domain.ProductType, error) {
	t := domain.ProductType{NameEN: strings.TrimSpace(en), NameFR: strings.TrimSpace(fr)}
	err := db.write(ctx, func(tx *tx) error {
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM product_types`).Scan(&t.ID); err != nil {
			return fmt.Errorf("next type id: %w", err)
		}
		if err := t.Validate(); err != nil {
			return err
		}
		return typesql.Insert(ctx, tx, t)
	})
	if err != nil {
		return domain.ProductType{}, err
	}
	return t, nil
}

// RenameType renames a product type.
func (db *DB) RenameType(ctx context.Context, id int, en, fr string) (domain.ProductType, error) {
	t := domain.ProductType{ID: id, NameEN: strings.TrimSpace(en), NameFR: strings.TrimSpace(fr)}
	if err := t.Validate(); err != nil {
		return domain.ProductType{}, err
	}
	err := db.write(ctx, func(tx *tx) error {
		res, err := tx.exec(ctx, `UPDATE product_types SET name_en = ?, name_fr = ? WHERE id = ?`, t.NameEN, t.NameFR, t.ID)
		if err != nil {
			return fmt.Errorf("rename type %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return domain.Errorf(domain.ENotFound, "Product type %d does not exist.", id)
		}
		return nil
	})
	if err != nil {
		return domain.ProductType{}, err
	}
	return t, nil
}

func (t *tx) typeExists(ctx context.Context, id int) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM product_types WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("find type %d: %w", id, err)
	}
	if n == 0 {
		return typeNotFound(id)
	}
	return nil
}

func typeNotFound(id int) error {
	return domain.FieldErrorf(domain.FieldType, "Product type %d does not exist: choose one from the list.", id)
}

// TypeFrequency counts every account's products per type, most frequent
// first. The counting is done by the database (GROUP BY) rather than by
// domain.TypeFrequency over every product of every account; the order is
// the same.
func (db *DB) TypeFrequency(ctx context.Context) ([]domain.TypeCount, error) {
	rows, err := db.rdb.QueryContext(ctx, db.q(`SELECT type_id, COUNT(*) AS n FROM products WHERE deleted = 0 GROUP BY type_id ORDER BY n DESC, type_id`))
	if err != nil {
		return nil, fmt.Errorf("type frequency: %w", err)
	}
	defer rows.Close()
	var out []domain.TypeCount
	for rows.Next() {
		var c domain.TypeCount
		if err := rows.Scan(&c.TypeID, &c.Count); err != nil {
			return nil, fmt.Errorf("scan type frequency: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("type frequency: %w", err)
	}
	return out, nil
}
