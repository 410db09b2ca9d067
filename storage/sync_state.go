// The sync state: which server the device syncs with, how far it has
// pulled, the server epoch it last saw, the clock correction and the last
// success, all kept in the meta table.

package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
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
