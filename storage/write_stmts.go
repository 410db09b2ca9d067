package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"freezer/domain"
)

// writeStmts are the statements of every local change of a product,
// prepared once on the writer connection and kept for its life: a change
// then costs binding and stepping them, not parsing and planning each one
// again (which was a third of an add's work). database/sql prepares a
// statement again by itself if the connection is ever replaced.
type writeStmts struct {
	place         *sql.Stmt // placeQuery
	insertProduct *sql.Stmt
	history       *sql.Stmt
	outbox        *sql.Stmt
}

// placeQuery reads, in one step, what checking a product's place needs:
// whether its type exists, its freezer (NULLs when there is none), and the
// slots of its box held by the products inside other than itself (from
// the products_place index alone; the product's own row is excluded by
// rowid, which that index holds, so no product row is visited).
// Arguments: type id, freezer id, box, the product's own id (or any id no
// product has), freezer id.
const placeQuery = `SELECT EXISTS (SELECT 1 FROM product_types WHERE id = ?), f.name, f.boxes, f.deleted,
	(SELECT group_concat(slot) FROM products
		WHERE freezer_id = ? AND box = ? AND date_out = '' AND deleted = 0
		AND rowid IS NOT (SELECT rowid FROM products WHERE id = ?))
	FROM (SELECT 1) LEFT JOIN freezers f ON f.id = ?`

// historyInsert adds a product's next history entry: its number is the
// product's largest plus one. Arguments: product id, at, kind, device,
// changes.
const historyInsert = `INSERT INTO history (product_id, n, at, kind, device, changes)
	VALUES (?1, coalesce((SELECT max(n) FROM history WHERE product_id = ?1), 0) + 1, ?2, ?3, ?4, ?5)`

// prepareWrites prepares the write statements on w, once the schema is
// migrated.
func prepareWrites(ctx context.Context, w *sql.DB) (*writeStmts, error) {
	s := &writeStmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&s.place, placeQuery},
		{&s.insertProduct, `INSERT INTO products (id, name, name_key, description, search, type_id,
			freezer_id, box, slot, quantity, date_in, period, deadline, date_out, outcome, deleted,
			name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts, period_ts, out_ts, deleted_ts)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.history, historyInsert},
		{&s.outbox, `INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`},
	} {
		stmt, err := w.PrepareContext(ctx, p.query)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("prepare the write statements: %w", err), s.Close())
		}
		*p.dst = stmt
	}
	return s, nil
}

// Close closes the statements prepared so far.
func (s *writeStmts) Close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{s.place, s.insertProduct, s.history, s.outbox} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}

// place is what placeQuery answers about a product's place.
type place struct {
	typeExists bool
	freezer    domain.Freezer
	found      bool  // the freezer exists
	taken      []int // slots of the box held by other products inside
}

// readPlace reads p's place (placeQuery) in tx; self is the product's own
// id when it is already stored (an edit), uuid.Nil for a new one.
func (db *DB) readPlace(ctx context.Context, tx *sql.Tx, p domain.Product, self uuid.UUID) (place, error) {
	var pl place
	var name, slots sql.NullString
	var boxes sql.NullInt64
	var deleted sql.NullBool
	freezerID := p.Location.FreezerID.String()
	err := tx.StmtContext(ctx, db.stmts.place).QueryRowContext(ctx, p.TypeID, freezerID, p.Location.Box,
		self.String(), freezerID).Scan(&pl.typeExists, &name, &boxes, &deleted, &slots)
	if err != nil {
		return place{}, fmt.Errorf("check the product's place: %w", err)
	}
	if pl.found = name.Valid; pl.found {
		pl.freezer = domain.Freezer{ID: p.Location.FreezerID, Name: name.String, Boxes: int(boxes.Int64), Deleted: deleted.Bool}
	}
	if slots.String == "" {
		return pl, nil
	}
	pl.taken = make([]int, 0, strings.Count(slots.String, ",")+1)
	for s := range strings.SplitSeq(slots.String, ",") {
		n, err := strconv.Atoi(s)
		if err != nil {
			return place{}, fmt.Errorf("check the product's place: bad slot %q: %w", s, err)
		}
		pl.taken = append(pl.taken, n)
	}
	return pl, nil
}

// slotProducts holds the slices nextFree hands to domain.NextFreeSlot,
// which takes products: a box holds dozens, and making them on every add
// was a tenth of its work.
var slotProducts = sync.Pool{New: func() any { return new([]domain.Product) }}

// nextFree is the next free slot of the place's box (domain.NextFreeSlot).
func (pl place) nextFree(l domain.Location) int {
	buf := slotProducts.Get().(*[]domain.Product)
	used := slices.Grow((*buf)[:0], len(pl.taken))[:len(pl.taken)]
	for i, s := range pl.taken {
		used[i] = domain.Product{Location: domain.Location{FreezerID: l.FreezerID, Box: l.Box, Slot: s}}
	}
	next := domain.NextFreeSlot(used, l.FreezerID, l.Box)
	*buf = used
	slotProducts.Put(buf)
	return next
}
