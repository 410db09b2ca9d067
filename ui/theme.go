package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is the default theme with two of the person's choices applied: a
// forced light or dark variant, and tablet mode's larger sizes (touch targets
// of at least 44 px: a button is its text line plus two inner paddings).
type appTheme struct {
	choice string // ThemeSystem, ThemeLight or ThemeDark
	tablet bool
}

var _ fyne.Theme = appTheme{}

func newAppTheme(choice string, tablet bool) appTheme {
	return appTheme{choice: choice, tablet: tablet}
}

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.choice {
	case ThemeLight:
		v = theme.VariantLight
	case ThemeDark:
		v = theme.VariantDark
	}
	if v == theme.VariantLight {
		// Fyne's green and orange are made for dark backgrounds: as text on
		// white ("OK", "Due soon") they reach 1.5:1 and 2.1:1. These darker
		// tones reach 5.3:1 and 4.7:1 (WCAG AA asks 4.5:1).
		switch n {
		case theme.ColorNameSuccess:
			return lightSuccess
		case theme.ColorNameWarning:
			return lightWarning
		}
	}
	return theme.DefaultTheme().Color(n, v)
}

var (
	lightSuccess = color.NRGBA{R: 0x1e, G: 0x7b, B: 0x34, A: 0xff}
	lightWarning = color.NRGBA{R: 0xb3, G: 0x5c, B: 0x00, A: 0xff}
)

func (t appTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (t appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t appTheme) Size(n fyne.ThemeSizeName) float32 {
	s := theme.DefaultTheme().Size(n)
	if !t.tablet {
		if n == theme.SizeNameCaptionText {
			return 12 // the second line of list rows: 11 px is hard to read
		}
		return s
	}
	switch n {
	case theme.SizeNameText:
		return 18
	case theme.SizeNameCaptionText:
		return 15
	case theme.SizeNameSubHeadingText:
		return 22
	case theme.SizeNameHeadingText:
		return 28
	case theme.SizeNameInnerPadding:
		return 14
	case theme.SizeNamePadding:
		return 8 // 8 px at least between two targets (Eaten and Discarded)
	case theme.SizeNameInlineIcon:
		return 28
	case theme.SizeNameScrollBar:
		return 24 // a thumb a finger can hold: drag scrolling is unreliable on desktop builds
	case theme.SizeNameScrollBarSmall:
		return 12
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return s * 1.5
	}
	return s
}
