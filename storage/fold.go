package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"modernc.org/sqlite"

	"freezer/domain"
)

// sortLang is the collation the store sorts names with. The store has no
// language; the English and French collations agree on the names people
// write (accents and case second, numbers in natural order), so English
// serves both.
const sortLang = "en"

// nameKey is a product's name_key: the hex form of its collation key, so
// that ORDER BY name_key (with its index, no Go callback) sorts "Côtes"
// before "Cuisses" and "Soupe 2" before "Soupe 10". Hex keeps the byte
// order of the key and fits the TEXT column.
func nameKey(name string) string {
	return hex.EncodeToString(domain.SortKey(sortLang, name))
}

// namesCollation is the SQL collation that orders freezer names like
// domain.CompareNames ("Freezer 2" before "Freezer 10"): ORDER BY f.name
// COLLATE names. Freezers are few, so a Go callback is cheap; equal names
// (every product of one freezer, when products sort by location) are
// answered without the collator.
const namesCollation = "names"

// registerCollation registers namesCollation with the sqlite driver, once
// per process, before the first connection is opened.
var registerCollation = sync.OnceValue(func() error {
	err := sqlite.RegisterCollationUtf8(namesCollation, func(a, b string) int {
		if a == b {
			return 0
		}
		return domain.CompareNames(sortLang, a, b)
	})
	if err != nil {
		return fmt.Errorf("register the %s collation: %w", namesCollation, err)
	}
	return nil
})

// migrationSteps are the Go steps of migrations that SQL cannot do, by
// migration file. Each runs after its file's SQL, in the same transaction.
var migrationSteps = map[string]func(context.Context, *sql.Tx) error{
	"migrations/0001_init.sql":         seedTypes,
	"migrations/0004_fold.sql":         refoldProducts,
	"migrations/0006_clean_bounds.sql": cleanBounds,
}

// refoldProducts makes every product's name_key and search again, with
// nameKey and domain.Fold: rows written before migration 4 hold keys made by an
// older, hand-made folding table. A later change of domain.Fold or of the
// collation (an x/text upgrade can change keys) registers it again for a
// new migration file, so that stored keys never mix two versions.
func refoldProducts(ctx context.Context, tx *sql.Tx) error {
	type row struct{ id, name, description string }
	rows, err := tx.QueryContext(ctx, `SELECT id, name, description FROM products`)
	if err != nil {
		return fmt.Errorf("read products to refold: %w", err)
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.description); err != nil {
			rows.Close()
			return fmt.Errorf("read products to refold: %w", err)
		}
		all = append(all, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("read products to refold: %w", err)
	}
	up, err := tx.PrepareContext(ctx, `UPDATE products SET name_key = ?, search = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("refold products: %w", err)
	}
	defer up.Close()
	for _, r := range all {
		p := domain.Product{Name: r.name, Description: r.description}
		if _, err := up.ExecContext(ctx, nameKey(p.Name), searchText(p), r.id); err != nil {
			return fmt.Errorf("refold product %s: %w", r.id, err)
		}
	}
	return nil
}
