package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// productsScreen is the table of products with filters, a search field
// that narrows as you type, and sortable columns. It keeps every row in
// memory; filtering and sorting run off the UI goroutine and the result is
// swapped in with fyne.Do (only visible rows are ever built by the table).
type productsScreen struct {
	ui *UI

	rows   []indexedRow  // every product, immutable once loaded
	view   []*indexedRow // what the table shows
	gen    int           // filter generation: stale results are dropped
	sort   sortSpec
	filter rowFilter
	ready  bool

	where, freezer, ptype, status *widget.Select
	search                        *widget.Entry
	count                         *widget.Label
	table                         *widget.Table

	freezerIDs []uuid.UUID // parallel to freezer's options after "all"
	typeIDs    []int       // parallel to ptype's options after "all"
	pageTop    float32
	pageLeft   float32
	cellsMade  int // table cells built: the table only builds visible ones
}

func (s *productsScreen) build() fyne.CanvasObject {
	s.sort = sortSpec{Col: colDeadline}
	s.where = widget.NewSelect([]string{lang.L("filter.inside"), lang.L("filter.out"), lang.L("filter.all")}, s.onWhere)
	s.where.SetSelectedIndex(0)
	s.freezer = widget.NewSelect([]string{lang.L("filter.all_freezers")}, s.onFreezer)
	s.freezer.SetSelectedIndex(0)
	s.ptype = widget.NewSelect([]string{lang.L("filter.all_types")}, s.onType)
	s.ptype.SetSelectedIndex(0)
	s.status = widget.NewSelect([]string{lang.L("filter.any_status"), statusWord(domain.StatusOverdue),
		statusWord(domain.StatusDueSoon), statusWord(domain.StatusOK)}, s.onStatus)
	s.status.SetSelectedIndex(0)
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.L("products.search"))
	s.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.search.OnChanged = s.onSearch
	s.count = widget.NewLabel("")
	add := &widget.Button{Text: lang.L("products.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance,
		OnTapped: func() { s.ui.openProductForm(nil, nil) }}

	s.table = widget.NewTableWithHeaders(s.length, s.createCell, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = s.createHeader
	s.table.UpdateHeader = s.updateHeader
	s.table.OnSelected = s.onSelected
	scale := float32(1)
	if s.ui.settings.Tablet {
		scale = 1.3
	}
	// Columns fit their header (with its sort arrow) in the language in use.
	arrow := s.ui.app.Settings().Theme().Size(theme.SizeNameInlineIcon)
	for col, w := range []float32{120, 220, 170, 130, 90, 105, 105, 80} {
		header := widget.NewButton(lang.L(columnKeys[col]), nil).MinSize().Width + arrow
		s.table.SetColumnWidth(col, max(w*scale, header))
	}

	var filters fyne.CanvasObject
	if s.ui.settings.Tablet {
		filters = container.NewVBox(
			container.NewBorder(nil, nil, nil, add, s.search),
			container.NewGridWithColumns(2, s.where, s.status, s.freezer, s.ptype))
	} else {
		filters = container.NewVBox(
			container.NewBorder(nil, nil, nil, add, s.search),
			container.NewGridWithColumns(4, s.where, s.freezer, s.ptype, s.status))
	}
	top := container.NewVBox(heading(lang.L("nav.products")), filters, s.count)
	var bottom fyne.CanvasObject
	if s.ui.settings.Tablet {
		bottom = s.pager()
	}
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, s.table))
}

func (s *productsScreen) length() (int, int) { return len(s.view), numCols }

// productCell is a table cell: an icon (status column only) and a label.
type productCell struct {
	icon  *widget.Icon
	label *widget.Label
}

func (s *productsScreen) createCell() fyne.CanvasObject {
	s.cellsMade++
	c := &productCell{icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	c.label.Truncation = fyne.TextTruncateEllipsis
	return newRowHolder(container.NewBorder(nil, nil, c.icon, nil, c.label), c)
}

func (s *productsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(s.view) {
		return
	}
	r := s.view[id.Row]
	c := o.(*rowHolder).data.(*productCell)
	imp := widget.MediumImportance
	if r.Status == domain.StatusOverdue || r.Status == domain.StatusDueSoon {
		imp = statusImportance(r.Status)
	}
	text := ""
	c.icon.Hide()
	switch id.Col {
	case colStatus:
		c.icon.SetResource(statusIcon(r.Status))
		c.icon.Show()
		imp = statusImportance(r.Status)
		text = statusWord(r.Status)
	case colName:
		text = r.Name
	case colType:
		text = r.TypeName
		imp = widget.MediumImportance
	case colFreezer:
		text = r.FreezerName
		imp = widget.MediumImportance
	case colPlace:
		text = itoa(r.Location.Box) + " / " + itoa(r.Location.Slot)
		imp = widget.MediumImportance
	case colDateIn:
		text = r.DateIn.String()
		imp = widget.MediumImportance
	case colDeadline:
		text = r.Deadline.String()
	case colPersons:
		text = itoa(r.Quantity)
		imp = widget.MediumImportance
	}
	if c.label.Text != text || c.label.Importance != imp {
		c.label.Importance = imp
		c.label.Text = text
		c.label.Refresh()
	}
}

func (s *productsScreen) createHeader() fyne.CanvasObject {
	b := &widget.Button{Alignment: widget.ButtonAlignLeading, Importance: widget.LowImportance, IconPlacement: widget.ButtonIconTrailingText}
	return b
}

var columnKeys = [numCols]string{"col.status", "col.name", "col.type", "col.freezer", "col.place", "col.date_in", "col.deadline", "col.persons"}

func (s *productsScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= numCols {
		return
	}
	col := id.Col
	b.Text = lang.L(columnKeys[col])
	b.Icon = nil
	if s.sort.Col == col {
		b.Icon = theme.MenuDropDownIcon()
		if s.sort.Desc {
			b.Icon = theme.MenuDropUpIcon()
		}
	}
	b.OnTapped = func() { s.onSortBy(col) }
	b.Refresh()
}

func (s *productsScreen) onSortBy(col int) {
	if s.sort.Col == col {
		s.sort.Desc = !s.sort.Desc
	} else {
		s.sort = sortSpec{Col: col}
	}
	s.apply()
}

func (s *productsScreen) onSelected(id widget.TableCellID) {
	s.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.view) {
		return
	}
	s.ui.openProductDetails(s.view[id.Row].ID)
}

func (s *productsScreen) onWhere(string)  { s.filter.Where = s.where.SelectedIndex(); s.apply() }
func (s *productsScreen) onSearch(string) { s.filter.Text = s.search.Text; s.apply() }

func (s *productsScreen) onFreezer(string) {
	s.filter.Freezer = uuid.Nil
	if i := s.freezer.SelectedIndex(); i > 0 && i-1 < len(s.freezerIDs) {
		s.filter.Freezer = s.freezerIDs[i-1]
	}
	s.apply()
}

func (s *productsScreen) onType(string) {
	s.filter.TypeID = 0
	if i := s.ptype.SelectedIndex(); i > 0 && i-1 < len(s.typeIDs) {
		s.filter.TypeID = s.typeIDs[i-1]
	}
	s.apply()
}

func (s *productsScreen) onStatus(string) {
	s.filter.Status = [...]domain.Status{"", domain.StatusOverdue, domain.StatusDueSoon, domain.StatusOK}[max(0, s.status.SelectedIndex())]
	s.apply()
}

// onTypesLoaded fills the type filter and names the types in the rows.
func (s *productsScreen) onTypesLoaded() {
	types := slices.Clone(s.ui.types)
	slices.SortFunc(types, func(a, b domain.ProductType) int {
		return strings.Compare(strings.ToLower(typeName(a)), strings.ToLower(typeName(b)))
	})
	opts := []string{lang.L("filter.all_types")}
	s.typeIDs = s.typeIDs[:0]
	for _, t := range types {
		opts = append(opts, typeName(t))
		s.typeIDs = append(s.typeIDs, t.ID)
	}
	s.ptype.Options = opts
	s.ptype.Refresh()
}

// onFreezersLoaded fills the freezer filter, keeping the choice.
func (s *productsScreen) onFreezersLoaded(fs []FreezerSummary) {
	opts := []string{lang.L("filter.all_freezers")}
	s.freezerIDs = s.freezerIDs[:0]
	sel := 0
	for i, f := range fs {
		opts = append(opts, f.Name)
		s.freezerIDs = append(s.freezerIDs, f.ID)
		if f.ID == s.filter.Freezer {
			sel = i + 1
		}
	}
	s.freezer.Options = opts
	s.freezer.OnChanged = nil
	s.freezer.SetSelectedIndex(sel)
	s.freezer.OnChanged = s.onFreezer
	if sel == 0 {
		s.filter.Freezer = uuid.Nil
	}
}

// refresh loads every product from the store, indexes and filters them in
// the same background job (one hop back to the UI goroutine, not two).
func (s *productsScreen) refresh() {
	names := s.ui.typeNames()
	s.gen++
	gen, f, order := s.gen, s.filter, s.sort
	type loaded struct {
		rows []indexedRow
		view []*indexedRow
	}
	background(s.ui, func(ctx context.Context) (loaded, error) {
		rows, err := s.ui.inv.Products(ctx)
		if err != nil {
			return loaded{}, err
		}
		idx := indexRows(rows, names)
		return loaded{rows: idx, view: filterRows(idx, f, order)}, nil
	}, func(l loaded, err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		s.rows = l.rows
		if gen != s.gen { // the filter changed meanwhile
			s.apply()
			return
		}
		s.show(l.view)
	})
}

type filterResult struct {
	gen   int
	view  []*indexedRow
	asked time.Time
}

// apply filters and sorts the rows off the UI goroutine and swaps the
// result in; a result older than the latest request is dropped.
func (s *productsScreen) apply() {
	if s.table == nil {
		return
	}
	s.gen++
	gen, rows, f, order, asked := s.gen, s.rows, s.filter, s.sort, time.Now()
	background(s.ui, func(context.Context) (filterResult, error) {
		return filterResult{gen: gen, view: filterRows(rows, f, order), asked: asked}, nil
	}, func(r filterResult, _ error) {
		if r.gen != s.gen {
			return
		}
		s.show(r.view)
		if s.ui.opts.OnFiltered != nil {
			s.ui.opts.OnFiltered(time.Since(r.asked), len(r.view))
		}
	})
}

// show swaps in a new view and refreshes the table (only visible cells are
// updated).
func (s *productsScreen) show(view []*indexedRow) {
	s.view = view
	s.count.SetText(lang.L("products.count", map[string]any{"Count": len(s.view), "Total": len(s.rows)}))
	s.table.Refresh()
	if !s.ready && s.rows != nil {
		s.ready = true
		if s.ui.opts.OnReady != nil {
			s.ui.opts.OnReady()
		}
	}
}

// pager returns tablet mode's paging buttons: up and down by a page, and
// left and right for the columns that do not fit a portrait screen (finger
// drags do not scroll in desktop builds).
func (s *productsScreen) pager() fyne.CanvasObject {
	scroll := func(dx, dy float32) func() {
		return func() {
			size := s.table.Size()
			maxTop := max(0, float32(len(s.view))*cellHeight(s.ui)-size.Height)
			s.pageTop = min(maxTop, max(0, s.pageTop+dy*size.Height*0.9))
			s.pageLeft = max(0, s.pageLeft+dx*size.Width*0.6)
			s.table.ScrollToOffset(fyne.NewPos(s.pageLeft, s.pageTop))
		}
	}
	return container.NewBorder(nil, nil,
		&widget.Button{Icon: theme.NavigateBackIcon(), OnTapped: scroll(-1, 0)},
		&widget.Button{Icon: theme.NavigateNextIcon(), OnTapped: scroll(1, 0)},
		container.NewGridWithColumns(2,
			&widget.Button{Text: lang.L("action.page_up"), Icon: theme.MoveUpIcon(), OnTapped: scroll(0, -1)},
			&widget.Button{Text: lang.L("action.page_down"), Icon: theme.MoveDownIcon(), OnTapped: scroll(0, 1)},
		))
}

// cellHeight is the height of a table row in the theme in use.
func cellHeight(u *UI) float32 {
	return widget.NewLabel("X").MinSize().Height + u.app.Settings().Theme().Size(theme.SizeNamePadding)
}

// typeNames maps type ids to names in the language in use (a fresh map, so
// background work can read it).
func (u *UI) typeNames() map[int]string {
	m := make(map[int]string, len(u.types))
	for _, t := range u.types {
		m[t.ID] = typeName(t)
	}
	return m
}
