// Rebase: local changes still in the outbox whose stamps are newer than the
// server's are put back on top of the pulled state.

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"

	"freezer/domain"
)

// pendingField is the newest queued value of one field.
type pendingField struct {
	value json.RawMessage
	stamp domain.Timestamp
}

// pendingByEntity reads the outbox: for each entity ("entity/id"), the
// newest queued value of each field, and the seqs of its rows.
func pendingByEntity(ctx context.Context, tx *sql.Tx) (map[string]map[string]pendingField, queuedRows, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, entity, entity_id, fields, stamp, stamps FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]pendingField{}
	queued := queuedRows{}
	for rows.Next() {
		var seq int64
		var entity, id, fields, stamp, stamps string
		if err := rows.Scan(&seq, &entity, &id, &fields, &stamp, &stamps); err != nil {
			return nil, nil, fmt.Errorf("read outbox: %w", err)
		}
		f, s, err := decodeOutboxRow(fields, stamp, stamps)
		if err != nil {
			return nil, nil, fmt.Errorf("read outbox: %w", err)
		}
		key := entity + "/" + id
		queued[key] = append(queued[key], seq)
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
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, queued, nil
}

// queuedRows maps each entity with queued changes ("entity/id") to the
// seqs of its rows in the outbox. The outbox has no index by entity (an
// add writes one b-tree less, migration 12), so a transaction that
// replaces entities' queued changes (requeueFull) reads the queue once,
// here or in pendingByEntity, then deletes each entity's rows by seq: one
// pass over the queue, not one per entity. It stays right only while
// requeueFull is the transaction's one writer of the outbox.
type queuedRows map[string][]int64

// readQueuedRows reads the seqs of every queued row, by entity.
func readQueuedRows(ctx context.Context, tx *sql.Tx) (queuedRows, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, entity, entity_id FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	queued := queuedRows{}
	for rows.Next() {
		var seq int64
		var entity, id string
		if err := rows.Scan(&seq, &entity, &id); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		queued[entity+"/"+id] = append(queued[entity+"/"+id], seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return queued, nil
}

// drop deletes the queued rows of one entity ("entity/id").
func (q queuedRows) drop(ctx context.Context, tx *sql.Tx, key string) error {
	seqs := q[key]
	if len(seqs) == 0 {
		return nil
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return fmt.Errorf("remove the queued changes of %s: %w", key, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return fmt.Errorf("remove the queued changes of %s: %w", key, err)
	}
	delete(q, key)
	return nil
}

// rebaseFreezer returns a pulled freezer with the queued fields whose
// stamps are newer than the server's put back on top, and the stamp of each
// field to store.
func rebaseFreezer(in PulledFreezer, pending map[string]pendingField) (domain.Freezer, map[string]domain.Timestamp, error) {
	f, stamps := in.Freezer, maps.Clone(in.Stamps)
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if pf.stamp.After(stamps[name]) {
			if err := domain.SetFreezerField(&f, name, pf.value); err != nil {
				return domain.Freezer{}, nil, err
			}
			stamps[name] = pf.stamp
		}
	}
	return f, stamps, nil
}

// rebaseProduct is rebaseFreezer for a product. It also returns the
// product's relabel notice: the server's, or a queued one (a cleared
// notice) that is newer, settled against the location (a queued location
// that wins clears it: the person's own placement is still on its way).
func rebaseProduct(in PulledProduct, pending map[string]pendingField) (domain.Product, map[string]domain.Timestamp, *domain.Relabel, error) {
	p, stamps, relabel := in.Product, maps.Clone(in.Stamps), in.Relabel
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if !pf.stamp.After(stamps[name]) {
			continue
		}
		var err error
		if name == domain.FieldRelabel {
			relabel, err = domain.ParseRelabel(pf.value)
		} else {
			err = domain.SetProductField(&p, name, pf.value)
		}
		if err != nil {
			return domain.Product{}, nil, nil, err
		}
		stamps[name] = pf.stamp
	}
	relabel, stamps[domain.FieldRelabel] = domain.SettleRelabel(relabel, stamps[domain.FieldRelabel], stamps[domain.FieldLocation])
	return p, stamps, relabel, nil
}
