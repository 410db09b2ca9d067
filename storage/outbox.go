package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"freezer/domain"
)

// Mutation is one local change waiting for the server: which entity, the
// new values of the fields it changed (wire form, see domain.ProductValues), and the
// clock stamp of all of them.
type Mutation struct {
	Seq      int64
	ID       string
	Entity   string
	EntityID string
	Op       string
	Fields   map[string]json.RawMessage
	Stamp    domain.Timestamp
	Created  time.Time
}

// enqueue writes the outbox row of a mutation and moves the stored clock,
// inside the transaction that wrote the entity.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, entity, entityID, op string, fields map[string]json.RawMessage, stamp domain.Timestamp) error {
	if db.failAfterEntity != nil {
		if err := db.failAfterEntity(); err != nil {
			return err
		}
	}
	body, err := json.Marshal(fields) // map keys are sorted: deterministic
	if err != nil {
		return fmt.Errorf("encode mutation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (mutation_id, entity, entity_id, op, fields, stamp, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		domain.NewID().String(), entity, entityID, op, string(body), stamp.String(), db.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	return setMeta(ctx, tx, metaClock, stamp.String())
}

// PendingMutations returns up to limit mutations of the outbox, oldest
// first (all of them when limit <= 0).
func (db *DB) PendingMutations(ctx context.Context, limit int) ([]Mutation, error) {
	q := `SELECT seq, mutation_id, entity, entity_id, op, fields, stamp, created_at FROM outbox ORDER BY seq`
	args := []any{}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []Mutation
	for rows.Next() {
		var m Mutation
		var fields, stamp, created string
		if err := rows.Scan(&m.Seq, &m.ID, &m.Entity, &m.EntityID, &m.Op, &fields, &stamp, &created); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if err := json.Unmarshal([]byte(fields), &m.Fields); err != nil {
			return nil, fmt.Errorf("read outbox mutation %s: %w", m.ID, err)
		}
		if m.Stamp, err = domain.ParseTimestamp(stamp); err != nil {
			return nil, fmt.Errorf("read outbox mutation %s: %w", m.ID, err)
		}
		m.Created, _ = time.Parse(time.RFC3339Nano, created)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// PendingCount returns the number of mutations waiting in the outbox.
func (db *DB) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}
