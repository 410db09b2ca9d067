package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// The products screen's narrow layout (windows narrower than narrowWindow,
// portrait tablets): a list of two-line rows, the name and status on the
// first line, the place and deadline on the second, and Eaten and Discarded
// beside them, so nothing needs a horizontal scroll. Like the table, the
// list builds only the rows it shows and reads the same view.

// listRow is one two-line row: of the narrow products list, and of the
// overview's overdue and due-soon list.
type listRow struct {
	row       ProductRow
	mark      *canvas.Rectangle // the product last opened
	icon      *widget.Icon
	name      *widget.Label
	status    *widget.Label
	place     *widget.Label
	deadline  *widget.Label
	eaten     *widget.Button
	discarded *widget.Button
	actions   *fyne.Container
	lines     [2]*fyne.Container // laid out again when a text's width changes
	content   fyne.CanvasObject
}

// outcomeButtons are the Eaten and Discarded buttons that take a product
// out, each calling do with its outcome: the list's rows, the This week
// card's, the suggestions' list and the product's details.
func outcomeButtons(do func(how domain.Outcome)) (eaten, discarded *widget.Button) {
	return &widget.Button{Text: lang.L("action.eaten"), Icon: theme.ConfirmIcon(), OnTapped: func() { do(domain.OutcomeEaten) }},
		&widget.Button{Text: lang.L("action.discarded"), Icon: theme.DeleteIcon(), OnTapped: func() { do(domain.OutcomeDiscarded) }}
}

// newListRow makes a row whose buttons call takeOut with the row's product.
func newListRow(u *UI, takeOut func(p ProductRow, how domain.Outcome)) *listRow {
	r := &listRow{
		mark:     canvas.NewRectangle(color.Transparent),
		icon:     widget.NewIcon(nil),
		name:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		status:   widget.NewLabel(""),
		place:    widget.NewLabel(""),
		deadline: widget.NewLabel(""),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis // a long name may end in "…"; nothing else is cut
	// The second line is secondary: a smaller text leaves the place and the
	// deadline whole beside the buttons on a 600 px window.
	r.place.SizeName = theme.SizeNameCaptionText
	r.deadline.SizeName = theme.SizeNameCaptionText
	r.eaten, r.discarded = outcomeButtons(func(how domain.Outcome) {
		if r.row.ID != uuid.Nil {
			takeOut(r.row, how)
		}
	})
	// The two buttons one above the other: each as wide as the longer, and
	// apart by the theme's padding (8 px on a tablet).
	r.actions = container.NewGridWithColumns(1, r.eaten, r.discarded)
	r.lines = [2]*fyne.Container{
		container.NewBorder(nil, nil, nil, r.status, r.name),
		container.NewBorder(nil, nil, nil, r.deadline, r.place)}
	text := container.NewVBox(r.lines[0], r.lines[1])
	row := container.NewBorder(nil, nil, container.NewCenter(r.icon), r.actions, text)
	r.content = container.NewStack(r.mark, u.scrollBarRoom(row))
	return r
}

// set shows p in the row.
func (r *listRow) set(p ProductRow) {
	r.row = p
	r.icon.SetResource(statusIcon(p.Status))
	setLabel(r.name, p.Name, widget.MediumImportance)
	// The status and the deadline are as wide as their text: when that
	// changes, their line is laid out again (a container lays out its
	// objects only when it is resized).
	if setLabel(r.status, statusWord(p.Status), statusImportance(p.Status)) {
		r.lines[0].Refresh()
	}
	placed := setLabel(r.place, placeText(p), widget.MediumImportance)
	if setLabel(r.deadline, lang.L("products.row_deadline", map[string]any{"Deadline": formatDate(p.Deadline)}), widget.MediumImportance) || placed {
		r.lines[1].Refresh()
	}
	if p.Inside() {
		r.actions.Show()
	} else {
		r.actions.Hide()
	}
}

// buildList makes the narrow list over s.view.
func (s *productsScreen) buildList() *widget.List {
	l := &widget.List{
		Length:     s.listLength,
		CreateItem: s.createListRow,
		UpdateItem: s.updateListRow,
		OnSelected: s.onListSelected,
	}
	l.ExtendBaseWidget(l)
	return l
}

// listLength is the list's length: none while the table shows instead (a
// hidden list is still laid out, and would make and fill its rows).
func (s *productsScreen) listLength() int {
	if !s.narrow {
		return 0
	}
	return len(s.view)
}

func (s *productsScreen) createListRow() fyne.CanvasObject {
	s.rowsMade++
	r := newListRow(s.ui, func(p ProductRow, how domain.Outcome) { s.ui.takeOut(p.ID, how) })
	return newRowHolder(r.content, r)
}

func (s *productsScreen) updateListRow(id widget.ListItemID, o fyne.CanvasObject) {
	s.rowsSet++
	if id < 0 || id >= len(s.view) {
		return
	}
	r := o.(*rowHolder).data.(*listRow)
	r.set(s.view[id].ProductRow)
	s.setMark(r.mark, r.row.ID)
}

// setLabel changes l only when its text or importance changed: refreshing
// every visible row on each keystroke would cost more than the filter. It
// tells whether the text changed.
func setLabel(l *widget.Label, text string, imp widget.Importance) bool {
	if l.Text == text && l.Importance == imp {
		return false
	}
	changed := l.Text != text
	l.Text = text
	l.Importance = imp
	l.Refresh()
	return changed
}

// placeText names where a product is: its freezer, box and slot.
func placeText(p ProductRow) string {
	return lang.L("products.row_place", map[string]any{"Freezer": p.FreezerName, "Box": p.Location.Box, "Slot": p.Location.Slot})
}

// onListSelected opens the tapped row's product (see onSelected).
func (s *productsScreen) onListSelected(id widget.ListItemID) {
	s.list.UnselectAll()
	if id < 0 || id >= len(s.view) {
		return
	}
	s.open(s.view[id].ID)
}

// buildEmpty makes what the products screen shows instead of an empty
// table or list: a sentence, and a button to add a product (named after the
// search when the search found nothing) or to clear the filters.
func (s *productsScreen) buildEmpty() fyne.CanvasObject {
	s.emptyText = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.emptyText.Wrapping = fyne.TextWrapWord
	s.emptyAdd = &widget.Button{Icon: theme.ContentAddIcon(), Importance: widget.HighImportance}
	s.empty = container.NewVBox(s.emptyText, container.NewCenter(s.emptyAdd))
	s.empty.Hide()
	return s.empty
}

// showEmpty words the empty state for the filter in use.
func (s *productsScreen) showEmpty() {
	if s.emptyText == nil || len(s.view) > 0 {
		return
	}
	text := strings.TrimSpace(s.filter.Text)
	switch {
	case len(s.rows) == 0:
		s.emptyText.SetText(lang.L("products.empty"))
		s.emptyAdd.SetText(lang.L("products.add"))
		s.emptyAdd.SetIcon(theme.ContentAddIcon())
		s.emptyAdd.OnTapped = func() { s.ui.openProductForm(nil, nil) }
	case text != "":
		s.emptyText.SetText(lang.L("products.no_match", map[string]any{"Text": text}))
		s.emptyAdd.SetText(lang.L("products.add_named", map[string]any{"Text": text}))
		s.emptyAdd.SetIcon(theme.ContentAddIcon())
		s.emptyAdd.OnTapped = func() { s.addNamed(text) }
	default:
		s.emptyText.SetText(lang.L("products.no_match_filters"))
		s.emptyAdd.SetText(lang.L("products.clear_filters"))
		s.emptyAdd.SetIcon(theme.ContentClearIcon())
		s.emptyAdd.OnTapped = func() { s.setFilter(whereInside, "") }
	}
}

// addNamed opens the add form with name filled in (the search that found
// nothing).
func (s *productsScreen) addNamed(name string) {
	s.ui.openProductForm(nil, nil)
	if f := s.ui.form; f != nil && f.editing == nil && f.name != nil && len(s.ui.dialogs) > 0 {
		f.name.SetText(name)
	}
}

// setFilter shows the products where and with status (""; any), every
// freezer and type, and no search: the overview's cards open it.
func (s *productsScreen) setFilter(where int, status domain.Status) {
	s.search.SetText("")
	s.freezer.SetSelectedIndex(0)
	s.ptype.SetSelectedIndex(0)
	s.where.SetSelectedIndex(where)
	i := 0
	for j, st := range []domain.Status{"", domain.StatusOverdue, domain.StatusDueSoon, domain.StatusOK} {
		if st == status {
			i = j
		}
	}
	s.status.SetSelectedIndex(i)
	s.filter = rowFilter{Where: where, Status: status}
	s.apply()
}
