package sqlstore

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"freezer/sync/protocol"
)

// A device's own writes (protocol.ApplyOwn): a push's mutation that left
// its entity exactly as its device holds it is answered with its sequence
// number (Result.Seq), which the device's pulls of the same round name in
// protocol.QuerySkip.

// ownMut follows the entity of the mutation being merged: its seq when the
// merge first read it (0 when it did not exist: every row has a seq from
// 1) and the last seq it took.
type ownMut struct {
	entity string
	id     uuid.UUID
	read   bool
	before int64
	seq    int64
}

// saw notes the seq of an entity the merge read.
func (o *ownMut) saw(entity string, id uuid.UUID, seq int64) {
	if !o.read && entity == o.entity && id == o.id {
		o.read, o.before = true, seq
	}
}

// took notes the seq an entity took.
func (o *ownMut) took(entity string, id uuid.UUID, seq int64) {
	if entity == o.entity && id == o.id {
		o.seq = seq
	}
}

// applyOwn merges mu and sets the result's Seq when the write is the
// device's own: the merge left the entity as the device holds it, and the
// device held the state before (a new entity, a seq within the push's
// cursor, or the device's own write earlier in this push, in own, which
// it extends).
func (m *mergeTx) applyOwn(merger *protocol.Merger, req protocol.PushRequest, mu protocol.Mutation, own map[int64]bool) (protocol.Result, error) {
	m.own = ownMut{entity: mu.Entity, id: mu.EntityID}
	res, asSent, err := merger.ApplyOwn(m, mu)
	if err != nil {
		return protocol.Result{}, err
	}
	before := m.own.before
	held := before == 0 || (req.Epoch != "" && before <= req.Cursor) || own[before]
	if asSent && held && m.own.seq != 0 {
		res.Seq = m.own.seq
		own[res.Seq] = true
	}
	return res, nil
}

// nextSeq gives the account's next change sequence number to an entity.
func (m *mergeTx) nextSeq(entity string, id uuid.UUID) (int64, error) {
	seq, err := m.tx.nextSeq(m.ctx, m.account)
	if err == nil {
		m.own.took(entity, id, seq)
	}
	return seq, err
}

// skipClause returns the SQL condition, and its arguments, that leaves
// out the rows whose seq is in skip.
func skipClause(skip []protocol.SeqRange) (string, []any) {
	var q string
	var args []any
	for _, r := range skip {
		q += ` AND seq NOT BETWEEN ? AND ?`
		args = append(args, r.From, r.To)
	}
	return q, args
}

// head returns the account's latest change sequence number.
func (t *tx) head(ctx context.Context, account int64) (int64, error) {
	var seq int64
	if err := t.queryRow(ctx, `SELECT last_seq FROM accounts WHERE id = ?`, account).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read sequence of account %d: %w", account, err)
	}
	return seq, nil
}
