package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// minIDPrefix is the shortest id prefix ResolveFreezer accepts: shorter
// ones are taken as names only (a two-letter name is not an id).
const minIDPrefix = 4

// ResolveFreezer finds the freezer a person means by ref, the way a command
// line names one: a full id (deleted freezers are refused); else the freezer
// whose name is exactly ref; else the one freezer whose name equals ref
// ignoring case, or whose id starts with ref (at least 4 characters, case
// ignored). Deleted freezers are never matched by name or prefix.
//
// No match is an ENotFound error; several matches (two freezers with the
// same name, or a prefix shared by several ids) an EInvalid error whose
// sentence names the candidates with their ids, to give one of them.
func (db *DB) ResolveFreezer(ctx context.Context, ref string) (domain.Freezer, error) {
	if id, err := uuid.Parse(ref); err == nil {
		f, err := findFreezer(ctx, db.r, id)
		if err != nil {
			return domain.Freezer{}, fmt.Errorf("resolve freezer: %w", err)
		}
		if f.Deleted {
			return domain.Freezer{}, domain.Errorf(domain.ENotFound, "Freezer %s was deleted.", ref)
		}
		return f, nil
	}
	list, err := liveFreezers(ctx, db.r)
	if err != nil {
		return domain.Freezer{}, fmt.Errorf("resolve freezer: %w", err)
	}
	match := resolveMatches(list, ref)
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return domain.Freezer{}, domain.Errorf(domain.ENotFound,
			"No freezer is called %q and no freezer id starts with it: check the name against the list of freezers, or give the freezer's id.", ref)
	}
	names := make([]string, len(match))
	for i, f := range match {
		names[i] = fmt.Sprintf("%q (%s)", f.Name, f.ID)
	}
	return domain.Freezer{}, domain.Errorf(domain.EInvalid, "%d freezers match %q: %s. Give the id of the one you mean.",
		len(match), ref, strings.Join(names, ", "))
}

// resolveMatches returns the freezers ref names: those called exactly ref
// when there are any, else those whose name equals ref ignoring case or
// whose id starts with ref.
func resolveMatches(list []domain.Freezer, ref string) []domain.Freezer {
	var exact, folded []domain.Freezer
	prefix := strings.ToLower(ref)
	for _, f := range list {
		switch {
		case f.Name == ref:
			exact = append(exact, f)
		case strings.EqualFold(f.Name, ref) || (len(ref) >= minIDPrefix && strings.HasPrefix(f.ID.String(), prefix)):
			folded = append(folded, f)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return folded
}

// liveFreezers returns the freezers that are not deleted, by name then id.
func liveFreezers(ctx context.Context, q queryer) ([]domain.Freezer, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, boxes FROM freezers WHERE deleted = 0 ORDER BY name COLLATE names, id`)
	if err != nil {
		return nil, fmt.Errorf("list freezers: %w", err)
	}
	defer rows.Close()
	var out []domain.Freezer
	for rows.Next() {
		var id string
		var f domain.Freezer
		if err := rows.Scan(&id, &f.Name, &f.Boxes); err != nil {
			return nil, fmt.Errorf("list freezers: %w", err)
		}
		if f.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("list freezers: bad id %q: %w", id, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list freezers: %w", err)
	}
	return out, nil
}
