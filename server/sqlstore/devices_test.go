package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/server"
)

func mustAddDevice(t *testing.T, db *DB, account int64, token, name string) server.Device {
	t.Helper()
	d, err := db.AddDevice(context.Background(), account, []byte(token), server.NewDevice{Name: name})
	if err != nil {
		t.Fatalf("AddDevice(%q) error = %v", name, err)
	}
	return d
}

func deviceNames(t *testing.T, db *DB, account int64) string {
	t.Helper()
	ds, err := db.ListDevices(context.Background(), account)
	if err != nil {
		t.Fatalf("ListDevices() error = %v", err)
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

// TestDevicesMigrationNamesExistingTokens: tokens made before devices
// existed are named Device 1, Device 2... per account, in the order they
// were made.
func TestDevicesMigrationNamesExistingTokens(t *testing.T) {
	ctx := context.Background()
	path := newTarget(t)
	db := mustOpen(t, path)
	a := mustAccount(t, db, "a@example.com")
	b := mustAccount(t, db, "b@example.com")
	for _, tok := range []string{"a2", "a3"} {
		if err := db.AddToken(ctx, a, []byte(tok)); err != nil {
			t.Fatal(err)
		}
	}
	// Back to the schema before the migration.
	for _, q := range []string{`DROP TABLE feeds`, `DROP TABLE pairing_codes`, `ALTER TABLE tokens DROP COLUMN name`,
		`ALTER TABLE tokens DROP COLUMN app_version`, `ALTER TABLE tokens DROP COLUMN last_sync`, `ALTER TABLE tokens DROP COLUMN revoked_at`} {
		if _, err := db.wdb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	name := db.dialect.migrations + "/" + map[bool]string{true: "0003_devices.sql", false: "0007_devices.sql"}[db.dialect == postgresDialect]
	if _, err := db.wdb.ExecContext(ctx, db.q(`DELETE FROM schema_migrations WHERE name = ?`), name); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, path)
	if got := strings.Join(db.Applied(), ","); !strings.HasSuffix(name, got) {
		t.Fatalf("Applied() = %q, want %s", got, name)
	}
	if got, want := deviceNames(t, db, a), "Device 1, Device 2, Device 3"; got != want {
		t.Errorf("a's devices = %q, want %q", got, want)
	}
	if got, want := deviceNames(t, db, b), "Device 1"; got != want {
		t.Errorf("b's devices = %q, want %q", got, want)
	}
}

// TestAddDeviceRefusesAtTheBound: at MaxTokens live devices a new one is
// refused, naming the device unused the longest; every token still works,
// and once that device is revoked the new one gets in.
func TestAddDeviceRefusesAtTheBound(t *testing.T) {
	ctx := context.Background()
	clock := now
	db, err := Open(ctx, newTarget(t), Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	a := mustAccount(t, db, "a@example.com") // Device 1, made at now
	var old server.Device
	for i := 2; i <= MaxTokens; i++ {
		clock = clock.Add(time.Hour)
		d := mustAddDevice(t, db, a, fmt.Sprint("t", i), "")
		if i == 5 {
			old = d
		}
	}
	// Every device syncs later, but device 5: it is unused the longest.
	clock = clock.Add(time.Hour)
	ds, _ := db.ListDevices(ctx, a)
	for _, d := range ds {
		if d.ID != old.ID {
			if err := db.TouchDevice(ctx, d.ID, clock); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, err = db.AddDevice(ctx, a, []byte("one too many"), server.NewDevice{Name: "Kitchen tablet"})
	var tooMany *server.TooManyDevicesError
	if !errors.As(err, &tooMany) || domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("AddDevice() at the bound = %v, want a TooManyDevicesError", err)
	}
	if tooMany.Oldest.ID != old.ID || tooMany.Oldest.Name != "Device 5" || !strings.Contains(domain.ErrorMessage(err), `"Device 5"`) {
		t.Fatalf("AddDevice() at the bound names %+v (%q), want Device 5", tooMany.Oldest, domain.ErrorMessage(err))
	}
	if _, err := db.FindAccountByToken(ctx, []byte("one too many")); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("refused token = %v, want not found", err)
	}
	if err := db.RevokeDevice(ctx, a, old.ID); err != nil {
		t.Fatal(err)
	}
	d := mustAddDevice(t, db, a, "one too many", "Kitchen tablet")
	if d.Name != "Kitchen tablet" || d.ID <= old.ID {
		t.Fatalf("AddDevice() after a revoke = %+v", d)
	}
	accounts, err := db.ListAccounts(ctx)
	if err != nil || len(accounts) != 1 || accounts[0].Tokens != MaxTokens {
		t.Fatalf("ListAccounts() = %+v, %v; want %d live tokens", accounts, err, MaxTokens)
	}
}

// TestRevokedTokenIsATombstone: a revoked device's token answers
// ErrDeviceRemoved, not "not found"; it leaves the list; a password
// change or a token rotation keeps the tombstone; at most keepTombstones
// are kept.
func TestRevokedTokenIsATombstone(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	a := mustAccount(t, db, "a@example.com")
	b := mustAccount(t, db, "b@example.com")
	tablet := mustAddDevice(t, db, a, "tablet", "Kitchen tablet")
	if err := db.RevokeDevice(ctx, b, tablet.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RevokeDevice() of another account's device = %v, want not found", err)
	}
	if err := db.RenameDevice(ctx, b, tablet.ID, "mine"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RenameDevice() of another account's device = %v, want not found", err)
	}
	if err := db.RevokeDevice(ctx, a, tablet.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeDevice(ctx, a, tablet.ID); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RevokeDevice() twice = %v, want not found", err)
	}
	if _, err := db.FindAccountByToken(ctx, []byte("tablet")); !errors.Is(err, server.ErrDeviceRemoved) {
		t.Fatalf("revoked token = %v, want ErrDeviceRemoved", err)
	}
	if got := deviceNames(t, db, a); got != "Device 1" {
		t.Fatalf("devices after revoke = %q", got)
	}
	if err := db.ChangePassword(ctx, a, []byte("new"), [][]byte{[]byte("a@example.com")}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceTokens(ctx, a, []byte("rotated")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindAccountByToken(ctx, []byte("tablet")); !errors.Is(err, server.ErrDeviceRemoved) {
		t.Fatalf("revoked token after a password change and a rotation = %v, want ErrDeviceRemoved", err)
	}
	for i := range keepTombstones {
		d := mustAddDevice(t, db, a, fmt.Sprint("gone", i), "")
		if err := db.RevokeDevice(ctx, a, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.FindAccountByToken(ctx, []byte("tablet")); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("oldest tombstone past %d = %v, want not found", keepTombstones, err)
	}
	if _, err := db.FindAccountByToken(ctx, []byte("gone0")); !errors.Is(err, server.ErrDeviceRemoved) {
		t.Fatalf("a kept tombstone = %v, want ErrDeviceRemoved", err)
	}
}

// TestTouchDeviceAtMostOnceAMinute: the last sync moves only when the
// stored one is a minute old or more; the token lookup reads it.
func TestTouchDeviceAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	a := mustAccount(t, db, "a@example.com")
	acc, err := db.FindAccountByToken(ctx, []byte("a@example.com"))
	if err != nil || !acc.LastSync.IsZero() || acc.DeviceID == 0 {
		t.Fatalf("FindAccountByToken() = %+v, %v; want a device never synced", acc, err)
	}
	for _, step := range []struct {
		at   time.Duration
		want time.Duration
	}{{0, 0}, {30 * time.Second, 0}, {59 * time.Second, 0}, {60 * time.Second, 60 * time.Second}, {61 * time.Second, 60 * time.Second}} {
		if err := db.TouchDevice(ctx, acc.DeviceID, now.Add(step.at)); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindAccountByToken(ctx, []byte("a@example.com"))
		if err != nil || !got.LastSync.Equal(now.Add(step.want)) {
			t.Fatalf("last sync after a touch at +%s = %v, %v; want +%s", step.at, got.LastSync, err, step.want)
		}
	}
	ds, _ := db.ListDevices(ctx, a)
	if len(ds) != 1 || !ds[0].LastSync.Equal(now.Add(time.Minute)) {
		t.Fatalf("ListDevices() = %+v", ds)
	}
}

// TestRedeemPairing: a code works once, not after it expires, and a
// refusal at the bound of devices leaves it usable.
func TestRedeemPairing(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	a := mustAccount(t, db, "a@example.com")
	exp := now.Add(10 * time.Minute)
	for _, c := range []string{"once", "late", "full"} {
		if err := db.CreatePairing(ctx, a, []byte(c), now, exp); err != nil {
			t.Fatal(err)
		}
	}
	acc, d, err := db.RedeemPairing(ctx, []byte("once"), now, []byte("tablet"), server.NewDevice{Name: "Kitchen tablet", AppVersion: "1.0"})
	if err != nil || acc != a || d.Name != "Kitchen tablet" || d.AppVersion != "1.0" {
		t.Fatalf("RedeemPairing() = %d, %+v, %v", acc, d, err)
	}
	if _, _, err := db.RedeemPairing(ctx, []byte("once"), now, []byte("again"), server.NewDevice{}); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RedeemPairing() twice = %v, want not found", err)
	}
	if _, _, err := db.RedeemPairing(ctx, []byte("late"), exp, []byte("late"), server.NewDevice{}); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RedeemPairing() at expiry = %v, want not found", err)
	}
	if _, _, err := db.RedeemPairing(ctx, []byte("wrong"), now, []byte("wrong"), server.NewDevice{}); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("RedeemPairing() of a wrong code = %v, want not found", err)
	}
	for i := len("ab"); i < MaxTokens; i++ {
		mustAddDevice(t, db, a, fmt.Sprint("t", i), "")
	}
	var tooMany *server.TooManyDevicesError
	if _, _, err := db.RedeemPairing(ctx, []byte("full"), now, []byte("full"), server.NewDevice{}); !errors.As(err, &tooMany) {
		t.Fatalf("RedeemPairing() at the bound = %v, want TooManyDevicesError", err)
	}
	if err := db.RevokeDevice(ctx, a, tooMany.Oldest.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RedeemPairing(ctx, []byte("full"), now, []byte("full"), server.NewDevice{}); err != nil {
		t.Fatalf("RedeemPairing() after a revoke = %v, want the code still usable", err)
	}
	// Expired codes are deleted when new ones are made.
	if err := db.CreatePairing(ctx, a, []byte("next"), exp.Add(time.Second), exp.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM pairing_codes`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("pairing codes after an expiry = %d, %v; want only the new one", n, err)
	}
}

// TestFeeds: one feed per account, made once, updated, found by its key,
// revoked.
func TestFeeds(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, newTarget(t))
	a := mustAccount(t, db, "a@example.com")
	b := mustAccount(t, db, "b@example.com")
	f, err := db.EnsureFeed(ctx, a, "key-a")
	if err != nil || f.Key != "key-a" || f.AlarmDays != 14 || f.Lang != "en" || f.AccountID != a {
		t.Fatalf("EnsureFeed() = %+v, %v", f, err)
	}
	if f, err := db.EnsureFeed(ctx, a, "another"); err != nil || f.Key != "key-a" {
		t.Fatalf("EnsureFeed() again = %+v, %v; want the first key", f, err)
	}
	if _, err := db.UpdateFeed(ctx, b, nil, nil); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("UpdateFeed() without a feed = %v, want not found", err)
	}
	days, lang := 3, "fr"
	if f, err := db.UpdateFeed(ctx, a, &days, &lang); err != nil || f.AlarmDays != 3 || f.Lang != "fr" {
		t.Fatalf("UpdateFeed() = %+v, %v", f, err)
	}
	if f, err := db.FindFeed(ctx, "key-a"); err != nil || f.AccountID != a || f.AlarmDays != 3 {
		t.Fatalf("FindFeed() = %+v, %v", f, err)
	}
	if err := db.DeleteFeed(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindFeed(ctx, "key-a"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("FindFeed() after revoke = %v, want not found", err)
	}
	if err := db.DeleteAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
}
