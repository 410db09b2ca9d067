package ui

import (
	"context"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	lang   string        // the language rows were indexed in
	view   []*indexedRow // what the table shows
	gen    int           // filter generation: stale results are dropped
	sort   sortSpec
	filter rowFilter
	ready  bool

	where, freezer, ptype, status *widget.Select
	search                        *shortcutEntry // lets Ctrl+N, Ctrl+F, Ctrl+R through (keys.go)
	count                         *widget.Label
	table                         *widget.Table
	list                          *widget.List // the narrow layout's rows (productlist.go)
	filters                       *flowGrid
	narrow                        bool // the list shows, not the table
	tableBox, listBox             fyne.CanvasObject
	tablePager, listPager         fyne.CanvasObject // tablet mode's paging buttons
	empty                         fyne.CanvasObject // the empty state (empty.go)
	emptyText                     *widget.Label
	emptyAdd                      *widget.Button
	selected                      uuid.UUID // the product last opened: its row stays marked, by id
	selectedAt                    int       // its row when last shown (-1: not shown)

	freezerIDs []uuid.UUID // parallel to freezer's options after "all"
	typeIDs    []int       // parallel to ptype's options after "all"
	pageTop    float32
	pageLeft   float32
	cellsMade  int // table cells built: the table only builds visible ones
	rowsMade   int // list rows built: the list only builds visible ones
	cellsSet   int // table cells filled (updateCell), for tests
	rowsSet    int // list rows filled (updateListRow), for tests
	switches   int // times the table and the list swapped (the first showing included), for tests
	// room is the width each column's labels have for their text, and
	// textSize their text's size (sizeColumns): a text measured to fit is
	// shown without truncation, which Fyne works out again at each
	// refresh of a label, by shaping its whole text.
	room     [numCols]float32
	textSize float32
}

// defaultSort is the products screen's order until a column is tapped.
var defaultSort = sortSpec{Col: colDeadline}

func (s *productsScreen) build() fyne.CanvasObject {
	s.sort = defaultSort
	s.where = widget.NewSelect([]string{lang.L("filter.inside"), lang.L("filter.out"), lang.L("filter.all")}, s.onWhere)
	s.where.SetSelectedIndex(0)
	s.freezer = widget.NewSelect([]string{lang.L("filter.all_freezers")}, s.onFreezer)
	s.freezer.SetSelectedIndex(0)
	s.ptype = widget.NewSelect([]string{lang.L("filter.all_types")}, s.onType)
	s.ptype.SetSelectedIndex(0)
	s.status = widget.NewSelect([]string{lang.L("filter.any_status"), statusWord(domain.StatusOverdue),
		statusWord(domain.StatusDueSoon), statusWord(domain.StatusOK)}, s.onStatus)
	s.status.SetSelectedIndex(0)
	s.search = newShortcutEntry(s.ui)
	s.search.SetPlaceHolder(lang.L("products.search"))
	s.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.search.OnChanged = s.onSearch
	s.count = widget.NewLabel("")
	s.count.Wrapping = fyne.TextWrapWord
	add := &widget.Button{Text: lang.L("products.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance,
		OnTapped: func() { s.ui.openProductForm(nil, nil) }}

	s.table = widget.NewTableWithHeaders(s.length, s.createCell, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = s.createHeader
	s.table.UpdateHeader = s.updateHeader
	s.table.OnSelected = s.onSelected
	s.sizeColumns()
	s.list = s.buildList()

	// The filters: two rows of two on a narrow window, one row of four on
	// a wide one, one column on the narrowest.
	s.filters = newFlowGrid(4, 4*theme.Padding(), s.where, s.freezer, s.ptype, s.status)
	searchRow := container.NewBorder(nil, nil, nil, add, s.search)
	// Print labels: of the products shown (the filters and search select them).
	printShown := &widget.Button{Text: lang.L("labels.print_shown"), Icon: theme.DocumentPrintIcon(), Importance: widget.LowImportance, OnTapped: s.ui.printShownLabels}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, printShown, heading(lang.L("nav.products"))), searchRow, s.filters.c, s.count)
	s.tableBox = s.table
	s.listBox = s.list
	var bottom fyne.CanvasObject
	if s.ui.settings.Tablet {
		s.tablePager = s.pager()
		s.listPager = listPager(s.list)
		bottom = container.NewStack(s.tablePager, s.listPager)
	}
	body := container.NewStack(s.tableBox, s.listBox, s.buildEmpty())
	s.narrow = !s.ui.narrow // setNarrow below shows one of the two
	s.setNarrow(s.ui.narrow)
	return newWidthAware(container.NewPadded(container.NewBorder(top, bottom, nil, nil, body)), s.filters.fit)
}

// sizeColumns makes each column as wide as its header (with its sort
// arrow) and its widest usual value in the language in use.
func (s *productsScreen) sizeColumns() {
	scale := float32(1)
	if s.ui.settings.Tablet {
		scale = 1.3
	}
	th := s.ui.app.Settings().Theme()
	arrow := th.Size(theme.SizeNameInlineIcon)
	pad := th.Size(theme.SizeNamePadding)
	statusW := statusWidth() + th.Size(theme.SizeNameInlineIcon) + 3*pad
	date := widget.NewLabel("0000-00-00").MinSize().Width + 2*pad
	inner := th.Size(theme.SizeNameInnerPadding)
	s.textSize = th.Size(theme.SizeNameText)
	for col, w := range []float32{statusW / scale, 220, 170, 130, 90, date / scale, date / scale, 80} {
		header := widget.NewButton(lang.L(columnKeys[col]), nil).MinSize().Width + arrow + 2*pad
		width := max(w*scale, header)
		s.table.SetColumnWidth(col, width)
		s.room[col] = width - 2*inner
		if col == colStatus { // the icon and the padding after it
			s.room[col] -= th.Size(theme.SizeNameInlineIcon) + pad
		}
	}
}

// truncation is how a cell of column col shows text: in full when it
// fits, which spares Fyne from working out where to cut it, else cut
// with an ellipsis. Fyne keeps what it measured, so a text is measured
// once while it shows.
func (s *productsScreen) truncation(col int, text string) fyne.TextTruncation {
	if fyne.MeasureText(text, s.textSize, fyne.TextStyle{}).Width <= s.room[col] {
		return fyne.TextTruncateOff
	}
	return fyne.TextTruncateEllipsis
}

// setNarrow shows the two-line list on a narrow window and the table on a
// wide one. Both read the same view; only the visible one is refreshed.
func (s *productsScreen) setNarrow(narrow bool) {
	if s.table == nil || narrow == s.narrow {
		return
	}
	s.narrow = narrow
	s.switches++
	s.showBody()
}

// showBody shows the table or the list, or the empty state when no row
// is there to show.
func (s *productsScreen) showBody() {
	empty := s.rows != nil && len(s.view) == 0
	show := func(o fyne.CanvasObject, on bool) {
		if o == nil {
			return
		}
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(s.tableBox, !s.narrow && !empty)
	show(s.listBox, s.narrow && !empty)
	show(s.tablePager, !s.narrow)
	show(s.listPager, s.narrow)
	show(s.empty, empty)
	s.refreshBody()
}

// length is the table's size: no rows while the list shows instead (a
// hidden table is still laid out, and would make and fill its cells).
func (s *productsScreen) length() (int, int) {
	if s.narrow {
		return 0, numCols
	}
	return len(s.view), numCols
}

// productCell is a table cell: an icon (status column only) and a label,
// over the mark of the product last opened.
type productCell struct {
	mark  *canvas.Rectangle
	icon  *widget.Icon
	label *widget.Label
	box   *fyne.Container // laid out again when the icon shows or hides
	// iconOf is the status whose icon the icon shows ("": none yet): a
	// reload sets it again only when the status changed (setting an icon
	// reads its SVG again).
	iconOf domain.Status
	col    int // the column the cell last showed
}

func (s *productsScreen) createCell() fyne.CanvasObject {
	s.cellsMade++
	c := &productCell{mark: canvas.NewRectangle(color.Transparent), icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.col = -1
	c.box = container.NewBorder(nil, nil, c.icon, nil, c.label)
	return newRowHolder(container.NewStack(c.mark, c.box), c)
}

// setMark marks rect when it belongs to the product last opened.
func (s *productsScreen) setMark(rect *canvas.Rectangle, id uuid.UUID) {
	var fill color.Color = color.Transparent
	if id == s.selected && id != uuid.Nil {
		fill = theme.Color(theme.ColorNameSelection)
	}
	if rect.FillColor != fill {
		rect.FillColor = fill
		rect.Refresh()
	}
}

func (s *productsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	s.cellsSet++
	if id.Row < 0 || id.Row >= len(s.view) {
		return
	}
	r := s.view[id.Row]
	c := o.(*rowHolder).data.(*productCell)
	s.setMark(c.mark, r.ID)
	imp := widget.MediumImportance
	if r.Status == domain.StatusOverdue || r.Status == domain.StatusDueSoon {
		imp = statusImportance(r.Status)
	}
	text := ""
	// A cell moves between columns as the table scrolls: its icon shows in
	// the status column only, and the label takes the room it leaves.
	if withIcon := id.Col == colStatus; withIcon != c.icon.Visible() {
		if withIcon {
			c.icon.Show()
		} else {
			c.icon.Hide()
		}
		c.box.Refresh()
	}
	switch id.Col {
	case colStatus:
		if c.iconOf != r.Status || c.iconOf == "" {
			c.icon.SetResource(statusIcon(r.Status))
			c.iconOf = r.Status
		}
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
		text = formatDate(r.DateIn)
		imp = widget.MediumImportance
	case colDeadline:
		text = formatDate(r.Deadline)
	case colPersons:
		text = itoa(r.Quantity)
		imp = widget.MediumImportance
	}
	if c.label.Text != text || c.label.Importance != imp || c.col != id.Col {
		c.label.Importance = imp
		c.label.Text = text
		c.label.Truncation = s.truncation(id.Col, text)
		c.col = id.Col
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

// onSelected opens the tapped row's product. The table's own selection is
// cleared at once (a second tap on the row opens it again); the row stays
// marked by the product's id, so the mark follows the product when an edit
// or a take out moves the rows.
func (s *productsScreen) onSelected(id widget.TableCellID) {
	s.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.view) {
		return
	}
	s.open(s.view[id.Row].ID)
}

func (s *productsScreen) open(id uuid.UUID) {
	s.selected = id
	s.selectedAt = slices.IndexFunc(s.view, func(r *indexedRow) bool { return r.ID == id })
	s.refreshBody()
	s.ui.openProductDetails(id)
}

// refreshBody refreshes the table or the list, whichever shows.
func (s *productsScreen) refreshBody() {
	if s.narrow {
		s.list.Refresh()
	} else {
		s.table.Refresh()
	}
}

// scrollToSelected brings the marked product's row into view when a
// reload moved it (an edit changed its deadline); a reload that leaves it
// in place leaves the scroll alone.
func (s *productsScreen) scrollToSelected() {
	i := slices.IndexFunc(s.view, func(r *indexedRow) bool { return r.ID == s.selected })
	if i < 0 || i == s.selectedAt {
		s.selectedAt = i
		return
	}
	s.selectedAt = i
	if s.narrow {
		s.list.ScrollTo(i)
	} else {
		s.table.ScrollTo(widget.TableCellID{Row: i, Col: colName})
	}
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
		return compareNames(typeName(a), typeName(b))
	})
	opts := []string{lang.L("filter.all_types")}
	s.typeIDs = s.typeIDs[:0]
	for _, t := range types {
		opts = append(opts, typeName(t))
		s.typeIDs = append(s.typeIDs, t.ID)
	}
	s.ptype.Options = opts
	s.ptype.Refresh()
	s.filters.refit() // the longest type name sets the filters' width
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
	s.filters.refit() // the longest freezer name sets the filters' width
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
	names, lang := s.ui.typeNames(), Language()
	s.gen++
	gen, f, order := s.gen, s.filter, s.sort
	var prev []indexedRow // its keys are reused where the text is the same
	if s.lang == lang {
		prev = s.rows
	}
	hint := len(s.rows)
	background(s.ui, func(ctx context.Context) (loadedRows, error) {
		return loadRows(ctx, s.ui.inv, hint, names, lang, prev, f, order)
	}, func(l loadedRows, err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		s.loaded(l, gen)
	})
}

// loadedRows are every product indexed in lang, and the view of them that a
// filter and a sort select.
type loadedRows struct {
	rows []indexedRow
	lang string
	view []*indexedRow
}

// loadRows reads every product (about sizeHint of them), indexes them
// (reusing prev's keys, see indexRows) and filters them with f in order.
// It runs off the UI goroutine.
func loadRows(ctx context.Context, inv Inventory, sizeHint int, typeNames map[int]string, lang string, prev []indexedRow, f rowFilter, order sortSpec) (loadedRows, error) {
	rows, err := inv.ListProducts(ctx, sizeHint)
	if err != nil {
		return loadedRows{}, err
	}
	idx := indexRows(rows, typeNames, lang, prev)
	return loadedRows{rows: idx, lang: lang, view: filterRows(idx, f, order)}, nil
}

// loaded swaps in rows loaded for filter generation gen; when the filter,
// sort or search changed meanwhile, the view is made again.
func (s *productsScreen) loaded(l loadedRows, gen int) {
	s.rows, s.lang = l.rows, l.lang
	if gen != s.gen {
		s.apply()
		return
	}
	s.show(l.view)
	s.scrollToSelected()
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
	s.ui.undo.release() // rows held for the undo bar follow the new filter, sort or search
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
	s.count.SetText(pluralL("products.count", len(s.rows), map[string]any{"Count": formatInt(len(s.view)), "Total": formatInt(len(s.rows))}))
	s.showEmpty()
	s.showBody()
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
