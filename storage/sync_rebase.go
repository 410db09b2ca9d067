// Rebase: local changes still in the outbox whose stamps are newer than the
// server's are put back on top of the pulled state.

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"

	"freezer/domain"
)

// pendingField is the newest queued value of one field.
type pendingField struct {
	value json.RawMessage
	stamp domain.Timestamp
}

// pendingByEntity reads the outbox: for each entity ("entity/id"), the
// newest queued value of each field.
func pendingByEntity(ctx context.Context, tx *sql.Tx) (map[string]map[string]pendingField, error) {
	rows, err := tx.QueryContext(ctx, `SELECT entity, entity_id, fields, stamp, stamps FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]pendingField{}
	for rows.Next() {
		var entity, id, fields, stamp, stamps string
		if err := rows.Scan(&entity, &id, &fields, &stamp, &stamps); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		f, s, err := decodeOutboxRow(fields, stamp, stamps)
		if err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		key := entity + "/" + id
		m := out[key]
		if m == nil {
			m = map[string]pendingField{}
			out[key] = m
		}
		for name, v := range f {
			if old, ok := m[name]; !ok || s[name].After(old.stamp) {
				m[name] = pendingField{v, s[name]}
			}
		}
	}
	return out, rows.Err()
}

// rebaseFreezer returns a pulled freezer with the queued fields whose
// stamps are newer than the server's put back on top, and the stamp of each
// field to store.
func rebaseFreezer(in PulledFreezer, pending map[string]pendingField) (domain.Freezer, map[string]domain.Timestamp, error) {
	f, stamps := in.Freezer, maps.Clone(in.Stamps)
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if pf.stamp.After(stamps[name]) {
			if err := domain.SetFreezerField(&f, name, pf.value); err != nil {
				return domain.Freezer{}, nil, err
			}
			stamps[name] = pf.stamp
		}
	}
	return f, stamps, nil
}

// rebaseProduct is rebaseFreezer for a product. It also returns the
// product's relabel notice: the server's, or a queued one (a cleared
// notice) that is newer, settled against the location (a queued location
// that wins clears it: the person's own placement is still on its way).
func rebaseProduct(in PulledProduct, pending map[string]pendingField) (domain.Product, map[string]domain.Timestamp, *domain.Relabel, error) {
	p, stamps, relabel := in.Product, maps.Clone(in.Stamps), in.Relabel
	if stamps == nil {
		stamps = map[string]domain.Timestamp{}
	}
	for name, pf := range pending {
		if !pf.stamp.After(stamps[name]) {
			continue
		}
		var err error
		if name == domain.FieldRelabel {
			relabel, err = domain.ParseRelabel(pf.value)
		} else {
			err = domain.SetProductField(&p, name, pf.value)
		}
		if err != nil {
			return domain.Product{}, nil, nil, err
		}
		stamps[name] = pf.stamp
	}
	relabel, stamps[domain.FieldRelabel] = domain.SettleRelabel(relabel, stamps[domain.FieldRelabel], stamps[domain.FieldLocation])
	return p, stamps, relabel, nil
}
