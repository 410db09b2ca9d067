package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/ui"
)

// layoutSizes are the windows every screen must fit: a portrait kitchen
// tablet, a half-screen laptop window and a wide desktop.
// Two more sit each side of narrowWindow: a narrow window with the list,
// and a wide one with the table and the side navigation.
var layoutSizes = []fyne.Size{{Width: 600, Height: 900}, {Width: 800, Height: 1280}, {Width: 1440, Height: 900},
	{Width: 700, Height: 900}, {Width: 1000, Height: 800}}

// TestLayoutEveryScreenFits opens every screen and every dialog the app
// makes at each size, in English and French, with tablet mode on and off,
// and fails when the window content is wider than the window or when a
// text is cut. Product names may end in an ellipsis (a long name in a
// list); nothing else may.
func TestLayoutEveryScreenFits(t *testing.T) {
	start := time.Now()
	db := mustOpenDB(t)
	if err := db.LoadSample(context.Background()); err != nil {
		t.Fatalf("LoadSample() error = %v", err)
	}
	all, err := db.AllProducts(context.Background())
	if err != nil {
		t.Fatalf("AllProducts() error = %v", err)
	}
	names := map[string]bool{}
	for _, p := range all {
		names[p.Name] = true
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tablet := range []bool{false, true} {
			for _, size := range layoutSizes {
				name := fmt.Sprintf("%s/tablet=%v/%vx%v", lang, tablet, size.Width, size.Height)
				t.Run(name, func(t *testing.T) {
					u, w := mustStartUI(t, db, options{lang: lang, tablet: tablet})
					w.Resize(size)
					layoutCheckAll(t, u, w, names, tablet)
					if size.Width == 800 {
						layoutCheckNarrowRows(t, u, w, tablet)
					}
				})
			}
		}
	}
	t.Logf("every screen and dialog in %d configurations: %v", 4*len(layoutSizes), time.Since(start))
}

func layoutCheckAll(t *testing.T, u *ui.UI, w fyne.Window, names map[string]bool, tablet bool) {
	t.Helper()
	for _, screen := range []string{ui.ScreenOverview, ui.ScreenProducts, ui.ScreenFreezers, ui.ScreenBoxMap, ui.ScreenTrends, ui.ScreenSettings} {
		u.LayoutOpenScreen(screen)
		layoutCheck(t, w, screen, names, tablet)
	}
	u.LayoutOpenScreen(ui.ScreenProducts)
	dialogs := map[string]func(){
		"details":   func() { u.LayoutOpenDetails() },
		"add form":  func() { shortcut(w, fyne.KeyN) },
		"edit form": func() { u.LayoutOpenEditForm() },
	}
	for k, v := range u.LayoutOpenFreezerDialogs() {
		dialogs[k] = v
	}
	for k, v := range u.LayoutOpenMessages() {
		dialogs[k] = v
	}
	for name, open := range dialogs {
		open()
		if w.Canvas().Overlays().Top() == nil {
			t.Errorf("%s: no dialog opened", name)
			continue
		}
		layoutCheck(t, w, name, names, tablet)
		u.LayoutCloseDialogs()
		if top := w.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("%s: a dialog stayed open after closing every dialog: %T", name, top)
		}
	}
}

// layoutCheck fails t when the window content or its top dialog needs more
// width than the window has, or when a text is cut.
func layoutCheck(t *testing.T, w fyne.Window, where string, names map[string]bool, tablet bool) {
	t.Helper()
	c := w.Canvas()
	content := c.Content()
	if tablet {
		target := content
		if top := c.Overlays().Top(); top != nil {
			target = top
		}
		for _, p := range layoutSmallTargets(target) {
			t.Errorf("%s: %s", where, p)
		}
	}
	if top := c.Overlays().Top(); top == nil {
		if min, got := content.MinSize().Width, content.Size().Width; min > got+0.5 {
			t.Errorf("%s: the window content needs %.0f px, the window gives it %.0f", where, min, got)
		}
		for _, p := range layoutCuts(content, names) {
			t.Errorf("%s: %s", where, p)
		}
	} else {
		if min, got := top.MinSize().Width, c.Size().Width; min > got+0.5 {
			t.Errorf("%s: the dialog needs %.0f px, the window is %.0f", where, min, got)
		}
		for _, p := range layoutCuts(top, names) {
			t.Errorf("%s (dialog): %s", where, p)
		}
	}
}

// layoutCuts walks the visible objects under o and describes each text
// that does not get the width it needs.
func layoutCuts(o fyne.CanvasObject, names map[string]bool) []string {
	var out []string
	walkVisible(o, func(x fyne.CanvasObject) {
		if p := layoutCut(x, names); p != "" {
			out = append(out, p)
		}
	})
	return out
}

// layoutCut describes how x's text is cut, or returns "".
func layoutCut(x fyne.CanvasObject, names map[string]bool) string {
	size := x.Size()
	short := func(what string, need float32) string {
		if need > size.Width+0.5 {
			return fmt.Sprintf("%s needs %.0f px, has %.0f", what, need, size.Width)
		}
		return ""
	}
	switch v := x.(type) {
	case *widget.Label:
		if size.IsZero() {
			return "" // a dialog's title: Fyne's dialog layout draws it at its minimum size without resizing it
		}
		if v.Truncation != fyne.TextTruncateOff && v.Wrapping == fyne.TextWrapOff && !names[v.Text] {
			whole := widget.NewLabelWithStyle(v.Text, v.Alignment, v.TextStyle)
			whole.SizeName = v.SizeName
			return short(fmt.Sprintf("label %q (ellipsis)", v.Text), whole.MinSize().Width)
		}
		if v.Wrapping == fyne.TextWrapWord {
			return layoutWrapCut(v, size)
		}
		return short(fmt.Sprintf("label %q", v.Text), v.MinSize().Width)
	case *widget.Button:
		return short(fmt.Sprintf("button %q", v.Text), v.MinSize().Width)
	case *widget.Check:
		return short(fmt.Sprintf("check %q", v.Text), v.MinSize().Width)
	case *widget.Select:
		// The choice shown whole: its text inset by a padding each side,
		// after a padding, then the arrow and an inner padding.
		th := v.Theme()
		need := fyne.MeasureText(v.Selected, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width +
			3*th.Size(theme.SizeNamePadding) + th.Size(theme.SizeNameInlineIcon) + th.Size(theme.SizeNameInnerPadding)
		return short(fmt.Sprintf("choice %q", v.Selected), max(need, v.MinSize().Width))
	case *widget.Entry:
		if v.MultiLine || v.Text == "" {
			return ""
		}
		// A field scrolls its text: a short value (a number, a time) must
		// show whole.
		th := v.Theme()
		need := fyne.MeasureText(v.Text, th.Size(theme.SizeNameText), v.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding)
		if v.ActionItem != nil {
			need += v.ActionItem.MinSize().Width + th.Size(theme.SizeNamePadding)
		}
		return short(fmt.Sprintf("field %q", v.Text), need)
	case *widget.RadioGroup:
		return short(fmt.Sprintf("radio %q", strings.Join(v.Options, "|")), v.MinSize().Width)
	case *widget.Hyperlink:
		return short(fmt.Sprintf("link %q", v.Text), v.MinSize().Width)
	case *canvas.Text:
		if size.Width == 0 || strings.HasSuffix(v.Text, "…") && layoutNamePrefix(v.Text, names) {
			return ""
		}
		return short(fmt.Sprintf("text %q", v.Text), v.MinSize().Width)
	}
	return ""
}

// layoutWrapCut describes a wrapped label that breaks a word inside
// itself ("consomme|r") or is given less height than its lines need (the
// last line drawn over what follows), or returns "".
func layoutWrapCut(v *widget.Label, size fyne.Size) string {
	th := v.Theme()
	textSize := th.Size(theme.SizeNameText)
	if v.SizeName != "" {
		textSize = th.Size(v.SizeName)
	}
	inner := size.Width - 2*th.Size(theme.SizeNameInnerPadding)
	for _, word := range strings.Fields(v.Text) {
		if w := fyne.MeasureText(word, textSize, v.TextStyle).Width; w > inner+0.5 {
			return fmt.Sprintf("label %q breaks the word %q (%.0f px wide, the label gives %.0f)", v.Text, word, w, inner)
		}
	}
	if need := v.MinSize().Height; need > size.Height+0.5 {
		return fmt.Sprintf("label %q needs %.0f px high, has %.0f", v.Text, need, size.Height)
	}
	return ""
}

// layoutNamePrefix tells whether text is a product name cut with "…".
func layoutNamePrefix(text string, names map[string]bool) bool {
	head := strings.TrimSuffix(text, "…")
	for n := range names {
		if strings.HasPrefix(n, head) {
			return true
		}
	}
	return false
}

// layoutCheckNarrowRows checks the products screen at 800 px: it shows the
// two-line list, and each row it shows gives the product's name, status,
// place and deadline, whole, with Eaten and Discarded whole beside them
// (44 px high, 8 px apart on a tablet).
func layoutCheckNarrowRows(t *testing.T, u *ui.UI, w fyne.Window, tablet bool) {
	t.Helper()
	u.LayoutOpenScreen(ui.ScreenProducts)
	if !u.LayoutNarrow() {
		t.Fatal("products at 800 px: the table shows, want the two-line list")
	}
	rows := u.LayoutListRows()
	if len(rows) < 5 {
		t.Fatalf("products at 800 px: %d rows shown, want the screen full (at least 5)", len(rows))
	}
	width := w.Canvas().Size().Width
	for _, r := range rows {
		p := r.Product
		for _, l := range []struct {
			label *widget.Label
			want  string
		}{{r.Name, p.Name}, {r.Status, r.StatusWord}, {r.Place, r.PlaceText}} {
			if l.label.Text != l.want || !l.label.Visible() {
				t.Errorf("row of %s: label %q (visible %v), want %q", p.Name, l.label.Text, l.label.Visible(), l.want)
			}
		}
		if !strings.Contains(r.Deadline.Text, r.DeadlineText) || !r.Deadline.Visible() {
			t.Errorf("row of %s: deadline %q, want it to show %s", p.Name, r.Deadline.Text, r.DeadlineText)
		}
		for _, l := range []*widget.Label{r.Status, r.Place, r.Deadline} {
			if need := l.MinSize().Width; l.Size().Width+0.5 < need {
				t.Errorf("row of %s: %q has %.0f px of the %.0f it needs", p.Name, l.Text, l.Size().Width, need)
			}
		}
		for _, b := range []*widget.Button{r.Eaten, r.Discarded} {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
			if !b.Visible() || pos.X+b.Size().Width > width || b.Size().Width+0.5 < b.MinSize().Width {
				t.Errorf("row of %s: button %q at x %.0f, %.0f px wide (needs %.0f), want whole inside the %.0f px window",
					p.Name, b.Text, pos.X, b.Size().Width, b.MinSize().Width, width)
			}
			if tablet && b.Size().Height < 44 {
				t.Errorf("row of %s: button %q is %.0f px high, want at least 44 on a tablet", p.Name, b.Text, b.Size().Height)
			}
		}
		gap := r.Discarded.Position().Y - (r.Eaten.Position().Y + r.Eaten.Size().Height)
		if tablet && gap < 8 {
			t.Errorf("row of %s: Eaten and Discarded are %.0f px apart, want at least 8 on a tablet", p.Name, gap)
		}
	}
}

// layoutSmallTargets lists the buttons, fields and choices under o lower
// than a finger's 44 px (tablet mode).
func layoutSmallTargets(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if !x.Visible() || x.Size().IsZero() {
			continue
		}
		what := ""
		switch v := x.(type) {
		case *widget.Button:
			what = "button " + v.Text
			if v.Text == "" && v.Icon != nil {
				what = "icon button " + v.Icon.Name()
			}
		case *widget.Select:
			what = "choice " + v.Selected
		case *widget.Entry:
			what = "field " + v.Text
		case *widget.Check:
			what = "check " + v.Text
		default:
			continue
		}
		if h := x.Size().Height; h < 44 {
			out = append(out, fmt.Sprintf("%s is %.0f px high, want at least 44 on a tablet", what, h))
		}
	}
	return out
}
