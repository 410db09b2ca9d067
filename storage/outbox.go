package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"freezer/domain"
)

// enqueue writes the outbox row of a mutation, inside the transaction that
// wrote the entity. The row's stamp is the stored clock until the row leaves
// the outbox (storedClock): meta is not written on every change.
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
	if _, err := tx.StmtContext(ctx, db.stmts.outbox).ExecContext(ctx,
		domain.NewID().String(), entity, entityID, op, string(body), stamp.String(), db.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	return nil
}

// PendingCount returns the number of mutations waiting in the outbox.
func (db *DB) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}
