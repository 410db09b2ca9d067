package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/sync/protocol"
)

// The barcode memory (sync protocol version 4): an account's remembered
// barcodes, merged by protocol.Merger like freezers and products and
// pulled in the same change sequence. Their id is derived from their code
// (domain.BarcodeID), so it is the same in every account: rows are keyed
// by (account_id, id).

const syncBarcodeCols = `id, code, name, type_id, period, code_ts, name_ts, type_ts, period_ts, seq`

var barcodeStampCols = []string{"code_ts", "name_ts", "type_ts", "period_ts"}

func scanSyncBarcode(row interface{ Scan(...any) error }) (protocol.BarcodeState, int64, error) {
	var s protocol.BarcodeState
	b := &s.Barcode
	var id string
	var ts [4]string
	var seq int64
	if err := row.Scan(&id, &b.Code, &b.Name, &b.TypeID, &b.PeriodMonths, &ts[0], &ts[1], &ts[2], &ts[3], &seq); err != nil {
		return protocol.BarcodeState{}, 0, err
	}
	if domain.BarcodeID(b.Code).String() != id {
		return protocol.BarcodeState{}, 0, fmt.Errorf("barcode %q: its code %q names another id", id, b.Code)
	}
	var err error
	if s.Stamps, err = domain.ParseStamps(domain.BarcodeFields, ts[:]); err != nil {
		return protocol.BarcodeState{}, 0, fmt.Errorf("barcode %s: %w", id, err)
	}
	return s, seq, nil
}

// changedBarcodes returns the account's barcodes changed after cursor, in
// change order, leaving out the rows whose seq is in skip.
func (t *tx) changedBarcodes(ctx context.Context, accountID, cursor int64, limit int, skip []protocol.SeqRange) ([]protocol.Change, error) {
	cond, args := skipClause(skip)
	rows, err := t.query(ctx, `SELECT `+syncBarcodeCols+` FROM barcodes WHERE account_id = ? AND seq > ?`+cond+` ORDER BY seq LIMIT ?`,
		append(append([]any{accountID, cursor}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("changed barcodes: %w", err)
	}
	defer rows.Close()
	var out []protocol.Change
	for rows.Next() {
		s, seq, err := scanSyncBarcode(rows)
		if err != nil {
			return nil, fmt.Errorf("changed barcodes: %w", err)
		}
		out = append(out, protocol.BarcodeChange(s, seq))
	}
	return out, rows.Err()
}

// Barcode implements protocol.MergeStore.
func (m *mergeTx) Barcode(id uuid.UUID) (protocol.BarcodeState, bool, error) {
	s, seq, err := scanSyncBarcode(m.tx.queryRow(m.ctx, `SELECT `+syncBarcodeCols+` FROM barcodes WHERE account_id = ? AND id = ?`,
		m.account, id.String()))
	m.own.Saw(domain.EntityBarcode, id, seq)
	if errors.Is(err, sql.ErrNoRows) {
		return protocol.BarcodeState{}, false, nil
	}
	if err != nil {
		return protocol.BarcodeState{}, false, fmt.Errorf("read barcode %s: %w", id, err)
	}
	m.tx.observeState(s.Stamps)
	return s, true, nil
}

// PutBarcode implements protocol.MergeStore.
func (m *mergeTx) PutBarcode(s protocol.BarcodeState, created bool) error {
	b := s.Barcode
	id := domain.BarcodeID(b.Code)
	seq, err := m.nextSeq(domain.EntityBarcode, id)
	if err != nil {
		return err
	}
	ts := func(name string) string { return s.Stamps[name].String() }
	args := []any{b.Code, b.Name, b.TypeID, b.PeriodMonths,
		ts(domain.FieldCode), ts(domain.FieldName), ts(domain.FieldType), ts(domain.FieldPeriod), seq, m.account, id.String()}
	if created {
		_, err = m.tx.exec(m.ctx, `INSERT INTO barcodes (code, name, type_id, period, code_ts, name_ts, type_ts, period_ts, seq, account_id, id)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	} else {
		_, err = m.tx.exec(m.ctx, `UPDATE barcodes SET code = ?, name = ?, type_id = ?, period = ?, code_ts = ?, name_ts = ?, type_ts = ?,
 period_ts = ?, seq = ? WHERE account_id = ? AND id = ?`, args...)
	}
	if err != nil {
		return fmt.Errorf("write barcode %s: %w", b.Code, err)
	}
	return nil
}

// observeEntity is observeRow for any entity a mutation names: a
// barcode's row is the account's (its id is the same in every account).
func (t *tx) observeEntity(ctx context.Context, accountID int64, entity string, id uuid.UUID) error {
	if entity != domain.EntityBarcode {
		return t.observeRow(ctx, entity, id)
	}
	vals := make([]string, len(barcodeStampCols))
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	err := t.queryRow(ctx, `SELECT `+strings.Join(barcodeStampCols, ", ")+` FROM barcodes WHERE account_id = ? AND id = ?`,
		accountID, id.String()).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the stamps of barcode %s: %w", id, err)
	}
	for _, v := range vals {
		if ts, err := domain.ParseTimestamp(v); err == nil && v != "" {
			t.db.Clock.Observe(ts)
		}
	}
	return nil
}
