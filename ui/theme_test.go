package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TestStatusTextContrast: the status words ("OK", "Due soon") are coloured
// text, so their colours must read on the background in both variants.
func TestStatusTextContrast(t *testing.T) {
	for _, choice := range []string{ThemeLight, ThemeDark} {
		th := newAppTheme(choice, false)
		bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
		for _, n := range []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameWarning} {
			fg := th.Color(n, theme.VariantLight)
			if got := contrast(fg, bg); got < 4.5 {
				t.Errorf("%s theme: %s on the background = %.2f:1, want at least 4.5:1", choice, n, got)
			}
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
