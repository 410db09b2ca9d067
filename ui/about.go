package ui

import (
	"runtime"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showAbout shows About and Help: what the app is, its version, where its
// database is, the keyboard shortcuts and where to find help. Settings has
// a button for it, and F1 opens it from anywhere.
func (u *UI) showAbout() {
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	wrapped := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	path := wrapped(u.inv.Path())
	path.Wrapping = fyne.TextWrapBreak // a path has no spaces to wrap at
	path.Selectable = true             // to copy it into a file manager or a backup script
	info := container.New(layout.NewFormLayout(),
		bold(lang.L("about.version")), widget.NewLabel(appVersion(u.app)),
		bold(lang.L("about.database")), path)
	var keys []fyne.CanvasObject
	for _, k := range aboutShortcuts() {
		keys = append(keys, bold(k[0]), widget.NewLabel(k[1]))
	}
	width := min(520, max(260, u.win.Canvas().Size().Width-80))
	body := container.NewVBox(wrapped(lang.L("about.text")), info, widget.NewSeparator(),
		bold(lang.L("about.shortcuts")), container.New(layout.NewFormLayout(), keys...), widget.NewSeparator(),
		bold(lang.L("about.help")), wrapped(lang.L("about.help_text")))
	content := container.NewVScroll(container.New(&fixedWidth{width: width}, body))
	d := dialog.NewCustomWithoutButtons(lang.L("about.title"), content, u.win)
	d.SetButtons([]fyne.CanvasObject{&widget.Button{Text: lang.L("action.close"), OnTapped: d.Hide}})
	pad := theme.Padding()
	// The dialog's title and buttons take about a button's height each.
	chrome := widget.NewButton("X", nil).MinSize().Height*3 + pad*8
	h := min(content.Content.MinSize().Height+chrome, u.win.Canvas().Size().Height-40)
	d.Resize(fyne.NewSize(width+pad*4, h))
	u.showDialogWithDefault(d, d.Hide)
}

// aboutShortcuts lists the keyboard shortcuts as (keys, what they do).
func aboutShortcuts() [][2]string {
	ctrl := "Ctrl+"
	if runtime.GOOS == "darwin" {
		ctrl = "⌘"
	}
	return [][2]string{
		{ctrl + "N", lang.L("about.key_new")},
		{ctrl + "F", lang.L("about.key_search")},
		{ctrl + "R", lang.L("about.key_sync")},
		{ctrl + "Z", lang.L("about.key_undo")},
		{lang.L("about.key_name_escape"), lang.L("about.key_escape")},
		{lang.L("about.key_name_enter"), lang.L("about.key_return")},
		{"F1", lang.L("about.key_help")},
	}
}

// appVersion is the app's version: FyneApp.toml's (which fyne package and
// a run from the repository read), else the module's, plus the source
// revision when the build recorded one.
func appVersion(a fyne.App) string { return versionOr(a, lang.L("about.dev_version")) }

// AppVersion is the version a device gives the server when it pairs
// (shown in every device's Settings, Devices): as About shows it, "dev"
// for a build without one.
func AppVersion(a fyne.App) string { return versionOr(a, "dev") }

func versionOr(a fyne.App, dev string) string {
	v := a.Metadata().Version
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				rev = s.Value[:7]
			}
		}
	}
	if v == "" {
		v = dev
	}
	if rev != "" {
		v += " (" + rev + ")"
	}
	return v
}
