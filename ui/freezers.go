package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// freezersScreen lists the freezers with their counts and opens one
// freezer's box map.
type freezersScreen struct {
	ui *UI

	stack    *fyne.Container
	listView fyne.CanvasObject
	cards    *fyne.Container
	empty    *widget.Label

	mapView   fyne.CanvasObject
	mapTitle  *widget.Label
	boxMap    *BoxMap
	mapOf     uuid.UUID // the freezer whose map is open, or uuid.Nil
	mapScroll *container.Scroll
	showBox   int // a scan's box: scroll to it once the map shows (scan.go)

	openFirstMap bool // -screen boxmap: open the first freezer's map once loaded
	openForm     bool // -screen add: open the product form once loaded

	width float32     // the screen's width, for the cards' button rows
	grids []*flowGrid // the rows of buttons and the legend, fitted to width
}

func (s *freezersScreen) build() fyne.CanvasObject {
	add := &widget.Button{Text: lang.L("freezers.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAdd}
	s.cards = container.NewVBox()
	s.empty = widget.NewLabel(lang.L("freezers.none"))
	s.empty.Hide()
	s.empty.Wrapping = fyne.TextWrapWord
	s.listView = container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, add, heading(lang.L("nav.freezers"))), s.empty),
		nil, nil, nil, s.ui.withPager(container.NewVScroll(s.cards)))

	tile := fyne.NewSize(180, 78)
	if s.ui.settings.Tablet {
		tile = fyne.NewSize(240, 112)
	}
	s.boxMap = NewBoxMap(tile)
	s.boxMap.OnProduct = func(p ProductRow) { s.ui.openProductDetails(p.ID) }
	s.boxMap.OnFree = s.onAddAt
	s.mapTitle = heading("")
	back := &widget.Button{Text: lang.L("boxmap.back"), Icon: theme.NavigateBackIcon(), OnTapped: s.onBack}
	addHere := &widget.Button{Text: lang.L("products.add"), Icon: theme.ContentAddIcon(), OnTapped: func() { s.onAddAt(1, 0) }}
	printBoxes := &widget.Button{Text: lang.L("labels.print_boxes"), Icon: theme.DocumentPrintIcon(), OnTapped: s.onPrintBoxes}
	legend := newFlowGrid(5, 4*theme.Padding(),
		legendItem(statusIcon(domain.StatusOverdue), statusWord(domain.StatusOverdue)),
		legendItem(statusIcon(domain.StatusDueSoon), statusWord(domain.StatusDueSoon)),
		legendItem(theme.NewSuccessThemedResource(theme.ConfirmIcon()), statusWord(domain.StatusOK)),
		legendItem(theme.ContentAddIcon(), lang.L("boxmap.free")),
		legendItem(theme.DocumentPrintIcon(), lang.L("labels.printed")))
	legend.natural = true
	s.grids = []*flowGrid{legend}
	hint := widget.NewLabel(lang.L("boxmap.hint"))
	hint.Wrapping = fyne.TextWrapWord
	s.mapTitle.Truncation = fyne.TextTruncateEllipsis // a freezer's name, between the two buttons
	top := container.NewVBox(container.NewBorder(nil, nil, back, addHere, s.mapTitle), legend.c, container.NewBorder(nil, nil, nil, printBoxes, hint))
	s.mapScroll = container.NewVScroll(s.boxMap)
	s.mapView = container.NewBorder(top, nil, nil, nil, s.ui.withPager(s.mapScroll))
	s.mapView.Hide()
	s.stack = container.NewStack(s.listView, s.mapView)
	return newWidthAware(container.NewPadded(s.stack), s.onWidth)
}

// onWidth fits the rows of buttons and the legend to the screen's width.
func (s *freezersScreen) onWidth(w float32) {
	s.width = w
	for _, g := range s.grids {
		g.fit(w)
	}
}

func legendItem(icon fyne.Resource, text string) fyne.CanvasObject {
	return container.NewHBox(widget.NewIcon(icon), widget.NewLabel(text))
}

// refresh reloads the freezers, which the product form, the products'
// filter and scans use too, and, once the screen is built, shows them
// (and the open box map).
func (s *freezersScreen) refresh() {
	background(s.ui, func(ctx context.Context) ([]FreezerSummary, error) {
		return s.ui.inv.Freezers(ctx)
	}, func(fs []FreezerSummary, err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		s.ui.freezers = fs
		s.ui.products.onFreezersLoaded(fs)
		if s.openForm {
			s.openForm = false
			s.ui.openProductForm(nil, nil)
		}
		if !s.ui.screenBuilt(tabFreezers) {
			return
		}
		s.showList(fs)
		if s.openFirstMap && len(fs) > 0 {
			s.openFirstMap = false
			s.openMap(fs[0].ID)
		} else if s.mapOf != uuid.Nil {
			s.openMap(s.mapOf)
		}
	})
}

// firstShow fills the screen just built with the freezers already read
// (none read yet: the read below shows them, rather than "no freezer"
// for a moment), then reads them again.
func (s *freezersScreen) firstShow() {
	if s.ui.freezers != nil {
		s.showList(s.ui.freezers)
	}
	s.refresh()
}

func (s *freezersScreen) showList(fs []FreezerSummary) {
	s.cards.Objects = nil
	s.grids = s.grids[:1] // the legend stays
	for _, f := range fs {
		s.cards.Add(s.card(f))
	}
	s.cards.Refresh()
	if len(fs) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
}

func (s *freezersScreen) card(f FreezerSummary) fyne.CanvasObject {
	counts := widget.NewLabel(lang.L("freezers.counts", map[string]any{
		"Boxes": f.Boxes, "Inside": f.Inside, "Overdue": f.Overdue, "DueSoon": f.DueSoon}))
	counts.Wrapping = fyne.TextWrapWord
	name := widget.NewLabelWithStyle(f.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Wrapping = fyne.TextWrapWord
	var marks []fyne.CanvasObject
	if f.Overdue > 0 {
		l := widget.NewLabel(lang.L("freezers.overdue_mark", map[string]any{"Count": f.Overdue}))
		l.Importance = widget.DangerImportance
		marks = append(marks, widget.NewIcon(theme.ErrorIcon()), l)
	}
	if f.DueSoon > 0 {
		l := widget.NewLabel(lang.L("freezers.due_soon_mark", map[string]any{"Count": f.DueSoon}))
		l.Importance = widget.WarningImportance
		marks = append(marks, widget.NewIcon(theme.WarningIcon()), l)
	}
	id := f.ID
	// The buttons under the name and counts: four in a row on a wide
	// window, two by two or one under the other on a narrow one.
	buttons := newFlowGrid(4, 8*theme.Padding(),
		&widget.Button{Text: lang.L("freezers.map"), Icon: theme.GridIcon(), Importance: widget.HighImportance, OnTapped: func() { s.openMap(id) }},
		&widget.Button{Text: lang.L("freezers.rename"), Icon: theme.DocumentCreateIcon(), OnTapped: func() { s.onRename(f) }},
		&widget.Button{Text: lang.L("freezers.boxes"), Icon: theme.ViewRestoreIcon(), OnTapped: func() { s.onBoxes(f) }},
		&widget.Button{Text: lang.L("freezers.delete"), Icon: theme.DeleteIcon(), Importance: widget.DangerImportance, OnTapped: func() { s.onDelete(f) }},
	)
	buttons.natural = true
	if s.width > 0 {
		buttons.fit(s.width)
	}
	s.grids = append(s.grids, buttons)
	info := container.NewVBox(name, container.NewHBox(marks...), counts)
	if len(marks) == 0 {
		info = container.NewVBox(name, counts)
	}
	return widget.NewCard("", "", container.NewVBox(info, buttons.c))
}

// openMap shows the box map of freezer id.
func (s *freezersScreen) openMap(id uuid.UUID) {
	var f *FreezerSummary
	for i := range s.ui.freezers {
		if s.ui.freezers[i].ID == id {
			f = &s.ui.freezers[i]
		}
	}
	if f == nil {
		s.onBack()
		return
	}
	s.mapOf = id
	s.mapTitle.SetText(f.Name)
	boxes := f.Boxes
	background(s.ui, func(ctx context.Context) ([][]boxSlot, error) {
		rows, err := s.ui.inv.Products(ctx)
		if err != nil {
			return nil, err
		}
		var inside []ProductRow
		for _, r := range rows {
			if r.Inside() && r.Location.FreezerID == id {
				inside = append(inside, r)
			}
		}
		printed, err := s.ui.inv.LabelsPrinted(ctx, id)
		if err != nil {
			return nil, err
		}
		b := boxSlots(boxes, inside)
		markLabelled(b, printed)
		return b, nil
	}, func(b [][]boxSlot, err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		if s.mapOf != id {
			return
		}
		s.boxMap.SetBoxes(b)
		s.listView.Hide()
		s.mapView.Show()
		s.scrollToBox()
	})
}

func (s *freezersScreen) onBack() {
	s.mapOf = uuid.Nil
	s.mapView.Hide()
	s.listView.Show()
}

// onAddAt adds a product in the open freezer's box at slot (0: the next
// free one).
func (s *freezersScreen) onAddAt(box, slot int) {
	s.ui.openProductForm(nil, &domain.Location{FreezerID: s.mapOf, Box: box, Slot: slot})
}

func (s *freezersScreen) onAdd() {
	s.ui.freezerDialog(lang.L("freezers.add"), "", 4, true, true, func(ctx context.Context, name string, boxes int) error {
		_, err := s.ui.inv.CreateFreezer(ctx, name, boxes)
		return err
	})
}

func (s *freezersScreen) onRename(f FreezerSummary) {
	s.ui.freezerDialog(lang.L("freezers.rename"), f.Name, f.Boxes, true, false, func(ctx context.Context, name string, _ int) error {
		_, err := s.ui.inv.UpdateFreezer(ctx, f.ID, FreezerUpdate{Name: &name})
		return err
	})
}

func (s *freezersScreen) onBoxes(f FreezerSummary) {
	s.ui.freezerDialog(lang.L("freezers.boxes"), f.Name, f.Boxes, false, true, func(ctx context.Context, _ string, boxes int) error {
		_, err := s.ui.inv.UpdateFreezer(ctx, f.ID, FreezerUpdate{Boxes: &boxes})
		return err
	})
}

func (s *freezersScreen) onDelete(f FreezerSummary) {
	if f.Inside > 0 {
		s.ui.showInfo(lang.L("freezers.delete"), lang.L("freezers.delete_refused", map[string]any{"Name": f.Name, "Count": f.Inside}))
		return
	}
	d := dialog.NewConfirm(lang.L("freezers.delete"), lang.L("freezers.delete_confirm", map[string]any{"Name": f.Name}), func(ok bool) {
		if !ok {
			return
		}
		background(s.ui, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, s.ui.inv.DeleteFreezer(ctx, f.ID)
		}, func(_ struct{}, err error) {
			if err != nil {
				s.ui.showError(err)
				return
			}
			s.ui.reload()
		})
	}, s.ui.win)
	d.SetConfirmText(lang.L("freezers.delete"))
	d.SetDismissText(lang.L("action.cancel"))
	s.ui.showDialog(d)
}

// freezerDialog asks for a freezer's name and/or box count and saves them
// with save (run in the background); refusals show under the field.
func (u *UI) freezerDialog(title, name string, boxes int, askName, askBoxes bool, save func(ctx context.Context, name string, boxes int) error) {
	nameEntry := newEscEntry(u, false)
	nameEntry.SetText(name)
	boxesEntry := newEscEntry(u, false)
	boxesEntry.SetText(itoa(boxes))
	nameErr, boxesErr := errLabel(), errLabel()
	var objs []fyne.CanvasObject
	if askName {
		objs = append(objs, widget.NewLabel(lang.L("freezers.name")), container.NewVBox(nameEntry, nameErr))
	}
	if askBoxes {
		objs = append(objs, widget.NewLabel(lang.L("freezers.box_count")), container.NewVBox(boxesEntry, boxesErr))
	}
	var dlg *dialog.CustomDialog
	var saveBtn *widget.Button
	onSave := func() {
		n := strings.TrimSpace(nameEntry.Text)
		b, err := strconv.Atoi(strings.TrimSpace(boxesEntry.Text))
		setErr(nameErr, "")
		setErr(boxesErr, "")
		bad := false
		if askName && n == "" {
			setErr(nameErr, lang.L("freezers.err.name"))
			bad = true
		}
		if askBoxes && (err != nil || b < 1 || b > domain.MaxBoxes) {
			setErr(boxesErr, lang.L("freezers.err.boxes", map[string]any{"Max": domain.MaxBoxes}))
			bad = true
		}
		if bad {
			return
		}
		saveBtn.Disable()
		background(u, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, save(ctx, n, b)
		}, func(_ struct{}, err error) {
			saveBtn.Enable()
			if err != nil {
				switch {
				case domain.ErrorField(err) == domain.FieldName && askName:
					setErr(nameErr, u.freezerNameError(err, n))
				case askBoxes && (domain.ErrorField(err) == domain.FieldBoxes || domain.ErrorCode(err) == domain.EConflict):
					setErr(boxesErr, domain.ErrorMessage(err))
				default:
					u.showError(err)
				}
				return
			}
			dlg.Hide()
			u.reload()
		})
	}
	saveBtn = &widget.Button{Text: lang.L("action.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: onSave}
	nameEntry.OnSubmitted = func(string) { onSave() }
	boxesEntry.OnSubmitted = func(string) { onSave() }
	dlg = dialog.NewCustomWithoutButtons(title, container.New(layout.NewFormLayout(), objs...), u.win)
	dlg.SetButtons([]fyne.CanvasObject{&widget.Button{Text: lang.L("action.cancel"), OnTapped: func() { dlg.Hide() }}, saveBtn})
	dlg.Resize(fyne.NewSize(480, dlg.MinSize().Height))
	u.freezerForm = &freezerForm{name: &nameEntry.Entry, boxes: &boxesEntry.Entry, nameErr: nameErr, boxesErr: boxesErr, save: saveBtn}
	u.showDialog(dlg)
	if askName {
		u.win.Canvas().Focus(nameEntry)
	} else {
		u.win.Canvas().Focus(boxesEntry)
	}
}

// freezerForm holds the freezer dialog's widgets (tests fill them).
type freezerForm struct {
	name, boxes       *widget.Entry
	nameErr, boxesErr *widget.Label
	save              *widget.Button
}

func errLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setErr(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
