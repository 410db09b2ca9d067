// The barcode memory: what the household last gave a product with each
// shop barcode (name, type, period), replicated like freezers and products
// (entity domain.EntityBarcode, keyed by the code: see docs/SYNC.md,
// "Barcodes").

package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

const barcodeColumns = `code, name, type_id, period`

func scanBarcode(row interface{ Scan(...any) error }) (domain.Barcode, error) {
	var b domain.Barcode
	err := row.Scan(&b.Code, &b.Name, &b.TypeID, &b.PeriodMonths)
	return b, err
}

// FindBarcode returns what the household remembers of a shop barcode,
// given as scanned or typed (domain.NormalizeBarcode reads it: a UPC-A
// finds its EAN-13). A code that is not a barcode is refused
// (domain.EInvalid); one nobody remembered is domain.ENotFound.
func (db *DB) FindBarcode(ctx context.Context, code string) (domain.Barcode, error) {
	norm, err := domain.NormalizeBarcode(code)
	if err != nil {
		return domain.Barcode{}, fmt.Errorf("find barcode: %w", err)
	}
	b, err := scanBarcode(db.r.QueryRowContext(ctx, `SELECT `+barcodeColumns+` FROM barcodes WHERE code = ?`, norm))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Barcode{}, domain.Errorf(domain.ENotFound, "No product was saved with the barcode %s yet.", norm)
	}
	if err != nil {
		return domain.Barcode{}, fmt.Errorf("find barcode %s: %w", norm, err)
	}
	return b, nil
}

// Barcodes lists every remembered barcode, by code.
func (db *DB) Barcodes(ctx context.Context) ([]domain.Barcode, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+barcodeColumns+` FROM barcodes ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list barcodes: %w", err)
	}
	defer rows.Close()
	var out []domain.Barcode
	for rows.Next() {
		b, err := scanBarcode(rows)
		if err != nil {
			return nil, fmt.Errorf("list barcodes: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list barcodes: %w", err)
	}
	return out, nil
}

// RememberBarcode remembers b's name, type and period for its code (as
// scanned: it is normalized), as a person's edit: the fields that change
// are written with a new clock stamp and queued for sync in one
// transaction; when nothing changes nothing is written. It returns the
// barcode as stored and whether it changed.
func (db *DB) RememberBarcode(ctx context.Context, b domain.Barcode) (domain.Barcode, bool, error) {
	code, err := domain.NormalizeBarcode(b.Code)
	if err != nil {
		return domain.Barcode{}, false, fmt.Errorf("remember barcode: %w", err)
	}
	b.Code, b.Name = code, strings.TrimSpace(b.Name)
	if err := b.Validate(); err != nil {
		return domain.Barcode{}, false, fmt.Errorf("remember barcode: %w", err)
	}
	changed := false
	err = db.write(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM product_types WHERE id = ?)`, b.TypeID).Scan(&exists); err != nil {
			return fmt.Errorf("find type %d: %w", b.TypeID, err)
		}
		if !exists {
			return domain.FieldErrorf(domain.FieldType, "Product type %d does not exist.", b.TypeID)
		}
		id := domain.BarcodeID(code)
		old, _, found, err := loadBarcodeStamps(ctx, tx, id)
		if err != nil {
			return err
		}
		fields, op := domain.BarcodeFields, domain.OpCreate
		if found {
			fields, op = domain.BarcodeChanged(old, b), domain.OpUpdate
		}
		if len(fields) == 0 {
			return nil
		}
		changed = true
		ts := db.clock.Now()
		if err := writeBarcode(ctx, tx, b, fields, ts); err != nil {
			return err
		}
		return db.enqueue(ctx, tx, domain.EntityBarcode, id.String(), op, domain.BarcodeValues(b, fields...), ts)
	})
	if err != nil {
		return domain.Barcode{}, false, fmt.Errorf("remember barcode %s: %w", code, err)
	}
	return b, changed, nil
}

// writeBarcode writes b's row, stamping the named fields ts (a new row
// has every field stamped ts).
func writeBarcode(ctx context.Context, tx *sql.Tx, b domain.Barcode, fields []string, ts domain.Timestamp) error {
	s := ts.String()
	if _, err := tx.ExecContext(ctx, `INSERT INTO barcodes (code, id, name, type_id, period, code_ts, name_ts, type_ts, period_ts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
		b.Code, domain.BarcodeID(b.Code).String(), b.Name, b.TypeID, b.PeriodMonths, s, s, s, s); err != nil {
		return fmt.Errorf("write barcode: %w", err)
	}
	cols := map[string]string{domain.FieldName: "name = ?, name_ts = ?", domain.FieldType: "type_id = ?, type_ts = ?",
		domain.FieldPeriod: "period = ?, period_ts = ?"}
	vals := map[string]any{domain.FieldName: b.Name, domain.FieldType: b.TypeID, domain.FieldPeriod: b.PeriodMonths}
	var set []string
	var args []any
	for _, f := range fields {
		if c, ok := cols[f]; ok {
			set, args = append(set, c), append(args, vals[f], s)
		}
	}
	if len(set) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE barcodes SET `+strings.Join(set, ", ")+` WHERE code = ?`, append(args, b.Code)...); err != nil {
		return fmt.Errorf("write barcode: %w", err)
	}
	return nil
}

// loadBarcodeStamps reads a local barcode by id with the stamp of each
// field.
func loadBarcodeStamps(ctx context.Context, q queryer, id uuid.UUID) (domain.Barcode, map[string]domain.Timestamp, bool, error) {
	var b domain.Barcode
	var ts [4]string
	err := q.QueryRowContext(ctx, `SELECT code, name, type_id, period, code_ts, name_ts, type_ts, period_ts FROM barcodes WHERE id = ?`,
		id.String()).Scan(&b.Code, &b.Name, &b.TypeID, &b.PeriodMonths, &ts[0], &ts[1], &ts[2], &ts[3])
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Barcode{}, nil, false, nil
	}
	if err != nil {
		return domain.Barcode{}, nil, false, fmt.Errorf("read barcode %s: %w", id, err)
	}
	stamps, err := domain.ParseStamps(domain.BarcodeFields, ts[:])
	if err != nil {
		return domain.Barcode{}, nil, false, fmt.Errorf("read barcode %s: %w", id, err)
	}
	return b, stamps, true, nil
}

// PulledBarcode is a remembered barcode's state on the server.
type PulledBarcode struct {
	Barcode domain.Barcode
	Stamps  map[string]domain.Timestamp
}

// applyPulledBarcodes applies the barcodes of a pulled page (ApplyPull)
// and returns how many changed.
func (db *DB) applyPulledBarcodes(ctx context.Context, tx *sql.Tx, page PulledPage, pending map[string]map[string]pendingField,
	queued queuedRows) (int, error) {
	n := 0
	for _, b := range page.Barcodes {
		id := domain.BarcodeID(b.Barcode.Code)
		if page.Reconcile {
			if err := db.requeueIfNewer(ctx, tx, queued, domain.EntityBarcode, id, b.Stamps, pending); err != nil {
				return 0, err
			}
		}
		changed, err := db.applyPulledBarcode(ctx, tx, b, pending[domain.EntityBarcode+"/"+id.String()])
		if err != nil {
			return 0, err
		}
		if changed {
			n++
		}
	}
	return n, nil
}

// applyPulledBarcode writes the server's state of a barcode with the
// queued fields whose stamps are newer put back on top (rebase), and
// reports whether the local row changed.
func (db *DB) applyPulledBarcode(ctx context.Context, tx *sql.Tx, in PulledBarcode, pending map[string]pendingField) (bool, error) {
	id := domain.BarcodeID(in.Barcode.Code)
	old, _, found, err := loadBarcodeStamps(ctx, tx, id)
	if err != nil {
		return false, err
	}
	b, stamps := in.Barcode, maps.Clone(in.Stamps)
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if pf.stamp.After(stamps[name]) {
			if err := domain.SetBarcodeField(&b, name, pf.value); err != nil {
				return false, err
			}
			stamps[name] = pf.stamp
		}
	}
	for _, ts := range in.Stamps {
		_ = db.clock.Receive(ts) // the device's clock has no bound: never refused
	}
	s := func(n string) string { return stamps[n].String() }
	if _, err := tx.ExecContext(ctx, `INSERT INTO barcodes (code, id, name, type_id, period, code_ts, name_ts, type_ts, period_ts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, type_id = excluded.type_id, period = excluded.period,
			code_ts = excluded.code_ts, name_ts = excluded.name_ts, type_ts = excluded.type_ts, period_ts = excluded.period_ts`,
		b.Code, id.String(), b.Name, b.TypeID, b.PeriodMonths,
		s(domain.FieldCode), s(domain.FieldName), s(domain.FieldType), s(domain.FieldPeriod)); err != nil {
		return false, fmt.Errorf("write barcode %s: %w", b.Code, err)
	}
	return !found || old != b, nil
}
