package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// Sync: push applies a batch of device mutations with the shared merge
// rules (protocol.Merger) in one transaction; pull pages the account's
// entities by change sequence. Both answer with the server's epoch.

// Push applies req's mutations for the account in one transaction: all of
// them are committed, with their ledger rows, or none. A push whose epoch
// differs from the server's applies nothing (see protocol.PushRequest).
func (db *DB) Push(ctx context.Context, accountID int64, req protocol.PushRequest) (protocol.PushResponse, error) {
	resp := protocol.PushResponse{Version: protocol.Version, Results: []protocol.Result{}}
	merger := &protocol.Merger{Clock: db.Clock, Now: db.Now}
	err := db.writeAccount(ctx, accountID, func(tx *tx) error {
		resp.Results = resp.Results[:0]
		stored, err := tx.epoch(ctx)
		if err != nil {
			return err
		}
		resp.Epoch = stored
		if req.Epoch != "" && req.Epoch != resp.Epoch {
			return nil
		}
		if err := tx.checkPushQuota(ctx, accountID, req.Mutations); err != nil {
			return err
		}

		st := &mergeTx{tx: tx, ctx: ctx, account: accountID}
		own := map[int64]bool{} // the seqs of the device's own writes in this push
		for _, mu := range req.Mutations {
			var status, code, reason string
			err := tx.queryRow(ctx, `SELECT status, code, reason FROM sync_ledger WHERE account_id = ? AND device = ? AND mutation_id = ?`,
				accountID, req.Device, mu.ID).Scan(&status, &code, &reason)
			if err == nil {
				res, err := repeat(st, mu, status, code, reason)
				if err != nil {
					return err
				}
				resp.Results = append(resp.Results, res)
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("read ledger: %w", err)
			}
			// Before the merge re-stamps a stamp too far ahead (observe.go).
			if err := tx.observeEntity(ctx, accountID, mu.Entity, mu.EntityID); err != nil {
				return err
			}
			res, err := merger.ApplyTracked(st, &st.own, req, mu, own)
			if err != nil {
				return fmt.Errorf("apply mutation %s: %w", mu.ID, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO sync_ledger (account_id, device, mutation_id, status, code, reason, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				accountID, req.Device, mu.ID, res.Status, res.Code, res.Reason, db.now()); err != nil {
				return fmt.Errorf("write ledger: %w", err)
			}
			resp.Results = append(resp.Results, res)
		}
		return nil
	})
	resp.ServerTime = db.Now().UTC()
	if err != nil {
		return protocol.PushResponse{}, err
	}
	return resp, nil
}

// repeat answers a mutation the ledger already holds: a duplicate when it
// was applied; the same refusal when it was refused, so that a device that
// lost the first answer still drops an entity the server never had.
func repeat(st protocol.MergeStore, mu protocol.Mutation, status, code, reason string) (protocol.Result, error) {
	if status != protocol.StatusRejected {
		return protocol.Result{ID: mu.ID, Status: protocol.StatusDuplicate}, nil
	}
	res := protocol.Result{ID: mu.ID, Status: protocol.StatusRejected, Code: code, Reason: reason}
	var exists bool
	var err error
	switch mu.Entity {
	case domain.EntityFreezer:
		_, exists, err = st.Freezer(mu.EntityID)
	case domain.EntityProduct:
		_, exists, err = st.Product(mu.EntityID)
	case domain.EntityBarcode:
		_, exists, err = st.Barcode(mu.EntityID)
	}
	res.Missing = !exists
	return res, err
}

// Pull returns up to limit of the account's entities changed after cursor,
// in change order, each with its current state, leaving out those whose
// seq is in skip (protocol.QuerySkip); types are sent when their tag
// differs from typesTag.
func (db *DB) Pull(ctx context.Context, accountID int64, cursor int64, limit int, typesTag string, skip []protocol.SeqRange) (protocol.PullResponse, error) {
	if limit <= 0 || limit > protocol.MaxPullPage {
		limit = protocol.MaxPullPage
	}
	resp := protocol.PullResponse{Version: protocol.Version, Cursor: cursor, Changes: []protocol.Change{}}
	epoch, err := db.Epoch(ctx)
	if err != nil {
		return protocol.PullResponse{}, err
	}
	resp.Epoch = epoch
	err = db.read(ctx, func(tx *tx) error {
		// One snapshot: both lists and the types are read at one instant.
		freezers, err := tx.changedFreezers(ctx, accountID, cursor, limit+1, skip)
		if err != nil {
			return err
		}
		products, err := tx.changedProducts(ctx, accountID, cursor, limit+1, skip)
		if err != nil {
			return err
		}
		barcodes, err := tx.changedBarcodes(ctx, accountID, cursor, limit+1, skip)
		if err != nil {
			return err
		}
		all := append(append(freezers, products...), barcodes...)
		slices.SortFunc(all, func(a, b protocol.Change) int { return int(a.Seq - b.Seq) })
		if len(all) > limit {
			all, resp.More = all[:limit], true
		}
		resp.Changes = all
		if len(all) > 0 {
			resp.Cursor = all[len(all)-1].Seq
		}
		if !resp.More {
			// Everything after cursor was seen, the skipped seqs
			// included: the next pull starts after all of it.
			head, err := tx.head(ctx, accountID)
			if err != nil {
				return err
			}
			resp.Cursor = max(resp.Cursor, head)
		}
		types, err := tx.types(ctx)
		if err != nil {
			return err
		}
		resp.TypesTag = protocol.TypesTag(types)
		if resp.TypesTag != typesTag {
			resp.Types = types
		}
		return nil
	})
	resp.ServerTime = db.Now().UTC()
	if err != nil {
		return protocol.PullResponse{}, err
	}
	return resp, nil
}

func (t *tx) types(ctx context.Context) ([]domain.ProductType, error) {
	rows, err := t.query(ctx, `SELECT id, name_en, name_fr FROM product_types ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list types: %w", err)
	}
	defer rows.Close()
	var out []domain.ProductType
	for rows.Next() {
		var pt domain.ProductType
		if err := rows.Scan(&pt.ID, &pt.NameEN, &pt.NameFR); err != nil {
			return nil, fmt.Errorf("scan type: %w", err)
		}
		out = append(out, pt)
	}
	return out, rows.Err()
}

const syncFreezerCols = `id, name, boxes, deleted, name_ts, boxes_ts, deleted_ts, seq`

func scanSyncFreezer(row interface{ Scan(...any) error }) (protocol.FreezerState, int64, error) {
	var s protocol.FreezerState
	var id string
	var deleted int
	var ts [3]string
	var seq int64
	if err := row.Scan(&id, &s.Freezer.Name, &s.Freezer.Boxes, &deleted, &ts[0], &ts[1], &ts[2], &seq); err != nil {
		return protocol.FreezerState{}, 0, err
	}
	var err error
	if s.Freezer.ID, err = uuid.Parse(id); err != nil {
		return protocol.FreezerState{}, 0, fmt.Errorf("freezer %q: bad id: %w", id, err)
	}
	s.Freezer.Deleted = deleted != 0
	if s.Stamps, err = domain.ParseStamps(domain.FreezerFields, ts[:]); err != nil {
		return protocol.FreezerState{}, 0, fmt.Errorf("freezer %s: %w", id, err)
	}
	return s, seq, nil
}

const syncProductCols = `id, name, description, type_id, freezer_id, box, slot, quantity, date_in, period, date_out, outcome, relabel, deleted,
 name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts, period_ts, out_ts, deleted_ts, relabel_ts, seq`

func scanSyncProduct(row interface{ Scan(...any) error }) (protocol.ProductState, int64, error) {
	var s protocol.ProductState
	p := &s.Product
	var id, freezerID, dateIn, outcome string
	var dateOut sql.NullString
	var relabel string
	var ts [10]string
	var seq int64
	if err := row.Scan(&id, &p.Name, &p.Description, &p.TypeID, &freezerID, &p.Location.Box, &p.Location.Slot, &p.Quantity,
		&dateIn, &p.PeriodMonths, &dateOut, &outcome, &relabel, &p.Deleted,
		&ts[0], &ts[1], &ts[2], &ts[3], &ts[4], &ts[5], &ts[6], &ts[7], &ts[8], &ts[9], &seq); err != nil {
		return protocol.ProductState{}, 0, err
	}
	var err error
	if p.ID, err = uuid.Parse(id); err != nil {
		return protocol.ProductState{}, 0, fmt.Errorf("product %q: bad id: %w", id, err)
	}
	if p.Location.FreezerID, err = uuid.Parse(freezerID); err != nil {
		return protocol.ProductState{}, 0, fmt.Errorf("product %s: bad freezer id: %w", id, err)
	}
	if p.DateIn, err = domain.ParseDate(dateIn); err != nil {
		return protocol.ProductState{}, 0, fmt.Errorf("product %s: %w", id, err)
	}
	if dateOut.Valid {
		if p.DateOut, err = domain.ParseDate(dateOut.String); err != nil {
			return protocol.ProductState{}, 0, fmt.Errorf("product %s: %w", id, err)
		}
	}
	p.Outcome = domain.Outcome(outcome)
	if s.Relabel, err = domain.ParseRelabel(json.RawMessage(relabel)); err != nil {
		return protocol.ProductState{}, 0, fmt.Errorf("product %s: %w", id, err)
	}
	if s.Stamps, err = domain.ParseStamps(append(slices.Clip(domain.ProductFields), domain.FieldRelabel), ts[:]); err != nil {
		return protocol.ProductState{}, 0, fmt.Errorf("product %s: %w", id, err)
	}
	return s, seq, nil
}

// changedFreezers and changedProducts leave out the rows whose seq is in
// skip.
func (t *tx) changedFreezers(ctx context.Context, accountID, cursor int64, limit int, skip []protocol.SeqRange) ([]protocol.Change, error) {
	cond, args := skipClause(skip)
	rows, err := t.query(ctx, `SELECT `+syncFreezerCols+` FROM freezers WHERE account_id = ? AND seq > ?`+cond+` ORDER BY seq LIMIT ?`,
		append(append([]any{accountID, cursor}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("changed freezers: %w", err)
	}
	defer rows.Close()
	var out []protocol.Change
	for rows.Next() {
		s, seq, err := scanSyncFreezer(rows)
		if err != nil {
			return nil, fmt.Errorf("changed freezers: %w", err)
		}
		out = append(out, protocol.FreezerChange(s, seq))
	}
	return out, rows.Err()
}

func (t *tx) changedProducts(ctx context.Context, accountID, cursor int64, limit int, skip []protocol.SeqRange) ([]protocol.Change, error) {
	cond, args := skipClause(skip)
	rows, err := t.query(ctx, `SELECT `+syncProductCols+` FROM products WHERE account_id = ? AND seq > ?`+cond+` ORDER BY seq LIMIT ?`,
		append(append([]any{accountID, cursor}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("changed products: %w", err)
	}
	defer rows.Close()
	var out []protocol.Change
	for rows.Next() {
		s, seq, err := scanSyncProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("changed products: %w", err)
		}
		out = append(out, protocol.ProductChange(s, seq))
	}
	return out, rows.Err()
}

// mergeTx is protocol.MergeStore over one write transaction and account.
type mergeTx struct {
	tx      *tx
	ctx     context.Context
	account int64
	own     protocol.OwnWrite // the entity of the mutation being merged
}

var _ protocol.MergeStore = (*mergeTx)(nil)

// errForeignID refuses an id another account already uses.
func errForeignID(kind string) error {
	return domain.Errorf(domain.EConflict, "This %s's id is already used elsewhere: it cannot be stored.", kind)
}

func (m *mergeTx) Freezer(id uuid.UUID) (protocol.FreezerState, bool, error) {
	s, seq, err := scanSyncFreezer(m.tx.queryRow(m.ctx, `SELECT `+syncFreezerCols+` FROM freezers WHERE account_id = ? AND id = ?`,
		m.account, id.String()))
	m.own.Saw(domain.EntityFreezer, id, seq)
	if errors.Is(err, sql.ErrNoRows) {
		return protocol.FreezerState{}, false, nil
	}
	if err != nil {
		return protocol.FreezerState{}, false, fmt.Errorf("read freezer %s: %w", id, err)
	}
	m.tx.observeState(s.Stamps)
	return s, true, nil
}

func (m *mergeTx) Product(id uuid.UUID) (protocol.ProductState, bool, error) {
	s, seq, err := scanSyncProduct(m.tx.queryRow(m.ctx, `SELECT `+syncProductCols+` FROM products WHERE account_id = ? AND id = ?`,
		m.account, id.String()))
	m.own.Saw(domain.EntityProduct, id, seq)
	if errors.Is(err, sql.ErrNoRows) {
		return protocol.ProductState{}, false, nil
	}
	if err != nil {
		return protocol.ProductState{}, false, fmt.Errorf("read product %s: %w", id, err)
	}
	m.tx.observeState(s.Stamps)
	return s, true, nil
}

func (m *mergeTx) Inside(freezer uuid.UUID, box int) ([]domain.Product, error) {
	// Two forms, so that the (freezer_id, box, slot) index serves the box.
	q, args := `SELECT id, box, slot FROM products WHERE account_id = ? AND freezer_id = ? AND date_out IS NULL AND deleted = 0`, []any{m.account, freezer.String()}
	if box != 0 {
		q, args = q+` AND box = ?`, append(args, box)
	}
	rows, err := m.tx.query(m.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read slots: %w", err)
	}
	defer rows.Close()
	var out []domain.Product
	for rows.Next() {
		p := domain.Product{Location: domain.Location{FreezerID: freezer}}
		var id string
		if err := rows.Scan(&id, &p.Location.Box, &p.Location.Slot); err != nil {
			return nil, fmt.Errorf("read slots: %w", err)
		}
		if p.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("read slots: bad id %q: %w", id, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (m *mergeTx) TypeExists(id int) (bool, error) {
	var n int
	if err := m.tx.queryRow(m.ctx, `SELECT COUNT(*) FROM product_types WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("find type %d: %w", id, err)
	}
	return n > 0, nil
}

// taken reports whether another account already uses id in table.
func (m *mergeTx) taken(table string, id uuid.UUID) (bool, error) {
	var n int
	if err := m.tx.queryRow(m.ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = ?`, id.String()).Scan(&n); err != nil {
		return false, fmt.Errorf("find %s id: %w", table, err)
	}
	return n > 0, nil
}

func (m *mergeTx) PutFreezer(s protocol.FreezerState, created bool) error {
	f := s.Freezer
	if created {
		taken, err := m.taken("freezers", f.ID)
		if err != nil {
			return err
		}
		if taken {
			return errForeignID("freezer")
		}
	}
	seq, err := m.nextSeq(domain.EntityFreezer, f.ID)
	if err != nil {
		return err
	}
	ts := func(name string) string { return s.Stamps[name].String() }
	if created {
		_, err = m.tx.exec(m.ctx, `INSERT INTO freezers (id, account_id, name, boxes, deleted, name_ts, boxes_ts, deleted_ts, seq)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID.String(), m.account, f.Name, f.Boxes, boolInt(f.Deleted),
			ts(domain.FieldName), ts(domain.FieldBoxes), ts(domain.FieldDeleted), seq)
	} else {
		_, err = m.tx.exec(m.ctx, `UPDATE freezers SET name = ?, boxes = ?, deleted = ?, name_ts = ?, boxes_ts = ?, deleted_ts = ?, seq = ?
 WHERE account_id = ? AND id = ?`, f.Name, f.Boxes, boolInt(f.Deleted),
			ts(domain.FieldName), ts(domain.FieldBoxes), ts(domain.FieldDeleted), seq, m.account, f.ID.String())
	}
	if err != nil {
		return fmt.Errorf("write freezer %s: %w", f.ID, err)
	}
	return nil
}

func (m *mergeTx) PutProduct(s protocol.ProductState, created bool) error {
	p := s.Product
	if created {
		taken, err := m.taken("products", p.ID)
		if err != nil {
			return err
		}
		if taken {
			return errForeignID("product")
		}
	}
	seq, err := m.nextSeq(domain.EntityProduct, p.ID)
	if err != nil {
		return err
	}
	ts := func(name string) string { return s.Stamps[name].String() }
	args := []any{p.Name, p.Description, p.TypeID, p.Location.FreezerID.String(), p.Location.Box, p.Location.Slot, p.Quantity,
		p.DateIn.String(), p.PeriodMonths, nullDate(p.DateOut), string(p.Outcome), boolInt(s.Relabel != nil), relabelText(s.Relabel), boolInt(p.Deleted),
		ts(domain.FieldName), ts(domain.FieldDescription), ts(domain.FieldType), ts(domain.FieldLocation),
		ts(domain.FieldQuantity), ts(domain.FieldDateIn), ts(domain.FieldPeriod), ts(domain.FieldOut), ts(domain.FieldRelabel), ts(domain.FieldDeleted), seq}
	if created {
		_, err = m.tx.exec(m.ctx, `INSERT INTO products (name, description, type_id, freezer_id, box, slot, quantity, date_in, period,
 date_out, outcome, moved, relabel, deleted, name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts, period_ts, out_ts, relabel_ts,
 deleted_ts, seq, id, account_id)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, p.ID.String(), m.account)...)
	} else {
		_, err = m.tx.exec(m.ctx, `UPDATE products SET name = ?, description = ?, type_id = ?, freezer_id = ?, box = ?, slot = ?,
 quantity = ?, date_in = ?, period = ?, date_out = ?, outcome = ?, moved = ?, relabel = ?, deleted = ?, name_ts = ?, description_ts = ?, type_ts = ?,
 location_ts = ?, quantity_ts = ?, date_in_ts = ?, period_ts = ?, out_ts = ?, relabel_ts = ?, deleted_ts = ?, seq = ? WHERE id = ? AND account_id = ?`,
			append(args, p.ID.String(), m.account)...)
	}
	if err != nil {
		return fmt.Errorf("write product %s: %w", p.ID, err)
	}
	return nil
}

func (m *mergeTx) Touch(entity string, id uuid.UUID) error {
	table := "products"
	switch entity {
	case domain.EntityFreezer:
		table = "freezers"
	case domain.EntityBarcode:
		table = "barcodes"
	}
	seq, err := m.nextSeq(entity, id)
	if err != nil {
		return err
	}
	if _, err := m.tx.exec(m.ctx, `UPDATE `+table+` SET seq = ? WHERE account_id = ? AND id = ?`, seq, m.account, id.String()); err != nil {
		return fmt.Errorf("touch %s %s: %w", entity, id, err)
	}
	return nil
}

// relabelText is the stored form of a relabel notice: its wire value, or
// the empty string for none.
func relabelText(r *domain.Relabel) string {
	if r == nil {
		return ""
	}
	return string(domain.RelabelValue(r))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
