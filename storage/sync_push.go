// Pushing the outbox: the batches the syncer sends, and the server's
// acknowledgements that remove them (or drop a refused create).

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"freezer/domain"
)

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
	ids := make([]string, len(acks))
	for i, a := range acks {
		ids[i] = a.MutationID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("acknowledge: %w", err)
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		// One pass over the queue for the whole batch: mutation_id has no
		// index (an add writes one b-tree less, migration 11).
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE mutation_id IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
			return fmt.Errorf("remove %d acknowledged mutations: %w", len(acks), err)
		}
		// The refused creates' entities: every change still queued for
		// them goes too, in one more pass (the queue has no index by
		// entity, migration 12).
		var dropped []string
		for _, a := range acks {
			if a.Drop {
				dropped = append(dropped, a.Entity+"/"+a.EntityID.String())
			}
		}
		if len(dropped) > 0 {
			keys, err := json.Marshal(dropped)
			if err != nil {
				return fmt.Errorf("drop queued changes: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE entity || '/' || entity_id IN (SELECT value FROM json_each(?))`,
				string(keys)); err != nil {
				return fmt.Errorf("drop the queued changes of %d refused creates: %w", len(dropped), err)
			}
		}
		for _, a := range acks {
			if !a.Drop {
				continue
			}
			id := a.EntityID.String()
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
			case domain.EntityBarcode:
				if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes WHERE id = ?`, id); err != nil {
					return fmt.Errorf("drop barcode %s: %w", id, err)
				}
			}
		}
		return db.saveClock(ctx, tx) // the removed rows' stamps were the stored clock
	})
	if err != nil {
		return fmt.Errorf("acknowledge: %w", err)
	}
	return nil
}
