package ui

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// overviewScreen shows the counts, the overdue and due-soon list with a
// one-tap take out, and the sync state in one line. On a first start (no
// freezer, no product) it shows the welcome instead.
type overviewScreen struct {
	ui *UI

	root    *fyne.Container
	welcome fyne.CanvasObject
	main    fyne.CanvasObject

	inside, overdue, dueSoon, outMonth *widget.Label
	alertsTitle                        *widget.Label
	alerts                             []ProductRow
	relabel                            *fyne.Container // products to relabel, hidden when none
	list                               *widget.List
	empty                              *widget.Label
	syncLine                           *widget.Label
	welcomeButtons                     *flowGrid
	week                               *suggestCard   // "This week": what to eat first (suggestions.go)
	join                               *widget.Button // Join a household
}

type overviewData struct {
	ov       Overview
	freezers int // -1: not counted (the household has products)
}

func (s *overviewScreen) build() fyne.CanvasObject {
	s.inside = countLabel(widget.MediumImportance)
	s.overdue = countLabel(widget.DangerImportance)
	s.dueSoon = countLabel(widget.WarningImportance)
	s.outMonth = countLabel(widget.MediumImportance)
	// Each card opens the products it counts.
	counts := newFlowGrid(4, 4*theme.Padding(),
		countCard(s.inside, lang.L("overview.inside"), theme.StorageIcon(), func() { s.openProducts(whereInside, "") }),
		countCard(s.overdue, lang.L("overview.overdue"), statusIcon(domain.StatusOverdue), func() { s.openProducts(whereInside, domain.StatusOverdue) }),
		countCard(s.dueSoon, lang.L("overview.due_soon"), statusIcon(domain.StatusDueSoon), func() { s.openProducts(whereInside, domain.StatusDueSoon) }),
		countCard(s.outMonth, lang.L("overview.out_this_month"), theme.LogoutIcon(), func() { s.openProducts(whereOut, "") }),
	)
	// A card is as wide as its caption on one line: the cards go two by two
	// before a caption would break inside a word ("À consomme|r bientôt").
	counts.least = countCardWidth(lang.L("overview.inside"), lang.L("overview.overdue"),
		lang.L("overview.due_soon"), lang.L("overview.out_this_month"))
	s.alertsTitle = widget.NewLabelWithStyle(lang.L("overview.attention"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.alertsTitle.Wrapping = fyne.TextWrapWord
	s.list = &widget.List{
		Length:     func() int { return len(s.alerts) },
		CreateItem: s.createAlertRow,
		UpdateItem: s.updateAlertRow,
		OnSelected: s.onAlertSelected,
	}
	s.list.ExtendBaseWidget(s.list)
	s.empty = widget.NewLabel(lang.L("overview.nothing_due"))
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()
	s.syncLine = widget.NewLabelWithStyle(syncLineText(s.ui), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.syncLine.Wrapping = fyne.TextWrapWord // whole on a narrow window: two lines rather than "…"

	s.relabel = container.NewVBox()
	s.relabel.Hide()
	s.week = &suggestCard{ui: s.ui}
	top := container.NewVBox(s.ui.withScanButton(heading(lang.L("nav.overview"))), counts.c, s.week.build(), s.relabel, s.alertsTitle, s.empty)
	var bottom fyne.CanvasObject = s.syncLine
	if s.ui.settings.Tablet {
		bottom = container.NewVBox(listPager(s.list), s.syncLine)
	}
	s.main = container.NewBorder(top, bottom, nil, nil, s.list)
	s.welcome = s.buildWelcome()
	s.welcome.Hide()
	s.root = container.NewStack(s.main, s.welcome)
	return newWidthAware(container.NewPadded(s.root), func(w float32) {
		counts.fit(w)
		s.welcomeButtons.fit(w)
		s.week.fit(w)
	})
}

// openProducts shows the products screen filtered as a count card says.
func (s *overviewScreen) openProducts(where int, status domain.Status) {
	s.ui.products.setFilter(where, status)
	s.ui.tabs.SelectIndex(tabProducts)
}

// onAlertSelected opens the tapped row's product; the list's selection is
// cleared so that a second tap opens it again.
func (s *overviewScreen) onAlertSelected(id widget.ListItemID) {
	s.list.UnselectAll()
	if id >= 0 && id < len(s.alerts) {
		s.ui.openProductDetails(s.alerts[id].ID)
	}
}

func (s *overviewScreen) buildWelcome() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.L("welcome.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	text := widget.NewLabelWithStyle(lang.L("welcome.text"), fyne.TextAlignCenter, fyne.TextStyle{})
	text.Wrapping = fyne.TextWrapWord
	add := &widget.Button{Text: lang.L("welcome.add_freezer"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAddFreezer}
	sample := &widget.Button{Text: lang.L("welcome.load_sample"), Icon: theme.DownloadIcon(), OnTapped: s.onLoadSample}
	// A new device of a household already set up joins it with a code.
	s.join = &widget.Button{Text: lang.L("join.title"), Icon: theme.LoginIcon(), OnTapped: func() { s.ui.openJoin("") }}
	// One under the other, as wide as the widest: the grid's minimum is one
	// column's, and centred side by side they would overlap.
	s.welcomeButtons = newFlowGrid(1, 8*theme.Padding(), add, sample, s.join)
	return container.NewCenter(container.NewVBox(title, container.NewGridWrap(fyne.NewSize(520, text.MinSize().Height*3), text),
		container.NewCenter(s.welcomeButtons.c)))
}

func (s *overviewScreen) refresh() {
	s.week.refresh()
	background(s.ui, func(ctx context.Context) (overviewData, error) {
		ov, err := s.ui.inv.Overview(ctx)
		if err != nil || ov.Inside > 0 || ov.OutThisMonth > 0 {
			return overviewData{ov: ov, freezers: -1}, err // not a first start: no need to count the freezers
		}
		fs, err := s.ui.inv.Freezers(ctx)
		return overviewData{ov: ov, freezers: len(fs)}, err
	}, func(d overviewData, err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		s.show(d)
	})
}

func (s *overviewScreen) show(d overviewData) {
	firstStart := d.freezers == 0 && d.ov.Inside == 0 && d.ov.OutThisMonth == 0
	if firstStart {
		s.main.Hide()
		s.welcome.Show()
	} else {
		s.welcome.Hide()
		s.main.Show()
	}
	s.inside.SetText(formatInt(d.ov.Inside))
	s.overdue.SetText(formatInt(d.ov.Overdue))
	s.dueSoon.SetText(formatInt(d.ov.DueSoon))
	s.outMonth.SetText(formatInt(d.ov.OutThisMonth))
	s.ui.relabelRows(s.relabel, d.ov.Relabel)
	s.alerts = d.ov.Alerts
	s.alertsTitle.SetText(lang.L("overview.attention_count", map[string]any{"Count": formatInt(len(s.alerts))}))
	if len(s.alerts) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
	s.list.Refresh()
	// The relabel section may have appeared, gone or changed height: lay
	// the screen out again, or the list stays where it was and the two
	// overlap.
	s.main.Refresh()
}

// createAlertRow makes a two-line row (see listRow) whose buttons take the
// product out.
func (s *overviewScreen) createAlertRow() fyne.CanvasObject {
	r := newListRow(s.ui, s.onTakeOut)
	return newRowHolder(r.content, r)
}

func (s *overviewScreen) updateAlertRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.alerts) {
		return
	}
	o.(*rowHolder).data.(*listRow).set(s.alerts[id])
}

// showSync writes the sync state line.
func (s *overviewScreen) showSync(SyncStatus) { s.syncLine.SetText(syncLineText(s.ui)) }

func (s *overviewScreen) onTakeOut(p ProductRow, how domain.Outcome) {
	s.ui.takeOut(p.ID, how)
}

func (s *overviewScreen) onAddFreezer() { s.ui.freezerSc.onAdd() }

func (s *overviewScreen) onLoadSample() { s.ui.loadSample() }

// rowHolder is a list or table template that carries its widgets, so
// update callbacks find them without walking the tree.
type rowHolder struct {
	widget.BaseWidget
	content fyne.CanvasObject
	data    any
}

func newRowHolder(content fyne.CanvasObject, data any) *rowHolder {
	r := &rowHolder{content: content, data: data}
	r.ExtendBaseWidget(r)
	return r
}

func (r *rowHolder) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func countLabel(imp widget.Importance) *widget.Label {
	l := widget.NewLabelWithStyle("0", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	l.Importance = imp
	return l
}

func countCard(value *widget.Label, caption string, icon fyne.Resource, open func()) fyne.CanvasObject {
	text := widget.NewLabel(caption)
	text.Wrapping = fyne.TextWrapWord
	return newTapCard(widget.NewCard("", "", container.NewBorder(nil, nil, widget.NewIcon(icon), nil,
		container.NewVBox(value, text))), open)
}

// countCardWidth is the width of a count card showing the longest of
// captions on one line: the icon, the caption and the card's paddings.
func countCardWidth(captions ...string) float32 {
	var w float32
	for _, c := range captions {
		w = max(w, fyne.MeasureText(c, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	return w + theme.IconInlineSize() + 2*theme.InnerPadding() + 4*theme.Padding()
}

// tapCard is a card that does something when tapped (with a hand cursor).
type tapCard struct {
	widget.BaseWidget
	card  fyne.CanvasObject
	onTap func()
}

func newTapCard(card fyne.CanvasObject, onTap func()) *tapCard {
	c := &tapCard{card: card, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped runs the card's action.
func (c *tapCard) Tapped(*fyne.PointEvent) { c.onTap() }

// Cursor shows a pointing hand: the card is a button.
func (c *tapCard) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *tapCard) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.card) }

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func statusIcon(s domain.Status) fyne.Resource {
	switch s {
	case domain.StatusOverdue:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case domain.StatusDueSoon:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case domain.StatusOut:
		return theme.LogoutIcon()
	}
	return theme.ConfirmIcon()
}

func statusImportance(s domain.Status) widget.Importance {
	switch s {
	case domain.StatusOverdue:
		return widget.DangerImportance
	case domain.StatusDueSoon:
		return widget.WarningImportance
	case domain.StatusOut:
		return widget.MediumImportance // the word says it; Low was too faint to read (about 1.3:1)
	}
	return widget.SuccessImportance
}

// statusWidth fits the longest status word in the language in use.
func statusWidth() float32 {
	w := float32(0)
	for _, s := range []domain.Status{domain.StatusOverdue, domain.StatusDueSoon, domain.StatusOK, domain.StatusOut} {
		w = max(w, widget.NewLabel(statusWord(s)).MinSize().Width)
	}
	return w
}

// scrollPager returns paging buttons for a scroll container (tablet mode).
func scrollPager(sc *container.Scroll) fyne.CanvasObject {
	page := func(dir float32) func() {
		return func() {
			maxY := max(0, sc.Content.MinSize().Height-sc.Size().Height)
			y := min(maxY, max(0, sc.Offset.Y+dir*sc.Size().Height*0.9))
			sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, y))
		}
	}
	return container.NewGridWithColumns(2,
		&widget.Button{Text: lang.L("action.page_up"), Icon: theme.MoveUpIcon(), OnTapped: page(-1)},
		&widget.Button{Text: lang.L("action.page_down"), Icon: theme.MoveDownIcon(), OnTapped: page(1)},
	)
}

// withPager adds paging buttons under sc in tablet mode, and keeps sc's
// content clear of its wide scroll bar.
func (u *UI) withPager(sc *container.Scroll) fyne.CanvasObject {
	if !u.settings.Tablet {
		return sc
	}
	sc.Content = u.scrollBarRoom(sc.Content)
	return container.NewBorder(nil, scrollPager(sc), nil, nil, sc)
}

// scrollBarRoom leaves room on the right of o for a vertical scroll bar in
// tablet mode: Fyne draws the bar over the scrolled content, and the
// tablet's finger-wide bar would cover buttons and fields. On a desktop the
// bar is a thin line until the pointer comes near, so o is left as it is.
func (u *UI) scrollBarRoom(o fyne.CanvasObject) fyne.CanvasObject {
	if !u.settings.Tablet {
		return o
	}
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(theme.Size(theme.SizeNameScrollBar), 0))
	return container.NewBorder(nil, nil, nil, gap, o)
}

// listPager returns paging buttons for l: on tablets, finger-drag scrolling
// is unreliable in desktop builds (fyne#5755).
func listPager(l *widget.List) fyne.CanvasObject {
	page := func(dir float32) func() {
		return func() {
			step := l.Size().Height * 0.9
			l.ScrollToOffset(max(0, l.GetScrollOffset()+dir*step))
		}
	}
	return container.NewGridWithColumns(2,
		&widget.Button{Text: lang.L("action.page_up"), Icon: theme.MoveUpIcon(), OnTapped: page(-1)},
		&widget.Button{Text: lang.L("action.page_down"), Icon: theme.MoveDownIcon(), OnTapped: page(1)},
	)
}
