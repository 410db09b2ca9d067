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

// nextSeq gives the account's next change sequence number to an entity.
func (m *mergeTx) nextSeq(entity string, id uuid.UUID) (int64, error) {
	seq, err := m.tx.nextSeq(m.ctx, m.account)
	if err == nil {
		m.own.Took(entity, id, seq)
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
