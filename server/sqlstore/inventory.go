package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/server"
)

// Freezers.

const freezerCols = `num, id, name, boxes, deleted, seq`

func scanFreezer(row interface{ Scan(...any) error }) (server.Freezer, error) {
	var f server.Freezer
	var id string
	var deleted int
	if err := row.Scan(&f.Num, &id, &f.Name, &f.Boxes, &deleted, &f.Seq); err != nil {
		return server.Freezer{}, err
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return server.Freezer{}, fmt.Errorf("freezer %d has a bad id %q: %w", f.Num, id, err)
	}
	f.ID, f.Deleted = u, deleted != 0
	return f, nil
}

func freezerNotFound() error {
	return domain.Errorf(domain.ENotFound, "This freezer does not exist. Choose one of your freezers.")
}

// ListFreezers lists the account's freezers (not the deleted ones) by compat id.
func (db *DB) ListFreezers(ctx context.Context, accountID int64) ([]server.Freezer, error) {
	rows, err := db.rdb.QueryContext(ctx, db.q(`SELECT `+freezerCols+` FROM freezers WHERE account_id = ? AND deleted = 0 ORDER BY num`), accountID)
	if err != nil {
		return nil, fmt.Errorf("list freezers: %w", err)
	}
	defer rows.Close()
	out := []server.Freezer{}
	for rows.Next() {
		f, err := scanFreezer(rows)
		if err != nil {
			return nil, fmt.Errorf("scan freezer: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list freezers: %w", err)
	}
	return out, nil
}

// FindFreezer returns one of the account's freezers (not deleted).
func (db *DB) FindFreezer(ctx context.Context, accountID int64, id uuid.UUID) (server.Freezer, error) {
	var f server.Freezer
	err := db.read(ctx, func(tx *tx) error {
		var err error
		f, err = tx.freezer(ctx, accountID, id)
		return err
	})
	return f, err
}

// FindFreezerByNum returns one of the account's freezers by compat id.
func (db *DB) FindFreezerByNum(ctx context.Context, accountID int64, num int64) (server.Freezer, error) {
	f, err := scanFreezer(db.rdb.QueryRowContext(ctx, db.q(`SELECT `+freezerCols+` FROM freezers WHERE account_id = ? AND num = ? AND deleted = 0`), accountID, num))
	if err == sql.ErrNoRows {
		return server.Freezer{}, freezerNotFound()
	}
	if err != nil {
		return server.Freezer{}, fmt.Errorf("find freezer %d: %w", num, err)
	}
	return f, nil
}

// freezer reads a freezer of the account, deleted ones included.
func (t *tx) freezerAny(ctx context.Context, accountID int64, id uuid.UUID) (server.Freezer, error) {
	f, err := scanFreezer(t.queryRow(ctx, `SELECT `+freezerCols+` FROM freezers WHERE account_id = ? AND id = ?`, accountID, id.String()))
	if err == sql.ErrNoRows {
		return server.Freezer{}, freezerNotFound()
	}
	if err != nil {
		return server.Freezer{}, fmt.Errorf("find freezer %s: %w", id, err)
	}
	return f, nil
}

func (t *tx) freezer(ctx context.Context, accountID int64, id uuid.UUID) (server.Freezer, error) {
	f, err := t.freezerAny(ctx, accountID, id)
	if err != nil {
		return server.Freezer{}, err
	}
	if f.Deleted {
		return server.Freezer{}, freezerNotFound()
	}
	return f, nil
}

// CreateFreezer stores a new freezer; with server.UniqueName, a name
// another freezer of the account has is refused.
func (db *DB) CreateFreezer(ctx context.Context, accountID int64, f domain.Freezer, names server.NameRule) (server.Freezer, error) {
	f.Name = strings.TrimSpace(f.Name)
	f.Deleted = false
	if f.ID == uuid.Nil {
		f.ID = domain.NewID()
	}
	if err := f.Validate(); err != nil {
		return server.Freezer{}, err
	}
	out := server.Freezer{Freezer: f}
	err := db.writeAccount(ctx, accountID, func(tx *tx) error {
		if err := tx.checkQuota(ctx, accountID); err != nil {
			return err
		}
		if names == server.UniqueName {
			if err := tx.checkNameFree(ctx, accountID, f.Name, f.ID); err != nil {
				return err
			}
		}
		seq, err := tx.nextSeq(ctx, accountID)
		if err != nil {
			return err
		}
		ts := db.Clock.Now().String()
		out.Seq = seq
		return tx.queryRow(ctx, `INSERT INTO freezers (id, account_id, name, boxes, deleted, name_ts, boxes_ts, deleted_ts, seq) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING num`,
			f.ID.String(), accountID, f.Name, f.Boxes, ts, ts, ts, seq).Scan(&out.Num)
	})
	if err != nil {
		return server.Freezer{}, err
	}
	return out, nil
}

// UpdateFreezer renames a freezer or changes its number of boxes. Removing
// a box that still holds a product is refused (EConflict on FieldBoxes),
// and so is, with server.UniqueName, a name another freezer of the account
// has (a change of case of its own name is allowed).
func (db *DB) UpdateFreezer(ctx context.Context, accountID int64, id uuid.UUID, upd server.FreezerUpdate) (server.Freezer, error) {
	var f server.Freezer
	err := db.writeAccount(ctx, accountID, func(tx *tx) error {
		var err error
		if f, err = tx.freezer(ctx, accountID, id); err != nil {
			return err
		}
		next := f.Freezer
		if upd.Name != nil {
			next.Name = strings.TrimSpace(*upd.Name)
		}
		if upd.Boxes != nil {
			next.Boxes = *upd.Boxes
		}
		if err := next.Validate(); err != nil {
			return err
		}
		if next == f.Freezer {
			return nil
		}
		if upd.Names == server.UniqueName && domain.Fold(next.Name) != domain.Fold(f.Name) {
			if err := tx.checkNameFree(ctx, accountID, next.Name, id); err != nil {
				return err
			}
		}
		if next.Boxes < f.Boxes {
			var box sql.NullInt64
			if err := tx.queryRow(ctx, `SELECT MAX(box) FROM products WHERE freezer_id = ? AND date_out IS NULL AND deleted = 0`, id.String()).Scan(&box); err != nil {
				return fmt.Errorf("find used boxes: %w", err)
			}
			if box.Valid && int(box.Int64) > next.Boxes {
				return &domain.Error{Code: domain.EConflict, Field: domain.FieldBoxes,
					Message: fmt.Sprintf("Box %d of %q still holds products: take them out or move them before removing the box.", box.Int64, f.Name)}
			}
		}
		seq, err := tx.nextSeq(ctx, accountID)
		if err != nil {
			return err
		}
		if err := tx.observeRow(ctx, domain.EntityFreezer, f.ID); err != nil {
			return err
		}
		ts := db.Clock.Now().String()
		if next.Name != f.Name {
			if _, err := tx.exec(ctx, `UPDATE freezers SET name = ?, name_ts = ? WHERE num = ?`, next.Name, ts, f.Num); err != nil {
				return fmt.Errorf("rename freezer: %w", err)
			}
		}
		if next.Boxes != f.Boxes {
			if _, err := tx.exec(ctx, `UPDATE freezers SET boxes = ?, boxes_ts = ? WHERE num = ?`, next.Boxes, ts, f.Num); err != nil {
				return fmt.Errorf("resize freezer: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE freezers SET seq = ? WHERE num = ?`, seq, f.Num); err != nil {
			return fmt.Errorf("update freezer seq: %w", err)
		}
		f.Freezer, f.Seq = next, seq
		return nil
	})
	if err != nil {
		return server.Freezer{}, err
	}
	return f, nil
}

// checkNameFree refuses name (EConflict on domain.FieldName) when another
// freezer of the account that is not deleted has it, ignoring case and
// accents. The folding is domain.Fold, done here rather than in SQL, so
// that every store compares names alike; an account has few freezers.
func (t *tx) checkNameFree(ctx context.Context, accountID int64, name string, self uuid.UUID) error {
	rows, err := t.query(ctx, `SELECT id, name FROM freezers WHERE account_id = ? AND deleted = 0`, accountID)
	if err != nil {
		return fmt.Errorf("check freezer name: %w", err)
	}
	defer rows.Close()
	key := domain.Fold(name)
	for rows.Next() {
		var id, other string
		if err := rows.Scan(&id, &other); err != nil {
			return fmt.Errorf("check freezer name: %w", err)
		}
		if id != self.String() && domain.Fold(other) == key {
			return &domain.Error{Code: domain.EConflict, Field: domain.FieldName,
				Message: fmt.Sprintf("A freezer named “%s” already exists. Choose another name.", other)}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check freezer name: %w", err)
	}
	return nil
}

// DeleteFreezer marks an empty freezer deleted; its taken-out products stay.
func (db *DB) DeleteFreezer(ctx context.Context, accountID int64, id uuid.UUID) error {
	return db.writeAccount(ctx, accountID, func(tx *tx) error {
		f, err := tx.freezer(ctx, accountID, id)
		if err != nil {
			return err
		}
		var inside int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM products WHERE freezer_id = ? AND date_out IS NULL AND deleted = 0`, id.String()).Scan(&inside); err != nil {
			return fmt.Errorf("count products inside: %w", err)
		}
		if inside > 0 {
			return &domain.Error{Code: domain.EConflict, Field: domain.FieldDeleted,
				Message: fmt.Sprintf("%q still holds %d products: take them out before deleting it.", f.Name, inside)}
		}
		seq, err := tx.nextSeq(ctx, accountID)
		if err != nil {
			return err
		}
		if err := tx.observeRow(ctx, domain.EntityFreezer, f.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE freezers SET deleted = 1, deleted_ts = ?, seq = ? WHERE num = ?`, db.Clock.Now().String(), seq, f.Num); err != nil {
			return fmt.Errorf("delete freezer: %w", err)
		}
		return nil
	})
}

// Products.

const productSelect = `SELECT p.num, p.id, p.name, p.description, p.type_id, p.freezer_id, f.num, f.name, p.box, p.slot,
 p.quantity, p.date_in, p.period, p.date_out, p.outcome, p.seq
 FROM products p JOIN freezers f ON f.id = p.freezer_id`

func scanProduct(row interface{ Scan(...any) error }) (server.Product, error) {
	var p server.Product
	var id, freezerID, dateIn, outcome string
	var dateOut sql.NullString
	if err := row.Scan(&p.Num, &id, &p.Name, &p.Description, &p.TypeID, &freezerID, &p.FreezerNum, &p.FreezerName,
		&p.Location.Box, &p.Location.Slot, &p.Quantity, &dateIn, &p.PeriodMonths, &dateOut, &outcome, &p.Seq); err != nil {
		return server.Product{}, err
	}
	var err error
	if p.ID, err = uuid.Parse(id); err != nil {
		return server.Product{}, fmt.Errorf("product %d has a bad id: %w", p.Num, err)
	}
	if p.Location.FreezerID, err = uuid.Parse(freezerID); err != nil {
		return server.Product{}, fmt.Errorf("product %d has a bad freezer id: %w", p.Num, err)
	}
	if p.DateIn, err = domain.ParseDate(dateIn); err != nil {
		return server.Product{}, fmt.Errorf("product %d: %w", p.Num, err)
	}
	if dateOut.Valid {
		if p.DateOut, err = domain.ParseDate(dateOut.String); err != nil {
			return server.Product{}, fmt.Errorf("product %d: %w", p.Num, err)
		}
	}
	p.Outcome = domain.Outcome(outcome)
	return p, nil
}

func productNotFound() error {
	return domain.Errorf(domain.ENotFound, "This product does not exist.")
}

// FindProducts lists the account's products that match filter, by compat id.
func (db *DB) FindProducts(ctx context.Context, accountID int64, filter server.ProductFilter) ([]server.Product, error) {
	where := []string{"p.account_id = ?", "p.deleted = 0"} // a deleted product is listed nowhere
	args := []any{accountID}
	switch filter.Where {
	case server.Inside:
		where = append(where, "p.date_out IS NULL")
	case server.Out:
		where = append(where, "p.date_out IS NOT NULL")
	}
	if filter.FreezerID != nil {
		where, args = append(where, "p.freezer_id = ?"), append(args, filter.FreezerID.String())
	}
	if filter.FreezerNum != nil {
		where, args = append(where, "f.num = ?"), append(args, *filter.FreezerNum)
	}
	if filter.Box != nil {
		where, args = append(where, "p.box = ?"), append(args, *filter.Box)
	}
	if filter.Slot != nil {
		where, args = append(where, "p.slot = ?"), append(args, *filter.Slot)
	}
	if filter.TypeID != nil {
		where, args = append(where, "p.type_id = ?"), append(args, *filter.TypeID)
	}
	rows, err := db.rdb.QueryContext(ctx, db.q(productSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY p.num`), args...)
	if err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	defer rows.Close()
	out := []server.Product{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("scan product: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	return out, nil
}

// FindProduct returns one of the account's products.
func (db *DB) FindProduct(ctx context.Context, accountID int64, id uuid.UUID) (server.Product, error) {
	p, err := scanProduct(db.rdb.QueryRowContext(ctx, db.q(productSelect+` WHERE p.account_id = ? AND p.id = ? AND p.deleted = 0`), accountID, id.String()))
	if err == sql.ErrNoRows {
		return server.Product{}, productNotFound()
	}
	if err != nil {
		return server.Product{}, fmt.Errorf("find product %s: %w", id, err)
	}
	return p, nil
}

// FindProductByNum returns one of the account's products by compat id.
func (db *DB) FindProductByNum(ctx context.Context, accountID int64, num int64) (server.Product, error) {
	p, err := scanProduct(db.rdb.QueryRowContext(ctx, db.q(productSelect+` WHERE p.account_id = ? AND p.num = ? AND p.deleted = 0`), accountID, num))
	if err == sql.ErrNoRows {
		return server.Product{}, productNotFound()
	}
	if err != nil {
		return server.Product{}, fmt.Errorf("find product %d: %w", num, err)
	}
	return p, nil
}

func (t *tx) product(ctx context.Context, accountID int64, id uuid.UUID) (server.Product, error) {
	p, err := scanProduct(t.queryRow(ctx, productSelect+` WHERE p.account_id = ? AND p.id = ? AND p.deleted = 0`, accountID, id.String()))
	if err == sql.ErrNoRows {
		return server.Product{}, productNotFound()
	}
	if err != nil {
		return server.Product{}, fmt.Errorf("find product %s: %w", id, err)
	}
	return p, nil
}

// checkPlace checks that loc names a box of one of the account's freezers
// and, when the product is inside, that no other product inside holds the
// slot. It returns the freezer.
func (t *tx) checkPlace(ctx context.Context, accountID int64, loc domain.Location, inside bool, self uuid.UUID) (server.Freezer, error) {
	f, err := t.placeFreezer(ctx, accountID, loc.FreezerID)
	if err != nil {
		return server.Freezer{}, err
	}
	return f, t.checkSlot(ctx, f, loc, inside, self, 0)
}

// placeFreezer is the account's freezer id, as a product's place names it.
func (t *tx) placeFreezer(ctx context.Context, accountID int64, id uuid.UUID) (server.Freezer, error) {
	f, err := t.freezerAny(ctx, accountID, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return server.Freezer{}, domain.FieldErrorf(domain.FieldLocation, "This freezer does not exist. Choose one of your freezers.")
	}
	return f, err
}

// checkSlot checks that loc names a box of f and, when the product is
// inside, that no other product inside holds the slot. With typeID > 0 it
// checks that the product type exists too, after the place (in the slot's
// statement when there is one: an added product's checks are one
// statement).
func (t *tx) checkSlot(ctx context.Context, f server.Freezer, loc domain.Location, inside bool, self uuid.UUID, typeID int) error {
	if err := loc.Validate(f.Freezer); err != nil {
		return err
	}
	if !inside {
		if typeID > 0 {
			return t.typeExists(ctx, typeID)
		}
		return nil
	}
	var n int
	var typeFound bool // true too when there is no type to check (typeID 0)
	if err := t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM products WHERE freezer_id = ? AND box = ? AND slot = ? AND date_out IS NULL AND deleted = 0 AND id <> ?),
 ? = 0 OR EXISTS (SELECT 1 FROM product_types WHERE id = ?)`, loc.FreezerID.String(), loc.Box, loc.Slot, self.String(), typeID, typeID).Scan(&n, &typeFound); err != nil {
		return fmt.Errorf("find slot: %w", err)
	}
	if n > 0 {
		return &domain.Error{Code: domain.EConflict, Field: domain.FieldLocation,
			Message: fmt.Sprintf("Slot %d of box %d in %q is taken: choose a free slot.", loc.Slot, loc.Box, f.Name)}
	}
	if !typeFound {
		return typeNotFound(typeID)
	}
	return nil
}
