package ui

import (
	"fyne.io/fyne/v2/lang"

	"freezer/domain"
)

// freezerNameError is the sentence for a refused freezer name, in the
// language in use: a taken name (EConflict) names the freezer that has it,
// as the freezers screen shows it; any other refusal is the store's own.
func (u *UI) freezerNameError(err error, typed string) string {
	if domain.ErrorCode(err) != domain.EConflict {
		return domain.ErrorMessage(err)
	}
	name, key := typed, domain.Fold(typed)
	for _, f := range u.freezers {
		if domain.Fold(f.Name) == key {
			name = f.Name
			break
		}
	}
	return lang.L("freezers.err.name_taken", map[string]any{"Name": name})
}
