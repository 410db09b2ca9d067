package protocol

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// A device's own writes. A pushed mutation that leaves its entity exactly
// as the device holds it need not come back in the device's pulls. The
// device holds, for each entity, the state it last pulled with every field
// of its outbox put back on top when newer (rebase). So a write is the
// device's own when:
//
//   - the merge added nothing of the server's: the new state is the state
//     before with exactly the mutation's winning fields, values and stamps
//     (ApplyOwn below: no slot repair, no re-stamp, no settled notice, no
//     refusal);
//   - and the device held the state before: the entity is new, or its
//     sequence number is within the push's Cursor, or it is the device's
//     own write earlier in the same push (the stores check this part, with
//     the sequence numbers only they know).
//
// The result of such a write carries its sequence number (Result.Seq); the
// device names those in the pulls of the same round (QuerySkip), and the
// server leaves out the entities whose current sequence number is one of
// them. Any later write, from any device or the server's own routes, gives
// the entity a new sequence number, so it is sent. The device keeps them
// in memory for the round only: a round cut short, a restarted app or a
// store put back from a backup pulls its own changes back, as before.

// ApplyOwn merges mu like Apply and also reports whether the merge left
// its entity as mu's device holds it, assuming the device held the state
// before: mu was applied, and the entity's new state is its state before
// with exactly the fields of mu that win, values and stamps, and nothing
// else.
func (m *Merger) ApplyOwn(st MergeStore, mu Mutation) (Result, bool, error) {
	o := &ownStore{MergeStore: st, entity: mu.Entity, id: mu.EntityID}
	res, err := m.Apply(o, mu)
	if err != nil || res.Status != StatusApplied || len(res.Restamped) > 0 || o.after == nil || o.touched {
		return res, false, err
	}
	return res, asSent(mu, o.before, *o.after), nil
}

// ownStore passes every call on to a MergeStore, and keeps the first state
// read of one entity (the state before the mutation) and the last state
// written of it.
type ownStore struct {
	MergeStore
	entity  string
	id      uuid.UUID
	read    bool
	before  Change // empty when the entity did not exist
	after   *Change
	touched bool
}

func (o *ownStore) Freezer(id uuid.UUID) (FreezerState, bool, error) {
	s, ok, err := o.MergeStore.Freezer(id)
	if err == nil && ok && !o.read && o.entity == domain.EntityFreezer && id == o.id {
		o.before = FreezerChange(s, 0)
	}
	o.read = o.read || (o.entity == domain.EntityFreezer && id == o.id)
	return s, ok, err
}

func (o *ownStore) Product(id uuid.UUID) (ProductState, bool, error) {
	s, ok, err := o.MergeStore.Product(id)
	if err == nil && ok && !o.read && o.entity == domain.EntityProduct && id == o.id {
		o.before = ProductChange(s, 0)
	}
	o.read = o.read || (o.entity == domain.EntityProduct && id == o.id)
	return s, ok, err
}

func (o *ownStore) PutFreezer(s FreezerState, created bool) error {
	if o.entity == domain.EntityFreezer && s.Freezer.ID == o.id {
		c := FreezerChange(s, 0)
		o.after = &c
	}
	return o.MergeStore.PutFreezer(s, created)
}

func (o *ownStore) PutProduct(s ProductState, created bool) error {
	if o.entity == domain.EntityProduct && s.Product.ID == o.id {
		c := ProductChange(s, 0)
		o.after = &c
	}
	return o.MergeStore.PutProduct(s, created)
}

func (o *ownStore) Touch(entity string, id uuid.UUID) error {
	if entity == o.entity && id == o.id {
		o.touched = true
	}
	return o.MergeStore.Touch(entity, id)
}

// asSent reports whether after is before with exactly the fields of mu
// whose stamps order after before's, values and stamps, and nothing else.
// A field absent from a change has no value and no stamp.
func asSent(mu Mutation, before, after Change) bool {
	if before.Moved != after.Moved {
		return false
	}
	seen := make(map[string]bool, len(after.Fields))
	check := func(f string) bool {
		if seen[f] {
			return true
		}
		seen[f] = true
		want, wantTS := before.Fields[f], fieldStamp(before, f)
		if v, ok := mu.Fields[f]; ok && mu.StampOf(f).After(wantTS) {
			want, wantTS = v, mu.StampOf(f)
		}
		got, ok := after.Fields[f]
		return ok == (want != nil) && sameJSON(got, want) && fieldStamp(after, f) == wantTS
	}
	for _, fields := range []map[string]json.RawMessage{after.Fields, before.Fields, mu.Fields} {
		for f := range fields {
			if !check(f) {
				return false
			}
		}
	}
	return true
}

func fieldStamp(c Change, f string) domain.Timestamp {
	if _, ok := c.Fields[f]; !ok {
		return domain.Timestamp{}
	}
	return c.StampOf(f)
}

// sameJSON reports whether a and b are the same JSON text, spaces aside.
func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ca, cb bytes.Buffer
	return json.Compact(&ca, a) == nil && json.Compact(&cb, b) == nil && bytes.Equal(ca.Bytes(), cb.Bytes())
}

// SeqRange is a closed range of sequence numbers.
type SeqRange struct{ From, To int64 }

// MaxSkipRanges is the most ranges a pull's QuerySkip may name; FormatSkip
// keeps the first ones (the rest come back, which costs bytes only).
const MaxSkipRanges = 64

// FormatSkip writes the sequence numbers of seqs after cursor as the value
// of QuerySkip: sorted ranges, "12-40,45" ("" when none).
func FormatSkip(seqs []int64, cursor int64) string {
	var after []int64
	for _, s := range seqs {
		if s > cursor {
			after = append(after, s)
		}
	}
	slices.Sort(after)
	var b strings.Builder
	n := 0
	for i := 0; i < len(after) && n < MaxSkipRanges; n++ {
		j := i
		for j+1 < len(after) && after[j+1] <= after[j]+1 {
			j++
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(after[i], 10))
		if after[j] != after[i] {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(after[j], 10))
		}
		i = j + 1
	}
	return b.String()
}

// ParseSkip reads the value of QuerySkip.
func ParseSkip(v string) ([]SeqRange, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > MaxSkipRanges {
		return nil, domain.Errorf(domain.EInvalid, "%s names at most %d ranges, not %d.", QuerySkip, MaxSkipRanges, len(parts))
	}
	out := make([]SeqRange, 0, len(parts))
	for _, p := range parts {
		from, to, isRange := strings.Cut(p, "-")
		if !isRange {
			to = from
		}
		a, err1 := strconv.ParseInt(from, 10, 64)
		b, err2 := strconv.ParseInt(to, 10, 64)
		if err1 != nil || err2 != nil || a < 1 || b < a {
			return nil, domain.Errorf(domain.EInvalid, "%s must list sequence numbers and ranges like 12-40,45; %q is neither.", QuerySkip, p)
		}
		out = append(out, SeqRange{a, b})
	}
	return out, nil
}

// Skipped reports whether seq is in one of ranges.
func Skipped(ranges []SeqRange, seq int64) bool {
	for _, r := range ranges {
		if seq >= r.From && seq <= r.To {
			return true
		}
	}
	return false
}

// OwnWrite follows, in a server store's merge transaction, the entity of
// the mutation being merged: its sequence number when the merge first read
// it (0 when it did not exist: every stored entity has a number from 1) and
// the last number it took. The store calls Saw from its Freezer and Product
// reads and Took when it gives an entity a number; ApplyTracked reads them.
type OwnWrite struct {
	entity string
	id     uuid.UUID
	read   bool
	before int64
	seq    int64
}

// Saw notes the sequence number of an entity the merge read.
func (o *OwnWrite) Saw(entity string, id uuid.UUID, seq int64) {
	if !o.read && entity == o.entity && id == o.id {
		o.read, o.before = true, seq
	}
}

// Took notes the sequence number an entity took.
func (o *OwnWrite) Took(entity string, id uuid.UUID, seq int64) {
	if entity == o.entity && id == o.id {
		o.seq = seq
	}
}

// ApplyTracked merges mu into st (which reports to o) and sets the result's
// Seq when the write is the device's own: the merge left the entity as the
// device holds it, and the device held the state before (a new entity, a
// number within the push's cursor under its epoch, or the device's own
// write earlier in this push, in own, which it extends).
func (m *Merger) ApplyTracked(st MergeStore, o *OwnWrite, req PushRequest, mu Mutation, own map[int64]bool) (Result, error) {
	*o = OwnWrite{entity: mu.Entity, id: mu.EntityID}
	res, asSent, err := m.ApplyOwn(st, mu)
	if err != nil {
		return Result{}, err
	}
	held := o.before == 0 || (req.Epoch != "" && o.before <= req.Cursor) || own[o.before]
	if asSent && held && o.seq != 0 {
		res.Seq = o.seq
		own[res.Seq] = true
	}
	return res, nil
}
