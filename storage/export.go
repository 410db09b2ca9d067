// Export and import: the whole inventory written to a file and read back,
// in the JSON (export_json.go) or CSV (export_csv.go) format. An import is
// validated (import_validate.go) before anything is written, then written in
// one transaction with an outbox row per change.

package storage

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// The export's document and header are domain's (domain/exportdoc.go):
// the household page writes the same files.
const exportFormat = domain.ExportFormat

type (
	exportDoc     = domain.ExportDoc
	exportFreezer = domain.ExportFreezer
	exportProduct = domain.ExportProduct
)

// Export writes the whole inventory to w. The same inventory always gives
// the same bytes: entities are sorted by id and sync metadata is left out.
// JSON is lossless; CSV has one row per product and opens in a spreadsheet.
func (db *DB) Export(ctx context.Context, w io.Writer, format Format, progress Progress) error {
	freezers, err := db.allFreezers(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	rows, err := db.FindProducts(ctx, ProductFilter{Where: All})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	slices.SortFunc(rows, func(a, b ProductRow) int { return strings.Compare(a.ID.String(), b.ID.String()) })
	report(progress, 0, len(rows))
	switch format {
	case FormatJSON:
		err = writeJSON(w, freezers, rows)
	case FormatCSV:
		var types []domain.ProductType
		if types, err = db.ProductTypes(ctx); err == nil {
			err = writeCSV(w, freezers, rows, types)
		}
	default:
		err = domain.Errorf(domain.EInvalid, "Unknown export format %q: choose json or csv.", format)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	report(progress, len(rows), len(rows))
	return nil
}

func report(progress Progress, done, total int) {
	if progress != nil {
		progress(done, total)
	}
}

func (db *DB) allFreezers(ctx context.Context) ([]domain.Freezer, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, boxes, deleted FROM freezers ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read freezers: %w", err)
	}
	defer rows.Close()
	var out []domain.Freezer
	for rows.Next() {
		var f domain.Freezer
		var id string
		if err := rows.Scan(&id, &f.Name, &f.Boxes, &f.Deleted); err != nil {
			return nil, fmt.Errorf("read freezers: %w", err)
		}
		if f.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("read freezers: bad id %q: %w", id, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// importProduct is a parsed product with the line it came from.
type importProduct struct {
	line int
	p    domain.Product
}

// Import reads an inventory written by Export (or a CSV with the same
// columns) and adds or replaces its freezers and products, matched by id.
// Everything is validated before anything is written; one bad row imports
// nothing and the error names its line and field. It returns the number of
// products imported.
func (db *DB) Import(ctx context.Context, r io.Reader, format Format, progress Progress) (int, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, fmt.Errorf("import: read: %w", err)
	}
	var freezers []domain.Freezer
	var products []importProduct
	switch format {
	case FormatJSON:
		freezers, products, err = parseJSON(data)
	case FormatCSV:
		freezers, products, err = db.parseCSV(ctx, data)
	default:
		err = domain.Errorf(domain.EInvalid, "Unknown import format %q: choose json or csv.", format)
	}
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	report(progress, 0, len(products))
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := db.validateImport(ctx, tx, freezers, products); err != nil {
			return err
		}
		for _, f := range freezers {
			if err := db.importFreezer(ctx, tx, f); err != nil {
				return err
			}
		}
		for i, ip := range products {
			if err := db.importProduct(ctx, tx, ip.p); err != nil {
				return fmt.Errorf("line %d: %w", ip.line, err)
			}
			if (i+1)%200 == 0 {
				report(progress, i+1, len(products))
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	report(progress, len(products), len(products))
	return len(products), nil
}

// lineError blames a line and a field of the imported file.
func lineError(line int, field string, err error) error {
	msg := domain.ErrorMessage(err)
	if field != "" {
		return &domain.Error{Code: domain.EInvalid, Field: field, Message: fmt.Sprintf("Line %d, field %s: %s", line, field, msg)}
	}
	return &domain.Error{Code: domain.EInvalid, Message: fmt.Sprintf("Line %d: %s", line, msg)}
}

func freezerOf(ef exportFreezer) (domain.Freezer, error) {
	id, err := uuid.Parse(ef.ID)
	if err != nil {
		return domain.Freezer{}, domain.FieldErrorf("id", "%q is not a valid id.", ef.ID)
	}
	f := domain.Freezer{ID: id, Name: ef.Name, Boxes: ef.Boxes, Deleted: ef.Deleted}
	return f, f.Validate()
}

// productOf converts an exported product; the rules are checked later,
// against the store, by validateImport.
func productOf(ep exportProduct) (domain.Product, error) {
	p := domain.Product{Name: ep.Name, Description: ep.Description, TypeID: ep.TypeID, Quantity: ep.Quantity,
		PeriodMonths: ep.PeriodMonths, Outcome: domain.Outcome(ep.Outcome),
		Location: domain.Location{Box: ep.Box, Slot: ep.Slot}}
	var err error
	if p.ID, err = uuid.Parse(ep.ID); err != nil {
		return p, domain.FieldErrorf("id", "%q is not a valid id.", ep.ID)
	}
	if p.Location.FreezerID, err = uuid.Parse(ep.FreezerID); err != nil {
		return p, domain.FieldErrorf("freezer_id", "%q is not a valid freezer id.", ep.FreezerID)
	}
	if p.DateIn, err = domain.ParseDate(ep.DateIn); err != nil {
		return p, domain.FieldErrorf(domain.FieldDateIn, "%q is not a date in the YYYY-MM-DD form.", ep.DateIn)
	}
	if err := p.DateOut.UnmarshalText([]byte(ep.DateOut)); err != nil {
		return p, domain.FieldErrorf("date_out", "%q is not a date in the YYYY-MM-DD form.", ep.DateOut)
	}
	return p, nil
}

// importFreezer adds a freezer the store lacks, or writes and stamps only
// the fields of a stored one that the file changes: a file renaming a
// freezer must not revive it, nor undo another device's box count, when
// this device has not pulled those changes yet.
func (db *DB) importFreezer(ctx context.Context, tx *sql.Tx, f domain.Freezer) error {
	old, err := findFreezer(ctx, tx, f.ID)
	if domain.ErrorCode(err) == domain.ENotFound {
		ts := db.clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes, deleted, name_ts, boxes_ts, deleted_ts)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID.String(), f.Name, f.Boxes, f.Deleted, ts.String(), ts.String(), ts.String()); err != nil {
			return fmt.Errorf("insert freezer: %w", err)
		}
		return db.enqueue(ctx, tx, domain.EntityFreezer, f.ID.String(), domain.OpCreate, domain.FreezerValues(f), ts)
	}
	if err != nil {
		return err
	}
	changed := changedFreezerFields(old, f)
	if len(changed) == 0 {
		return nil
	}
	ts := db.clock.Now()
	if err := updateFreezer(ctx, tx, f, changed, ts); err != nil {
		return err
	}
	return db.enqueue(ctx, tx, domain.EntityFreezer, f.ID.String(), domain.OpUpdate, domain.FreezerValues(f, changed...), ts)
}

// changedFreezerFields lists the fields whose wire values differ between a
// and b, in the order of domain.FreezerFields.
func changedFreezerFields(a, b domain.Freezer) []string {
	va, vb := domain.FreezerValues(a), domain.FreezerValues(b)
	var out []string
	for _, f := range domain.FreezerFields {
		if !bytes.Equal(va[f], vb[f]) {
			out = append(out, f)
		}
	}
	return out
}

// updateFreezer writes every column of f and stamps the changed fields.
func updateFreezer(ctx context.Context, tx *sql.Tx, f domain.Freezer, changed []string, ts domain.Timestamp) error {
	set := []string{`name = ?, boxes = ?, deleted = ?`}
	args := []any{f.Name, f.Boxes, f.Deleted}
	for _, field := range changed {
		set = append(set, field+"_ts = ?") // field is one of domain.FreezerFields, never user input
		args = append(args, ts.String())
	}
	args = append(args, f.ID.String())
	if _, err := tx.ExecContext(ctx, `UPDATE freezers SET `+strings.Join(set, ", ")+` WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("update freezer: %w", err)
	}
	return nil
}

func (db *DB) importProduct(ctx context.Context, tx *sql.Tx, p domain.Product) error {
	row, err := findProduct(ctx, tx, p.ID)
	if domain.ErrorCode(err) == domain.ENotFound {
		ts := db.clock.Now()
		if err := db.insertProduct(ctx, tx, p, ts); err != nil {
			return err
		}
		if err := db.addHistory(ctx, tx, p.ID, ChangeCreated, nil); err != nil {
			return err
		}
		return db.enqueue(ctx, tx, domain.EntityProduct, p.ID.String(), domain.OpCreate, domain.ProductValues(p), ts)
	}
	if err != nil {
		return err
	}
	changed := changedFields(row.Product, p)
	if len(changed) == 0 {
		return nil
	}
	ts := db.clock.Now()
	if err := updateProduct(ctx, tx, p, changed, ts); err != nil {
		return err
	}
	if err := db.addHistory(ctx, tx, p.ID, ChangeUpdated, db.describe(ctx, tx, row.Product, p, changed)); err != nil {
		return err
	}
	return db.enqueue(ctx, tx, domain.EntityProduct, p.ID.String(), domain.OpUpdate, domain.ProductValues(p, changed...), ts)
}
