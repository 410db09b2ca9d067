package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"freezer/domain"
)

// runStep runs the Go step of migration name, if it has one, in its
// transaction.
func (db *DB) runStep(ctx context.Context, name string, sqlTx *sql.Tx) error {
	if step := db.dialect.steps[name]; step != nil {
		return step(ctx, &tx{db: db, tx: sqlTx})
	}
	return nil
}

// Stamp columns of the tables cleanStored goes through.
var (
	freezerStampCols = []string{"name_ts", "boxes_ts", "deleted_ts"}
	productStampCols = []string{"name_ts", "description_ts", "type_ts", "location_ts", "quantity_ts", "date_in_ts", "period_ts", "out_ts", "deleted_ts", "relabel_ts"}
)

// cleanRow is one row that cleanStored rewrites: the columns it changes.
type cleanRow struct {
	table   string
	id      string
	account int64
	set     map[string]string
}

// cleanStored makes valid what earlier versions stored and the bounds now
// refuse (domain.CleanName, domain.CleanDescription, domain.CleanStamp): a
// name with a control or direction-override character or longer than
// domain.MaxNameLength, such a description, a stamp whose node is not a
// device id, a relabel notice naming such a node. Each row it changes gets
// a new sequence number, so that devices pull the cleaned values (with
// their stamps unchanged but for the nodes). It is the Go step of
// migration 5, so it runs once, in its transaction, and it logs how many
// rows it changed. Quantities, slots and dates beyond today's bounds are
// kept: they stay readable, and only new writes of such values are refused
// (domain.Product.ValidateChange).
func cleanStored(ctx context.Context, t *tx) error {
	rows, err := t.rowsToClean(ctx, "freezers", []string{"name"}, freezerStampCols)
	if err != nil {
		return err
	}
	more, err := t.rowsToClean(ctx, "products", []string{"name", "description", "relabel"}, productStampCols)
	if err != nil {
		return err
	}
	rows = append(rows, more...)
	for _, r := range rows {
		if err := t.writeClean(ctx, r); err != nil {
			return err
		}
	}
	if len(rows) > 0 {
		logger := t.db.logger
		if logger == nil {
			logger = slog.Default()
		}
		logger.Info("cleaned stored names, descriptions and clock stamps that the input bounds now refuse",
			"freezers", countTable(rows, "freezers"), "products", countTable(rows, "products"))
	}
	return nil
}

func countTable(rows []cleanRow, table string) int {
	n := 0
	for _, r := range rows {
		if r.table == table {
			n++
		}
	}
	return n
}

// rowsToClean reads every row of table and returns those whose text
// columns (name, description, relabel) or stamp columns need cleaning.
func (t *tx) rowsToClean(ctx context.Context, table string, texts, stamps []string) ([]cleanRow, error) {
	cols := append(append([]string{"id", "account_id"}, texts...), stamps...)
	q, err := t.query(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return nil, fmt.Errorf("clean %s: %w", table, err)
	}
	defer q.Close()
	var out []cleanRow
	vals := make([]string, len(cols)-2)
	for q.Next() {
		r := cleanRow{table: table, set: map[string]string{}}
		dst := []any{&r.id, &r.account}
		for i := range vals {
			dst = append(dst, &vals[i])
		}
		if err := q.Scan(dst...); err != nil {
			return nil, fmt.Errorf("clean %s: %w", table, err)
		}
		for i, col := range cols[2:] {
			if v, changed := domain.CleanStoredColumn(col, vals[i], i >= len(texts)); changed {
				r.set[col] = v
			}
		}
		if len(r.set) > 0 {
			out = append(out, r)
		}
	}
	if err := q.Err(); err != nil {
		return nil, fmt.Errorf("clean %s: %w", table, err)
	}
	return out, nil
}

// writeClean stores a cleaned row with the account's next sequence number.
func (t *tx) writeClean(ctx context.Context, r cleanRow) error {
	seq, err := t.nextSeq(ctx, r.account)
	if err != nil {
		return err
	}
	var sets []string
	var args []any
	for col, v := range r.set {
		sets = append(sets, col+" = ?")
		args = append(args, v)
	}
	args = append(args, seq, r.id)
	if _, err := t.exec(ctx, `UPDATE `+r.table+` SET `+strings.Join(sets, ", ")+`, seq = ? WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("clean %s %s: %w", r.table, r.id, err)
	}
	return nil
}
