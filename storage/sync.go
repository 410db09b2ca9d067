package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// Meta keys of the sync state.
const (
	metaSyncServer   = "sync_server"
	metaSyncCursor   = "sync_cursor"
	metaSyncEpoch    = "sync_epoch"
	metaSyncTypesTag = "sync_types_tag"
	metaSyncLast     = "sync_last_success"
	metaClockOffset  = "sync_clock_offset_ms"
	metaReconcile    = "sync_reconcile"
)

// SyncState is what the device remembers of its sync with a server.
type SyncState struct {
	Server      string    // base URL of the server; "" when not set up
	Cursor      int64     // position in the account's change sequence
	Epoch       string    // the server database's identity at the last sync
	TypesTag    string    // tag of the product types last pulled
	LastSuccess time.Time // end of the last complete sync (zero: never)
	// Reconciling is set from BeginReconcile to FinishReconcile: the
	// device is pulling everything to find what a new server epoch lost.
	Reconciling bool
}

// SyncState returns the device's sync state.
func (db *DB) SyncState(ctx context.Context) (SyncState, error) {
	var s SyncState
	vals := map[string]string{}
	for _, k := range []string{metaSyncServer, metaSyncCursor, metaSyncEpoch, metaSyncTypesTag, metaSyncLast, metaReconcile} {
		v, err := db.meta(ctx, db.r, k)
		if err != nil {
			return SyncState{}, fmt.Errorf("sync state: %w", err)
		}
		vals[k] = v
	}
	s.Server, s.Epoch, s.TypesTag = vals[metaSyncServer], vals[metaSyncEpoch], vals[metaSyncTypesTag]
	s.Reconciling = vals[metaReconcile] == "1"
	if v := vals[metaSyncCursor]; v != "" {
		if _, err := fmt.Sscan(v, &s.Cursor); err != nil {
			return SyncState{}, fmt.Errorf("sync state: bad cursor %q: %w", v, err)
		}
	}
	if v := vals[metaSyncLast]; v != "" {
		s.LastSuccess, _ = time.Parse(time.RFC3339Nano, v)
	}
	return s, nil
}

// SetSyncServer records the server this device syncs with. Another server
// than the current one starts over with a reconciliation (BeginReconcile):
// the new server receives whatever it lacks.
func (db *DB) SetSyncServer(ctx context.Context, server string) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	err := db.write(ctx, func(tx *sql.Tx) error {
		old, err := db.meta(ctx, tx, metaSyncServer)
		if err != nil {
			return err
		}
		if old == server {
			return nil
		}
		if err := setMeta(ctx, tx, metaSyncServer, server); err != nil {
			return err
		}
		if old == "" {
			return nil // the first server: the outbox already holds every local change
		}
		return db.beginReconcile(ctx, tx, "")
	})
	if err != nil {
		return fmt.Errorf("set sync server: %w", err)
	}
	return nil
}

// SaveClockOffset sets the correction of this device's clock measured
// against the server's (see SetClockOffset) and keeps it for the next
// start, so that edits made before the next sync are stamped corrected too.
func (db *DB) SaveClockOffset(ctx context.Context, d time.Duration) error {
	db.SetClockOffset(d)
	return db.write(ctx, func(tx *sql.Tx) error {
		return setMeta(ctx, tx, metaClockOffset, fmt.Sprint(d.Milliseconds()))
	})
}

// loadClockOffset restores the correction kept by SaveClockOffset; Open
// calls it, so no program can forget it.
func (db *DB) loadClockOffset(ctx context.Context) error {
	v, err := db.meta(ctx, db.r, metaClockOffset)
	if err != nil || v == "" {
		return err
	}
	var ms int64
	if _, err := fmt.Sscan(v, &ms); err != nil {
		return fmt.Errorf("read clock offset %q: %w", v, err)
	}
	db.SetClockOffset(time.Duration(ms) * time.Millisecond)
	return nil
}

// SetLastSyncSuccess records the end of a complete sync.
func (db *DB) SetLastSyncSuccess(ctx context.Context, t time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		return setMeta(ctx, tx, metaSyncLast, t.UTC().Format(time.RFC3339Nano))
	})
}

// OutMutation is an outbox row as it is pushed: every field with its own
// stamp.
type OutMutation struct {
	ID       string
	Entity   string
	EntityID uuid.UUID
	Op       string
	Fields   map[string]json.RawMessage
	Stamps   map[string]domain.Timestamp
}

// OutboxBatch returns up to limit mutations of the outbox, oldest first.
func (db *DB) OutboxBatch(ctx context.Context, limit int) ([]OutMutation, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT mutation_id, entity, entity_id, op, fields, stamp, stamps
		FROM outbox ORDER BY seq LIMIT ?`, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutMutation
	for rows.Next() {
		var m OutMutation
		var entityID, fields, stamp, stamps string
		if err := rows.Scan(&m.ID, &m.Entity, &entityID, &m.Op, &fields, &stamp, &stamps); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if m.EntityID, err = uuid.Parse(entityID); err != nil {
			return nil, fmt.Errorf("read outbox mutation %s: bad entity id: %w", m.ID, err)
		}
		if m.Fields, m.Stamps, err = decodeOutboxRow(fields, stamp, stamps); err != nil {
			return nil, fmt.Errorf("read outbox mutation %s: %w", m.ID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// decodeOutboxRow expands an outbox row's fields and stamps: the per-field
// stamps when the row has them, else the row's one stamp for every field.
func decodeOutboxRow(fields, stamp, stamps string) (map[string]json.RawMessage, map[string]domain.Timestamp, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal([]byte(fields), &f); err != nil {
		return nil, nil, fmt.Errorf("fields: %w", err)
	}
	s := make(map[string]domain.Timestamp, len(f))
	if stamps != "" {
		if err := json.Unmarshal([]byte(stamps), &s); err != nil {
			return nil, nil, fmt.Errorf("stamps: %w", err)
		}
	}
	ts, err := domain.ParseTimestamp(stamp)
	if err != nil {
		return nil, nil, err
	}
	for name := range f {
		if _, ok := s[name]; !ok {
			s[name] = ts
		}
	}
	return f, s, nil
}

// Ack is the server's answer to one pushed mutation, as the store needs it.
type Ack struct {
	MutationID string
	// Drop is set when the server refused the mutation and holds no such
	// entity (a refused create): the device drops its copy, and every
	// mutation still queued for it, so that it converges with the server.
	Drop     bool
	Entity   string
	EntityID uuid.UUID
}

// Acknowledge removes acknowledged mutations from the outbox, in one
// transaction. Only explicit answers from the server reach it.
func (db *DB) Acknowledge(ctx context.Context, acks []Ack) error {
	if len(acks) == 0 {
		return nil
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		for _, a := range acks {
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE mutation_id = ?`, a.MutationID); err != nil {
				return fmt.Errorf("remove mutation %s: %w", a.MutationID, err)
			}
			if !a.Drop {
				continue
			}
			id := a.EntityID.String()
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE entity = ? AND entity_id = ?`, a.Entity, id); err != nil {
				return fmt.Errorf("drop queued changes of %s: %w", id, err)
			}
			switch a.Entity {
			case domain.EntityProduct:
				if _, err := tx.ExecContext(ctx, `DELETE FROM products WHERE id = ?`, id); err != nil {
					return fmt.Errorf("drop product %s: %w", id, err)
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM history WHERE product_id = ?`, id); err != nil {
					return fmt.Errorf("drop product %s: %w", id, err)
				}
			case domain.EntityFreezer:
				if _, err := tx.ExecContext(ctx, `DELETE FROM freezers WHERE id = ?`, id); err != nil {
					return fmt.Errorf("drop freezer %s: %w", id, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("acknowledge: %w", err)
	}
	return nil
}

// EntityStamps returns the clock stamp of each field of a local freezer or
// product (entity is domain.EntityFreezer or domain.EntityProduct).
func (db *DB) EntityStamps(ctx context.Context, entity string, id uuid.UUID) (map[string]domain.Timestamp, error) {
	var stamps map[string]domain.Timestamp
	var found bool
	var err error
	switch entity {
	case domain.EntityFreezer:
		_, stamps, found, err = loadFreezerStamps(ctx, db.r, id)
	case domain.EntityProduct:
		_, stamps, _, found, err = loadProductStamps(ctx, db.r, id)
	default:
		return nil, domain.Errorf(domain.EInvalid, "Unknown kind of record %q.", entity)
	}
	if err != nil {
		return nil, fmt.Errorf("entity stamps: %w", err)
	}
	if !found {
		return nil, domain.Errorf(domain.ENotFound, "This %s does not exist.", entity)
	}
	return stamps, nil
}

// MovedProducts returns the products inside that the server moved to
// another slot and whose label has not been changed yet (a local move of
// the product clears the flag).
func (db *DB) MovedProducts(ctx context.Context) ([]ProductRow, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id FROM products WHERE moved = 1 AND date_out = '' ORDER BY id`)
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

// PulledProduct is a product's state on the server.
type PulledProduct struct {
	Product domain.Product
	Stamps  map[string]domain.Timestamp
	Moved   bool
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

// SlotMove is a product the server moved to another slot: its label must
// change.
type SlotMove struct {
	ProductID uuid.UUID
	Name      string
	Freezer   string
	Box       int
	From, To  int // slots
}

// PullApplied says what applying a page changed on the device.
type PullApplied struct {
	Freezers int // freezers added or changed
	Products int // products added or changed
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
		pending, err := pendingByEntity(ctx, tx)
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
				if err := db.requeueIfNewer(ctx, tx, domain.EntityFreezer, f.Freezer.ID, f.Stamps, pending); err != nil {
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
				if err := db.requeueIfNewer(ctx, tx, domain.EntityProduct, p.Product.ID, p.Stamps, pending); err != nil {
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

// pendingField is the newest queued value of one field.
type pendingField struct {
	value json.RawMessage
	stamp domain.Timestamp
}

// pendingByEntity reads the outbox: for each entity ("entity/id"), the
// newest queued value of each field.
func pendingByEntity(ctx context.Context, tx *sql.Tx) (map[string]map[string]pendingField, error) {
	rows, err := tx.QueryContext(ctx, `SELECT entity, entity_id, fields, stamp, stamps FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]pendingField{}
	for rows.Next() {
		var entity, id, fields, stamp, stamps string
		if err := rows.Scan(&entity, &id, &fields, &stamp, &stamps); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		f, s, err := decodeOutboxRow(fields, stamp, stamps)
		if err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		key := entity + "/" + id
		m := out[key]
		if m == nil {
			m = map[string]pendingField{}
			out[key] = m
		}
		for name, v := range f {
			if old, ok := m[name]; !ok || s[name].After(old.stamp) {
				m[name] = pendingField{v, s[name]}
			}
		}
	}
	return out, rows.Err()
}

// loadFreezerStamps reads a local freezer with its stamps.
func loadFreezerStamps(ctx context.Context, q queryer, id uuid.UUID) (domain.Freezer, map[string]domain.Timestamp, bool, error) {
	f := domain.Freezer{ID: id}
	var ts [3]string
	err := q.QueryRowContext(ctx, `SELECT name, boxes, deleted, name_ts, boxes_ts, deleted_ts FROM freezers WHERE id = ?`,
		id.String()).Scan(&f.Name, &f.Boxes, &f.Deleted, &ts[0], &ts[1], &ts[2])
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Freezer{}, nil, false, nil
	}
	if err != nil {
		return domain.Freezer{}, nil, false, fmt.Errorf("read freezer %s: %w", id, err)
	}
	stamps, err := parseStamps(domain.FreezerFields, ts[:])
	if err != nil {
		return domain.Freezer{}, nil, false, fmt.Errorf("read freezer %s: %w", id, err)
	}
	return f, stamps, true, nil
}

func parseStamps(fields []string, texts []string) (map[string]domain.Timestamp, error) {
	out := make(map[string]domain.Timestamp, len(fields))
	for i, f := range fields {
		ts, err := domain.ParseTimestamp(texts[i])
		if err != nil {
			return nil, err
		}
		out[f] = ts
	}
	return out, nil
}

func (db *DB) applyPulledFreezer(ctx context.Context, tx *sql.Tx, in PulledFreezer, pending map[string]pendingField) (bool, error) {
	old, _, found, err := loadFreezerStamps(ctx, tx, in.Freezer.ID)
	if err != nil {
		return false, err
	}
	f, stamps := in.Freezer, maps.Clone(in.Stamps)
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if pf.stamp.After(stamps[name]) {
			if err := domain.SetFreezerField(&f, name, pf.value); err != nil {
				return false, err
			}
			stamps[name] = pf.stamp
		}
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

// loadProductStamps reads a local product with its stamps and relabel flag.
func loadProductStamps(ctx context.Context, q queryer, id uuid.UUID) (domain.Product, map[string]domain.Timestamp, bool, bool, error) {
	row, err := findProduct(ctx, q, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.Product{}, nil, false, false, nil
	}
	if err != nil {
		return domain.Product{}, nil, false, false, err
	}
	var ts [8]string
	var moved bool
	if err := q.QueryRowContext(ctx, `SELECT name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts,
		period_ts, out_ts, moved FROM products WHERE id = ?`, id.String()).
		Scan(&ts[0], &ts[1], &ts[2], &ts[3], &ts[4], &ts[5], &ts[6], &ts[7], &moved); err != nil {
		return domain.Product{}, nil, false, false, fmt.Errorf("read product %s: %w", id, err)
	}
	stamps, err := parseStamps(domain.ProductFields, ts[:])
	if err != nil {
		return domain.Product{}, nil, false, false, fmt.Errorf("read product %s: %w", id, err)
	}
	return row.Product, stamps, moved, true, nil
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
		date_in, period, date_out, outcome, moved FROM products WHERE id = ?`); err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if st.upsert, err = tx.PrepareContext(ctx, `INSERT INTO products (id, name, name_key, description, search, type_id,
		freezer_id, box, slot, quantity, date_in, period, deadline, date_out, outcome, moved,
		name_ts, description_ts, type_ts, location_ts, quantity_ts, date_in_ts, period_ts, out_ts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
			description = excluded.description, search = excluded.search, type_id = excluded.type_id,
			freezer_id = excluded.freezer_id, box = excluded.box, slot = excluded.slot, quantity = excluded.quantity,
			date_in = excluded.date_in, period = excluded.period, deadline = excluded.deadline,
			date_out = excluded.date_out, outcome = excluded.outcome, moved = excluded.moved,
			name_ts = excluded.name_ts, description_ts = excluded.description_ts, type_ts = excluded.type_ts,
			location_ts = excluded.location_ts, quantity_ts = excluded.quantity_ts, date_in_ts = excluded.date_in_ts,
			period_ts = excluded.period_ts, out_ts = excluded.out_ts`); err != nil {
		st.close()
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if st.history, err = tx.PrepareContext(ctx, `INSERT INTO history (product_id, at, kind, device, changes)
		VALUES (?, ?, ?, ?, '[]')`); err != nil {
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
// relabel flag.
func (st *pullStmts) loadLocal(ctx context.Context, id uuid.UUID) (domain.Product, bool, bool, error) {
	p := domain.Product{ID: id}
	var freezerID, dateIn, dateOut, outcome string
	var moved bool
	err := st.load.QueryRowContext(ctx, id.String()).Scan(&p.Name, &p.Description, &p.TypeID, &freezerID,
		&p.Location.Box, &p.Location.Slot, &p.Quantity, &dateIn, &p.PeriodMonths, &dateOut, &outcome, &moved)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Product{}, false, false, nil
	}
	if err != nil {
		return domain.Product{}, false, false, fmt.Errorf("read product %s: %w", id, err)
	}
	if p.Location.FreezerID, err = uuid.Parse(freezerID); err != nil {
		return domain.Product{}, false, false, fmt.Errorf("read product %s: bad freezer id: %w", id, err)
	}
	if err := p.DateIn.UnmarshalText([]byte(dateIn)); err != nil {
		return domain.Product{}, false, false, fmt.Errorf("read product %s: %w", id, err)
	}
	if err := p.DateOut.UnmarshalText([]byte(dateOut)); err != nil {
		return domain.Product{}, false, false, fmt.Errorf("read product %s: %w", id, err)
	}
	p.Outcome = domain.Outcome(outcome)
	return p, moved, true, nil
}

func (db *DB) applyPulledProduct(ctx context.Context, tx *sql.Tx, st *pullStmts, in PulledProduct, pending map[string]pendingField) (bool, *SlotMove, error) {
	old, oldMoved, found, err := st.loadLocal(ctx, in.Product.ID)
	if err != nil {
		return false, nil, err
	}
	p, stamps, moved := in.Product, maps.Clone(in.Stamps), in.Moved
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if pf.stamp.After(stamps[name]) {
			if err := domain.SetProductField(&p, name, pf.value); err != nil {
				return false, nil, err
			}
			stamps[name] = pf.stamp
			if name == domain.FieldLocation {
				moved = false // the person's own placement is still on its way
			}
		}
	}
	for _, ts := range in.Stamps {
		_ = db.clock.Receive(ts)
	}
	s := func(n string) string { return stamps[n].String() }
	if _, err := st.upsert.ExecContext(ctx,
		p.ID.String(), p.Name, fold(p.Name), p.Description, searchText(p), p.TypeID,
		p.Location.FreezerID.String(), p.Location.Box, p.Location.Slot, p.Quantity,
		p.DateIn.String(), p.PeriodMonths, p.Deadline().String(), p.DateOut.String(), string(p.Outcome), moved,
		s(domain.FieldName), s(domain.FieldDescription), s(domain.FieldType), s(domain.FieldLocation),
		s(domain.FieldQuantity), s(domain.FieldDateIn), s(domain.FieldPeriod), s(domain.FieldOut)); err != nil {
		return false, nil, fmt.Errorf("write product %s: %w", p.ID, err)
	}
	if !found {
		if _, err := st.history.ExecContext(ctx, p.ID.String(), db.Now().UTC().Format(time.RFC3339Nano), ChangeSynced, db.device); err != nil {
			return false, nil, fmt.Errorf("write history: %w", err)
		}
		return true, nil, nil
	}
	changed := changedFields(old, p)
	if len(changed) == 0 {
		return false, nil, nil
	}
	kind := ChangeSynced
	var move *SlotMove
	if moved && slices.Contains(changed, domain.FieldLocation) && (!oldMoved || old.Location != p.Location) {
		kind = ChangeMoved
		move = &SlotMove{ProductID: p.ID, Name: p.Name, Freezer: db.placeName(ctx, tx, p.Location.FreezerID),
			Box: p.Location.Box, From: old.Location.Slot, To: p.Location.Slot}
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

// BeginReconcile starts a reconciliation after the server's epoch changed
// to epoch (the server restarted, or its database was restored or
// replaced, and may lack changes it acknowledged): every entity with
// queued changes is queued again in full (a partial change of an entity the
// server lost would be refused), the cursor goes back to 0, and the pulls
// that follow carry Reconcile until FinishReconcile.
func (db *DB) BeginReconcile(ctx context.Context, epoch string) error {
	if err := db.write(ctx, func(tx *sql.Tx) error { return db.beginReconcile(ctx, tx, epoch) }); err != nil {
		return fmt.Errorf("begin reconcile: %w", err)
	}
	return nil
}

func (db *DB) beginReconcile(ctx context.Context, tx *sql.Tx, epoch string) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT entity, entity_id FROM outbox`)
	if err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	type ref struct {
		entity string
		id     uuid.UUID
	}
	var refs []ref
	for rows.Next() {
		var r ref
		var id string
		if err := rows.Scan(&r.entity, &id); err != nil {
			rows.Close()
			return fmt.Errorf("read outbox: %w", err)
		}
		if r.id, err = uuid.Parse(id); err != nil {
			rows.Close()
			return fmt.Errorf("read outbox: bad id %q: %w", id, err)
		}
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	for _, r := range refs {
		if _, err := db.requeueFull(ctx, tx, r.entity, r.id); err != nil {
			return err
		}
	}
	for _, kv := range [][2]string{{metaSyncCursor, "0"}, {metaSyncEpoch, epoch}, {metaReconcile, "1"}} {
		if err := setMeta(ctx, tx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// Seen is what a reconciliation learned of an entity the server sent.
type Seen struct {
	Stamps map[string]domain.Timestamp // the server's stamp of each field
	Boxes  int                         // a freezer's number of boxes on the server
}

// FinishReconcile ends a reconciliation: every local entity the server did
// not send (seen is keyed "entity/id" by those it sent) is queued in full,
// and the outbox is ordered for the server (see orderReconciled). It
// returns the number of entities queued.
func (db *DB) FinishReconcile(ctx context.Context, seen map[string]Seen) (int, error) {
	n := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, table := range []struct{ entity, query string }{
			{domain.EntityFreezer, `SELECT id FROM freezers ORDER BY id`},
			{domain.EntityProduct, `SELECT id FROM products ORDER BY id`},
		} {
			rows, err := tx.QueryContext(ctx, table.query)
			if err != nil {
				return fmt.Errorf("list %ss: %w", table.entity, err)
			}
			ids, err := scanIDs(rows)
			if err != nil {
				return fmt.Errorf("list %ss: %w", table.entity, err)
			}
			for _, id := range ids {
				if _, ok := seen[table.entity+"/"+id.String()]; ok {
					continue
				}
				if _, err := db.requeueFull(ctx, tx, table.entity, id); err != nil {
					return err
				}
				n++
			}
		}
		if err := db.orderReconciled(ctx, tx, seen); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaReconcile, "")
	})
	if err != nil {
		return 0, fmt.Errorf("finish reconcile: %w", err)
	}
	return n, nil
}

// outboxRow is a raw outbox row.
type outboxRow struct {
	id, entity, entityID, op, fields, stamp, stamps, created string
}

// orderReconciled orders the outbox after a reconciliation so that the
// server can accept every full state: freezers first (a product may move
// into a freezer or a box the server lost), then products, then the
// changes the server refuses while a product it holds is inside (a
// freezer's deletion, fewer boxes) and that the products' rows may have
// made possible, then the changes made since the reconciliation began, in
// their order. A freezer the server lacks goes whole in the first group: a
// create carries every field.
func (db *DB) orderReconciled(ctx context.Context, tx *sql.Tx, seen map[string]Seen) error {
	rows, err := tx.QueryContext(ctx, `SELECT mutation_id, entity, entity_id, op, fields, stamp, stamps, created_at FROM outbox ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	var all []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.id, &r.entity, &r.entityID, &r.op, &r.fields, &r.stamp, &r.stamps, &r.created); err != nil {
			rows.Close()
			return fmt.Errorf("read outbox: %w", err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read outbox: %w", err)
	}
	var freezers, products, deletions, later []outboxRow
	for _, r := range all {
		switch {
		case r.stamps == "": // a local edit made during the reconciliation
			later = append(later, r)
		case r.entity == domain.EntityProduct:
			parts, err := newerParts(r, seen)
			if err != nil {
				return err
			}
			products = append(products, parts...)
		default:
			parts, err := newerParts(r, seen)
			if err != nil {
				return err
			}
			server, onServer := seen[domain.EntityFreezer+"/"+r.entityID]
			for _, part := range parts {
				first, last, err := splitFreezer(part, server, onServer)
				if err != nil {
					return err
				}
				if first != nil {
					freezers = append(freezers, *first)
				}
				if last != nil {
					deletions = append(deletions, *last)
				}
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox`); err != nil {
		return fmt.Errorf("reorder outbox: %w", err)
	}
	for _, group := range [][]outboxRow{freezers, products, deletions, later} {
		for _, r := range group {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, stamps, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.id, r.entity, r.entityID, r.op, r.fields, r.stamp, r.stamps, r.created); err != nil {
				return fmt.Errorf("reorder outbox: %w", err)
			}
		}
	}
	return nil
}

// newerParts returns what of a full-state row the server needs: all of it
// when the server lacks the entity (a create carries every field);
// otherwise only the fields newer than the server's, one update per stamp
// in stamp order, which replays the original changes, so that a change the
// server now refuses (a move into a freezer deleted meanwhile) does not
// take unrelated ones down with it.
func newerParts(r outboxRow, seen map[string]Seen) ([]outboxRow, error) {
	server, onServer := seen[r.entity+"/"+r.entityID]
	if !onServer {
		return []outboxRow{r}, nil
	}
	var fields map[string]json.RawMessage
	var stamps map[string]domain.Timestamp
	if err := json.Unmarshal([]byte(r.fields), &fields); err != nil {
		return nil, fmt.Errorf("read outbox mutation %s: %w", r.id, err)
	}
	if err := json.Unmarshal([]byte(r.stamps), &stamps); err != nil {
		return nil, fmt.Errorf("read outbox mutation %s: %w", r.id, err)
	}
	groups := map[domain.Timestamp][]string{}
	for name := range fields {
		if stamps[name].After(server.Stamps[name]) {
			groups[stamps[name]] = append(groups[stamps[name]], name)
		}
	}
	order := slices.SortedFunc(maps.Keys(groups), func(a, b domain.Timestamp) int { return a.Compare(b) })
	out := make([]outboxRow, 0, len(order))
	for i, ts := range order {
		f, st := map[string]json.RawMessage{}, map[string]domain.Timestamp{}
		for _, name := range groups[ts] {
			f[name], st[name] = fields[name], ts
		}
		fb, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		sb, err := json.Marshal(st)
		if err != nil {
			return nil, err
		}
		part := r
		part.op, part.fields, part.stamps, part.stamp = domain.OpUpdate, string(fb), string(sb), ts.String()
		if i > 0 {
			part.id = domain.NewID().String()
		}
		out = append(out, part)
	}
	return out, nil
}

// splitFreezer splits a freezer's full state, when the server has the
// freezer, into what can go first and what must wait for the products: a
// deletion, and fewer boxes than the server's.
func splitFreezer(r outboxRow, server Seen, onServer bool) (first, last *outboxRow, err error) {
	if !onServer {
		return &r, nil, nil
	}
	var fields map[string]json.RawMessage
	var stamps map[string]string
	if err := json.Unmarshal([]byte(r.fields), &fields); err != nil {
		return nil, nil, fmt.Errorf("read outbox mutation %s: %w", r.id, err)
	}
	if err := json.Unmarshal([]byte(r.stamps), &stamps); err != nil {
		return nil, nil, fmt.Errorf("read outbox mutation %s: %w", r.id, err)
	}
	boxes, hasBoxes := 0, fields[domain.FieldBoxes] != nil
	_ = json.Unmarshal(fields[domain.FieldBoxes], &boxes)
	late := map[string]bool{
		domain.FieldDeleted: string(fields[domain.FieldDeleted]) == "true",
		domain.FieldBoxes:   hasBoxes && boxes < server.Boxes,
	}
	part := func(op string, keep func(string) bool) (*outboxRow, error) {
		f, st := map[string]json.RawMessage{}, map[string]string{}
		for name, v := range fields {
			if keep(name) {
				f[name], st[name] = v, stamps[name]
			}
		}
		if len(f) == 0 {
			return nil, nil
		}
		fb, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		sb, err := json.Marshal(st)
		if err != nil {
			return nil, err
		}
		out := r
		out.id, out.op, out.fields, out.stamps = domain.NewID().String(), op, string(fb), string(sb)
		return &out, nil
	}
	if !late[domain.FieldDeleted] && !late[domain.FieldBoxes] {
		return &r, nil, nil
	}
	if first, err = part(domain.OpUpdate, func(n string) bool { return !late[n] }); err != nil {
		return nil, nil, err
	}
	last, err = part(domain.OpUpdate, func(n string) bool { return late[n] })
	return first, last, err
}

// requeueIfNewer queues an entity again in full when its local copy holds a
// field whose stamp is newer than the server's, and updates pending
// accordingly.
func (db *DB) requeueIfNewer(ctx context.Context, tx *sql.Tx, entity string, id uuid.UUID, server map[string]domain.Timestamp,
	pending map[string]map[string]pendingField) error {
	var local map[string]domain.Timestamp
	var found bool
	var err error
	if entity == domain.EntityFreezer {
		_, local, found, err = loadFreezerStamps(ctx, tx, id)
	} else {
		_, local, _, found, err = loadProductStamps(ctx, tx, id)
	}
	if err != nil || !found {
		return err
	}
	newer := false
	for f, ts := range local {
		if ts.After(server[f]) {
			newer = true
			break
		}
	}
	if !newer {
		return nil
	}
	queued, err := db.requeueFull(ctx, tx, entity, id)
	if err != nil {
		return err
	}
	pending[entity+"/"+id.String()] = queued
	return nil
}

// requeueFull replaces the queued changes of one entity by one create
// carrying every field with its stored stamp (the local row already holds
// every queued change), and returns what it queued.
func (db *DB) requeueFull(ctx context.Context, tx *sql.Tx, entity string, id uuid.UUID) (map[string]pendingField, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE entity = ? AND entity_id = ?`, entity, id.String()); err != nil {
		return nil, fmt.Errorf("requeue %s %s: %w", entity, id, err)
	}
	var fields map[string]json.RawMessage
	var stamps map[string]domain.Timestamp
	var found bool
	var err error
	switch entity {
	case domain.EntityFreezer:
		var f domain.Freezer
		f, stamps, found, err = loadFreezerStamps(ctx, tx, id)
		fields = domain.FreezerValues(f)
	case domain.EntityProduct:
		var p domain.Product
		p, stamps, _, found, err = loadProductStamps(ctx, tx, id)
		fields = domain.ProductValues(p)
	default:
		return nil, fmt.Errorf("requeue: unknown entity %q", entity)
	}
	if err != nil || !found {
		return nil, err
	}
	if err := db.enqueueStamped(ctx, tx, entity, id, fields, stamps); err != nil {
		return nil, err
	}
	out := make(map[string]pendingField, len(fields))
	for name, v := range fields {
		out[name] = pendingField{v, stamps[name]}
	}
	return out, nil
}

func scanIDs(rows *sql.Rows) ([]uuid.UUID, error) {
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("bad id %q: %w", s, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// enqueueStamped writes a create carrying per-field stamps. A field without
// a stamp (never stamped) gets a fresh one.
func (db *DB) enqueueStamped(ctx context.Context, tx *sql.Tx, entity string, id uuid.UUID, fields map[string]json.RawMessage, stamps map[string]domain.Timestamp) error {
	body, err := json.Marshal(fields)
	if err != nil {
		return fmt.Errorf("encode mutation: %w", err)
	}
	full := make(map[string]domain.Timestamp, len(fields))
	var newest domain.Timestamp
	for name := range fields {
		ts := stamps[name]
		if ts.IsZero() {
			ts = db.clock.Now()
		}
		full[name] = ts
		if ts.After(newest) {
			newest = ts
		}
	}
	sb, err := json.Marshal(full)
	if err != nil {
		return fmt.Errorf("encode mutation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, stamps, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		domain.NewID().String(), entity, id.String(), domain.OpCreate, string(body), newest.String(), string(sb),
		db.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	return nil
}
