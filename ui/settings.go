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
	tablet                *widget.Check
	themeChoice           *widget.RadioGroup
	sync                  *syncSection
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

	s.dueSoon = widget.NewEntry()
	s.dueSoon.SetText(itoa(st.DueSoonDays))
	s.dueSoon.OnChanged = s.onDueSoon
	s.dueSoonErr = errLabel()
	s.notifyAt = widget.NewEntry()
	s.notifyAt.SetText(st.NotifyAt)
	s.notifyAt.OnChanged = s.onNotifyAt
	s.notifyErr = errLabel()

	themes := []string{lang.L("settings.theme_system"), lang.L("settings.theme_light"), lang.L("settings.theme_dark")}
	s.themeChoice = widget.NewRadioGroup(themes, nil)
	s.themeChoice.Horizontal = true
	s.themeChoice.Required = true
	s.themeChoice.SetSelected(themes[themeIndex(st.Theme)])
	s.themeChoice.OnChanged = s.onTheme
	s.tablet = widget.NewCheck(lang.L("settings.tablet"), nil)
	s.tablet.SetChecked(st.Tablet)
	s.tablet.OnChanged = s.onTablet

	general := widget.NewCard(lang.L("settings.general"), "", container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("settings.language")), s.language,
		widget.NewLabel(lang.L("settings.theme")), s.themeChoice,
		widget.NewLabel(lang.L("settings.display")), s.tablet,
	))
	alerts := widget.NewCard(lang.L("settings.alerts"), "", container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.L("settings.due_soon_days")), container.NewVBox(s.dueSoon, s.dueSoonErr),
		widget.NewLabel(lang.L("settings.notify_at")), container.NewVBox(s.notifyAt, s.notifyErr),
	))
	home, _ := os.UserHomeDir() // "" when unknown: the path is shown whole
	path := widget.NewLabel(displayPath(s.ui.inv.Path(), home))
	path.Wrapping = fyne.TextWrapBreak
	path.Selectable = true
	btn := func(key string, icon fyne.Resource, fn func()) *widget.Button {
		return &widget.Button{Text: lang.L(key), Icon: icon, OnTapped: fn}
	}
	cols := 2 // the desktop's two columns and the tablet's narrow screen
	data := widget.NewCard(lang.L("settings.data"), "", container.NewVBox(
		container.NewGridWithColumns(cols,
			btn("settings.export_json", theme.UploadIcon(), func() { s.onExport(FormatJSON) }),
			btn("settings.export_csv", theme.UploadIcon(), func() { s.onExport(FormatCSV) }),
			btn("settings.import_json", theme.DownloadIcon(), func() { s.onImport(FormatJSON) }),
			btn("settings.import_csv", theme.DownloadIcon(), func() { s.onImport(FormatCSV) }),
		),
		container.NewHBox(btn("welcome.load_sample", theme.ContentAddIcon(), s.ui.loadSample)),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("settings.db_path")), nil, path),
	))
	s.sync = &syncSection{ui: s.ui}
	syncCard := widget.NewCard(lang.L("sync.title"), "", s.sync.build())
	var body fyne.CanvasObject
	if s.ui.settings.Tablet {
		body = container.NewVBox(general, alerts, syncCard, data)
	} else { // two columns: the sync section shows whole beside the rest
		body = container.New(twoColumns{}, container.NewVBox(general, alerts, data), container.NewVBox(syncCard))
	}
	return container.NewPadded(container.NewBorder(heading(lang.L("nav.settings")), nil, nil, nil,
		s.ui.withPager(container.NewVScroll(body))))
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
	d.Show()
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
	d.Show()
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
		u.showInfo(lang.L("settings.data"), lang.L("settings.imported", map[string]any{"Count": n}))
		u.reload()
	})
}

// twoColumns lays two objects side by side, halving the width but giving
// the first at least its minimum (long French labels).
type twoColumns struct{}

func (twoColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	left := max(objs[0].MinSize().Width, (size.Width-pad)/2)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(left, size.Height))
	objs[1].Move(fyne.NewPos(left+pad, 0))
	objs[1].Resize(fyne.NewSize(max(objs[1].MinSize().Width, size.Width-left-pad), size.Height))
}

func (twoColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+theme.Padding()+b.Width, max(a.Height, b.Height))
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
