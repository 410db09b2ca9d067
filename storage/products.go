package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

const productColumns = `p.id, p.name, p.description, p.type_id, p.freezer_id, p.box, p.slot, p.quantity,
	p.date_in, p.period, p.date_out, p.outcome, p.deadline, coalesce(f.name, ''), p.relabel, p.deleted`

const productFrom = ` FROM products p LEFT JOIN freezers f ON f.id = p.freezer_id`

// AddProduct stores a new product. A zero ID gets a new one, a zero slot the
// next free slot of the box, a zero date in today's date, a zero quantity 1.
// A slot already taken by a product inside is refused with a message naming
// that product.
func (db *DB) AddProduct(ctx context.Context, p domain.Product) (domain.Product, error) {
	p = db.newProduct(p)
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = db.addProduct(ctx, tx, p)
		return err
	})
	if err != nil {
		return domain.Product{}, fmt.Errorf("add product: %w", err)
	}
	return p, nil
}

// newProduct fills in what a new product leaves zero (see AddProduct),
// except its slot, which depends on the store.
func (db *DB) newProduct(p domain.Product) domain.Product {
	if p.ID == uuid.Nil {
		p.ID = domain.NewID()
	}
	if p.DateIn.IsZero() {
		p.DateIn = db.today()
	}
	if p.Quantity == 0 {
		p.Quantity = 1
	}
	p.Name, p.Description = strings.TrimSpace(p.Name), strings.TrimSpace(p.Description)
	return p
}

// addProduct writes a new product (see newProduct): a zero slot becomes the
// next free slot of its box, then the product is checked and written with
// its history and its outbox row. It returns the product as written.
func (db *DB) addProduct(ctx context.Context, tx *sql.Tx, p domain.Product) (domain.Product, error) {
	pl, err := db.readPlace(ctx, tx, p, uuid.Nil)
	if err != nil {
		return domain.Product{}, err
	}
	if p.Location.Slot == 0 && p.Location.Box >= 1 {
		p.Location.Slot = pl.nextFree(p.Location)
	}
	if err := db.checkPlace(ctx, tx, p, nil, pl); err != nil {
		return domain.Product{}, err
	}
	ts := db.clock.Now()
	if err := db.insertProduct(ctx, tx, p, ts); err != nil {
		return domain.Product{}, err
	}
	if err := db.addHistory(ctx, tx, p.ID, ChangeCreated, nil); err != nil {
		return domain.Product{}, err
	}
	if err := db.enqueue(ctx, tx, domain.EntityProduct, p.ID.String(), domain.OpCreate, domain.ProductValues(p), ts); err != nil {
		return domain.Product{}, err
	}
	return p, nil
}

// insertProduct writes a new product row with every field stamped ts.
func (db *DB) insertProduct(ctx context.Context, tx *sql.Tx, p domain.Product, ts domain.Timestamp) error {
	s := ts.String()
	_, err := tx.StmtContext(ctx, db.stmts.insertProduct).ExecContext(ctx,
		p.ID.String(), p.Name, nameKey(p.Name), p.Description, searchText(p), p.TypeID,
		p.Location.FreezerID.String(), p.Location.Box, p.Location.Slot, p.Quantity,
		p.DateIn.String(), p.PeriodMonths, p.Deadline().String(), p.DateOut.String(), string(p.Outcome), p.Deleted,
		s, s, s, s, s, s, s, s, s)
	if err != nil {
		return fmt.Errorf("insert product: %w", err)
	}
	return nil
}

// check validates p as it would be stored: its own rules, its type, its
// freezer and box, and, while inside, a slot no other product inside holds.
// With old set (an edit), the bounds apply only to the values it changes
// (domain.Product.ValidateChange).
func (db *DB) check(ctx context.Context, tx *sql.Tx, p domain.Product, old *domain.Product) error {
	pl, err := db.readPlace(ctx, tx, p, storedID(old))
	if err != nil {
		return err
	}
	return db.checkPlace(ctx, tx, p, old, pl)
}

// storedID is the id of old, the stored product an edit changes, or
// uuid.Nil for a new product (old nil).
func storedID(old *domain.Product) uuid.UUID {
	if old == nil {
		return uuid.Nil
	}
	return old.ID
}

// checkPlace is check with p's place already read (readPlace).
func (db *DB) checkPlace(ctx context.Context, tx *sql.Tx, p domain.Product, old *domain.Product, pl place) error {
	if old != nil {
		if err := p.ValidateChange(*old, db.today()); err != nil {
			return err
		}
	} else if err := p.Validate(db.today()); err != nil {
		return err
	}
	if !pl.typeExists {
		return domain.FieldErrorf(domain.FieldType, "Product type %d does not exist: choose one from the list.", p.TypeID)
	}
	if !pl.found {
		return domain.FieldErrorf(domain.FieldLocation, "This freezer does not exist. Choose one of your freezers.")
	}
	if err := p.Location.Validate(pl.freezer); err != nil {
		return err
	}
	if !p.Inside() || !slices.Contains(pl.taken, p.Location.Slot) {
		return nil
	}
	return slotTaken(ctx, tx, p, storedID(old), pl.freezer)
}

// slotTaken is the refusal of p's slot, held by another product inside f:
// it names that product and the next free slot.
func slotTaken(ctx context.Context, q queryer, p domain.Product, self uuid.UUID, f domain.Freezer) error {
	var otherName string
	err := q.QueryRowContext(ctx, `SELECT name FROM products
		WHERE freezer_id = ? AND box = ? AND slot = ? AND date_out = '' AND deleted = 0 AND id <> ? LIMIT 1`,
		p.Location.FreezerID.String(), p.Location.Box, p.Location.Slot, self.String()).Scan(&otherName)
	if err != nil {
		return fmt.Errorf("check slot: %w", err)
	}
	used, err := insideOf(ctx, q, p.Location.FreezerID, p.Location.Box)
	if err != nil {
		return err
	}
	next := domain.NextFreeSlot(used, p.Location.FreezerID, p.Location.Box)
	return &domain.Error{Code: domain.EConflict, Field: domain.FieldLocation, Message: fmt.Sprintf(
		"Slot %d of box %d in %q already holds %q. Choose another slot: %d is free.",
		p.Location.Slot, p.Location.Box, f.Name, otherName, next)}
}

// UpdateProduct changes any field of a product; a new Location moves it.
func (db *DB) UpdateProduct(ctx context.Context, id uuid.UUID, u ProductUpdate) (domain.Product, error) {
	p, err := db.change(ctx, id, func(p *domain.Product) {
		if u.Name != nil {
			p.Name = strings.TrimSpace(*u.Name)
		}
		if u.Description != nil {
			p.Description = strings.TrimSpace(*u.Description)
		}
		if u.TypeID != nil {
			p.TypeID = *u.TypeID
		}
		if u.Location != nil {
			p.Location = *u.Location
		}
		if u.Quantity != nil {
			p.Quantity = *u.Quantity
		}
		if u.DateIn != nil {
			p.DateIn = *u.DateIn
		}
		if u.PeriodMonths != nil {
			p.PeriodMonths = *u.PeriodMonths
		}
	})
	if err != nil {
		return domain.Product{}, fmt.Errorf("update product: %w", err)
	}
	return p, nil
}

// TakeOutProduct records that a product left its freezer on day (today when
// zero), eaten or discarded. Its slot becomes free.
func (db *DB) TakeOutProduct(ctx context.Context, id uuid.UUID, day domain.Date, how domain.Outcome) (domain.Product, error) {
	if day.IsZero() {
		day = db.today()
	}
	if how == domain.OutcomeNone {
		how = domain.OutcomeEaten
	}
	var already bool
	p, err := db.change(ctx, id, func(p *domain.Product) {
		// Already out: change nothing, so the first take-out stands and
		// nothing is written before the refusal below.
		if already = !p.Inside(); already {
			return
		}
		p.DateOut, p.Outcome = day, how
	})
	if err == nil && already {
		err = domain.Errorf(domain.EConflict, "%q was already taken out.", p.Name)
	}
	if err != nil {
		return domain.Product{}, fmt.Errorf("take out product: %w", err)
	}
	return p, nil
}

// PutBackProduct puts a taken-out product back in its place, which must be free.
func (db *DB) PutBackProduct(ctx context.Context, id uuid.UUID) (domain.Product, error) {
	p, err := db.change(ctx, id, func(p *domain.Product) {
		p.DateOut, p.Outcome = domain.Date{}, domain.OutcomeNone
	})
	if err != nil {
		return domain.Product{}, fmt.Errorf("put back product: %w", err)
	}
	return p, nil
}

// change loads a product, applies edit, validates the result and stores the
// fields that changed, with their stamps, history and outbox row.
func (db *DB) change(ctx context.Context, id uuid.UUID, edit func(*domain.Product)) (domain.Product, error) {
	var p domain.Product
	err := db.write(ctx, func(tx *sql.Tx) error {
		row, err := findProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		old := row.Product
		if old.Deleted {
			return errDeleted(old)
		}
		p = old
		edit(&p)
		return db.checkAndWrite(ctx, tx, old, p)
	})
	return p, err
}

// writeChange stores p over old: every column, a new stamp on the changed
// fields, a history entry and the outbox row (a person's edit).
func (db *DB) writeChange(ctx context.Context, tx *sql.Tx, old, p domain.Product, changed []string) error {
	ts := db.clock.Now()
	if err := updateProduct(ctx, tx, p, changed, ts); err != nil {
		return err
	}
	if err := db.addHistory(ctx, tx, p.ID, changeKind(old, p, changed), db.describe(ctx, tx, old, p, changed)); err != nil {
		return err
	}
	op := domain.OpUpdate
	if p.Deleted && !old.Deleted {
		op = domain.OpDelete
	}
	return db.enqueue(ctx, tx, domain.EntityProduct, p.ID.String(), op, domain.ProductValues(p, changed...), ts)
}

// updateProduct writes every column of p and stamps the changed fields.
func updateProduct(ctx context.Context, tx *sql.Tx, p domain.Product, changed []string, ts domain.Timestamp) error {
	set := []string{`name = ?, name_key = ?, description = ?, search = ?, type_id = ?, freezer_id = ?, box = ?, slot = ?,
		quantity = ?, date_in = ?, period = ?, deadline = ?, date_out = ?, outcome = ?, deleted = ?`}
	args := []any{p.Name, nameKey(p.Name), p.Description, searchText(p), p.TypeID, p.Location.FreezerID.String(),
		p.Location.Box, p.Location.Slot, p.Quantity, p.DateIn.String(), p.PeriodMonths, p.Deadline().String(),
		p.DateOut.String(), string(p.Outcome), p.Deleted}
	for _, f := range changed {
		set = append(set, f+"_ts = ?") // f is one of domain.ProductFields, never user input
		args = append(args, ts.String())
	}
	if contains(changed, domain.FieldLocation) {
		// A person placed it: any relabel notice is settled, stamped like
		// the location (domain.SettleRelabel; the server does the same).
		set = append(set, "moved = 0", "relabel_ts = CASE WHEN relabel <> '' THEN ? ELSE relabel_ts END", "relabel = ''")
		args = append(args, ts.String())
	}
	args = append(args, p.ID.String())
	if _, err := tx.ExecContext(ctx, `UPDATE products SET `+strings.Join(set, ", ")+` WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("update product: %w", err)
	}
	return nil
}

// changedFields lists the fields that differ between a and b, in the order
// of domain.ProductFields.
func changedFields(a, b domain.Product) []string {
	var out []string
	for _, f := range domain.ProductFields {
		if fieldText(a, f) != fieldText(b, f) {
			out = append(out, f)
		}
	}
	return out
}

func changeKind(old, p domain.Product, changed []string) string {
	switch {
	case !old.Deleted && p.Deleted:
		return ChangeDeleted
	case old.Deleted && !p.Deleted:
		return ChangeRestored
	case old.Inside() && !p.Inside():
		return ChangeTakenOut
	case !old.Inside() && p.Inside():
		return ChangePutBack
	case len(changed) == 1 && changed[0] == domain.FieldLocation:
		return ChangeMoved
	}
	return ChangeUpdated
}

// fieldText is a field's value as text, for comparison and history.
func fieldText(p domain.Product, field string) string {
	switch field {
	case domain.FieldName:
		return p.Name
	case domain.FieldDescription:
		return p.Description
	case domain.FieldType:
		return fmt.Sprint(p.TypeID)
	case domain.FieldLocation:
		return fmt.Sprintf("%s/%d/%d", p.Location.FreezerID, p.Location.Box, p.Location.Slot)
	case domain.FieldQuantity:
		return fmt.Sprint(p.Quantity)
	case domain.FieldDateIn:
		return p.DateIn.String()
	case domain.FieldPeriod:
		return fmt.Sprint(p.PeriodMonths)
	case domain.FieldOut:
		if p.DateOut.IsZero() {
			return ""
		}
		return p.DateOut.String() + " " + string(p.Outcome)
	case domain.FieldDeleted:
		if p.Deleted {
			return "deleted"
		}
		return ""
	}
	return ""
}

func searchText(p domain.Product) string { return domain.Fold(p.Name + "\n" + p.Description) }

// FindProduct returns one product by id. A deleted product is not found
// (its history stays readable: ProductHistory).
func (db *DB) FindProduct(ctx context.Context, id uuid.UUID) (ProductRow, error) {
	row, err := findProduct(ctx, db.r, id)
	if err == nil && row.Deleted {
		err = errDeleted(row.Product)
	}
	if err != nil {
		return ProductRow{}, fmt.Errorf("find product: %w", err)
	}
	row.Status = row.Product.Status(db.today(), db.DueSoonDays())
	shown := []ProductRow{row}
	if err := db.showFreezerNames(ctx, shown); err != nil {
		return ProductRow{}, fmt.Errorf("find product: %w", err)
	}
	return shown[0], nil
}

func findProduct(ctx context.Context, q queryer, id uuid.UUID) (ProductRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+productColumns+productFrom+` WHERE p.id = ?`, id.String())
	if err != nil {
		return ProductRow{}, fmt.Errorf("read product: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return ProductRow{}, fmt.Errorf("read product: %w", err)
		}
		return ProductRow{}, domain.Errorf(domain.ENotFound, "This product does not exist (it may have been removed on another device).")
	}
	return scanProduct(rows)
}

type scanner interface{ Scan(dest ...any) error }

func scanProduct(s scanner) (ProductRow, error) {
	var r ProductRow
	var id, freezerID, dateIn, dateOut, outcome, deadline, relabel string
	if err := s.Scan(&id, &r.Name, &r.Description, &r.TypeID, &freezerID, &r.Location.Box, &r.Location.Slot,
		&r.Quantity, &dateIn, &r.PeriodMonths, &dateOut, &outcome, &deadline, &r.FreezerName, &relabel, &r.Deleted); err != nil {
		return ProductRow{}, fmt.Errorf("read product: %w", err)
	}
	var err error
	if r.Relabel, err = domain.ParseRelabel(json.RawMessage(relabel)); err != nil {
		return ProductRow{}, fmt.Errorf("read product %s: %w", id, err)
	}
	if r.ID, err = uuid.Parse(id); err != nil {
		return ProductRow{}, fmt.Errorf("read product: bad id %q: %w", id, err)
	}
	if r.Location.FreezerID, err = uuid.Parse(freezerID); err != nil {
		return ProductRow{}, fmt.Errorf("read product %s: bad freezer id: %w", id, err)
	}
	for _, d := range []struct {
		dst *domain.Date
		src string
	}{{&r.DateIn, dateIn}, {&r.DateOut, dateOut}, {&r.Deadline, deadline}} {
		if err := d.dst.UnmarshalText([]byte(d.src)); err != nil {
			return ProductRow{}, fmt.Errorf("read product %s: %w", id, err)
		}
	}
	r.Outcome = domain.Outcome(outcome)
	return r, nil
}

// addHistory records one change of a product.
func (db *DB) addHistory(ctx context.Context, tx *sql.Tx, id uuid.UUID, kind string, changes []FieldChange) error {
	if changes == nil {
		changes = []FieldChange{}
	}
	body, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("encode history: %w", err)
	}
	if _, err := tx.StmtContext(ctx, db.stmts.history).ExecContext(ctx,
		id.String(), db.Now().UTC().Format(time.RFC3339Nano), kind, db.device, string(body)); err != nil {
		return fmt.Errorf("write history: %w", err)
	}
	return nil
}

// describe turns the changed fields into readable before/after texts.
func (db *DB) describe(ctx context.Context, q queryer, old, p domain.Product, changed []string) []FieldChange {
	out := make([]FieldChange, 0, len(changed))
	for _, f := range changed {
		if f == domain.FieldDeleted {
			continue // the entry's kind says it (ChangeDeleted, ChangeRestored)
		}
		c := FieldChange{Field: f, Old: fieldText(old, f), New: fieldText(p, f)}
		if f == domain.FieldLocation {
			c.Old, c.New = db.placeText(ctx, q, old.Location), db.placeText(ctx, q, p.Location)
		}
		out = append(out, c)
	}
	return out
}

func (db *DB) placeText(ctx context.Context, q queryer, l domain.Location) string {
	name := l.FreezerID.String()
	if f, err := findFreezer(ctx, q, l.FreezerID); err == nil {
		name = f.Name
	}
	return fmt.Sprintf("%s, box %d, slot %d", name, l.Box, l.Slot)
}

// ProductHistory returns the changes of one product, oldest first.
func (db *DB) ProductHistory(ctx context.Context, id uuid.UUID) ([]HistoryEntry, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT at, kind, device, changes FROM history WHERE product_id = ? ORDER BY n`, id.String())
	if err != nil {
		return nil, fmt.Errorf("product history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var at, changes string
		if err := rows.Scan(&at, &e.Kind, &e.Device, &changes); err != nil {
			return nil, fmt.Errorf("product history: %w", err)
		}
		if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("product history: %w", err)
		}
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return nil, fmt.Errorf("product history: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("product history: %w", err)
	}
	if len(out) == 0 {
		if _, err := findProduct(ctx, db.r, id); err != nil {
			return nil, fmt.Errorf("product history: %w", err)
		}
	}
	return out, nil
}

// checkAndWrite checks p, a change of old, against the data rules and
// writes the fields that differ (nothing when none does).
func (db *DB) checkAndWrite(ctx context.Context, tx *sql.Tx, old, p domain.Product) error {
	changed := changedFields(old, p)
	if len(changed) == 0 {
		return nil
	}
	if err := db.check(ctx, tx, p, &old); err != nil {
		return err
	}
	return db.writeChange(ctx, tx, old, p, changed)
}
