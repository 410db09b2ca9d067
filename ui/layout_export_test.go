package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// This file exposes what the layout test (layout_test.go) opens: every
// dialog the app makes, and the products screen's narrow list.

// LayoutOpenDetails opens the product details of the products screen's
// first row; false when the screen shows no row.
func (u *UI) LayoutOpenDetails() bool {
	if len(u.products.view) == 0 {
		return false
	}
	u.openProductDetails(u.products.view[0].ID)
	return true
}

// LayoutOpenEditForm opens the product form on the first row.
func (u *UI) LayoutOpenEditForm() bool {
	if len(u.products.view) == 0 {
		return false
	}
	p := u.products.view[0].ProductRow
	u.openProductForm(&p, nil)
	return true
}

// LayoutOpenFreezerDialogs returns openers of the freezer dialogs: add,
// rename, boxes and the delete confirmation of the first freezer.
func (u *UI) LayoutOpenFreezerDialogs() map[string]func() {
	u.buildScreen(tabFreezers)
	f := u.freezers[0]
	f.Inside = 0 // the confirmation, not the refusal
	return map[string]func(){
		"freezer add":    u.freezerSc.onAdd,
		"freezer rename": func() { u.freezerSc.onRename(f) },
		"freezer boxes":  func() { u.freezerSc.onBoxes(f) },
		"freezer delete": func() { u.freezerSc.onDelete(f) },
		"freezer delete refused": func() {
			g := u.freezers[0]
			g.Inside = max(1, g.Inside)
			u.freezerSc.onDelete(g)
		},
	}
}

// LayoutOpenMessages returns openers of the app's messages: an error, the
// export's progress.
func (u *UI) LayoutOpenMessages() map[string]func() {
	m := map[string]func(){
		"error":          func() { u.showInfo(lang.L("error.title"), lang.L("error.generic")) },
		"progress":       func() { d, _ := u.progressDialog(lang.L("settings.exporting")); u.showDialog(d) },
		"about":          u.showAbout,
		"sample confirm": u.loadSample, // the sample household is there: it asks
		"date picker": func() {
			latest := u.today()
			u.openDatePicker(u.today(), &latest, func(domain.Date) {})
		},
	}
	if len(u.products.view) > 0 {
		row := u.products.view[0].ProductRow
		m["delete confirm"] = func() { u.deleteProduct(row, func() {}) }
	}
	return m
}

// LayoutCloseDialogs closes every dialog the app opened.
func (u *UI) LayoutCloseDialogs() { u.closeDialogs() }

// LayoutOpenScreen shows screen (a Screen... name).
func (u *UI) LayoutOpenScreen(screen string) {
	if u.screenBuilt(tabFreezers) {
		u.freezerSc.onBack()
	}
	u.showScreen(screen)
	if screen == ScreenBoxMap && len(u.freezers) > 0 {
		u.freezerSc.openMap(u.freezers[0].ID)
	}
}

// LayoutRow is a row the narrow products list shows: its labels, and the
// product it shows.
type LayoutRow struct {
	Product                             ProductRow
	Name, Status, Place, Deadline       *widget.Label
	Eaten, Discarded                    *widget.Button
	StatusWord, PlaceText, DeadlineText string
}

// LayoutListRows returns the rows the products screen's narrow list shows
// (it builds only the visible ones), with the texts they should show.
func (u *UI) LayoutListRows() []LayoutRow {
	var out []LayoutRow
	if !u.products.list.Visible() {
		return nil
	}
	for _, o := range layoutRendered(u.products.list) {
		h, ok := o.(*rowHolder)
		if !ok || !h.Visible() {
			continue
		}
		r, ok := h.data.(*listRow)
		if !ok || r.row.Name == "" {
			continue
		}
		out = append(out, LayoutRow{Product: r.row, Name: r.name, Status: r.status, Place: r.place, Deadline: r.deadline,
			Eaten: r.eaten, Discarded: r.discarded, StatusWord: statusWord(r.row.Status), PlaceText: placeText(r.row),
			DeadlineText: formatDate(r.row.Deadline)})
	}
	return out
}

// LayoutNarrow tells whether the products screen shows its narrow list.
func (u *UI) LayoutNarrow() bool { return u.products.narrow }

// LayoutEmpty returns the products screen's empty state: whether it shows,
// its sentence and its button.
func (u *UI) LayoutEmpty() (shown bool, text string, button *widget.Button) {
	p := u.products
	return p.empty.Visible(), p.emptyText.Text, p.emptyAdd
}

// LayoutCountCards returns the overview's count cards, in order: inside,
// overdue, due soon, out this month.
func (u *UI) LayoutCountCards() []fyne.Tappable {
	var out []fyne.Tappable
	for _, o := range test.LaidOutObjects(u.tabs.Items[0].Content) {
		if c, ok := o.(*tapCard); ok {
			out = append(out, c)
		}
	}
	return out
}

// LayoutList is the products screen's narrow list.
func (u *UI) LayoutList() *widget.List { return u.products.list }

// LayoutMarked lists the names of the rows marked as the product last
// opened, in the table or the list, whichever shows.
func (u *UI) LayoutMarked() []string {
	var out []string
	p := u.products
	var root fyne.CanvasObject = p.table
	if p.narrow {
		root = p.list
	}
	seen := map[string]bool{}
	for _, o := range layoutRendered(root) {
		h, ok := o.(*rowHolder)
		if !ok || !h.Visible() {
			continue
		}
		var name string
		var marked bool
		switch d := h.data.(type) {
		case *listRow:
			name, marked = d.row.Name, d.mark.FillColor != color.Transparent
		case *productCell:
			name, marked = d.label.Text, d.mark.FillColor != color.Transparent
		}
		if marked && !seen[name] && name != "" {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// LayoutFilter returns the products screen's filter: where (0 inside, 1
// out, 2 all) and the status ("" any).
func (u *UI) LayoutFilter() (where int, status string, text string) {
	f := u.products.filter
	return f.Where, string(f.Status), f.Text
}

// layoutRendered returns the visible objects rendered under o, as drawn
// (without laying anything out again).
func layoutRendered(o fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(fyne.CanvasObject)
	walk = func(x fyne.CanvasObject) {
		if x == nil || !x.Visible() {
			return
		}
		out = append(out, x)
		switch v := x.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// LayoutRowsMade is how many rows the narrow list has built.
func (u *UI) LayoutRowsMade() int { return u.products.rowsMade }

// FilledCellsAndRows is how many times the table filled a cell and the
// list a row.
func (u *UI) FilledCellsAndRows() (cells, rows int) { return u.products.cellsSet, u.products.rowsSet }

// ArrangeWhileSettingContent arranges the UI for a content width of width
// as Fyne's first layout of a new content does (at its minimum size), and
// reports whether the UI is then narrow.
func (u *UI) ArrangeWhileSettingContent(width float32) (narrow bool) {
	u.settingContent = true
	defer func() { u.settingContent = false }()
	u.onWindowWidth(width)
	return u.narrow
}

// LayoutSwitches is how many times the products screen showed the table
// or the list in place of the other, its first showing included.
func (u *UI) LayoutSwitches() int { return u.products.switches }
