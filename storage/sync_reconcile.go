// Reconcile: after the server's epoch changed (a restore, a new server),
// the device queues again whatever the server may have lost, then orders the
// outbox so that the server can accept it.

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

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
	queued, err := readQueuedRows(ctx, tx)
	if err != nil {
		return err
	}
	// In the order of the entity and its id, as the queue's index by
	// entity gave them before migration 12.
	for _, key := range slices.Sorted(maps.Keys(queued)) {
		entity, id, ok := strings.Cut(key, "/")
		if !ok {
			return fmt.Errorf("read outbox: bad entity %q", key)
		}
		uid, err := uuid.Parse(id)
		if err != nil {
			return fmt.Errorf("read outbox: bad id %q: %w", id, err)
		}
		if _, err := db.requeueFull(ctx, tx, queued, entity, uid); err != nil {
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
		queued, err := readQueuedRows(ctx, tx)
		if err != nil {
			return err
		}
		for _, table := range []struct{ entity, query string }{
			{domain.EntityFreezer, `SELECT id FROM freezers ORDER BY id`},
			{domain.EntityProduct, `SELECT id FROM products ORDER BY id`},
			{domain.EntityBarcode, `SELECT id FROM barcodes ORDER BY id`},
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
				if _, err := db.requeueFull(ctx, tx, queued, table.entity, id); err != nil {
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
// into a freezer or a box the server lost), then products and remembered
// barcodes, then the
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
		case r.entity == domain.EntityProduct || r.entity == domain.EntityBarcode:
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
	if err := db.saveClock(ctx, tx); err != nil {
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
func (db *DB) requeueIfNewer(ctx context.Context, tx *sql.Tx, queued queuedRows, entity string, id uuid.UUID, server map[string]domain.Timestamp,
	pending map[string]map[string]pendingField) error {
	var local map[string]domain.Timestamp
	var found bool
	var err error
	if entity == domain.EntityFreezer {
		_, local, found, err = loadFreezerStamps(ctx, tx, id)
	} else if entity == domain.EntityBarcode {
		_, local, found, err = loadBarcodeStamps(ctx, tx, id)
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
	full, err := db.requeueFull(ctx, tx, queued, entity, id)
	if err != nil {
		return err
	}
	pending[entity+"/"+id.String()] = full
	return nil
}

// requeueFull replaces the queued changes of one entity (found in queued,
// which it keeps up to date) by one create carrying every field with its
// stored stamp (the local row already holds every queued change), and
// returns what it queued.
func (db *DB) requeueFull(ctx context.Context, tx *sql.Tx, queued queuedRows, entity string, id uuid.UUID) (map[string]pendingField, error) {
	key := entity + "/" + id.String()
	if err := queued.drop(ctx, tx, key); err != nil {
		return nil, fmt.Errorf("requeue %s %s: %w", entity, id, err)
	}
	if err := db.saveClock(ctx, tx); err != nil {
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
		var relabel *domain.Relabel
		p, stamps, relabel, found, err = loadProductStamps(ctx, tx, id)
		fields = domain.ProductValues(p)
		if stamps[domain.FieldDeleted].IsZero() {
			// Never stamped (the product predates the field): left out, so
			// that a fresh stamp cannot undo a delete made elsewhere.
			delete(fields, domain.FieldDeleted)
		}
		if !stamps[domain.FieldRelabel].IsZero() {
			// The notice goes too, so that a server that lost it (a
			// restore) gets it back, or learns it was cleared.
			fields[domain.FieldRelabel] = domain.RelabelValue(relabel)
		}
	case domain.EntityBarcode:
		var b domain.Barcode
		b, stamps, found, err = loadBarcodeStamps(ctx, tx, id)
		fields = domain.BarcodeValues(b)
	default:
		return nil, fmt.Errorf("requeue: unknown entity %q", entity)
	}
	if err != nil || !found {
		return nil, err
	}
	seq, err := db.enqueueStamped(ctx, tx, entity, id, fields, stamps)
	if err != nil {
		return nil, err
	}
	queued[key] = []int64{seq}
	out := make(map[string]pendingField, len(fields))
	for name, v := range fields {
		out[name] = pendingField{v, stamps[name]}
	}
	return out, nil
}

// enqueueStamped writes a create carrying per-field stamps, and returns its
// seq. A field without a stamp (never stamped) gets a fresh one.
func (db *DB) enqueueStamped(ctx context.Context, tx *sql.Tx, entity string, id uuid.UUID, fields map[string]json.RawMessage, stamps map[string]domain.Timestamp) (int64, error) {
	body, err := json.Marshal(fields)
	if err != nil {
		return 0, fmt.Errorf("encode mutation: %w", err)
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
		return 0, fmt.Errorf("encode mutation: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, stamps, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		domain.NewID().String(), entity, id.String(), domain.OpCreate, string(body), newest.String(), string(sb),
		db.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return 0, fmt.Errorf("write outbox: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("write outbox: %w", err)
	}
	return seq, nil
}
