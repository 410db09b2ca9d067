package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"freezer/domain"
)

// Stamp columns the cleaning of migration 6 goes through.
var (
	cleanFreezerStamps = []string{"name_ts", "boxes_ts", "deleted_ts"}
	cleanProductStamps = []string{"name_ts", "description_ts", "type_ts", "location_ts", "quantity_ts", "date_in_ts", "period_ts", "out_ts", "deleted_ts", "relabel_ts"}
)

// cleanBounds is the Go step of migration 6: it makes valid what earlier
// versions stored and the input bounds now refuse, with the server's rules
// (domain.CleanName, CleanDescription, CleanStamp), so a device and the
// server end with the same values: names and descriptions of freezers and
// products (and their folded columns), stamps whose node is not a device
// id, relabel notices naming such a node, and the same in the outbox, so
// that a queued change is not refused by the server. Quantities, slots
// and dates are kept: they stay readable (only new writes of values beyond
// the bounds are refused). It logs how many rows it changed.
func cleanBounds(ctx context.Context, tx *sql.Tx) error {
	n, err := cleanTable(ctx, tx, "freezers", []string{"name"}, cleanFreezerStamps)
	if err != nil {
		return err
	}
	m, err := cleanTable(ctx, tx, "products", []string{"name", "description", "relabel"}, cleanProductStamps)
	if err != nil {
		return err
	}
	o, err := cleanOutbox(ctx, tx)
	if err != nil {
		return err
	}
	if n+m+o > 0 {
		slog.Info("cleaned stored names, descriptions and clock stamps that the input bounds now refuse",
			"freezers", n, "products", m, "queued_changes", o)
	}
	return nil
}

// cleanTable cleans the text and stamp columns of every row of table and
// returns how many rows changed. A product's folded columns follow its
// name and description.
func cleanTable(ctx context.Context, tx *sql.Tx, table string, texts, stamps []string) (int, error) {
	cols := append(append([]string{"id"}, texts...), stamps...)
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return 0, fmt.Errorf("clean %s: %w", table, err)
	}
	type change struct {
		id  string
		set map[string]string
	}
	var all []change
	vals := make([]string, len(cols))
	dst := make([]any, len(cols))
	for i := range vals {
		dst[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return 0, fmt.Errorf("clean %s: %w", table, err)
		}
		c := change{id: vals[0], set: map[string]string{}}
		for i, col := range cols[1:] {
			if v, changed := domain.CleanStoredColumn(col, vals[i+1], i >= len(texts)); changed {
				c.set[col] = v
			}
		}
		if len(c.set) > 0 {
			if table == "products" {
				p := domain.Product{Name: vals[1], Description: vals[2]}
				if v, ok := c.set["name"]; ok {
					p.Name = v
				}
				if v, ok := c.set["description"]; ok {
					p.Description = v
				}
				c.set["name_key"], c.set["search"] = nameKey(p.Name), searchText(p)
			}
			all = append(all, c)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("clean %s: %w", table, err)
	}
	for _, c := range all {
		var sets []string
		var args []any
		for col, v := range c.set {
			sets = append(sets, col+" = ?")
			args = append(args, v)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, c.id)...); err != nil {
			return 0, fmt.Errorf("clean %s %s: %w", table, c.id, err)
		}
	}
	return len(all), nil
}

// cleanOutbox cleans the queued changes: the stamps of a row (its common
// stamp and its per-field stamps) and the names and descriptions it
// carries. It returns how many rows changed.
func cleanOutbox(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, fields, stamp, stamps FROM outbox`)
	if err != nil {
		return 0, fmt.Errorf("clean outbox: %w", err)
	}
	type change struct {
		seq                   int64
		fields, stamp, stamps string
	}
	var all []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.seq, &c.fields, &c.stamp, &c.stamps); err != nil {
			rows.Close()
			return 0, fmt.Errorf("clean outbox: %w", err)
		}
		fields, f := cleanOutboxFields(c.fields)
		stamp, s := domain.CleanStoredColumn("stamp", c.stamp, true)
		stamps, ss := cleanOutboxStamps(c.stamps)
		if f || s || ss {
			all = append(all, change{c.seq, fields, stamp, stamps})
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("clean outbox: %w", err)
	}
	for _, c := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET fields = ?, stamp = ?, stamps = ? WHERE seq = ?`, c.fields, c.stamp, c.stamps, c.seq); err != nil {
			return 0, fmt.Errorf("clean outbox row %d: %w", c.seq, err)
		}
	}
	return len(all), nil
}

// cleanOutboxFields cleans the name, description and relabel values of a
// queued change's fields (a JSON object of wire values).
func cleanOutboxFields(text string) (string, bool) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &fields); err != nil {
		return text, false
	}
	changed := false
	for _, f := range []string{domain.FieldName, domain.FieldDescription} {
		var v string
		if raw, ok := fields[f]; !ok || json.Unmarshal(raw, &v) != nil {
			continue
		}
		if clean, ok := domain.CleanStoredColumn(f, v, false); ok {
			fields[f], _ = json.Marshal(clean) // a string: cannot fail
			changed = true
		}
	}
	if raw, ok := fields[domain.FieldRelabel]; ok {
		if clean := domain.CleanRelabelValue(string(raw)); clean != string(raw) {
			fields[domain.FieldRelabel], changed = json.RawMessage(clean), true
		}
	}
	if !changed {
		return text, false
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return text, false
	}
	return string(b), true
}

// cleanOutboxStamps cleans a queued change's per-field stamps (a JSON
// object of stamp texts, or "").
func cleanOutboxStamps(text string) (string, bool) {
	if text == "" {
		return text, false
	}
	var stamps map[string]string
	if err := json.Unmarshal([]byte(text), &stamps); err != nil {
		return text, false
	}
	changed := false
	for f, v := range stamps {
		if clean, ok := domain.CleanStoredColumn("stamp", v, true); ok {
			stamps[f], changed = clean, true
		}
	}
	if !changed {
		return text, false
	}
	b, err := json.Marshal(stamps)
	if err != nil {
		return text, false
	}
	return string(b), true
}
