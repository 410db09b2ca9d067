// Package typesql is the SQL that the device's store (freezer/storage) and
// the server's store (freezer/server/sqlstore) share: the product_types
// table, which both create with the same columns, seed with
// domain.DefaultProductTypes and read in id order. One copy, so a column
// added for one side is read by the other.
package typesql

import (
	"context"
	"database/sql"
	"fmt"

	"freezer/domain"
)

// Queryer runs a query: a *sql.DB, a *sql.Tx, or a store's wrapper that
// rewrites placeholders for its database.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Execer runs a statement, like Queryer.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// List returns the product types by id.
func List(ctx context.Context, q Queryer) ([]domain.ProductType, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name_en, name_fr FROM product_types ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list product types: %w", err)
	}
	defer rows.Close()
	var types []domain.ProductType
	for rows.Next() {
		var t domain.ProductType
		if err := rows.Scan(&t.ID, &t.NameEN, &t.NameFR); err != nil {
			return nil, fmt.Errorf("list product types: %w", err)
		}
		types = append(types, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list product types: %w", err)
	}
	return types, nil
}

// Insert adds one product type with its id. Its placeholders are '?': an
// Execer for PostgreSQL rewrites them.
func Insert(ctx context.Context, ex Execer, t domain.ProductType) error {
	if _, err := ex.ExecContext(ctx, `INSERT INTO product_types (id, name_en, name_fr) VALUES (?, ?, ?)`,
		t.ID, t.NameEN, t.NameFR); err != nil {
		return fmt.Errorf("add product type %d: %w", t.ID, err)
	}
	return nil
}

// Seed adds the default product types (ids 1 to 43).
func Seed(ctx context.Context, ex Execer) error {
	for _, t := range domain.DefaultProductTypes() {
		if err := Insert(ctx, ex, t); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	return nil
}
