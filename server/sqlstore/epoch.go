package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// The sync epoch names the database's history, not a process: every
// opening of one database, by any number of freezerd processes and across
// restarts, answers the same epoch, so a device that talks to another
// instance or to a restarted one carries on where it was.
//
// A backup carries the epoch too, so a database put back from a backup
// would answer the very epoch the devices know, and they would never send
// again what the backup lacks (a device's cursor cannot tell either: other
// devices' new changes soon push the account's sequence past it; the
// convergence test found that race). Restoring is therefore a documented
// step: the administrator runs "freezerd restore-done", which calls
// RenewEpoch, before starting freezerd on the restored database. Devices
// then reconcile once: a full pull, then a push of only what the server
// lacks (about a second for 10,000 products).

const metaEpoch = "epoch"

// Epoch returns the server's sync epoch (stored by migration 0006, renewed
// by RenewEpoch).
func (db *DB) Epoch(ctx context.Context) (string, error) {
	var epoch string
	err := db.rdb.QueryRowContext(ctx, db.q(`SELECT value FROM server_meta WHERE key = ?`), metaEpoch).Scan(&epoch)
	if err != nil {
		return "", fmt.Errorf("read epoch: %w", err)
	}
	return epoch, nil
}

func (t *tx) epoch(ctx context.Context) (string, error) {
	var v string
	if err := t.queryRow(ctx, `SELECT value FROM server_meta WHERE key = ?`, metaEpoch).Scan(&v); err != nil {
		return "", fmt.Errorf("read epoch: %w", err)
	}
	return v, nil
}

// RenewEpoch gives the database a new sync epoch and returns it: the step
// after a restore from a backup ("freezerd restore-done"). Every device's
// next round notices it and reconciles, sending again what the backup
// lacks. It is safe while freezerd runs: every push and pull reads the
// epoch from the database.
func (db *DB) RenewEpoch(ctx context.Context) (string, error) {
	epoch, err := newEpoch()
	if err != nil {
		return "", err
	}
	err = db.write(ctx, func(tx *tx) error {
		if _, err := tx.exec(ctx, `UPDATE server_meta SET value = ? WHERE key = ?`, epoch, metaEpoch); err != nil {
			return fmt.Errorf("store epoch: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return epoch, nil
}

// storeEpoch is the Go step of migration 0006: it keeps the epoch that
// earlier versions made at first use, or makes one.
func storeEpoch(ctx context.Context, t *tx) error {
	var v string
	err := t.queryRow(ctx, `SELECT value FROM server_meta WHERE key = ?`, metaEpoch).Scan(&v)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read epoch: %w", err)
	}
	epoch, err := newEpoch()
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO server_meta (key, value) VALUES (?, ?)`, metaEpoch, epoch); err != nil {
		return fmt.Errorf("store epoch: %w", err)
	}
	return nil
}

// newEpoch returns a random epoch: 16 bytes in hexadecimal.
func newEpoch() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make epoch: %w", err)
	}
	return hex.EncodeToString(b), nil
}
