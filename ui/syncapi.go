package ui

import (
	"context"
	"time"
)

// Sync is what the desktop app needs from the syncer. Like Inventory, ui
// declares it with its own types so that it never imports the sync
// packages; cmd/freezer wires an adapter (package freezer/app). A nil Sync
// means this build or run has no syncer: Settings then says sync is not
// set up.
//
// SignIn, SignInWithToken, SignOut, SyncNow and GeneralTendency do network
// or keyring I/O: screens call them only from background work.
type Sync interface {
	// Status is the current state; Subscribe calls fn with every new one,
	// from any goroutine (the UI hands it over with fyne.Do).
	Status() SyncStatus
	Subscribe(fn func(SyncStatus)) (cancel func())
	// SignIn exchanges an email and a password for a token, kept outside
	// the inventory (keyring or a private file), and starts syncing.
	SignIn(ctx context.Context, server, email, password string) error
	// SignInWithToken checks and keeps a token given by the server's
	// administrator or another device.
	SignInWithToken(ctx context.Context, server, token string) error
	// SignOut forgets the token; the inventory stays on the device.
	SignOut(ctx context.Context) error
	// SyncNow runs a round and waits for it; its progress is published.
	SyncNow(ctx context.Context) error
	// GeneralTendency fetches every household's products per type.
	GeneralTendency(ctx context.Context) ([]TypeTrend, error)
	// ClearNotices forgets the slot moves and refused changes shown.
	ClearNotices()

	// Pair redeems a pairing code made on a signed-in device: this device
	// gets its own token, named deviceName, and starts syncing. With server
	// "", code is the pairing link (https://host/pair/ABCD-EFGH).
	Pair(ctx context.Context, server, code, deviceName string) error
	// Devices lists the household's devices, this one marked Current.
	Devices(ctx context.Context) ([]Device, error)
	// RevokeDevice removes another device from the household: its token
	// stops working; its data stays on it.
	RevokeDevice(ctx context.Context, id int64) error
	RenameDevice(ctx context.Context, id int64, name string) error
	// NewPairingCode asks the server for a one-time code for a new device.
	NewPairingCode(ctx context.Context) (PairingCode, error)
	// CalendarFeed returns the household's calendar link (made on first
	// use).
	CalendarFeed(ctx context.Context) (Feed, error)
}

// Device is one of the household's devices (a token).
type Device struct {
	ID                int64
	Name, AppVersion  string
	Created, LastSync time.Time // LastSync zero: never synced
	Current           bool      // the device this app runs on
}

// PairingCode is a one-time code for a new device: Code as shown
// (ABCD-EFGH), Link the pairing link the QR code holds.
type PairingCode struct {
	Code, Link string
	Expires    time.Time
}

// Feed is the household's calendar feed.
type Feed struct {
	CalendarURL, SummaryURL string
	AlarmDays               int
}

// SyncState is what the syncer is doing.
type SyncState string

// Sync states.
const (
	SyncIdle    SyncState = "idle"
	SyncSyncing SyncState = "syncing"
	SyncOffline SyncState = "offline" // the server cannot be reached; retrying
	SyncError   SyncState = "error"   // the last round failed; Err says why
	SyncOff     SyncState = "off"     // signed out
)

// SyncStatus is the syncer's state as the screens show it.
type SyncStatus struct {
	State       SyncState
	Server      string // the server's address ("" before the first sign-in)
	SignedIn    bool   // a token is kept for Server
	Phase       string // "push" or "pull" while syncing
	Done, Total int
	LastSuccess time.Time // zero: never
	Pending     int       // local changes waiting to be sent
	Err         *SyncErr  // nil when fine
	NextRetry   time.Time
	Moves       []SlotMove
	Rejected    []Rejection
	// DataChanged is set on the first status after a round that changed
	// the device's data: the screens read it again.
	DataChanged bool
	// Seq grows with every status published: a status older than the one
	// shown is dropped (they may arrive out of order from goroutines).
	Seq uint64
}

// SyncErr is a sync failure: Kind picks a translated sentence, Message is
// the syncer's own (English) sentence, shown when Kind is SyncErrOther.
type SyncErr struct {
	Kind    string
	Message string
}

func (e *SyncErr) Error() string { return e.Message }

// Sync error kinds.
const (
	SyncErrOffline       = "offline"        // the server cannot be reached
	SyncErrTimeout       = "timeout"        // the server did not answer in time
	SyncErrWrongPassword = "wrong_password" // sign-in refused
	SyncErrToken         = "token"          // the token was refused: sign in again
	SyncErrBadToken      = "bad_token"      // a pasted token was refused
	SyncErrBusy          = "busy"           // too many requests
	SyncErrServer        = "server"         // the server had a problem (5xx)
	SyncErrNotSync       = "not_sync"       // the address is not a Freezer server
	SyncErrAddress       = "address"        // the address is not a URL
	SyncErrNoServer      = "no_server"      // no server is set up
	SyncErrIdentity      = "identity"       // the server's database keeps changing identity
	SyncErrUpdate        = "update"         // the app is too old for the server (its protocol, or what it sent): update it
	SyncErrRetry         = "retry"          // the server's answer was cut or acknowledged nothing
	SyncErrRefused       = "refused"        // the server refused the request (4xx)
	SyncErrRemoved       = "device_removed" // this device was removed from the household: join again
	SyncErrPairCode      = "pair_code"      // the pairing code is wrong, expired or used: ask for a new one
	SyncErrPairBusy      = "pair_busy"      // too many wrong codes: wait, then ask for a new one
	SyncErrNotSignedIn   = "not_signed_in"  // the call needs a signed-in device
	SyncErrOther         = "other"
)

// SlotMove is a product the server moved to another slot to settle a
// collision: its label must change.
type SlotMove struct {
	Name string
	// PutAt is where the product was put (Box 0 when unknown); NowAt is
	// where it is now.
	PutAt, NowAt Place
}

// Place is a freezer (by name; "" when unknown), a box and a slot.
type Place struct {
	Freezer   string
	Box, Slot int
}

// Rejection is a local change the server refused for good.
type Rejection struct {
	What    string // "product Leek soup", "freezer Garage"
	Reason  string
	Dropped bool // it left the device
}

// TypeTrend is one product type's count over every household.
type TypeTrend struct {
	TypeID int    `json:"type_id"`
	Count  int    `json:"count"`
	NameEN string `json:"name_en"`
	NameFR string `json:"name_fr"`
}

// Name returns the type's name in the language in use.
func (t TypeTrend) Name() string {
	if Language() == "fr" && t.NameFR != "" {
		return t.NameFR
	}
	return t.NameEN
}
