package ui

import (
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// dateFormatChoice is the Settings screen's "Date format" select:
// automatic (after the language), then each format written with a sample
// day. Building it applies the saved choice, as every screen is built
// anew after a change (the dates in every cell are written again).
func (s *settingsScreen) dateFormatChoice() *widget.Select {
	setDateFormat(s.ui.settings.DateFormat)
	sample := domain.NewDate(2027, 9, 15)
	opts := make([]string, len(dateFormats))
	for i, f := range dateFormats {
		if f == DateAuto {
			opts[i] = lang.L("settings.date_auto")
			continue
		}
		opts[i] = sample.Time().Format(dateLayouts[f])
	}
	sel := widget.NewSelect(opts, nil)
	for i, f := range dateFormats {
		if f == s.ui.settings.DateFormat {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		i := sel.SelectedIndex()
		if i < 0 || dateFormats[i] == s.ui.settings.DateFormat {
			return
		}
		s.ui.settings.DateFormat = dateFormats[i]
		s.ui.prefs.SetString(prefDateFormat, dateFormats[i])
		setDateFormat(dateFormats[i])
		s.ui.rebuild()
	}
	s.dateFormat = sel
	return sel
}
