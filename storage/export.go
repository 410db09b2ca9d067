package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// exportFormat names the JSON export so an import can recognize it.
const exportFormat = "freezer-inventory"

type exportDoc struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Freezers []exportFreezer `json:"freezers"`
	Products []exportProduct `json:"products"`
}

type exportFreezer struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Boxes   int    `json:"boxes"`
	Deleted bool   `json:"deleted"`
}

type exportProduct struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	TypeID       int    `json:"type_id"`
	FreezerID    string `json:"freezer_id"`
	Box          int    `json:"box"`
	Slot         int    `json:"slot"`
	Quantity     int    `json:"quantity"`
	DateIn       string `json:"date_in"`
	PeriodMonths int    `json:"period_months"`
	DateOut      string `json:"date_out"`
	Outcome      string `json:"outcome"`
}

// csvHeader is the CSV export's header; import accepts these columns in any
// order and needs only name, type_id, freezer or freezer_id, box, date_in
// and period_months.
var csvHeader = []string{"id", "name", "description", "type_id", "type", "freezer_id", "freezer", "freezer_boxes",
	"box", "slot", "quantity", "date_in", "period_months", "deadline", "date_out", "outcome"}

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

func writeJSON(w io.Writer, freezers []domain.Freezer, rows []ProductRow) error {
	doc := exportDoc{Format: exportFormat, Version: 1, Freezers: []exportFreezer{}, Products: []exportProduct{}}
	for _, f := range freezers {
		doc.Freezers = append(doc.Freezers, exportFreezer{f.ID.String(), f.Name, f.Boxes, f.Deleted})
	}
	for _, r := range rows {
		doc.Products = append(doc.Products, exportProduct{
			ID: r.ID.String(), Name: r.Name, Description: r.Description, TypeID: r.TypeID,
			FreezerID: r.Location.FreezerID.String(), Box: r.Location.Box, Slot: r.Location.Slot,
			Quantity: r.Quantity, DateIn: r.DateIn.String(), PeriodMonths: r.PeriodMonths,
			DateOut: r.DateOut.String(), Outcome: string(r.Outcome),
		})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

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

// importItem is a parsed entity with the line it came from.
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

func parseJSON(data []byte) ([]domain.Freezer, []importProduct, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	bad := func(off int64, what string) error {
		return domain.Errorf(domain.EInvalid, "Line %d: %s. The file is not a Freezer JSON export.", lineAt(data, off), what)
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, bad(dec.InputOffset(), "expected an object")
	}
	var freezers []domain.Freezer
	var products []importProduct
	seenFormat := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, bad(dec.InputOffset(), "malformed JSON")
		}
		key, _ := t.(string)
		switch key {
		case "format":
			var v string
			if err := dec.Decode(&v); err != nil || v != exportFormat {
				return nil, nil, bad(dec.InputOffset(), fmt.Sprintf("format should be %q", exportFormat))
			}
			seenFormat = true
		case "version":
			var v int
			if err := dec.Decode(&v); err != nil || v != 1 {
				return nil, nil, bad(dec.InputOffset(), "this version of Freezer reads version 1 exports")
			}
		case "freezers", "products":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return nil, nil, bad(dec.InputOffset(), key+" should be a list")
			}
			for dec.More() {
				line := lineAt(data, skipSpace(data, dec.InputOffset()))
				if key == "freezers" {
					var ef exportFreezer
					if err := dec.Decode(&ef); err != nil {
						return nil, nil, lineError(line, "", domain.Errorf(domain.EInvalid, "This freezer is malformed (%s).", jsonProblem(err)))
					}
					f, err := freezerOf(ef)
					if err != nil {
						return nil, nil, lineError(line, domain.ErrorField(err), err)
					}
					freezers = append(freezers, f)
					continue
				}
				var ep exportProduct
				if err := dec.Decode(&ep); err != nil {
					return nil, nil, lineError(line, "", domain.Errorf(domain.EInvalid, "This product is malformed (%s).", jsonProblem(err)))
				}
				p, err := productOf(ep)
				if err != nil {
					return nil, nil, lineError(line, domain.ErrorField(err), err)
				}
				products = append(products, importProduct{line, p})
			}
			if _, err := dec.Token(); err != nil {
				return nil, nil, bad(dec.InputOffset(), "malformed JSON")
			}
		default:
			return nil, nil, bad(dec.InputOffset(), fmt.Sprintf("unknown key %q", key))
		}
	}
	if !seenFormat {
		return nil, nil, domain.Errorf(domain.EInvalid, "The file is not a Freezer JSON export (it has no \"format\": %q).", exportFormat)
	}
	return freezers, products, nil
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s should be a %s", te.Field, te.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[off])) {
		off++
	}
	return off
}

func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
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

func (db *DB) parseCSV(ctx context.Context, data []byte) ([]domain.Freezer, []importProduct, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, domain.Errorf(domain.EInvalid, "Line 1: the file has no CSV header (%v).", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(csvHeader, h) {
			return nil, nil, domain.Errorf(domain.EInvalid, "Line 1: unknown column %q. Known columns: %s.", h, strings.Join(csvHeader, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"name", "type_id", "box", "date_in", "period_months"} {
		if _, ok := col[need]; !ok {
			return nil, nil, domain.Errorf(domain.EInvalid, "Line 1: the column %q is missing.", need)
		}
	}
	_, hasID := col["freezer_id"]
	_, hasName := col["freezer"]
	if !hasID && !hasName {
		return nil, nil, domain.Errorf(domain.EInvalid, "Line 1: a column \"freezer\" or \"freezer_id\" is needed.")
	}
	existing, err := db.allFreezers(ctx)
	if err != nil {
		return nil, nil, err
	}
	freezers := map[uuid.UUID]*domain.Freezer{}
	var order []uuid.UUID
	highest := map[uuid.UUID]int{} // highest box used, per freezer
	byName := map[string]uuid.UUID{}
	for _, f := range existing {
		if !f.Deleted {
			byName[fold(f.Name)] = f.ID
		}
	}
	var products []importProduct
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos would panic here: a record that failed to parse may have
			// no field positions. The parse error has the line.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, domain.Errorf(domain.EInvalid, "Line %d, column %d: %v.", pe.Line, pe.Column, pe.Err)
			}
			return nil, nil, domain.Errorf(domain.EInvalid, "The CSV file could not be read (%v).", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		num := func(name string, dflt int) (int, error) {
			s := get(name)
			if s == "" {
				return dflt, nil
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return 0, lineError(line, name, domain.Errorf(domain.EInvalid, "%q is not a whole number.", s))
			}
			return n, nil
		}
		ep := exportProduct{ID: get("id"), Name: get("name"), Description: get("description"),
			DateIn: get("date_in"), DateOut: get("date_out"), Outcome: get("outcome")}
		for _, n := range []struct {
			name string
			dst  *int
			dflt int
		}{{"type_id", &ep.TypeID, 0}, {"box", &ep.Box, 0}, {"slot", &ep.Slot, 0}, {"quantity", &ep.Quantity, 1}, {"period_months", &ep.PeriodMonths, 0}} {
			if *n.dst, err = num(n.name, n.dflt); err != nil {
				return nil, nil, err
			}
		}
		if ep.ID == "" {
			ep.ID = domain.NewID().String()
		}
		fid, fname := get("freezer_id"), get("freezer")
		if fid == "" {
			if fname == "" {
				return nil, nil, lineError(line, "freezer", domain.Errorf(domain.EInvalid, "Give the freezer's name or id."))
			}
			id, ok := byName[fold(fname)]
			if !ok {
				id = domain.NewID()
				byName[fold(fname)] = id
			}
			fid = id.String()
		}
		ep.FreezerID = fid
		p, err := productOf(ep)
		if err != nil {
			return nil, nil, lineError(line, domain.ErrorField(err), err)
		}
		boxes, err := num("freezer_boxes", 0)
		if err != nil {
			return nil, nil, err
		}
		f := freezers[p.Location.FreezerID]
		if f == nil {
			f = &domain.Freezer{ID: p.Location.FreezerID, Name: fname}
			for _, e := range existing {
				if e.ID == f.ID {
					f.Name, f.Boxes, f.Deleted = e.Name, e.Boxes, e.Deleted
					if fname != "" {
						f.Name = fname
					}
				}
			}
			if f.Name == "" {
				return nil, nil, lineError(line, "freezer", domain.Errorf(domain.EInvalid, "Freezer %s is unknown here: give its name in the freezer column.", fid))
			}
			freezers[f.ID] = f
			order = append(order, f.ID)
		}
		// The box count is the freezer's on this device or the file's
		// freezer_boxes; a box beyond it is refused by validateImport.
		f.Boxes = max(f.Boxes, boxes)
		highest[f.ID] = max(highest[f.ID], p.Location.Box)
		products = append(products, importProduct{line, p})
	}
	out := make([]domain.Freezer, 0, len(order))
	for _, id := range order {
		f := *freezers[id]
		if f.Boxes == 0 {
			// A new freezer whose size no row gives: as many boxes as it uses.
			f.Boxes = highest[id]
		}
		out = append(out, f)
	}
	return out, products, nil
}

// validateImport checks every imported entity against the rules and the
// store as it will be after the import, before anything is written.
func (db *DB) validateImport(ctx context.Context, tx *sql.Tx, freezers []domain.Freezer, products []importProduct) error {
	all, err := db.allFreezers(ctx)
	if err != nil {
		return err
	}
	byID := map[uuid.UUID]domain.Freezer{}
	for _, f := range all {
		byID[f.ID] = f
	}
	for _, f := range freezers {
		if err := f.Validate(); err != nil {
			return domain.Errorf(domain.EInvalid, "Freezer %q: %s", f.Name, domain.ErrorMessage(err))
		}
		byID[f.ID] = f
	}
	types, err := db.ProductTypes(ctx)
	if err != nil {
		return err
	}
	known := map[int]bool{}
	for _, t := range types {
		known[t.ID] = true
	}
	// Slots in the final state: products of the store not replaced by the
	// import, then the imported ones.
	imported := map[uuid.UUID]bool{}
	for _, ip := range products {
		if imported[ip.p.ID] {
			return lineError(ip.line, "id", domain.Errorf(domain.EInvalid, "The id %s appears twice in the file.", ip.p.ID))
		}
		imported[ip.p.ID] = true
	}
	type place struct {
		freezer   uuid.UUID
		box, slot int
	}
	taken := map[place]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, freezer_id, box, slot FROM products WHERE date_out = ''`)
	if err != nil {
		return fmt.Errorf("read slots: %w", err)
	}
	for rows.Next() {
		var id, name, fid string
		var pl place
		if err := rows.Scan(&id, &name, &fid, &pl.box, &pl.slot); err != nil {
			rows.Close()
			return fmt.Errorf("read slots: %w", err)
		}
		uid, _ := uuid.Parse(id)
		if imported[uid] {
			continue
		}
		pl.freezer, _ = uuid.Parse(fid)
		taken[pl] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read slots: %w", err)
	}
	// Products without a slot (a CSV without the slot column) get the next
	// slot free in the final state, around the slots the file gives.
	reserved := map[place]bool{}
	for _, ip := range products {
		if ip.p.Inside() && ip.p.Location.Slot > 0 {
			reserved[place{ip.p.Location.FreezerID, ip.p.Location.Box, ip.p.Location.Slot}] = true
		}
	}
	today := db.today()
	for i, ip := range products {
		p := ip.p
		if p.Location.Slot == 0 && p.Location.Box >= 1 {
			pl := place{p.Location.FreezerID, p.Location.Box, 1}
			for _, ok := taken[pl]; ok || reserved[pl]; _, ok = taken[pl] {
				pl.slot++
			}
			p.Location.Slot = pl.slot
			products[i].p.Location.Slot = pl.slot
		}
		if err := p.Validate(today); err != nil {
			return lineError(ip.line, domain.ErrorField(err), err)
		}
		if !known[p.TypeID] {
			return lineError(ip.line, "type_id", domain.Errorf(domain.EInvalid, "Product type %d does not exist.", p.TypeID))
		}
		f, ok := byID[p.Location.FreezerID]
		if !ok {
			return lineError(ip.line, "freezer_id", domain.Errorf(domain.EInvalid, "Freezer %s is not in the file nor on this device.", p.Location.FreezerID))
		}
		if p.Inside() {
			if err := p.Location.Validate(f); err != nil {
				return lineError(ip.line, "box", err)
			}
			pl := place{p.Location.FreezerID, p.Location.Box, p.Location.Slot}
			if other, ok := taken[pl]; ok {
				return lineError(ip.line, "slot", domain.Errorf(domain.EInvalid,
					"Slot %d of box %d in %q is already taken by %q.", pl.slot, pl.box, f.Name, other))
			}
			taken[pl] = p.Name
		}
	}
	return nil
}

func (db *DB) importFreezer(ctx context.Context, tx *sql.Tx, f domain.Freezer) error {
	old, err := findFreezer(ctx, tx, f.ID)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		ts := db.clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes, deleted, name_ts, boxes_ts, deleted_ts)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID.String(), f.Name, f.Boxes, f.Deleted, ts.String(), ts.String(), ts.String()); err != nil {
			return fmt.Errorf("insert freezer: %w", err)
		}
		return db.enqueue(ctx, tx, domain.EntityFreezer, f.ID.String(), domain.OpCreate, domain.FreezerValues(f), ts)
	case err != nil:
		return err
	case old == f:
		return nil
	}
	ts := db.clock.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE freezers SET name = ?, boxes = ?, deleted = ?, name_ts = ?, boxes_ts = ?, deleted_ts = ?
		WHERE id = ?`, f.Name, f.Boxes, f.Deleted, ts.String(), ts.String(), ts.String(), f.ID.String()); err != nil {
		return fmt.Errorf("update freezer: %w", err)
	}
	return db.enqueue(ctx, tx, domain.EntityFreezer, f.ID.String(), domain.OpUpdate, domain.FreezerValues(f), ts)
}

func (db *DB) importProduct(ctx context.Context, tx *sql.Tx, p domain.Product) error {
	row, err := findProduct(ctx, tx, p.ID)
	if domain.ErrorCode(err) == domain.ENotFound {
		ts := db.clock.Now()
		if err := insertProduct(ctx, tx, p, ts); err != nil {
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
