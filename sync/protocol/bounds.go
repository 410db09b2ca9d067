package protocol

import (
	"unicode/utf8"

	"freezer/domain"
)

// Bounds of a push beyond its number of mutations (MaxPushBatch): what the
// server stores of it (the device and the mutation ids in its ledger, the
// stamps with every field) stays small whatever a client sends. Stamps are
// bounded when they are decoded (domain.ParseTimestamp: a node of at most
// domain.MaxNodeLength bytes).
const (
	// MaxIDLength is the longest device name or mutation id, in bytes
	// (devices send 16 hex digits and UUIDs).
	MaxIDLength = 64
	// MaxFields is the most fields (and per-field stamps) one mutation
	// may carry: a product has fewer, with its relabel notice.
	MaxFields = 16
	// maxFieldName is the longest field name: longer ones name no field.
	maxFieldName = 32
)

// Check refuses a push whose identifiers or mutations exceed the bounds
// above, with a sentence that says which (the whole push is refused: a
// device never sends one).
func (req PushRequest) Check() error {
	if !validID(req.Device) {
		return domain.Errorf(domain.EInvalid, "The push's device name must be 1 to %d characters without control characters.", MaxIDLength)
	}
	if len(req.Mutations) > MaxPushBatch {
		return domain.Errorf(domain.EInvalid, "A push carries at most %d changes, not %d.", MaxPushBatch, len(req.Mutations))
	}
	for i, mu := range req.Mutations {
		if mu.ID != "" && !validID(mu.ID) {
			return domain.Errorf(domain.EInvalid, "Change %d: its id must be at most %d characters without control characters.", i+1, MaxIDLength)
		}
		if len(mu.Fields) > MaxFields || len(mu.Stamps) > MaxFields {
			return domain.Errorf(domain.EInvalid, "Change %d carries more than %d fields.", i+1, MaxFields)
		}
		for f := range mu.Fields {
			if len(f) > maxFieldName {
				return domain.Errorf(domain.EInvalid, "Change %d names a field that does not exist.", i+1)
			}
		}
		for f := range mu.Stamps {
			if len(f) > maxFieldName {
				return domain.Errorf(domain.EInvalid, "Change %d stamps a field that does not exist.", i+1)
			}
		}
	}
	return nil
}

// validID reports whether s is a device name or a mutation id: 1 to
// MaxIDLength bytes of printable text.
func validID(s string) bool {
	if s == "" || len(s) > MaxIDLength || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
