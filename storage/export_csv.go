// The CSV format: one row per product, for spreadsheets. An import may
// name freezers instead of giving their ids, and leave out optional columns.

package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// csvHeader is the CSV export's header (domain.ExportCSVHeader); import
// accepts these columns in any order and needs only name, type_id, freezer
// or freezer_id, box, date_in and period_months.
var csvHeader = domain.ExportCSVHeader

// csvCRLF ends the CSV export's lines with "\r\n" (line breaks inside a
// field too), as spreadsheets and editors on Windows expect, and with "\n"
// elsewhere. Import reads both, whichever system wrote the file.
var csvCRLF = runtime.GOOS == "windows"

func writeCSV(w io.Writer, freezers []domain.Freezer, rows []ProductRow, types []domain.ProductType) error {
	byID := map[uuid.UUID]domain.Freezer{}
	for _, f := range freezers {
		byID[f.ID] = f
	}
	typeName := map[int]string{}
	for _, t := range types {
		typeName[t.ID] = t.NameEN
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = csvCRLF
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range rows {
		f := byID[r.Location.FreezerID]
		rec := []string{r.ID.String(), r.Name, r.Description, strconv.Itoa(r.TypeID), typeName[r.TypeID],
			r.Location.FreezerID.String(), f.Name, strconv.Itoa(f.Boxes), strconv.Itoa(r.Location.Box),
			strconv.Itoa(r.Location.Slot), strconv.Itoa(r.Quantity), r.DateIn.String(), strconv.Itoa(r.PeriodMonths),
			r.Deadline.String(), r.DateOut.String(), string(r.Outcome)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// parseCSV reads a CSV import: the header, then one product per row. A row
// names its freezer by id or by name; the freezers it names are returned
// in the order they first appear.
func (db *DB) parseCSV(ctx context.Context, data []byte) ([]domain.Freezer, []importProduct, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, domain.Errorf(domain.EInvalid, "Line 1: the file has no CSV header (%v).", err)
	}
	col, err := csvColumns(header)
	if err != nil {
		return nil, nil, err
	}
	existing, err := db.allFreezers(ctx)
	if err != nil {
		return nil, nil, err
	}
	freezers := newCSVFreezers(existing)
	var products []importProduct
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvReadError(err)
		}
		line, _ := cr.FieldPos(0)
		p, err := freezers.readRow(csvRow{line: line, rec: rec, col: col})
		if err != nil {
			return nil, nil, err
		}
		products = append(products, importProduct{line, p})
	}
	return freezers.list(), products, nil
}

// csvColumns maps the header's column names to their index. Every name
// must be known, and the columns an import needs must be there.
func csvColumns(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(csvHeader, h) {
			return nil, domain.Errorf(domain.EInvalid, "Line 1: unknown column %q. Known columns: %s.", h, strings.Join(csvHeader, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"name", "type_id", "box", "date_in", "period_months"} {
		if _, ok := col[need]; !ok {
			return nil, domain.Errorf(domain.EInvalid, "Line 1: the column %q is missing.", need)
		}
	}
	_, hasID := col["freezer_id"]
	_, hasName := col["freezer"]
	if !hasID && !hasName {
		return nil, domain.Errorf(domain.EInvalid, "Line 1: a column \"freezer\" or \"freezer_id\" is needed.")
	}
	return col, nil
}

// csvReadError turns a CSV reading error into one that names its line.
func csvReadError(err error) error {
	// FieldPos would panic here: a record that failed to parse may have
	// no field positions. The parse error has the line.
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return domain.Errorf(domain.EInvalid, "Line %d, column %d: %v.", pe.Line, pe.Column, pe.Err)
	}
	return domain.Errorf(domain.EInvalid, "The CSV file could not be read (%v).", err)
}

// csvRow is one record of a CSV import, read through the header's columns.
type csvRow struct {
	line int
	rec  []string
	col  map[string]int
}

// get returns the trimmed value of a column; "" when the file has no such
// column or the record is short.
func (r csvRow) get(name string) string {
	if i, ok := r.col[name]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// num returns a whole-number column, dflt when it is empty.
func (r csvRow) num(name string, dflt int) (int, error) {
	s := r.get(name)
	if s == "" {
		return dflt, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, lineError(r.line, name, domain.Errorf(domain.EInvalid, "%q is not a whole number.", s))
	}
	return n, nil
}

// product reads the product's own columns: the text ones, then the numbers
// (a missing quantity is 1), and a new id when the row has none. The
// freezer columns are left to csvFreezers.
func (r csvRow) product() (exportProduct, error) {
	ep := exportProduct{ID: r.get("id"), Name: r.get("name"), Description: r.get("description"),
		DateIn: r.get("date_in"), DateOut: r.get("date_out"), Outcome: r.get("outcome")}
	for _, n := range []struct {
		name string
		dst  *int
		dflt int
	}{{"type_id", &ep.TypeID, 0}, {"box", &ep.Box, 0}, {"slot", &ep.Slot, 0}, {"quantity", &ep.Quantity, 1}, {"period_months", &ep.PeriodMonths, 0}} {
		var err error
		if *n.dst, err = r.num(n.name, n.dflt); err != nil {
			return exportProduct{}, err
		}
	}
	if ep.ID == "" {
		ep.ID = domain.NewID().String()
	}
	return ep, nil
}

// csvFreezers gathers the freezers the rows of a CSV import name: by id, or
// by name (a name unknown here makes a new freezer).
type csvFreezers struct {
	existing []domain.Freezer              // the freezers of the store, deleted ones too
	byName   map[string]uuid.UUID          // folded name -> id: freezers not deleted, and new ones
	byID     map[uuid.UUID]*domain.Freezer // the freezers the file names
	order    []uuid.UUID                   // byID's keys in the order the file names them
	highest  map[uuid.UUID]int             // highest box used, per freezer
}

func newCSVFreezers(existing []domain.Freezer) *csvFreezers {
	c := &csvFreezers{existing: existing, byName: map[string]uuid.UUID{},
		byID: map[uuid.UUID]*domain.Freezer{}, highest: map[uuid.UUID]int{}}
	for _, f := range existing {
		if !f.Deleted {
			c.byName[domain.Fold(f.Name)] = f.ID
		}
	}
	return c
}

// readRow reads the product of a row and records its freezer.
func (c *csvFreezers) readRow(r csvRow) (domain.Product, error) {
	ep, err := r.product()
	if err != nil {
		return domain.Product{}, err
	}
	fname := r.get("freezer")
	if ep.FreezerID, err = c.resolve(r.line, r.get("freezer_id"), fname); err != nil {
		return domain.Product{}, err
	}
	p, err := productOf(ep)
	if err != nil {
		return domain.Product{}, lineError(r.line, domain.ErrorField(err), err)
	}
	boxes, err := r.num("freezer_boxes", 0)
	if err != nil {
		return domain.Product{}, err
	}
	if err := c.use(r.line, p, ep.FreezerID, fname, boxes); err != nil {
		return domain.Product{}, err
	}
	return p, nil
}

// resolve returns the freezer id of a row: its freezer_id, else the id of
// the freezer it names, a new one when no freezer here has that name.
func (c *csvFreezers) resolve(line int, fid, fname string) (string, error) {
	if fid != "" {
		return fid, nil
	}
	if fname == "" {
		return "", lineError(line, "freezer", domain.Errorf(domain.EInvalid, "Give the freezer's name or id."))
	}
	id, ok := c.byName[domain.Fold(fname)]
	if !ok {
		id = domain.NewID()
		c.byName[domain.Fold(fname)] = id
	}
	return id.String(), nil
}

// use records that product p, read from line, is in freezer fid, named
// fname (or "") in the file, whose freezer_boxes column gave boxes (or 0).
func (c *csvFreezers) use(line int, p domain.Product, fid, fname string, boxes int) error {
	f := c.byID[p.Location.FreezerID]
	if f == nil {
		f = &domain.Freezer{ID: p.Location.FreezerID, Name: fname}
		for _, e := range c.existing {
			if e.ID == f.ID {
				f.Name, f.Boxes, f.Deleted = e.Name, e.Boxes, e.Deleted
				if fname != "" {
					f.Name = fname
				}
			}
		}
		if f.Name == "" {
			return lineError(line, "freezer", domain.Errorf(domain.EInvalid, "Freezer %s is unknown here: give its name in the freezer column.", fid))
		}
		c.byID[f.ID] = f
		c.order = append(c.order, f.ID)
	}
	// The box count is the freezer's on this device or the file's
	// freezer_boxes; a box beyond it is refused by validateImport.
	f.Boxes = max(f.Boxes, boxes)
	c.highest[f.ID] = max(c.highest[f.ID], p.Location.Box)
	return nil
}

// list returns the freezers the file names, in order.
func (c *csvFreezers) list() []domain.Freezer {
	out := make([]domain.Freezer, 0, len(c.order))
	for _, id := range c.order {
		f := *c.byID[id]
		if f.Boxes == 0 {
			// A new freezer whose size no row gives: as many boxes as it uses.
			f.Boxes = c.highest[id]
		}
		out = append(out, f)
	}
	return out
}
