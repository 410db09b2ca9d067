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

// Products: creation and updates (the reads are in inventory.go).

func nullDate(d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// CreateProduct validates and stores a new product.
func (db *DB) CreateProduct(ctx context.Context, accountID int64, p domain.Product) (server.Product, error) {
	return db.createProduct(ctx, accountID, 0, p)
}

// CreateProductInFreezerNum is CreateProduct with the freezer named by its
// number, found in the write's own transaction: no read transaction of its
// own before the write (two fcntl locks and a statement per compat add),
// and no freezer deleted between the lookup and the write.
func (db *DB) CreateProductInFreezerNum(ctx context.Context, accountID, num int64, p domain.Product) (server.Product, error) {
	if num <= 0 {
		return server.Product{}, freezerNotFound()
	}
	p.Location.FreezerID = uuid.Nil
	return db.createProduct(ctx, accountID, num, p)
}

// createProduct stores p; with num > 0, p's freezer is the account's
// freezer of that number, looked up first in the transaction (its absence
// answers before the quota, as a lookup before the write did).
func (db *DB) createProduct(ctx context.Context, accountID, num int64, p domain.Product) (server.Product, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.ID == uuid.Nil {
		p.ID = domain.NewID()
	}
	if err := p.Validate(db.today()); err != nil {
		return server.Product{}, err
	}
	out := server.Product{Product: p}
	err := db.writeAccount(ctx, accountID, func(tx *tx) error {
		var f server.Freezer
		if num > 0 {
			var err error
			f, err = scanFreezer(tx.queryRow(ctx, `SELECT `+freezerCols+` FROM freezers WHERE account_id = ? AND num = ? AND deleted = 0`, accountID, num))
			if err == sql.ErrNoRows {
				return freezerNotFound()
			}
			if err != nil {
				return fmt.Errorf("find freezer %d: %w", num, err)
			}
			p.Location.FreezerID = f.ID
			out.Location.FreezerID = f.ID
		}
		if err := tx.checkQuota(ctx, accountID); err != nil {
			return err
		}
		if num == 0 {
			var err error
			if f, err = tx.placeFreezer(ctx, accountID, p.Location.FreezerID); err != nil {
				return err
			}
		}
		if err := tx.checkSlot(ctx, f, p.Location, p.Inside(), p.ID, p.TypeID); err != nil {
			return err
		}
		seq, err := tx.nextSeq(ctx, accountID)
		if err != nil {
			return err
		}
		ts := db.Clock.Now().String()
		out.FreezerNum, out.FreezerName, out.Seq = f.Num, f.Name, seq
		return tx.queryRow(ctx, `INSERT INTO products (id, account_id, name, description, type_id, freezer_id, box, slot, quantity, date_in, period, date_out, outcome,
 name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts, period_ts, out_ts, deleted_ts, seq)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING num`,
			p.ID.String(), accountID, p.Name, p.Description, p.TypeID, p.Location.FreezerID.String(), p.Location.Box, p.Location.Slot,
			p.Quantity, p.DateIn.String(), p.PeriodMonths, nullDate(p.DateOut), string(p.Outcome),
			ts, ts, ts, ts, ts, ts, ts, ts, ts, seq).Scan(&out.Num)
	})
	if err != nil {
		return server.Product{}, err
	}
	return out, nil
}

// UpdateProduct applies upd to one of the account's products.
func (db *DB) UpdateProduct(ctx context.Context, accountID int64, id uuid.UUID, upd server.ProductUpdate) (server.Product, error) {
	var out server.Product
	err := db.writeAccount(ctx, accountID, func(tx *tx) error {
		cur, err := tx.product(ctx, accountID, id)
		if err != nil {
			return err
		}
		next := applyProductUpdate(cur.Product, upd)
		if err := next.ValidateChange(cur.Product, db.today()); err != nil {
			return err
		}
		out = cur
		if next == cur.Product {
			return nil
		}
		if out, err = tx.checkProductChange(ctx, accountID, cur, next); err != nil {
			return err
		}
		seq, err := tx.nextSeq(ctx, accountID)
		if err != nil {
			return err
		}
		if err := tx.observeRow(ctx, domain.EntityProduct, id); err != nil {
			return err
		}
		if err := tx.updateProductRow(ctx, cur, next, seq, db.Clock.Now().String()); err != nil {
			return err
		}
		out.Product, out.Seq = next, seq
		return nil
	})
	if err != nil {
		return server.Product{}, err
	}
	return out, nil
}

// applyProductUpdate returns p with the fields set in upd. Clearing the date
// out also clears the outcome, unless upd sets one.
func applyProductUpdate(p domain.Product, upd server.ProductUpdate) domain.Product {
	if upd.Name != nil {
		p.Name = strings.TrimSpace(*upd.Name)
	}
	if upd.Description != nil {
		p.Description = *upd.Description
	}
	if upd.TypeID != nil {
		p.TypeID = *upd.TypeID
	}
	if upd.Location != nil {
		p.Location = *upd.Location
	}
	if upd.Quantity != nil {
		p.Quantity = *upd.Quantity
	}
	if upd.DateIn != nil {
		p.DateIn = *upd.DateIn
	}
	if upd.PeriodMonths != nil {
		p.PeriodMonths = *upd.PeriodMonths
	}
	if upd.DateOut != nil {
		p.DateOut = *upd.DateOut
		if p.DateOut.IsZero() {
			p.Outcome = domain.OutcomeNone
		}
	}
	if upd.Outcome != nil {
		p.Outcome = *upd.Outcome
	}
	return p
}

// checkProductChange checks the place and the type that next changes
// against the account's freezers and the types. It returns cur with the
// freezer of next's place when that was checked.
func (t *tx) checkProductChange(ctx context.Context, accountID int64, cur server.Product, next domain.Product) (server.Product, error) {
	out := cur
	if next.Location != cur.Location || (next.Inside() && !cur.Inside()) {
		f, err := t.checkPlace(ctx, accountID, next.Location, next.Inside(), next.ID)
		if err != nil {
			return server.Product{}, err
		}
		out.FreezerNum, out.FreezerName = f.Num, f.Name
	}
	if next.TypeID != cur.TypeID {
		if err := t.typeExists(ctx, next.TypeID); err != nil {
			return server.Product{}, err
		}
	}
	return out, nil
}

// updateProductRow writes the columns that differ between cur and next,
// each with its field timestamp ts, and the change sequence seq.
func (t *tx) updateProductRow(ctx context.Context, cur server.Product, next domain.Product, seq int64, ts string) error {
	set := []string{"seq = ?"}
	args := []any{seq}
	field := func(changed bool, cols string, vals ...any) {
		if changed {
			set = append(set, cols)
			args = append(args, vals...)
		}
	}
	field(next.Name != cur.Name, "name = ?, name_ts = ?", next.Name, ts)
	field(next.Description != cur.Description, "description = ?, description_ts = ?", next.Description, ts)
	field(next.TypeID != cur.TypeID, "type_id = ?, type_ts = ?", next.TypeID, ts)
	// A person placed it: any relabel notice from a sync repair is settled.
	field(next.Location != cur.Location, "freezer_id = ?, box = ?, slot = ?, location_ts = ?, moved = 0, relabel = '', relabel_ts = ?",
		next.Location.FreezerID.String(), next.Location.Box, next.Location.Slot, ts, ts)
	field(next.Quantity != cur.Quantity, "quantity = ?, quantity_ts = ?", next.Quantity, ts)
	field(next.DateIn != cur.DateIn, "date_in = ?, date_in_ts = ?", next.DateIn.String(), ts)
	field(next.PeriodMonths != cur.PeriodMonths, "period = ?, period_ts = ?", next.PeriodMonths, ts)
	field(next.DateOut != cur.DateOut || next.Outcome != cur.Outcome, "date_out = ?, outcome = ?, out_ts = ?", nullDate(next.DateOut), string(next.Outcome), ts)
	args = append(args, cur.Num)
	if _, err := t.exec(ctx, `UPDATE products SET `+strings.Join(set, ", ")+` WHERE num = ?`, args...); err != nil {
		return fmt.Errorf("update product: %w", err)
	}
	return nil
}
