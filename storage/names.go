package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// Freezer names are unique in a household, ignoring case and accents
// (domain.Fold): a person's create or rename to a taken name is refused.
// Sync does not check names: two devices that create the same name while
// apart keep both freezers, and DisplayNames tells them apart.

// checkNameFree refuses name when a freezer that is not deleted, other than
// self, has the same name ignoring case and accents.
func checkNameFree(ctx context.Context, q queryer, name string, self uuid.UUID) error {
	live, err := liveFreezers(ctx, q)
	if err != nil {
		return fmt.Errorf("check name: %w", err)
	}
	key := domain.Fold(name)
	for _, f := range live {
		if f.ID != self && domain.Fold(f.Name) == key {
			return nameTaken(f.Name)
		}
	}
	return nil
}

// nameTaken is the refusal of a name another freezer has.
func nameTaken(existing string) error {
	return &domain.Error{Code: domain.EConflict, Field: domain.FieldName,
		Message: fmt.Sprintf("A freezer named “%s” already exists. Choose another name.", existing)}
}

// DisplayNames returns the name to show for each freezer of list (freezers
// that are not deleted): its stored name, except that when an older freezer
// has the same name ignoring case and accents, the next free " (n)" suffix
// is added ("cave (2)"). Older is by id: ids are UUID v7, ordered by
// creation time, so every device shows the same suffixes. Stored names are
// never changed; renaming one of the pair to a free name drops the suffix.
func DisplayNames(list []domain.Freezer) map[uuid.UUID]string {
	out := make(map[uuid.UUID]string, len(list))
	if !hasFoldedDuplicate(list) {
		for _, f := range list {
			out[f.ID] = f.Name
		}
		return out
	}
	byAge := slices.Clone(list)
	slices.SortFunc(byAge, func(a, b domain.Freezer) int { return strings.Compare(a.ID.String(), b.ID.String()) })
	taken := make(map[string]bool, len(list))
	for _, f := range list {
		taken[domain.Fold(f.Name)] = true
	}
	first := make(map[string]bool, len(list))
	for _, f := range byAge {
		key := domain.Fold(f.Name)
		if !first[key] {
			first[key] = true
			out[f.ID] = f.Name
			continue
		}
		out[f.ID] = freeName(taken, f.Name)
	}
	return out
}

// hasFoldedDuplicate reports whether two freezers of list have the same
// name ignoring case and accents: the common case, none, needs no work.
func hasFoldedDuplicate(list []domain.Freezer) bool {
	seen := make(map[string]bool, len(list))
	for _, f := range list {
		key := domain.Fold(f.Name)
		if seen[key] {
			return true
		}
		seen[key] = true
	}
	return false
}

// freeName returns name when its folded form is not in taken, else name
// with the first " (n)" suffix, from 2, whose folded form is free; the
// returned name is added to taken.
func freeName(taken map[string]bool, name string) string {
	candidate := name
	for n := 2; taken[domain.Fold(candidate)]; n++ {
		candidate = fmt.Sprintf("%s (%d)", name, n)
	}
	taken[domain.Fold(candidate)] = true
	return candidate
}

// showFreezerNames puts the display names of their freezers (see
// DisplayNames) in rows. Freezers that are deleted keep their stored name.
func (db *DB) showFreezerNames(ctx context.Context, rows []ProductRow) error {
	if len(rows) == 0 {
		return nil
	}
	live, err := liveFreezers(ctx, db.r)
	if err != nil {
		return err
	}
	if !hasFoldedDuplicate(live) {
		return nil
	}
	shown := DisplayNames(live)
	for i := range rows {
		if name, ok := shown[rows[i].Location.FreezerID]; ok {
			rows[i].FreezerName = name
		}
	}
	return nil
}
