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

// Instances sharing a database each have a clock, which sees only the
// stamps it made or was pushed (and those stored when it opened). Before
// an instance stamps a field of a stored entity, it moves its clock past
// every stamp stored on that entity, so that the new stamp is later than
// any another instance gave it: a person's edit through instance B then
// beats the one made a moment before through A, a re-stamp never falls
// behind the value it replaces, and a freezer brought back by a product
// is not older than its deletion. The two-instance test on PostgreSQL
// found both (sync/synctest/hosted_test.go).

// observeRow moves the clock past the stamps stored on the entity (a
// freezer or a product) with id; an entity not stored yet has none.
func (t *tx) observeRow(ctx context.Context, entity string, id uuid.UUID) error {
	table, cols := "products", productStampCols
	if entity == domain.EntityFreezer {
		table, cols = "freezers", freezerStampCols
	} else if entity != domain.EntityProduct {
		return nil
	}
	vals := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	err := t.queryRow(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` WHERE id = ?`, id.String()).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the stamps of %s %s: %w", entity, id, err)
	}
	for _, v := range vals {
		if ts, err := domain.ParseTimestamp(v.String); err == nil && v.String != "" {
			t.db.Clock.Observe(ts)
		}
	}
	return nil
}

// observeState moves the clock past the stamps of an entity the merge
// read.
func (t *tx) observeState(stamps protocol.Stamps) {
	for _, ts := range stamps {
		t.db.Clock.Observe(ts)
	}
}
