package storage

import (
	"context"
	"fmt"
	"strings"

	"freezer/domain"
)

// FindProducts returns the products selected by f, in f's order.
func (db *DB) FindProducts(ctx context.Context, f ProductFilter) ([]ProductRow, error) {
	today, window := db.today(), db.DueSoonDays()
	where, args := f.where(today, window)
	q := `SELECT ` + productColumns + productFrom + where + f.orderBy()
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	defer rows.Close()
	out := []ProductRow{}
	for rows.Next() {
		r, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("find products: %w", err)
		}
		r.Status = r.Product.Status(today, window)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	if err := db.showFreezerNames(ctx, out); err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	return out, nil
}

// where builds the WHERE clause of f; every value is a placeholder.
func (f ProductFilter) where(today domain.Date, window int) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	add(`p.deleted = 0`) // a deleted product is listed nowhere
	switch f.Where {
	case Inside:
		add(`p.date_out = ''`)
	case Out:
		add(`p.date_out <> ''`)
	}
	if f.FreezerID != nil {
		add(`p.freezer_id = ?`, f.FreezerID.String())
	}
	if f.Box != nil {
		add(`p.box = ?`, *f.Box)
	}
	if f.TypeID != nil {
		add(`p.type_id = ?`, *f.TypeID)
	}
	for _, word := range strings.Fields(domain.Fold(f.Text)) {
		add(`instr(p.search, ?) > 0`, word)
	}
	if len(f.Statuses) > 0 {
		var alts []string
		soon := today.AddDays(window).String()
		for _, s := range f.Statuses {
			switch s {
			case domain.StatusOverdue:
				alts = append(alts, `(p.date_out = '' AND p.deadline < ?)`)
				args = append(args, today.String())
			case domain.StatusDueSoon:
				alts = append(alts, `(p.date_out = '' AND p.deadline >= ? AND p.deadline <= ?)`)
				args = append(args, today.String(), soon)
			case domain.StatusOK:
				alts = append(alts, `(p.date_out = '' AND p.deadline > ?)`)
				args = append(args, soon)
			case domain.StatusOut:
				alts = append(alts, `p.date_out <> ''`)
			}
		}
		if len(alts) > 0 {
			conds = append(conds, "("+strings.Join(alts, " OR ")+")")
		}
	}
	if !f.InFrom.IsZero() {
		add(`p.date_in >= ?`, f.InFrom.String())
	}
	if !f.InTo.IsZero() {
		add(`p.date_in <= ?`, f.InTo.String())
	}
	if !f.OutFrom.IsZero() {
		add(`p.date_out <> '' AND p.date_out >= ?`, f.OutFrom.String())
	}
	if !f.OutTo.IsZero() {
		add(`p.date_out <> '' AND p.date_out <= ?`, f.OutTo.String())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (f ProductFilter) orderBy() string {
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	var keys []string
	switch f.Sort {
	case SortDateIn:
		keys = []string{"p.date_in"}
	case SortDeadline:
		keys = []string{"p.deadline"}
	case SortLocation:
		keys = []string{"f.name COLLATE names", "p.freezer_id", "p.box", "p.slot"}
	case SortType:
		keys = []string{"p.type_id"}
	case SortQuantity:
		keys = []string{"p.quantity"}
	case SortDateOut:
		keys = []string{"p.date_out"}
	}
	for i := range keys {
		keys[i] += dir
	}
	keys = append(keys, "p.name_key"+dir, "p.id"+dir)
	return " ORDER BY " + strings.Join(keys, ", ")
}

// overviewCounts counts the products inside, overdue, due soon and taken
// out this month. Arguments: today, today, the last due-soon day, the
// month's first day. It reads only columns of products_place, which SQLite
// scans instead of the products' rows (migration 12).
const overviewCounts = `SELECT
	coalesce(sum(date_out = ''), 0),
	coalesce(sum(date_out = '' AND deadline < ?), 0),
	coalesce(sum(date_out = '' AND deadline >= ? AND deadline <= ?), 0),
	coalesce(sum(date_out <> '' AND date_out >= ?), 0)
	FROM products WHERE deleted = 0`

// Overview returns the counts per status and the overdue and due-soon
// products, soonest deadline first.
func (db *DB) Overview(ctx context.Context) (Overview, error) {
	today, window := db.today(), db.DueSoonDays()
	soon := today.AddDays(window).String()
	var o Overview
	err := db.r.QueryRowContext(ctx, overviewCounts, today.String(), today.String(), soon, today.MonthStart().String()).
		Scan(&o.Inside, &o.Overdue, &o.DueSoon, &o.OutThisMonth)
	if err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	o.OK = o.Inside - o.Overdue - o.DueSoon
	rows, err := db.r.QueryContext(ctx, `SELECT `+productColumns+productFrom+`
		WHERE p.date_out = '' AND p.deleted = 0 AND p.deadline <= ? ORDER BY p.deadline, p.name_key, p.id`, soon)
	if err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanProduct(rows)
		if err != nil {
			return Overview{}, fmt.Errorf("overview: %w", err)
		}
		r.Status = r.Product.Status(today, window)
		o.Alerts = append(o.Alerts, r)
	}
	if err := rows.Err(); err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	if err := db.showFreezerNames(ctx, o.Alerts); err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	return o, nil
}

// AllProducts returns every product, inside or taken out, by name: the input
// of the trends.
func (db *DB) AllProducts(ctx context.Context) ([]domain.Product, error) {
	rows, err := db.FindProducts(ctx, ProductFilter{Where: All})
	if err != nil {
		return nil, fmt.Errorf("all products: %w", err)
	}
	out := make([]domain.Product, len(rows))
	for i, r := range rows {
		out[i] = r.Product
	}
	return out, nil
}
