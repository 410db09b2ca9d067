package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"freezer/domain"
)

// Devices: every token belongs to a named device. A household sees its
// devices, renames and revokes them; a revoked device keeps a tombstone so
// that its next request is told, in words, that it was removed.

// Device is a device signed in to an account: one token.
type Device struct {
	ID         int64
	Name       string
	AppVersion string
	Created    time.Time
	LastSync   time.Time // zero: never synced
	// Current marks the device making the request (set by the server, not
	// the store).
	Current bool
}

// LastUse is when the device was last used: its last sync, or its
// creation when it never synced.
func (d Device) LastUse() time.Time {
	if d.LastSync.After(d.Created) {
		return d.LastSync
	}
	return d.Created
}

// NewDevice describes the device a new token is for.
type NewDevice struct {
	Name       string // "" gets "Device N"
	AppVersion string
}

// Feed is an account's calendar feed: a read-only key, the days before a
// deadline its alarms fire, and the language of its events.
type Feed struct {
	AccountID int64
	Key       string
	AlarmDays int
	Lang      string // "en" or "fr"
}

// DeviceStore is what devices, pairing and the calendar feed need from
// the store (part of Store).
type DeviceStore interface {
	// AddDevice adds a token for a new device of the account. At
	// MaxDevices live devices it refuses with a TooManyDevicesError naming
	// the device unused the longest.
	AddDevice(ctx context.Context, accountID int64, tokenHash []byte, d NewDevice) (Device, error)
	// ListDevices lists the account's live devices, oldest first.
	ListDevices(ctx context.Context, accountID int64) ([]Device, error)
	// RevokeDevice revokes the device's token, keeping a tombstone
	// (FindAccountByToken then answers ErrDeviceRemoved). Another
	// account's device, or one already revoked, is ENotFound.
	RevokeDevice(ctx context.Context, accountID, deviceID int64) error
	// RenameDevice renames a live device of the account (ENotFound else).
	RenameDevice(ctx context.Context, accountID, deviceID int64, name string) error
	// TouchDevice records that the device synced at t, unless its last
	// sync is less than a minute before t (so that it writes at most once
	// a minute per device).
	TouchDevice(ctx context.Context, deviceID int64, t time.Time) error

	// CreatePairing stores a pairing code's hash for the account, valid
	// until expires; it deletes the codes expired before created.
	CreatePairing(ctx context.Context, accountID int64, codeHash []byte, created, expires time.Time) error
	// RedeemPairing uses the code whose hash is codeHash, if it is unused
	// and not expired at now, and adds the new device's token to its
	// account, in one transaction: ENotFound when there is no such code
	// (wrong, used or expired alike); a TooManyDevicesError leaves the
	// code unused.
	RedeemPairing(ctx context.Context, codeHash []byte, now time.Time, tokenHash []byte, d NewDevice) (accountID int64, dev Device, err error)

	// EnsureFeed returns the account's feed, creating it with key when
	// it has none.
	EnsureFeed(ctx context.Context, accountID int64, key string) (Feed, error)
	// UpdateFeed changes the feed's alarm days or language (nil: left
	// unchanged); ENotFound when the account has no feed.
	UpdateFeed(ctx context.Context, accountID int64, alarmDays *int, lang *string) (Feed, error)
	// DeleteFeed revokes the account's feed key (no error when none).
	DeleteFeed(ctx context.Context, accountID int64) error
	// FindFeed returns the feed whose key is key (ENotFound when none).
	FindFeed(ctx context.Context, key string) (Feed, error)
}

// MaxDevices bounds the live devices (tokens) of an account.
const MaxDevices = 32

// CodeDeviceRemoved is the problem code of a request made with the token
// of a device that was removed from its household.
const CodeDeviceRemoved = "device_removed"

// MsgDeviceRemoved is what a removed device is told.
const MsgDeviceRemoved = "This device was removed from the household. Its data stays on it. To join again, make a pairing code on a signed-in device and choose Join a household."

// ErrDeviceRemoved is the store's answer (FindAccountByToken) for the
// token of a revoked device: unauthorized, with the words it is told.
var ErrDeviceRemoved = &domain.Error{Code: domain.EUnauthorized, Message: MsgDeviceRemoved}

// TooManyDevicesError refuses a new device to an account at MaxDevices:
// Oldest is the device unused the longest, the one to revoke.
type TooManyDevicesError struct {
	Oldest Device
}

func (e *TooManyDevicesError) Error() string { return e.asDomain().Message }

// Unwrap gives the domain error (EConflict, with the sentence).
func (e *TooManyDevicesError) Unwrap() error { return e.asDomain() }

func (e *TooManyDevicesError) asDomain() *domain.Error {
	d := e.Oldest
	return &domain.Error{Code: domain.EConflict, Field: "device", Message: fmt.Sprintf(
		"This household already has %d devices signed in, the most it can have: remove one first, for example %q (device %d, last used %s), in Settings → Devices on a signed-in device or with \"freezerctl devices -revoke %d\".",
		MaxDevices, d.Name, d.ID, d.LastUse().UTC().Format("2006-01-02"), d.ID)}
}

// MaxDeviceName bounds a device's name, in characters.
const MaxDeviceName = 60

// MaxAppVersion bounds an app version, in bytes.
const MaxAppVersion = 40

// CheckDeviceName validates a device's name and returns it trimmed; ""
// stays "" (the store names the device "Device N").
func CheckDeviceName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(name):
		return "", domain.FieldErrorf("name", "The device's name is not valid text (UTF-8): type it again.")
	case utf8.RuneCountInString(name) > MaxDeviceName:
		return "", domain.FieldErrorf("name", "The device's name is too long: at most %d characters.", MaxDeviceName)
	case strings.IndexFunc(name, badNameRune) >= 0:
		return "", domain.FieldErrorf("name", "The device's name contains a control or invisible character: remove it.")
	}
	return name, nil
}

// checkAppVersion validates an app version ("" when unknown).
func checkAppVersion(v string) (string, error) {
	v = strings.TrimSpace(v)
	if len(v) > MaxAppVersion || !utf8.ValidString(v) || strings.IndexFunc(v, badNameRune) >= 0 {
		return "", domain.FieldErrorf("app_version", "The app version must be at most %d characters of plain text, like 1.4.2.", MaxAppVersion)
	}
	return v, nil
}

func badNameRune(r rune) bool {
	return unicode.IsControl(r) || r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// Devices lists the account's devices, marking current (the device
// making the request; 0 for none).
func (s *Server) Devices(ctx context.Context, accountID, current int64) ([]Device, error) {
	ds, err := s.store.ListDevices(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	for i := range ds {
		ds[i].Current = ds[i].ID == current
	}
	return ds, nil
}

// RenameDevice validates name and renames the account's device.
func (s *Server) RenameDevice(ctx context.Context, accountID, deviceID int64, name string) error {
	name, err := CheckDeviceName(name)
	if err != nil {
		return err
	}
	if name == "" {
		return domain.FieldErrorf("name", "Give the device a name, like Kitchen tablet.")
	}
	return s.store.RenameDevice(ctx, accountID, deviceID, name)
}

// RevokeDevice revokes the account's device: its next request is told it
// was removed; its data stays on it.
func (s *Server) RevokeDevice(ctx context.Context, accountID, deviceID int64) error {
	if err := s.store.RevokeDevice(ctx, accountID, deviceID); err != nil {
		return err
	}
	s.log.Info("device revoked", "account", accountID, "device", deviceID)
	return nil
}

// touchEvery is how often at most a device's last sync is written.
const touchEvery = time.Minute

// touchDevice records the device's sync, at most once a minute: the
// token lookup read its last sync, so most requests write nothing. A
// failure is logged, not returned: the sync itself is not at fault.
func (s *Server) touchDevice(ctx context.Context, a Account) {
	now := s.now()
	if a.DeviceID == 0 || now.Sub(a.LastSync) < touchEvery {
		return
	}
	if err := s.store.TouchDevice(ctx, a.DeviceID, now); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Warn("record a device's last sync", "err", err)
	}
}
