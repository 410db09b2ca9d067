// Package protocol holds the sync wire types shared by freezerd and the
// devices, the wire form of every mergeable field, and the merge rules both
// sides apply: per-field last-writer-wins ordered by the hybrid logical
// clock, with a bound on clocks running ahead.
//
// A device pushes batches of mutations (POST PushPath) and pulls pages of
// changes (GET PullPath?cursor=N&limit=M). Bodies are JSON, gzip-compressed
// both ways (Content-Encoding: gzip on requests, Accept-Encoding: gzip on
// responses). Every response carries the server's time and epoch.
package protocol

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
)

// Protocol versions. A device speaks Version; a server serves every
// version from MinVersion to Version (see docs/SYNC.md, "Protocol
// versions"). New fields and entities are additive: a device ignores the
// fields it does not know, and the server answers an older device only
// with what that version defines the meaning of. A request below
// MinVersion is answered 426 with CodeUpdate and a sentence telling the
// person to update the app; one above Version, 400 (the server is older).
//
// Version 2: a push names the device's cursor (PushRequest.Cursor), its
// results carry the sequence number of the device's own writes
// (Result.Seq), and a pull may name those to leave out (QuerySkip).
//
// Version 3: a product has a deleted field (domain.FieldDeleted, a
// tombstone, merged like the others). Pulls answered to an older device
// leave it out (ChangesFor); a creation without it is not deleted.
//
// Version 4: remembered barcodes (domain.EntityBarcode, BarcodeState), a
// new entity. Pulls answered to an older device leave them out
// (ChangesFor): it cannot read them, and never writes them.
const (
	Version    = 4
	MinVersion = 1
)

// CodeUpdate is the problem code of a request whose protocol version the
// server no longer serves: the app must be updated. The device keeps its
// outbox.
const CodeUpdate = "update_required"

// Routes and headers.
const (
	PushPath     = "/api/v1/sync/push"
	PullPath     = "/api/v1/sync/pull"
	LoginPath    = "/api/v1/login"
	RegisterPath = "/api/v1/register"
	// VersionHeader carries the protocol version on every sync request.
	VersionHeader = "Freezer-Sync-Version"
)

// Limits.
const (
	// MaxPushBatch is the most mutations one push may carry.
	MaxPushBatch = 500
	// MaxPullPage is the most changes one pull page may carry.
	MaxPullPage = 1000
	// MaxAhead is how far ahead of the server's clock a stamp may be. A
	// mutation stamped further ahead is applied re-stamped with the
	// server's clock, and the device corrects its offset from ServerTime.
	MaxAhead = time.Minute
)

// Mutation is one change made on a device: the new wire values of the
// fields it changed and the clock stamp of each of them. To keep the wire
// small, Stamp is the stamp of every field not listed in Stamps (a local
// edit stamps all its fields alike); StampOf reads a field's stamp.
type Mutation struct {
	ID       string                      `json:"id"` // unique per device; the server's ledger key
	Entity   string                      `json:"entity"`
	EntityID uuid.UUID                   `json:"entity_id"`
	Op       string                      `json:"op"`
	Fields   map[string]json.RawMessage  `json:"fields"`
	Stamp    domain.Timestamp            `json:"stamp,omitzero"`
	Stamps   map[string]domain.Timestamp `json:"stamps,omitempty"`
}

// StampOf returns the stamp of field f.
func (m Mutation) StampOf(f string) domain.Timestamp { return stampOf(m.Stamp, m.Stamps, f) }

// PushRequest is the body of a push.
//
// Epoch is the server epoch the device last saw ("" before its first
// sync). A server whose epoch differs (its database was restored from a
// backup or replaced) applies nothing and answers with no results and its
// epoch: the device then reconciles (pulls everything from cursor 0 and
// queues again, in full and with their stored stamps, the entities the
// server lacks or holds older fields of) before it pushes, so that no
// acknowledged change is lost and no entity the server lost is taken for
// a refused one.
//
// Cursor (version 2) is the device's pull cursor under Epoch: the device
// holds the state of every entity up to it. The server uses it to know
// which of the device's writes leave an entity exactly as the device holds
// it (Result.Seq).
type PushRequest struct {
	Version   int        `json:"version"`
	Device    string     `json:"device"`
	Epoch     string     `json:"epoch"`
	Cursor    int64      `json:"cursor,omitempty"`
	Mutations []Mutation `json:"mutations"`
}

// Result statuses of a pushed mutation. Each one acknowledges the mutation:
// the device removes it from its outbox.
const (
	StatusApplied   = "applied"   // merged and committed
	StatusDuplicate = "duplicate" // already applied earlier (a retry)
	StatusRejected  = "rejected"  // can never apply; Reason says why
	StatusMoved     = "moved"     // applied, but the product moved to another slot (Location)
)

// Result answers one pushed mutation.
type Result struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Code and Reason explain a rejection: a domain error code and a
	// sentence a person can act on.
	Code   string `json:"code,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Missing is set on a rejection when the server holds no such entity
	// (a refused create): the device drops its copy so that it converges.
	Missing bool `json:"missing,omitempty"`
	// Location is where a moved product went.
	Location *domain.Location `json:"location,omitempty"`
	// Restamped lists the fields whose stamps were too far ahead of the
	// server's clock and were replaced by the server's.
	Restamped []string `json:"restamped,omitempty"`
	// Seq (version 2) is set when the mutation is the device's own write:
	// its entity now stands exactly as the device holds it (see ApplyOwn),
	// at this sequence number. The device leaves it out of the pulls of
	// the same round (QuerySkip). A write the server altered, or merged
	// into a state the device had not pulled, has none.
	Seq int64 `json:"seq,omitempty"`
}

// PushResponse answers a push: one result per mutation, in order.
type PushResponse struct {
	Version    int       `json:"version"`
	ServerTime time.Time `json:"server_time"`
	Epoch      string    `json:"epoch"`
	Results    []Result  `json:"results"`
}

// Change is the current state of one entity that changed after the
// puller's cursor: every field with its stamp (Stamp for the fields not in
// Stamps, as in Mutation).
type Change struct {
	Entity string                      `json:"entity"`
	ID     uuid.UUID                   `json:"id"`
	Seq    int64                       `json:"seq"`
	Fields map[string]json.RawMessage  `json:"fields"`
	Stamp  domain.Timestamp            `json:"stamp,omitzero"`
	Stamps map[string]domain.Timestamp `json:"stamps,omitempty"`
	// Moved is set on a product that carries a relabel notice (the server
	// moved it to another slot to resolve a collision: its label must
	// change). The notice itself, with where the product was put, by whom
	// and when, is the field domain.FieldRelabel of Fields, stamped like
	// the others; Moved stays for devices that predate it.
	Moved bool `json:"moved,omitempty"`
}

// StampOf returns the stamp of field f.
func (c Change) StampOf(f string) domain.Timestamp { return stampOf(c.Stamp, c.Stamps, f) }

func stampOf(common domain.Timestamp, stamps map[string]domain.Timestamp, f string) domain.Timestamp {
	if ts, ok := stamps[f]; ok {
		return ts
	}
	return common
}

// CompactStamps splits per-field stamps into the most frequent stamp and
// the fields whose stamp differs from it (nil when none does).
func CompactStamps(all map[string]domain.Timestamp) (domain.Timestamp, map[string]domain.Timestamp) {
	count := map[domain.Timestamp]int{}
	var common domain.Timestamp
	for _, ts := range all {
		count[ts]++
		if n := count[ts]; n > count[common] || (n == count[common] && ts.After(common)) {
			common = ts
		}
	}
	var rest map[string]domain.Timestamp
	for f, ts := range all {
		if ts != common {
			if rest == nil {
				rest = map[string]domain.Timestamp{}
			}
			rest[f] = ts
		}
	}
	return common, rest
}

// PullResponse is one page of changes, ordered by Seq.
type PullResponse struct {
	Version    int       `json:"version"`
	ServerTime time.Time `json:"server_time"`
	Epoch      string    `json:"epoch"`
	Changes    []Change  `json:"changes"`
	// Cursor is the position to pull from next: the last Seq of the page
	// when More is set; else the account's latest sequence number (the
	// page held every change after the request's cursor, apart from the
	// ones QuerySkip left out), or the request's cursor when larger.
	Cursor int64 `json:"cursor"`
	More   bool  `json:"more"`
	// Types is the list of product types, sent only when its tag differs
	// from the one the device gave (query parameter "types").
	Types    []domain.ProductType `json:"types,omitempty"`
	TypesTag string               `json:"types_tag"`
}

// Pull query parameters.
const (
	QueryCursor = "cursor"
	QueryLimit  = "limit"
	QueryTypes  = "types"
	// QuerySkip (version 2) lists sequence numbers the page leaves out:
	// the Result.Seq of the device's own writes, as ranges ("12-40,45";
	// FormatSkip). An entity written again since has another sequence
	// number and is sent. A reconciliation pulls without it.
	QuerySkip = "skip"
)

// ErrorResponse is the body of every error answer of the sync and /api/v1
// routes: an RFC 9457 problem document with freezerd's stable code (a
// domain error code) and a sentence a person can act on in Detail.
type ErrorResponse struct {
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
}

// Credentials is the body of a login or register request.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// TokenResponse answers a login or register.
type TokenResponse struct {
	Token string `json:"token"`
}
