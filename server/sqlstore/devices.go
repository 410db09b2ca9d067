package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"freezer/domain"
	"freezer/server"
)

// Devices (tokens with a name), pairing codes and calendar feeds
// (migrations 0007_devices.sql and postgres/0003_devices.sql).

var _ server.DeviceStore = (*DB)(nil)

// MaxTokens bounds the live tokens (devices) of an account: a new one
// beyond it is refused, naming the device to revoke.
const MaxTokens = server.MaxDevices

// keepTombstones is how many revoked tokens an account keeps (the most
// recently revoked): enough for every device it could have had, so that
// each is told it was removed.
const keepTombstones = MaxTokens

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

const deviceColumns = `id, name, app_version, created_at, last_sync`

func scanDevice(sc interface{ Scan(...any) error }) (server.Device, error) {
	var d server.Device
	var created, last string
	if err := sc.Scan(&d.ID, &d.Name, &d.AppVersion, &created, &last); err != nil {
		return server.Device{}, err
	}
	d.Created, d.LastSync = parseTime(created), parseTime(last)
	return d, nil
}

// liveDevices lists the account's live devices, oldest first.
func (t *tx) liveDevices(ctx context.Context, accountID int64) ([]server.Device, error) {
	rows, err := t.query(ctx, `SELECT `+deviceColumns+` FROM tokens WHERE account_id = ? AND revoked_at = '' ORDER BY id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var out []server.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("scan device: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return out, nil
}

// addDevice adds a token for a new device of the account, refusing one
// beyond MaxTokens (a TooManyDevicesError naming the device unused the
// longest). A device without a name gets the first free "Device N".
func (t *tx) addDevice(ctx context.Context, accountID int64, tokenHash []byte, nd server.NewDevice) (server.Device, error) {
	if err := t.lockAccount(ctx, accountID); err != nil {
		return server.Device{}, err
	}
	live, err := t.liveDevices(ctx, accountID)
	if err != nil {
		return server.Device{}, err
	}
	if len(live) >= MaxTokens {
		return server.Device{}, &server.TooManyDevicesError{Oldest: unusedLongest(live)}
	}
	d := server.Device{Name: nd.Name, AppVersion: nd.AppVersion, Created: t.db.Now().UTC().Truncate(time.Second)}
	if d.Name == "" {
		d.Name = freeDeviceName(live)
	}
	if err := t.queryRow(ctx, `INSERT INTO tokens (token_hash, account_id, created_at, name, app_version) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		hex.EncodeToString(tokenHash), accountID, formatTime(d.Created), d.Name, d.AppVersion).Scan(&d.ID); err != nil {
		return server.Device{}, fmt.Errorf("insert token: %w", err)
	}
	return d, nil
}

// unusedLongest is the device whose last use (its last sync, or its
// creation) is the oldest; the first such by id.
func unusedLongest(ds []server.Device) server.Device {
	oldest := ds[0]
	for _, d := range ds[1:] {
		if d.LastUse().Before(oldest.LastUse()) {
			oldest = d
		}
	}
	return oldest
}

// freeDeviceName is the first "Device N" (from the number of devices
// plus one) that no live device has.
func freeDeviceName(live []server.Device) string {
	taken := map[string]bool{}
	for _, d := range live {
		taken[d.Name] = true
	}
	for n := len(live) + 1; ; n++ {
		if name := "Device " + strconv.Itoa(n); !taken[name] {
			return name
		}
	}
}

// addToken adds a token for a device named "Device N".
func (t *tx) addToken(ctx context.Context, accountID int64, tokenHash []byte) error {
	_, err := t.addDevice(ctx, accountID, tokenHash, server.NewDevice{})
	return err
}

// AddToken adds one more token to the account, for a device named
// "Device N" (refused at MaxTokens, like AddDevice).
func (db *DB) AddToken(ctx context.Context, accountID int64, tokenHash []byte) error {
	return db.write(ctx, func(tx *tx) error { return tx.addToken(ctx, accountID, tokenHash) })
}

// AddDevice implements server.DeviceStore.
func (db *DB) AddDevice(ctx context.Context, accountID int64, tokenHash []byte, nd server.NewDevice) (server.Device, error) {
	var d server.Device
	err := db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		var err error
		d, err = tx.addDevice(ctx, accountID, tokenHash, nd)
		return err
	})
	return d, err
}

// ListDevices implements server.DeviceStore.
func (db *DB) ListDevices(ctx context.Context, accountID int64) ([]server.Device, error) {
	var out []server.Device
	err := db.read(ctx, func(tx *tx) error {
		var err error
		out, err = tx.liveDevices(ctx, accountID)
		return err
	})
	return out, err
}

// RevokeDevice implements server.DeviceStore: the token becomes a
// tombstone, and the account's oldest tombstones beyond keepTombstones
// are deleted.
func (db *DB) RevokeDevice(ctx context.Context, accountID, deviceID int64) error {
	return db.write(ctx, func(tx *tx) error {
		res, err := tx.exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at = ''`,
			db.now(), deviceID, accountID)
		if err != nil {
			return fmt.Errorf("revoke device %d: %w", deviceID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return domain.Errorf(domain.ENotFound, "There is no device %d in this household: list the devices again.", deviceID)
		}
		if _, err := tx.exec(ctx, `DELETE FROM tokens WHERE account_id = ? AND revoked_at <> '' AND id NOT IN
 (SELECT id FROM tokens WHERE account_id = ? AND revoked_at <> '' ORDER BY revoked_at DESC, id DESC LIMIT ?)`,
			accountID, accountID, keepTombstones); err != nil {
			return fmt.Errorf("drop old tombstones: %w", err)
		}
		return nil
	})
}

// RenameDevice implements server.DeviceStore.
func (db *DB) RenameDevice(ctx context.Context, accountID, deviceID int64, name string) error {
	return db.write(ctx, func(tx *tx) error {
		res, err := tx.exec(ctx, `UPDATE tokens SET name = ? WHERE id = ? AND account_id = ? AND revoked_at = ''`, name, deviceID, accountID)
		if err != nil {
			return fmt.Errorf("rename device %d: %w", deviceID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return domain.Errorf(domain.ENotFound, "There is no device %d in this household: list the devices again.", deviceID)
		}
		return nil
	})
}

// TouchDevice implements server.DeviceStore. The condition on last_sync
// makes concurrent requests of one device write once.
func (db *DB) TouchDevice(ctx context.Context, deviceID int64, t time.Time) error {
	return db.write(ctx, func(tx *tx) error {
		if _, err := tx.exec(ctx, `UPDATE tokens SET last_sync = ? WHERE id = ? AND revoked_at = '' AND last_sync <= ?`,
			formatTime(t), deviceID, formatTime(t.Add(-time.Minute))); err != nil {
			return fmt.Errorf("record last sync of device %d: %w", deviceID, err)
		}
		return nil
	})
}

// Pairing codes.

// CreatePairing implements server.DeviceStore.
func (db *DB) CreatePairing(ctx context.Context, accountID int64, codeHash []byte, created, expires time.Time) error {
	return db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM pairing_codes WHERE expires_at < ?`, formatTime(created)); err != nil {
			return fmt.Errorf("delete expired pairing codes: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO pairing_codes (code_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hex.EncodeToString(codeHash), accountID, formatTime(created), formatTime(expires)); err != nil {
			return fmt.Errorf("store pairing code: %w", err)
		}
		return nil
	})
}

// RedeemPairing implements server.DeviceStore. The UPDATE marks the code
// used only if it is unused and not expired, atomically over instances
// (the row's lock holds a concurrent redemption off until this one ends,
// which then finds it used).
func (db *DB) RedeemPairing(ctx context.Context, codeHash []byte, now time.Time, tokenHash []byte, nd server.NewDevice) (int64, server.Device, error) {
	var accountID int64
	var d server.Device
	err := db.write(ctx, func(tx *tx) error {
		err := tx.queryRow(ctx, `UPDATE pairing_codes SET used_at = ? WHERE code_hash = ? AND used_at = '' AND expires_at > ? RETURNING account_id`,
			formatTime(now), hex.EncodeToString(codeHash), formatTime(now)).Scan(&accountID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENotFound, "No such pairing code.")
		}
		if err != nil {
			return fmt.Errorf("use pairing code: %w", err)
		}
		d, err = tx.addDevice(ctx, accountID, tokenHash, nd)
		return err
	})
	if err != nil {
		return 0, server.Device{}, err
	}
	return accountID, d, nil
}

// Calendar feeds.

func scanFeed(sc interface{ Scan(...any) error }) (server.Feed, error) {
	var f server.Feed
	err := sc.Scan(&f.AccountID, &f.Key, &f.AlarmDays, &f.Lang)
	return f, err
}

const feedColumns = `account_id, feed_key, alarm_days, lang`

// EnsureFeed implements server.DeviceStore; instances creating a feed at
// once all answer the one that was stored.
func (db *DB) EnsureFeed(ctx context.Context, accountID int64, key string) (server.Feed, error) {
	var f server.Feed
	err := db.write(ctx, func(tx *tx) error {
		if err := tx.accountExists(ctx, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO feeds (account_id, feed_key, created_at) VALUES (?, ?, ?) ON CONFLICT (account_id) DO NOTHING`,
			accountID, key, db.now()); err != nil {
			return fmt.Errorf("create feed: %w", err)
		}
		var err error
		f, err = scanFeed(tx.queryRow(ctx, `SELECT `+feedColumns+` FROM feeds WHERE account_id = ?`, accountID))
		if err != nil {
			return fmt.Errorf("read feed: %w", err)
		}
		return nil
	})
	return f, err
}

// UpdateFeed implements server.DeviceStore.
func (db *DB) UpdateFeed(ctx context.Context, accountID int64, alarmDays *int, lang *string) (server.Feed, error) {
	var f server.Feed
	err := db.write(ctx, func(tx *tx) error {
		var err error
		f, err = scanFeed(tx.queryRow(ctx, `SELECT `+feedColumns+` FROM feeds WHERE account_id = ?`, accountID))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENotFound, "This account has no calendar feed.")
		}
		if err != nil {
			return fmt.Errorf("read feed: %w", err)
		}
		if alarmDays != nil {
			f.AlarmDays = *alarmDays
		}
		if lang != nil {
			f.Lang = *lang
		}
		if _, err := tx.exec(ctx, `UPDATE feeds SET alarm_days = ?, lang = ? WHERE account_id = ?`, f.AlarmDays, f.Lang, accountID); err != nil {
			return fmt.Errorf("update feed: %w", err)
		}
		return nil
	})
	return f, err
}

// DeleteFeed implements server.DeviceStore.
func (db *DB) DeleteFeed(ctx context.Context, accountID int64) error {
	return db.write(ctx, func(tx *tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM feeds WHERE account_id = ?`, accountID); err != nil {
			return fmt.Errorf("delete feed: %w", err)
		}
		return nil
	})
}

// FindFeed implements server.DeviceStore.
func (db *DB) FindFeed(ctx context.Context, key string) (server.Feed, error) {
	var f server.Feed
	err := db.read(ctx, func(tx *tx) error {
		var err error
		f, err = scanFeed(tx.queryRow(ctx, `SELECT `+feedColumns+` FROM feeds WHERE feed_key = ?`, key))
		if err != nil {
			return fmt.Errorf("find feed: %w", err)
		}
		return nil
	})
	return f, err
}
