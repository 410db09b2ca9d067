package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// CreateFreezer adds a freezer with boxes boxes. A name another freezer
// has, ignoring case and accents, is refused (EConflict on the name).
func (db *DB) CreateFreezer(ctx context.Context, name string, boxes int) (domain.Freezer, error) {
	f, err := newFreezer(name, boxes)
	if err != nil {
		return domain.Freezer{}, fmt.Errorf("create freezer: %w", err)
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := checkNameFree(ctx, tx, f.Name, f.ID); err != nil {
			return err
		}
		return db.createFreezer(ctx, tx, f)
	})
	if err != nil {
		return domain.Freezer{}, fmt.Errorf("create freezer: %w", err)
	}
	return f, nil
}

// newFreezer returns a new freezer with a new id, checked against the rules.
func newFreezer(name string, boxes int) (domain.Freezer, error) {
	f := domain.Freezer{ID: domain.NewID(), Name: strings.TrimSpace(name), Boxes: boxes}
	if err := f.Validate(); err != nil {
		return domain.Freezer{}, err
	}
	return f, nil
}

// createFreezer writes a new freezer (see newFreezer) and its outbox row.
func (db *DB) createFreezer(ctx context.Context, tx *sql.Tx, f domain.Freezer) error {
	ts := db.clock.Now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO freezers (id, name, boxes, name_ts, boxes_ts, deleted_ts)
		VALUES (?, ?, ?, ?, ?, ?)`, f.ID.String(), f.Name, f.Boxes, ts.String(), ts.String(), ts.String()); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	return db.enqueue(ctx, tx, domain.EntityFreezer, f.ID.String(), domain.OpCreate, domain.FreezerValues(f), ts)
}

// UpdateFreezer renames a freezer or changes its box count. Fewer boxes are
// refused while a product is inside a box that would disappear, and a name
// another freezer has, ignoring case and accents, is refused (a change of
// case or accents of the freezer's own name is allowed).
func (db *DB) UpdateFreezer(ctx context.Context, id uuid.UUID, u FreezerUpdate) (domain.Freezer, error) {
	var f domain.Freezer
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if f, err = findFreezer(ctx, tx, id); err != nil {
			return err
		}
		if f.Deleted {
			return domain.Errorf(domain.ENotFound, "This freezer was deleted.")
		}
		var changed []string
		if u.Name != nil && strings.TrimSpace(*u.Name) != f.Name {
			name := strings.TrimSpace(*u.Name)
			if domain.Fold(name) != domain.Fold(f.Name) {
				if err := checkNameFree(ctx, tx, name, id); err != nil {
					return err
				}
			}
			f.Name = name
			changed = append(changed, domain.FieldName)
		}
		if u.Boxes != nil && *u.Boxes != f.Boxes {
			f.Boxes = *u.Boxes
			changed = append(changed, domain.FieldBoxes)
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil
		}
		if u.Boxes != nil {
			var box, n int
			err := tx.QueryRowContext(ctx, `SELECT box, count(*) FROM products
				WHERE freezer_id = ? AND date_out = '' AND deleted = 0 AND box > ? GROUP BY box ORDER BY box DESC LIMIT 1`,
				id.String(), f.Boxes).Scan(&box, &n)
			if err == nil {
				return &domain.Error{Code: domain.EConflict, Field: domain.FieldBoxes, Message: fmt.Sprintf(
					"Box %d still holds %d product(s): take them out or move them before reducing %q to %d boxes.", box, n, f.Name, f.Boxes)}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("check boxes: %w", err)
			}
		}
		ts := db.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE freezers SET
			name = ?, name_ts = CASE WHEN ? THEN ? ELSE name_ts END,
			boxes = ?, boxes_ts = CASE WHEN ? THEN ? ELSE boxes_ts END WHERE id = ?`,
			f.Name, contains(changed, domain.FieldName), ts.String(),
			f.Boxes, contains(changed, domain.FieldBoxes), ts.String(), id.String()); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return db.enqueue(ctx, tx, domain.EntityFreezer, id.String(), domain.OpUpdate, domain.FreezerValues(f, changed...), ts)
	})
	if err != nil {
		return domain.Freezer{}, fmt.Errorf("update freezer: %w", err)
	}
	return f, nil
}

// DeleteFreezer deletes a freezer that holds no product. The freezer stays
// as a tombstone, so the history of products taken out of it keeps its name.
func (db *DB) DeleteFreezer(ctx context.Context, id uuid.UUID) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		f, err := findFreezer(ctx, tx, id)
		if err != nil {
			return err
		}
		if f.Deleted {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM products WHERE freezer_id = ? AND date_out = '' AND deleted = 0`,
			id.String()).Scan(&n); err != nil {
			return fmt.Errorf("count products: %w", err)
		}
		if n > 0 {
			return domain.Errorf(domain.EConflict, "%q still holds %d product(s): take them out or move them to another freezer first.", f.Name, n)
		}
		ts := db.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE freezers SET deleted = 1, deleted_ts = ? WHERE id = ?`, ts.String(), id.String()); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		f.Deleted = true
		return db.enqueue(ctx, tx, domain.EntityFreezer, id.String(), domain.OpDelete, domain.FreezerValues(f, domain.FieldDeleted), ts)
	})
	if err != nil {
		return fmt.Errorf("delete freezer: %w", err)
	}
	return nil
}

// FindFreezer returns a freezer by id, deleted ones included.
func (db *DB) FindFreezer(ctx context.Context, id uuid.UUID) (domain.Freezer, error) {
	f, err := findFreezer(ctx, db.r, id)
	if err != nil {
		return domain.Freezer{}, fmt.Errorf("find freezer: %w", err)
	}
	return f, nil
}

func findFreezer(ctx context.Context, q queryer, id uuid.UUID) (domain.Freezer, error) {
	f := domain.Freezer{ID: id}
	err := q.QueryRowContext(ctx, `SELECT name, boxes, deleted FROM freezers WHERE id = ?`, id.String()).
		Scan(&f.Name, &f.Boxes, &f.Deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Freezer{}, domain.Errorf(domain.ENotFound, "This freezer does not exist. Choose one of your freezers.")
	}
	if err != nil {
		return domain.Freezer{}, fmt.Errorf("read freezer: %w", err)
	}
	return f, nil
}

// ListFreezers returns the freezers that are not deleted, by name, with
// what they hold. Each name is its display name (see DisplayNames): two
// freezers named alike on two devices apart show as "cave" and "cave (2)".
func (db *DB) ListFreezers(ctx context.Context) ([]FreezerSummary, error) {
	today, soon := db.today(), db.today().AddDays(db.DueSoonDays())
	rows, err := db.r.QueryContext(ctx, `SELECT f.id, f.name, f.boxes, p.box, count(p.id),
			coalesce(sum(p.deadline < ?), 0), coalesce(sum(p.deadline >= ? AND p.deadline <= ?), 0)
		FROM freezers f LEFT JOIN products p ON p.freezer_id = f.id AND p.date_out = '' AND p.deleted = 0
		WHERE f.deleted = 0
		GROUP BY f.id, p.box
		ORDER BY f.name COLLATE names, f.id, p.box`, today.String(), today.String(), soon.String())
	if err != nil {
		return nil, fmt.Errorf("list freezers: %w", err)
	}
	defer rows.Close()
	var out []FreezerSummary
	for rows.Next() {
		var id string
		var f domain.Freezer
		var box sql.NullInt64
		var inside, overdue, dueSoon int
		if err := rows.Scan(&id, &f.Name, &f.Boxes, &box, &inside, &overdue, &dueSoon); err != nil {
			return nil, fmt.Errorf("list freezers: %w", err)
		}
		if f.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("list freezers: bad id %q: %w", id, err)
		}
		if len(out) == 0 || out[len(out)-1].ID != f.ID {
			out = append(out, FreezerSummary{Freezer: f, BoxFill: make([]int, f.Boxes)})
		}
		s := &out[len(out)-1]
		s.Inside += inside
		s.Overdue += overdue
		s.DueSoon += dueSoon
		if box.Valid && box.Int64 >= 1 && int(box.Int64) <= len(s.BoxFill) {
			s.BoxFill[box.Int64-1] = inside
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list freezers: %w", err)
	}
	showNames(out)
	return out, nil
}

// showNames replaces the stored names of list by their display names.
func showNames(list []FreezerSummary) {
	freezers := make([]domain.Freezer, len(list))
	for i, s := range list {
		freezers[i] = s.Freezer
	}
	if !hasFoldedDuplicate(freezers) {
		return
	}
	shown := DisplayNames(freezers)
	for i := range list {
		list[i].Name = shown[list[i].ID]
	}
}

// NextFreeSlots returns the next free slot of every box of a freezer.
func (db *DB) NextFreeSlots(ctx context.Context, freezerID uuid.UUID) (map[int]int, error) {
	f, err := findFreezer(ctx, db.r, freezerID)
	if err != nil {
		return nil, fmt.Errorf("next free slots: %w", err)
	}
	products, err := insideOf(ctx, db.r, freezerID, 0)
	if err != nil {
		return nil, fmt.Errorf("next free slots: %w", err)
	}
	return domain.NextFreeSlots(products, f), nil
}

// insideOf returns the locations of the products inside a freezer (one box
// when box > 0), as products with only their location set.
func insideOf(ctx context.Context, q queryer, freezerID uuid.UUID, box int) ([]domain.Product, error) {
	// The box condition only when a box is given: "(? = 0 OR box = ?)" kept
	// SQLite from using the box column of the products_place index.
	query, args := `SELECT box, slot FROM products WHERE freezer_id = ? AND date_out = '' AND deleted = 0`, []any{freezerID.String()}
	if box > 0 {
		query, args = query+` AND box = ?`, append(args, box)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read slots: %w", err)
	}
	defer rows.Close()
	var out []domain.Product
	for rows.Next() {
		p := domain.Product{Location: domain.Location{FreezerID: freezerID}}
		if err := rows.Scan(&p.Location.Box, &p.Location.Slot); err != nil {
			return nil, fmt.Errorf("read slots: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
