// Pull apply: a page of the server's changes written over the local rows
// in one transaction, with product types, the cursor and the epoch.

package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// movedQuery lists the products inside that carry a relabel notice; the
// partial index products_relabeled (migration 8) holds just those.
// Without statistics SQLite's planner would pick the index of products
// inside and read them all: INDEXED BY names the partial index (an error,
// not a slow scan, if it ever goes missing).
const movedQuery = `SELECT id FROM products INDEXED BY products_relabeled WHERE relabel <> '' AND date_out = '' AND deleted = 0 ORDER BY id`

// MovedProducts returns the products inside that carry a relabel notice
// (ProductRow.Relabel): the server moved them to another slot and nobody
// has changed their label yet, on any device (a person's later move of the
// product, or ClearRelabel, clears the notice everywhere).
func (db *DB) MovedProducts(ctx context.Context) ([]ProductRow, error) {
	rows, err := db.r.QueryContext(ctx, movedQuery)
	if err != nil {
		return nil, fmt.Errorf("moved products: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("moved products: %w", err)
	}
	out := make([]ProductRow, 0, len(ids))
	for _, id := range ids {
		r, err := db.FindProduct(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("moved products: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// PulledProduct is a product's state on the server, with its relabel
// notice (stamped in Stamps under domain.FieldRelabel).
type PulledProduct struct {
	Product domain.Product
	Stamps  map[string]domain.Timestamp
	Relabel *domain.Relabel
}

// PulledFreezer is a freezer's state on the server.
type PulledFreezer struct {
	Freezer domain.Freezer
	Stamps  map[string]domain.Timestamp
}

// PulledPage is one page of a pull.
type PulledPage struct {
	Freezers []PulledFreezer
	Products []PulledProduct
	Barcodes []PulledBarcode // protocol version 4 (barcodes.go)
	Cursor   int64
	Epoch    string
	// Reconcile is set on the pages of a reconciliation (BeginReconcile):
	// an entity whose local copy holds a field newer than the server's is
	// queued again in full, with its stored stamps.
	Reconcile bool
	// Types replaces the product types when not nil; TypesTag names them.
	Types    []domain.ProductType
	TypesTag string
}

// Place is where a product is: its location, with its freezer's name on
// this device.
type Place struct {
	domain.Location
	Freezer string // the freezer's name ("" when unknown)
}

// String writes the place for a person: "garage box 3 slot 4" (the
// freezer's id when its name is unknown).
func (p Place) String() string {
	name := p.Freezer
	if name == "" {
		name = p.FreezerID.String()
	}
	return fmt.Sprintf("%s box %d slot %d", name, p.Box, p.Slot)
}

// SlotMove is a product the server moved to another slot to settle a
// collision: its label must change.
type SlotMove struct {
	ProductID uuid.UUID
	Name      string
	// PutAt is where the product was put: its place on this device before
	// the server's move reached it. NowAt is where the server put it.
	PutAt, NowAt Place
}

// PullApplied says what applying a page changed on the device.
type PullApplied struct {
	Freezers int // freezers added or changed
	Products int // products added or changed
	Barcodes int // remembered barcodes added or changed
	Moves    []SlotMove
}

// ApplyPull applies a pulled page in one transaction: each entity takes the
// server's state, then the fields of mutations still in the outbox whose
// stamps are newer are put back on top (rebase); product types and the
// cursor move in the same transaction, so the cursor is never ahead of the
// data. Slot uniqueness is not enforced on pulled data: the server repairs
// collisions.
func (db *DB) ApplyPull(ctx context.Context, page PulledPage) (PullApplied, error) {
	var res PullApplied
	err := db.write(ctx, func(tx *sql.Tx) error {
		res = PullApplied{}
		pending, queued, err := pendingByEntity(ctx, tx)
		if err != nil {
			return err
		}
		st, err := preparePull(ctx, tx)
		if err != nil {
			return err
		}
		defer st.close()
		for _, f := range page.Freezers {
			key := domain.EntityFreezer + "/" + f.Freezer.ID.String()
			if page.Reconcile {
				if err := db.requeueIfNewer(ctx, tx, queued, domain.EntityFreezer, f.Freezer.ID, f.Stamps, pending); err != nil {
					return err
				}
			}
			changed, err := db.applyPulledFreezer(ctx, tx, f, pending[key])
			if err != nil {
				return err
			}
			if changed {
				res.Freezers++
			}
		}
		for _, p := range page.Products {
			key := domain.EntityProduct + "/" + p.Product.ID.String()
			if page.Reconcile {
				if err := db.requeueIfNewer(ctx, tx, queued, domain.EntityProduct, p.Product.ID, p.Stamps, pending); err != nil {
					return err
				}
			}
			changed, move, err := db.applyPulledProduct(ctx, tx, st, p, pending[key])
			if err != nil {
				return err
			}
			if changed {
				res.Products++
			}
			if move != nil {
				res.Moves = append(res.Moves, *move)
			}
		}
		if res.Barcodes, err = db.applyPulledBarcodes(ctx, tx, page, pending, queued); err != nil {
			return err
		}
		if page.Types != nil {
			if err := replaceTypes(ctx, tx, page.Types); err != nil {
				return err
			}
			if err := setMeta(ctx, tx, metaSyncTypesTag, page.TypesTag); err != nil {
				return err
			}
		}
		if err := setMeta(ctx, tx, metaSyncCursor, fmt.Sprint(page.Cursor)); err != nil {
			return err
		}
		if page.Epoch != "" {
			if err := setMeta(ctx, tx, metaSyncEpoch, page.Epoch); err != nil {
				return err
			}
		}
		return setMeta(ctx, tx, metaClock, db.clock.Last().String())
	})
	if err != nil {
		return PullApplied{}, fmt.Errorf("apply pulled changes: %w", err)
	}
	return res, nil
}

func (db *DB) applyPulledFreezer(ctx context.Context, tx *sql.Tx, in PulledFreezer, pending map[string]pendingField) (bool, error) {
	old, _, found, err := loadFreezerStamps(ctx, tx, in.Freezer.ID)
	if err != nil {
		return false, err
	}
	f, stamps, err := rebaseFreezer(in, pending)
	if err != nil {
		return false, err
	}
	for _, ts := range in.Stamps {
		_ = db.clock.Receive(ts) // the device's clock has no bound: never refused
	}
	s := func(n string) string { return stamps[n].String() }
	if _, err := tx.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes, deleted, name_ts, boxes_ts, deleted_ts)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, boxes = excluded.boxes, deleted = excluded.deleted,
			name_ts = excluded.name_ts, boxes_ts = excluded.boxes_ts, deleted_ts = excluded.deleted_ts`,
		f.ID.String(), f.Name, f.Boxes, f.Deleted, s(domain.FieldName), s(domain.FieldBoxes), s(domain.FieldDeleted)); err != nil {
		return false, fmt.Errorf("write freezer %s: %w", f.ID, err)
	}
	return !found || old != f, nil
}

// pullStmts are the statements applying a page runs for each product,
// prepared once per page.
type pullStmts struct {
	load, upsert, history *sql.Stmt
}

func preparePull(ctx context.Context, tx *sql.Tx) (*pullStmts, error) {
	var st pullStmts
	var err error
	if st.load, err = tx.PrepareContext(ctx, `SELECT name, description, type_id, freezer_id, box, slot, quantity,
		date_in, period, date_out, outcome, relabel, deleted FROM products WHERE id = ?`); err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if st.upsert, err = tx.PrepareContext(ctx, `INSERT INTO products (id, name, name_key, description, search, type_id,
		freezer_id, box, slot, quantity, date_in, period, deadline, date_out, outcome, moved, relabel, deleted,
		name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts, period_ts, out_ts, relabel_ts, deleted_ts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
			description = excluded.description, search = excluded.search, type_id = excluded.type_id,
			freezer_id = excluded.freezer_id, box = excluded.box, slot = excluded.slot, quantity = excluded.quantity,
			date_in = excluded.date_in, period = excluded.period, deadline = excluded.deadline,
			date_out = excluded.date_out, outcome = excluded.outcome, moved = excluded.moved, relabel = excluded.relabel,
			deleted = excluded.deleted, deleted_ts = excluded.deleted_ts,
			name_ts = excluded.name_ts, description_ts = excluded.description_ts, type_ts = excluded.type_ts,
			location_ts = excluded.location_ts, quantity_ts = excluded.quantity_ts, date_in_ts = excluded.date_in_ts,
			period_ts = excluded.period_ts, out_ts = excluded.out_ts, relabel_ts = excluded.relabel_ts`); err != nil {
		st.close()
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if st.history, err = tx.PrepareContext(ctx, historyInsert); err != nil {
		st.close()
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return &st, nil
}

func (st *pullStmts) close() {
	for _, s := range []*sql.Stmt{st.load, st.upsert, st.history} {
		if s != nil {
			s.Close()
		}
	}
}

// loadLocal reads a local product (without its freezer's name) and its
// relabel notice, in its stored form ("" for none).
func (st *pullStmts) loadLocal(ctx context.Context, id uuid.UUID) (domain.Product, string, bool, error) {
	p := domain.Product{ID: id}
	var freezerID, dateIn, dateOut, outcome, relabel string
	err := st.load.QueryRowContext(ctx, id.String()).Scan(&p.Name, &p.Description, &p.TypeID, &freezerID,
		&p.Location.Box, &p.Location.Slot, &p.Quantity, &dateIn, &p.PeriodMonths, &dateOut, &outcome, &relabel, &p.Deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Product{}, "", false, nil
	}
	if err != nil {
		return domain.Product{}, "", false, fmt.Errorf("read product %s: %w", id, err)
	}
	if p.Location.FreezerID, err = uuid.Parse(freezerID); err != nil {
		return domain.Product{}, "", false, fmt.Errorf("read product %s: bad freezer id: %w", id, err)
	}
	if err := p.DateIn.UnmarshalText([]byte(dateIn)); err != nil {
		return domain.Product{}, "", false, fmt.Errorf("read product %s: %w", id, err)
	}
	if err := p.DateOut.UnmarshalText([]byte(dateOut)); err != nil {
		return domain.Product{}, "", false, fmt.Errorf("read product %s: %w", id, err)
	}
	p.Outcome = domain.Outcome(outcome)
	return p, relabel, true, nil
}

func (db *DB) applyPulledProduct(ctx context.Context, tx *sql.Tx, st *pullStmts, in PulledProduct, pending map[string]pendingField) (bool, *SlotMove, error) {
	old, oldRelabel, found, err := st.loadLocal(ctx, in.Product.ID)
	if err != nil {
		return false, nil, err
	}
	p, stamps, relabel, err := rebaseProduct(in, pending)
	if err != nil {
		return false, nil, err
	}
	for _, ts := range in.Stamps {
		_ = db.clock.Receive(ts)
	}
	s := func(n string) string { return stamps[n].String() }
	if _, err := st.upsert.ExecContext(ctx,
		p.ID.String(), p.Name, nameKey(p.Name), p.Description, searchText(p), p.TypeID,
		p.Location.FreezerID.String(), p.Location.Box, p.Location.Slot, p.Quantity,
		p.DateIn.String(), p.PeriodMonths, p.Deadline().String(), p.DateOut.String(), string(p.Outcome), relabel != nil, relabelText(relabel), p.Deleted,
		s(domain.FieldName), s(domain.FieldDescription), s(domain.FieldType), s(domain.FieldLocation),
		s(domain.FieldQuantity), s(domain.FieldDateIn), s(domain.FieldPeriod), s(domain.FieldOut), s(domain.FieldRelabel), s(domain.FieldDeleted)); err != nil {
		return false, nil, fmt.Errorf("write product %s: %w", p.ID, err)
	}
	if !found {
		if _, err := st.history.ExecContext(ctx, p.ID.String(), db.Now().UTC().Format(time.RFC3339Nano), ChangeSynced, db.device, "[]"); err != nil {
			return false, nil, fmt.Errorf("write history: %w", err)
		}
		return true, nil, nil
	}
	changed := changedFields(old, p)
	newNotice := relabel != nil && relabelText(relabel) != oldRelabel
	if len(changed) == 0 && !newNotice {
		return relabelText(relabel) != oldRelabel, nil, nil // a notice cleared elsewhere changes the row
	}
	kind := ChangeSynced
	if contains(changed, domain.FieldDeleted) {
		kind = changeKind(old, p, changed) // deleted or restored on another device
	}
	var move *SlotMove
	if newNotice && p.Inside() {
		// A new notice: the place the person put the product is the
		// notice's (this device may never have held it there).
		kind = ChangeMoved
		move = &SlotMove{ProductID: p.ID, Name: p.Name,
			PutAt: Place{Location: relabel.PutAt, Freezer: db.placeName(ctx, tx, relabel.PutAt.FreezerID)},
			NowAt: Place{Location: p.Location, Freezer: db.placeName(ctx, tx, p.Location.FreezerID)}}
	}
	return true, move, db.addHistory(ctx, tx, p.ID, kind, db.describe(ctx, tx, old, p, changed))
}

func (db *DB) placeName(ctx context.Context, q queryer, id uuid.UUID) string {
	if f, err := findFreezer(ctx, q, id); err == nil {
		return f.Name
	}
	return id.String()
}

// replaceTypes stores the server's product types. Types the server no
// longer lists are kept while a product uses them.
func replaceTypes(ctx context.Context, tx *sql.Tx, types []domain.ProductType) error {
	ids := make([]any, 0, len(types))
	for _, t := range types {
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_types (id, name_en, name_fr) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name_en = excluded.name_en, name_fr = excluded.name_fr`,
			t.ID, t.NameEN, t.NameFR); err != nil {
			return fmt.Errorf("write product type %d: %w", t.ID, err)
		}
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	q := `DELETE FROM product_types WHERE id NOT IN (?` + strings.Repeat(", ?", len(ids)-1) + `)
		AND id NOT IN (SELECT type_id FROM products)`
	if _, err := tx.ExecContext(ctx, q, ids...); err != nil {
		return fmt.Errorf("remove product types: %w", err)
	}
	return nil
}
