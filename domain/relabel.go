package domain

import (
	"encoding/json"
	"strings"
	"time"
)

// FieldRelabel names a product's relabel notice on the sync wire and in the
// stores' per-field stamps. It is not one of ProductFields: a product is
// created without it (an older device never sends it), and it lives beside
// the product rather than in it.
const FieldRelabel = "relabel"

// Relabel is the notice a product carries after the server moved it to
// another slot to settle a collision: a person put it at PutAt (By, at At),
// the server put it elsewhere (the product's location), and its label must
// change. It is replicated like a field: the repair sets it, a person's
// later location write clears it, and so does a person saying the label
// was changed, on any device.
type Relabel struct {
	PutAt Location  `json:"put_at"`
	By    string    `json:"by"` // the node (device id) that put it there
	At    time.Time `json:"at"` // when it was put there (UTC, milliseconds)
}

// RelabelOf returns the notice of a repair of the location written with
// stamp ts at put: by ts's node (without repair marks), at ts's time. It
// depends only on the colliding write, so a repair made again (after a
// server restore) makes the same notice.
func RelabelOf(put Location, ts Timestamp) *Relabel {
	return &Relabel{PutAt: put, By: ts.Origin(), At: ts.Time()}
}

// Origin returns the node that made t, without the marks of repairs.
func (t Timestamp) Origin() string {
	n := t.Node
	for strings.HasSuffix(n, repairMark) {
		n = strings.TrimSuffix(n, repairMark)
	}
	return n
}

// RelabelValue returns the wire value of a relabel notice: null for none.
func RelabelValue(r *Relabel) json.RawMessage {
	if r == nil {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(wireRelabel{WireLocation(r.PutAt), r.By, r.At.UTC()}) // plain values: cannot fail
	return b
}

// ParseRelabel decodes the wire value of a relabel notice (nil for null or
// empty).
func ParseRelabel(raw json.RawMessage) (*Relabel, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var w wireRelabel
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, Errorf(EInvalid, "The value of the product's field %q is malformed: %v.", FieldRelabel, err)
	}
	if w.By != "" && !ValidNode(w.By) {
		return nil, Errorf(EInvalid, "The relabel notice names a device that is not a device id: at most %d letters, digits or '-'.", MaxNodeLength)
	}
	return &Relabel{PutAt: Location(w.PutAt), By: w.By, At: w.At.UTC()}, nil
}

type wireRelabel struct {
	PutAt WireLocation `json:"put_at"`
	By    string       `json:"by"`
	At    time.Time    `json:"at"`
}

// SettleRelabel returns the relabel notice r, stamped rts, as it stands
// beside a location stamped loc: when the location is stamped after the
// notice, a person placed the product after the repair (or after the
// notice was cleared), so there is no label left to change for it, and the
// notice is none, stamped loc. Every replica applies it to the state it
// merged, and the result depends only on the stamps, so replicas agree.
func SettleRelabel(r *Relabel, rts, loc Timestamp) (*Relabel, Timestamp) {
	if r != nil && loc.After(rts) {
		return nil, loc
	}
	return r, rts
}
