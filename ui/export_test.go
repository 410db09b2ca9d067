package ui

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// This file exposes the UI's widgets to the external test package
// (ui_test), which drives the UI over a real store through freezer/app.

// FormWidgets are the product form's fields.
type FormWidgets struct {
	Name, Slot, Persons, Period *widget.Entry
	Type                        *widget.SelectEntry
	Freezer, Box                *widget.Select
	DateIn                      *widget.Entry  // YYYY-MM-DD
	DatePicker                  *widget.Button // opens the calendar
	Save                        *widget.Button
	Errors                      map[string]*widget.Label
	Dialog                      dialog.Dialog
	NameFocusable               fyne.Focusable // the name field as the canvas sees it
}

func (u *UI) Form() *FormWidgets {
	f := u.form
	if f == nil {
		return nil
	}
	return &FormWidgets{Name: &f.name.Entry, Slot: &f.slot.Entry, Persons: &f.persons.Entry, Period: &f.period.Entry,
		Type: &f.ptype.SelectEntry, Freezer: f.freezer, Box: f.box, DateIn: &f.dateIn.Entry, DatePicker: f.dateIn.picker, Save: f.save,
		Errors: f.errs, Dialog: f.dlg, NameFocusable: f.name}
}

// FreezerFormWidgets are the freezer dialog's fields.
type FreezerFormWidgets struct {
	Name, Boxes       *widget.Entry
	NameErr, BoxesErr *widget.Label
	Save              *widget.Button
}

func (u *UI) FreezerForm() *FreezerFormWidgets {
	f := u.freezerForm
	if f == nil {
		return nil
	}
	return &FreezerFormWidgets{Name: f.name, Boxes: f.boxes, NameErr: f.nameErr, BoxesErr: f.boxesErr, Save: f.save}
}

func (u *UI) Tabs() interface {
	SelectIndex(int)
	SelectedIndex() int
} {
	return u.tabs
}

// ProductNames lists the products table's rows, in order.
func (u *UI) ProductNames() []string {
	var out []string
	for _, r := range u.products.view {
		out = append(out, r.Name)
	}
	return out
}

func (u *UI) ProductsTable() *widget.Table { return u.products.table }
func (u *UI) SearchEntry() *widget.Entry   { return &u.products.search.Entry }

func (u *UI) Filters() (where, freezer, ptype, status *widget.Select) {
	p := u.products
	return p.where, p.freezer, p.ptype, p.status
}

func (u *UI) SortBy(col int) { u.products.onSortBy(col) }

// Columns.
const (
	ColName     = colName
	ColDeadline = colDeadline
	ColPersons  = colPersons
)

func (u *UI) OverviewAlerts() []ProductRow {
	u.buildScreen(tabOverview)
	return u.overview.alerts
}
func (u *UI) OverviewList() *widget.List {
	u.buildScreen(tabOverview)
	return u.overview.list
}
func (u *UI) OverviewWelcome() fyne.CanvasObject {
	u.buildScreen(tabOverview)
	return u.overview.welcome
}
func (u *UI) OverviewCounts() (inside, overdue, dueSoon, out string) {
	u.buildScreen(tabOverview)
	o := u.overview
	return o.inside.Text, o.overdue.Text, o.dueSoon.Text, o.outMonth.Text
}

func (u *UI) OpenMap(i int) {
	u.buildScreen(tabFreezers)
	u.freezerSc.openMap(u.freezers[i].ID)
}
func (u *UI) BoxMap() *BoxMap {
	u.buildScreen(tabFreezers)
	return u.freezerSc.boxMap
}
func (u *UI) Freezers() []FreezerSummary { return u.freezers }
func (u *UI) Dialogs() int               { return len(u.dialogs) }

// SlotTiles lists the box map's tiles as (box, slot, product name or "").
func (m *BoxMap) SlotTiles() []fyne.Tappable {
	out := make([]fyne.Tappable, len(m.tiles))
	for i, t := range m.tiles {
		out[i] = t
	}
	return out
}

func (m *BoxMap) TileInfo(i int) (box, slot int, name string) {
	s := m.tiles[i].slot
	if s.Product != nil {
		name = s.Product.Name
	}
	return s.Box, s.Slot, name
}

func (u *UI) SettingsWidgets() (language *widget.Select, dueSoon, notifyAt *widget.Entry, tablet *widget.Check, dueSoonErr *widget.Label) {
	u.buildScreen(tabSettings)
	s := u.settingSc
	return s.language, s.dueSoon, s.notifyAt, s.tablet, s.dueSoonErr
}

func (u *UI) TrendsData() (perType, months int) {
	u.buildScreen(tabTrends)
	return len(u.trends.perType.Categories), len(u.trends.inOut.Categories)
}

func (u *UI) ProductsApply()   { u.products.apply() }
func (u *UI) Reload()          { u.reload() }
func (u *UI) CellsMade() int   { return u.products.cellsMade }
func (u *UI) RefreshProducts() { u.products.refresh() }

// ExportIndexRows indexes rows in the language in use, from nothing.
func ExportIndexRows(rows []ProductRow, typeNames map[int]string) []IndexedRow {
	return indexRows(rows, typeNames, Language(), nil)
}

// SearchText is what a search looks in for r (folded).
func (r *IndexedRow) SearchText() string { return r.search }

// Keys are r's collation keys: name, type, freezer.
func (r *IndexedRow) Keys() [3]string { return [3]string{r.nameKey, r.typeKey, r.freezerKey} }

// Pure helpers, for tests and benchmarks.
var (
	ExportFilterRows  = filterRows
	ExportReindexRows = indexRows
	AlertDue          = alertDue
	BoxSlots          = boxSlots
)

type (
	RowFilter  = rowFilter
	SortSpec   = sortSpec
	IndexedRow = indexedRow
)

const WhereAll = whereAll

func (u *UI) RunExport(w io.WriteCloser, f Format) {
	u.buildScreen(tabSettings)
	u.settingSc.runExport(w, f)
}
func (u *UI) RunImport(r io.ReadCloser, f Format) {
	u.buildScreen(tabSettings)
	u.settingSc.runImport(r, f)
}

// SyncWidgets are the Settings sync section's widgets.
type SyncWidgets struct {
	Server, Email, Password, Token *widget.Entry
	Method                         *widget.RadioGroup
	SignIn, SyncNow, SignOut       *widget.Button
	Clear                          *widget.Button
	State, Last, Pending           *widget.Label
	Err, SignErr                   *widget.Label
	Notices                        fyne.CanvasObject
}

func (u *UI) SyncWidgets() *SyncWidgets {
	u.buildScreen(tabSettings)
	s := u.settingSc.sync
	return &SyncWidgets{Server: s.server, Email: s.email, Password: s.password, Token: s.token, Method: s.method,
		SignIn: s.signIn, SyncNow: s.syncNow, SignOut: s.signOut, Clear: s.clear,
		State: s.state, Last: s.last, Pending: s.pending, Err: s.errText, SignErr: s.signErr, Notices: s.notices}
}

// SyncNotices lists the products to relabel and the refused changes shown.
func (u *UI) SyncNotices() []string {
	u.buildScreen(tabSettings)
	var out []string
	if !u.settingSc.sync.notices.Visible() {
		return nil
	}
	for _, o := range u.settingSc.sync.noticeLines.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

func (u *UI) OverviewSyncLine() string {
	u.buildScreen(tabOverview)
	return u.overview.syncLine.Text
}

// PerTypeSeries returns the products-per-type chart's series names and
// categories.
func (u *UI) PerTypeSeries() (series, categories []string) {
	u.buildScreen(tabTrends)
	for _, s := range u.trends.perType.Series {
		series = append(series, s.Name)
	}
	return series, u.trends.perType.Categories
}

func (u *UI) TrendsNote() string {
	u.buildScreen(tabTrends)
	return u.trends.note.Text
}

var SyncLineFor = func(u *UI, st SyncStatus) string {
	u.syncStatus = st
	return syncLineText(u)
}

var MoveText = moveText

// FormNaturalHeight is the height of the product form's box showing all of
// its fields without scrolling.
func (u *UI) FormNaturalHeight() float32 {
	f := u.form
	f.scroll.SetMinSize(f.body.MinSize())
	defer f.scroll.SetMinSize(fyne.Size{})
	return f.dlg.MinSize().Height - theme.InnerPadding() // the pop-up insets its content by InnerPadding
}

// ScreenBuilt reports whether screen (a Screen... name) has been built.
func (u *UI) ScreenBuilt(screen string) bool {
	i := map[string]int{ScreenOverview: tabOverview, ScreenProducts: tabProducts, ScreenFreezers: tabFreezers,
		ScreenTrends: tabTrends, ScreenSettings: tabSettings}[screen]
	return u.screenBuilt(i)
}
