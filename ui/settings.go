package ui

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// settingsScreen holds the person's choices and the data tools.
type settingsScreen struct {
	ui *UI

	language              *widget.Select
	dueSoon, notifyAt     *widget.Entry
	dueSoonErr, notifyErr *widget.Label
	// the "This week" plan's size (suggestions.go)
	suggestCount, suggestDays       *widget.Entry
	suggestCountErr, suggestDaysErr *widget.Label
	tablet                          *widget.Check
	themeChoice                     *widget.RadioGroup
	dateFormat                      *widget.Select
	sync                            *syncSection
	devices                         *devicesSection

	columns     *twoColumns // the desktop's two columns, one under the other when narrow
	dataButtons *flowGrid
	general     fyne.CanvasObject
	generalWide float32 // the general card's width with the theme choices in a row
}

var languageCodes = []string{"", "en", "fr"}

func (s *settingsScreen) build() fyne.CanvasObject {
	st := s.ui.settings
	s.language = widget.NewSelect([]string{lang.L("settings.lang_system"), "English", "Français"}, nil)
	for i, c := range languageCodes {
		if c == st.Language {
			s.language.SetSelectedIndex(i)
		}
	}
	s.language.OnChanged = s.onLanguage

	themes := []string{lang.L("settings.theme_system"), lang.L("settings.theme_light"), lang.L("settings.theme_dark")}
	s.themeChoice = widget.NewRadioGroup(themes, nil)
	s.themeChoice.Horizontal = true
	s.themeChoice.Required = true
	s.themeChoice.SetSelected(themes[themeIndex(st.Theme)])
	s.themeChoice.OnChanged = s.onTheme
	s.tablet = widget.NewCheck(lang.L("settings.tablet"), nil)
	s.tablet.SetChecked(st.Tablet)
	s.tablet.OnChanged = s.onTablet
	tabletHint := widget.NewLabel(lang.L("settings.tablet_hint")) // wraps: a check's text does not
	tabletHint.Wrapping = fyne.TextWrapWord
	tabletHint.TextStyle = fyne.TextStyle{Italic: true} // a note, at full contrast (low importance is too faint to read)

	labelsTitle, labelsCheck := s.labelsSetting() // labels.go
	general := sectionCard(lang.L("settings.general"), container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("settings.language")), s.language,
		widget.NewLabel(lang.L("settings.theme")), s.themeChoice,
		widget.NewLabel(lang.L("settings.display")), container.NewVBox(s.tablet, tabletHint),
		widget.NewLabel(lang.L("settings.date_format")), s.dateFormatChoice(),
		labelsTitle, labelsCheck,
	))
	alerts := s.alertsCard(st)
	home, _ := os.UserHomeDir() // "" when unknown: the path is shown whole
	path := widget.NewLabel(displayPath(s.ui.inv.Path(), home))
	path.Wrapping = fyne.TextWrapBreak
	path.Selectable = true
	btn := func(key string, icon fyne.Resource, fn func()) *widget.Button {
		return &widget.Button{Text: lang.L(key), Icon: icon, OnTapped: fn}
	}
	s.dataButtons = newFlowGrid(2, 6*theme.Padding(), // two by two, or one under the other when narrow
		btn("settings.export_json", theme.UploadIcon(), func() { s.onExport(FormatJSON) }),
		btn("settings.export_csv", theme.UploadIcon(), func() { s.onExport(FormatCSV) }),
		btn("settings.import_json", theme.DownloadIcon(), func() { s.onImport(FormatJSON) }),
		btn("settings.import_csv", theme.DownloadIcon(), func() { s.onImport(FormatCSV) }),
	)
	data := sectionCard(lang.L("settings.data"), container.NewVBox(
		s.dataButtons.c,
		container.NewHBox(btn("welcome.load_sample", theme.ContentAddIcon(), s.ui.loadSample)),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("settings.db_path")), nil, path),
	))
	s.sync = &syncSection{ui: s.ui}
	syncCard := sectionCard(lang.L("sync.title"), s.sync.build())
	s.devices = &devicesSection{ui: s.ui}
	devicesCard := sectionCard(lang.L("devices.title"), s.devices.build())
	var body fyne.CanvasObject
	if s.ui.settings.Tablet {
		body = container.NewVBox(general, alerts, syncCard, devicesCard, data)
	} else { // two columns: the sync section shows whole beside the rest
		left, right := container.NewVBox(general, alerts, data), container.NewVBox(syncCard, devicesCard)
		s.columns = &twoColumns{objs: []fyne.CanvasObject{left, right}}
		body = container.New(s.columns, left, right)
	}
	s.general = general
	s.generalWide = general.MinSize().Width
	about := btn("about.button", theme.HelpIcon(), s.ui.showAbout) // also F1
	return newWidthAware(container.NewPadded(container.NewBorder(container.NewBorder(nil, nil, nil, about, heading(lang.L("nav.settings"))), nil, nil, nil,
		s.ui.withPager(container.NewVScroll(body)))), s.onWidth)
}

// alertsCard is the Alerts section: when a product is due soon, the
// daily notification, and the size of the "This week" plan.
func (s *settingsScreen) alertsCard(st Settings) *widget.Card {
	s.dueSoon = widget.NewEntry()
	s.dueSoon.SetText(itoa(st.DueSoonDays))
	s.dueSoon.OnChanged = s.onDueSoon
	s.dueSoonErr = errLabel()
	s.notifyAt = widget.NewEntry()
	s.notifyAt.SetText(st.NotifyAt)
	s.notifyAt.OnChanged = s.onNotifyAt
	s.notifyErr = errLabel()
	return sectionCard(lang.L("settings.alerts"), container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("settings.due_soon_days")), container.NewVBox(s.dueSoon, s.dueSoonErr),
		widget.NewLabel(lang.L("settings.notify_at")), container.NewVBox(s.notifyAt, s.notifyErr),
		widget.NewLabel(lang.L("settings.suggest_count")), s.suggestEntry(&s.suggestCount, &s.suggestCountErr, st.SuggestCount, s.onSuggestCount),
		widget.NewLabel(lang.L("settings.suggest_days")), s.suggestEntry(&s.suggestDays, &s.suggestDaysErr, st.SuggestDays, s.onSuggestDays),
	))
}

// onWidth arranges the screen for its width: the two columns one under the
// other when they do not fit side by side, the data buttons two by two or
// in one column, the theme choices in a row or one under the other.
func (s *settingsScreen) onWidth(w float32) {
	pad := theme.Padding()
	col := w - 4*pad // inside the screen's padding and the scroll bar's room
	if s.columns != nil {
		// Side by side on a wide window only: below narrowWindow each
		// column would squeeze its fields and choices.
		left, right := s.columns.mins()
		stacked := left+pad+right > col || w < narrowWindow
		if stacked != s.columns.stacked {
			s.columns.stacked = stacked
		}
		if !stacked {
			col = max(left, (col-pad)/2)
		}
	}
	s.dataButtons.fit(col + 4*pad)
	horizontal := s.generalWide+2*pad <= col
	if horizontal != s.themeChoice.Horizontal {
		s.themeChoice.Horizontal = horizontal
		s.themeChoice.Refresh()
	}
}

func themeIndex(t string) int {
	switch t {
	case ThemeLight:
		return 1
	case ThemeDark:
		return 2
	}
	return 0
}

func (s *settingsScreen) onLanguage(string) {
	i := s.language.SelectedIndex()
	if i < 0 {
		return
	}
	s.ui.settings.Language = languageCodes[i]
	s.ui.prefs.SetString(prefLanguage, languageCodes[i])
	SetLanguage(languageCodes[i])
	s.ui.rebuild() // type names too: rows are indexed again in the new language
}

func (s *settingsScreen) onTheme(string) {
	choice := ThemeSystem
	for i, o := range s.themeChoice.Options {
		if o == s.themeChoice.Selected {
			choice = []string{ThemeSystem, ThemeLight, ThemeDark}[i]
		}
	}
	s.ui.settings.Theme = choice
	s.ui.prefs.SetString(prefTheme, choice)
	s.ui.applyTheme()
}

func (s *settingsScreen) onTablet(on bool) {
	s.ui.settings.Tablet = on
	s.ui.prefs.SetBool(prefTablet, on)
	s.ui.applyTheme()
	s.ui.rebuild()
}

func (s *settingsScreen) onDueSoon(text string) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 0 || n > 365 {
		setErr(s.dueSoonErr, lang.L("settings.err.due_soon"))
		return
	}
	setErr(s.dueSoonErr, "")
	s.ui.settings.DueSoonDays = n
	s.ui.prefs.SetInt(prefDueSoonDays, n)
	s.ui.inv.SetDueSoonDays(n)
	s.ui.reload()
}

func (s *settingsScreen) onNotifyAt(text string) {
	if _, _, err := ParseClock(text); err != nil {
		setErr(s.notifyErr, lang.L("settings.err.notify_at"))
		return
	}
	setErr(s.notifyErr, "")
	s.ui.settings.NotifyAt = strings.TrimSpace(text)
	s.ui.prefs.SetString(prefNotifyAt, s.ui.settings.NotifyAt)
	if s.ui.alerter != nil {
		s.ui.alerter.SetTime(s.ui.settings.NotifyAt)
	}
}

// progressDialog shows a bar bound to a float that background work may set
// from any goroutine (bindings are safe there).
func (u *UI) progressDialog(title string) (dialog.Dialog, func(done, total int)) {
	value := binding.NewFloat()
	bar := widget.NewProgressBarWithData(value)
	d := dialog.NewCustomWithoutButtons(title, container.NewGridWrap(fyne.NewSize(360, bar.MinSize().Height), bar), u.win)
	return d, func(done, total int) {
		if total > 0 {
			_ = value.Set(float64(done) / float64(total))
		}
	}
}

func (s *settingsScreen) onExport(f Format) {
	u := s.ui
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		s.runExport(w, f)
	}, u.win)
	d.SetFileName("freezer." + string(f))
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(f)}))
	u.showDialog(d) // Escape closes it (unless its file name field has the focus)
}

func (s *settingsScreen) runExport(w io.WriteCloser, f Format) {
	u := s.ui
	pd, progress := u.progressDialog(lang.L("settings.exporting"))
	pd.Show()
	background(u, func(ctx context.Context) (struct{}, error) {
		err := u.inv.Export(ctx, w, f, progress)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		pd.Hide()
		if err != nil {
			u.showError(err)
			return
		}
		u.showInfo(lang.L("settings.data"), lang.L("settings.exported"))
	})
}

func (s *settingsScreen) onImport(f Format) {
	u := s.ui
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return
		}
		s.runImport(r, f)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(f)}))
	u.showDialog(d) // Escape closes it (unless its file name field has the focus)
}

func (s *settingsScreen) runImport(r io.ReadCloser, f Format) {
	u := s.ui
	pd, progress := u.progressDialog(lang.L("settings.importing"))
	pd.Show()
	background(u, func(ctx context.Context) (int, error) {
		n, err := u.inv.Import(ctx, r, f, progress)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		return n, err
	}, func(n int, err error) {
		pd.Hide()
		if err != nil {
			u.showError(err)
			return
		}
		u.showInfo(lang.L("settings.data"), lang.L("settings.imported", map[string]any{"Count": formatInt(n)}))
		u.reload()
	})
}

// twoColumns lays two objects side by side, halving the width but giving
// the first at least its minimum (long French labels), or one under the
// other when stacked (a narrow window). Its minimum width is the stacked
// one's: the window may always be made that narrow.
type twoColumns struct {
	stacked bool
	objs    []fyne.CanvasObject
}

func (t *twoColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	t.objs = objs
	pad := theme.Padding()
	objs[0].Move(fyne.NewPos(0, 0))
	if t.stacked {
		h := objs[0].MinSize().Height
		objs[0].Resize(fyne.NewSize(size.Width, h))
		objs[1].Move(fyne.NewPos(0, h+pad))
		objs[1].Resize(fyne.NewSize(size.Width, max(objs[1].MinSize().Height, size.Height-h-pad)))
		return
	}
	left := max(objs[0].MinSize().Width, (size.Width-pad)/2)
	objs[0].Resize(fyne.NewSize(left, size.Height))
	objs[1].Move(fyne.NewPos(left+pad, 0))
	objs[1].Resize(fyne.NewSize(max(objs[1].MinSize().Width, size.Width-left-pad), size.Height))
}

func (t *twoColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t.objs = objs
	a, b := objs[0].MinSize(), objs[1].MinSize()
	if t.stacked {
		return fyne.NewSize(max(a.Width, b.Width), a.Height+theme.Padding()+b.Height)
	}
	return fyne.NewSize(max(a.Width, b.Width), max(a.Height, b.Height))
}

// mins returns the two columns' minimum widths.
func (t *twoColumns) mins() (left, right float32) {
	if len(t.objs) < 2 {
		return 0, 0
	}
	return t.objs[0].MinSize().Width, t.objs[1].MinSize().Width
}

// displayPath shortens a path in the home folder to ~/..., as people
// write it; other paths are shown whole.
func displayPath(path, home string) string {
	home = strings.TrimRight(home, `/\`)
	if home == "" || !strings.HasPrefix(path, home) {
		return path
	}
	rest := path[len(home):]
	if rest == "" {
		return "~"
	}
	if rest[0] != '/' && rest[0] != '\\' {
		return path
	}
	return "~" + rest
}

// sectionCard is a card for one section of a screen, titled in bold at the
// text's size: smaller than the screen's title (a Card's own title is
// drawn larger than it).
func sectionCard(title string, content fyne.CanvasObject) *widget.Card {
	return widget.NewCard("", "", container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), content))
}
