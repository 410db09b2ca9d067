package server

import (
	"context"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// Store is everything the server keeps. One implementation (sqlstore) runs
// on SQLite today; its SQL is written to port to PostgreSQL.
//
// Every method that takes an account id acts only on that account's rows:
// an id of another account's freezer or product answers ENotFound, exactly
// like an id that does not exist. Writes are stamped with the server's
// hybrid logical clock, field by field, and get the account's next change
// sequence number in the same transaction.
type Store interface {
	// Accounts and tokens. Emails are matched without regard to case.
	CreateAccount(ctx context.Context, email string, passwordHash []byte, tokenHash []byte) (Account, error)
	FindAccountByEmail(ctx context.Context, email string) (Account, error)
	// FindAccountByToken returns the account owning the token whose SHA-256
	// hash is tokenHash.
	FindAccountByToken(ctx context.Context, tokenHash []byte) (Account, error)
	// AddToken adds a token for a device named "Device N"; at MaxDevices
	// it refuses like AddDevice.
	AddToken(ctx context.Context, accountID int64, tokenHash []byte) error
	// ReplaceTokens revokes every live token of the account (removed
	// devices keep their tombstones) and adds tokenHash.
	ReplaceTokens(ctx context.Context, accountID int64, tokenHash []byte) error
	SetPassword(ctx context.Context, accountID int64, passwordHash []byte) error
	// ChangePassword sets the account's password hash and revokes every
	// token of the account except those whose hashes are in keep, in one
	// transaction: a password change signs the other devices out.
	ChangePassword(ctx context.Context, accountID int64, passwordHash []byte, keep [][]byte) error
	ListAccounts(ctx context.Context) ([]Account, error)
	// DeleteAccount removes the account with its tokens, freezers and products.
	DeleteAccount(ctx context.Context, accountID int64) error

	// Devices, pairing codes and the calendar feed (devices.go).
	DeviceStore

	// Product types, read by everyone, written by the administrator.
	ListTypes(ctx context.Context) ([]domain.ProductType, error)
	CreateType(ctx context.Context, en, fr string) (domain.ProductType, error)
	RenameType(ctx context.Context, id int, en, fr string) (domain.ProductType, error)

	// Freezers. Lists and finds leave deleted freezers out.
	ListFreezers(ctx context.Context, accountID int64) ([]Freezer, error)
	FindFreezer(ctx context.Context, accountID int64, id uuid.UUID) (Freezer, error)
	FindFreezerByNum(ctx context.Context, accountID int64, num int64) (Freezer, error)
	// CreateFreezer validates f (domain rules) and stores it; a zero f.ID
	// gets a new UUID v7. names says whether f's name may be one another
	// freezer of the account has (see NameRule).
	CreateFreezer(ctx context.Context, accountID int64, f domain.Freezer, names NameRule) (Freezer, error)
	UpdateFreezer(ctx context.Context, accountID int64, id uuid.UUID, upd FreezerUpdate) (Freezer, error)
	// DeleteFreezer marks the freezer deleted (a tombstone). It refuses with
	// EConflict on field domain.FieldDeleted while a product is inside.
	DeleteFreezer(ctx context.Context, accountID int64, id uuid.UUID) error

	// Products, deleted freezers' history included.
	FindProducts(ctx context.Context, accountID int64, filter ProductFilter) ([]Product, error)
	FindProduct(ctx context.Context, accountID int64, id uuid.UUID) (Product, error)
	FindProductByNum(ctx context.Context, accountID int64, num int64) (Product, error)
	// CreateProduct validates p against the domain rules, its freezer and
	// the free slots, then stores it; a zero p.ID gets a new UUID v7.
	CreateProduct(ctx context.Context, accountID int64, p domain.Product) (Product, error)
	// CreateProductInFreezerNum is CreateProduct with the freezer named by
	// its number (the original API's), found in the same transaction as
	// the write; an unknown number is ENotFound. p.Location.FreezerID is
	// ignored.
	CreateProductInFreezerNum(ctx context.Context, accountID, num int64, p domain.Product) (Product, error)
	// UpdateProduct applies upd (take out, put back and moves included)
	// and validates the result like CreateProduct.
	UpdateProduct(ctx context.Context, accountID int64, id uuid.UUID, upd ProductUpdate) (Product, error)
	// DeleteProduct deletes a product entered by mistake: a tombstone (its
	// deleted field, stamped and synced), its slot freed; the Find methods
	// no longer return it. An unknown or deleted product is ENotFound.
	DeleteProduct(ctx context.Context, accountID int64, id uuid.UUID) error

	// TypeFrequency counts products per type over every account, most
	// frequent first, ties by type id.
	TypeFrequency(ctx context.Context) ([]domain.TypeCount, error)

	Close() error
}

// Account is a user of the server.
type Account struct {
	ID           int64
	Email        string
	PasswordHash []byte
	Created      time.Time
	Tokens       int // number of live tokens (filled by ListAccounts)
	// Seq is the account's change sequence when it was read (filled by
	// FindAccountByToken): it moves with every change to the account's
	// freezers and products.
	Seq int64
	// DeviceID and LastSync are the device of the token and its last
	// sync (filled by FindAccountByToken).
	DeviceID int64
	LastSync time.Time
}

// Freezer is a freezer as the server keeps it: the domain freezer plus its
// small integer for the seed-compatible API and its change sequence.
type Freezer struct {
	domain.Freezer
	Num int64 // compat freezer_id
	Seq int64
}

// Product is a product as the server keeps it.
type Product struct {
	domain.Product
	Num         int64 // compat descr_id
	FreezerNum  int64 // compat freezer_id of its freezer
	FreezerName string
	Seq         int64
}

// FreezerUpdate changes a freezer; nil fields are left unchanged. Names
// applies to a new name (see NameRule).
type FreezerUpdate struct {
	Name  *string
	Boxes *int
	Names NameRule
}

// NameRule says whether a freezer may take a name another freezer of the
// account has. Deleted freezers hold no name; sync's merge never checks
// names (two devices apart may both create "cave": both are kept).
type NameRule int

// Name rules.
const (
	// UniqueName refuses a name another freezer of the account has,
	// ignoring case and accents (domain.Fold), with EConflict on
	// domain.FieldName; a change of case of the freezer's own name is
	// allowed. /api/v1 uses it.
	UniqueName NameRule = iota
	// RepeatedName allows any name: the seed-compatible API keeps the
	// original's behaviour, where two freezers could share a name.
	RepeatedName
)

// ProductUpdate changes a product; nil fields are left unchanged. Location
// moves the product (freezer, box and slot together). DateOut set to a date
// takes the product out; set to the zero Date it puts the product back in
// (and clears its outcome).
type ProductUpdate struct {
	Name         *string
	Description  *string
	TypeID       *int
	Location     *domain.Location
	Quantity     *int
	DateIn       *domain.Date
	PeriodMonths *int
	DateOut      *domain.Date
	Outcome      *domain.Outcome
}

// Where selects products by whether they are inside.
type Where int

// Product selections.
const (
	All    Where = iota // both (the default on the server, like the original)
	Inside              // still in a freezer
	Out                 // taken out
)

// ProductFilter selects products. The zero filter selects every product of
// the account, ordered by compat id.
type ProductFilter struct {
	Where      Where
	FreezerID  *uuid.UUID
	FreezerNum *int64 // compat freezer_id
	Box        *int
	Slot       *int
	TypeID     *int
}
