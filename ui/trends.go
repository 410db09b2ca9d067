package ui

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/ui/chart"
)

// trendsScreen draws four charts from the household's own products; the
// products per type also show the general tendency (every household's)
// when the server gave one, kept in the preferences for offline use.
type trendsScreen struct {
	ui *UI

	perType, stock, inOut, outcome *chart.Chart
	note                           *widget.Label
	other                          *widget.Label // under the per-type chart: how many types "Other" sums

	own     trendsData   // the last computed own data
	general generalTrend // the last fetched general tendency (cached)
	fetched time.Time    // the last fetch attempt (at most one per fetchEvery)
}

// generalTrend is the general tendency as cached in the preferences. The
// preferences are the app's, shared by every database it opens: Account
// says whose figures they are (see trendsAccount), and they show only for
// that account.
type generalTrend struct {
	At      time.Time   `json:"at"`
	Account string      `json:"account"`
	Types   []TypeTrend `json:"types"`
}

// topTypes is how many types the per-type chart shows; the rest are summed
// in an "Other" bar.
const topTypes = 8

// fetchEvery spaces the general tendency's fetches: it changes slowly.
const fetchEvery = 15 * time.Minute

// trendsData is everything the charts show, computed off the UI goroutine.
type trendsData struct {
	typeIDs    []int
	typeNames  []string
	typeCounts []float64   // the topTypes most frequent types', then Other's when otherTypes > 0
	otherTypes int         // how many types the Other bar sums
	allCounts  map[int]int // every type's count, for the shares
	weeks      []string
	stock      []float64
	months     []string
	in, out    []float64
	eaten, bin []float64
}

func (s *trendsScreen) build() fyne.CanvasObject {
	s.perType = chart.New(chart.HBars, lang.L("trends.per_type"), lang.L("trends.axis_products"), "")
	s.stock = chart.New(chart.Line, lang.L("trends.stock"), lang.L("trends.axis_weeks"), lang.L("trends.axis_inside"))
	s.inOut = chart.New(chart.Bars, lang.L("trends.in_out"), lang.L("trends.axis_months"), lang.L("trends.axis_products"))
	s.outcome = chart.New(chart.Bars, lang.L("trends.outcome"), lang.L("trends.axis_months"), lang.L("trends.axis_products"))
	for _, c := range []*chart.Chart{s.perType, s.stock, s.inOut, s.outcome} {
		c.Format = func(v float64) string { return formatNumber(v, 1) }
	}
	s.perType.Empty = lang.L("trends.empty")
	s.stock.Empty = lang.L("trends.empty")
	s.inOut.Empty = lang.L("trends.empty")
	s.outcome.Empty = lang.L("trends.empty_out")
	card := func(c fyne.CanvasObject) fyne.CanvasObject { return widget.NewCard("", "", c) }
	s.general = loadGeneralTrend(s.ui.prefs)
	note := widget.NewLabel(lang.L("trends.note"))
	note.TextStyle.Italic = true
	note.Wrapping = fyne.TextWrapWord
	s.note = note
	s.other = widget.NewLabel("")
	s.other.Wrapping = fyne.TextWrapWord
	s.other.Hide()
	perType := container.NewBorder(nil, s.other, nil, nil, s.perType)
	var body fyne.CanvasObject
	fit := func(float32) {}
	if s.ui.settings.Tablet {
		size := fyne.NewSize(10, 420)
		body = s.ui.withPager(container.NewVScroll(container.NewVBox(
			container.NewStack(spacer(size), card(perType)), container.NewStack(spacer(size), card(s.stock)),
			container.NewStack(spacer(size), card(s.inOut)), container.NewStack(spacer(size), card(s.outcome)), note)))
	} else { // two by two filling the screen, or one under the other when narrow (scrolled)
		grid := newFlowGrid(2, 4*theme.Padding(), card(perType), card(s.stock), card(s.inOut), card(s.outcome))
		grid.least = 420 // two charts side by side only when each keeps its words whole
		fit = grid.fit
		body = container.NewBorder(nil, note, nil, nil, container.NewVScroll(grid.c))
	}
	return newWidthAware(container.NewPadded(container.NewBorder(heading(lang.L("nav.trends")), nil, nil, nil, body)), fit)
}

// spacer is an empty object of size s (a chart's height on a tablet).
func spacer(s fyne.Size) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(s)
	return r
}

func (s *trendsScreen) refresh() {
	today := s.ui.today()
	background(s.ui, func(ctx context.Context) (trendsData, error) {
		ps, err := s.ui.inv.AllProducts(ctx)
		if err != nil {
			return trendsData{}, err
		}
		return computeTrends(ps, today), nil
	}, func(d trendsData, err error) {
		if err != nil {
			s.ui.showError(err)
			return
		}
		for _, id := range d.typeIDs { // names on the UI goroutine: types may load late
			d.typeNames = append(d.typeNames, s.ui.typeLabel(id))
		}
		if d.otherTypes > 0 {
			d.typeNames = append(d.typeNames, lang.L("trends.other"))
		}
		s.own = d
		s.showPerType()
		s.stock.SetData(d.weeks, chart.Series{Name: lang.L("trends.axis_inside"), Values: d.stock, Color: theme.ColorNamePrimary})
		s.inOut.SetData(d.months,
			chart.Series{Name: lang.L("trends.in"), Values: d.in, Color: theme.ColorNamePrimary},
			chart.Series{Name: lang.L("trends.out"), Values: d.out, Color: theme.ColorNameWarning})
		s.outcome.SetData(d.months,
			chart.Series{Name: lang.L("outcome.eaten"), Values: d.eaten, Color: theme.ColorNameSuccess},
			chart.Series{Name: lang.L("outcome.discarded"), Values: d.bin, Color: theme.ColorNameError})
		s.fetchGeneral()
	})
}

// fetchGeneral asks the server for the general tendency when signed in and
// the last attempt is old enough; the cached one shows meanwhile and when
// offline.
func (s *trendsScreen) fetchGeneral() {
	u := s.ui
	account := u.trendsAccount()
	if account == "" || time.Since(s.fetched) < fetchEvery {
		return
	}
	s.fetched = s.ui.inv.Now()
	background(u, func(ctx context.Context) ([]TypeTrend, error) {
		return u.sync.GeneralTendency(ctx)
	}, func(types []TypeTrend, err error) {
		if err != nil {
			fyne.LogError("general tendency", errors.New(syncErrText(err))) // the cached one stays
			return
		}
		if account != u.trendsAccount() {
			return // signed out or in elsewhere meanwhile: not this account's
		}
		s.general = generalTrend{At: s.ui.inv.Now(), Account: account, Types: types}
		saveGeneralTrend(u.prefs, s.general)
		s.showPerType()
	})
}

// showPerType draws the products per type: the household's counts alone,
// or, with a general tendency, both as shares of all products.
func (s *trendsScreen) showPerType() {
	d := s.own
	if len(s.general.Types) == 0 || s.general.Account != s.ui.trendsAccount() {
		s.perType.Title = lang.L("trends.per_type")
		s.perType.XLabel = lang.L("trends.axis_products")
		s.perType.SetData(d.typeNames, chart.Series{Name: lang.L("trends.axis_products"), Values: d.typeCounts, Color: theme.ColorNamePrimary})
		s.note.SetText(lang.L("trends.note"))
		s.showOther(d.otherTypes)
		return
	}
	names, mine, all, rest := generalShares(d.allCounts, s.general.Types, s.ui.typeLabel, s.ui.typeByID)
	s.showOther(rest)
	s.perType.Title = lang.L("trends.per_type_both")
	s.perType.XLabel = lang.L("trends.axis_share")
	s.perType.SetData(names,
		chart.Series{Name: lang.L("trends.yours"), Values: mine, Color: theme.ColorNamePrimary},
		chart.Series{Name: lang.L("trends.everyone"), Values: all, Color: theme.ColorNameWarning})
	s.note.SetText(lang.L("trends.note_general", map[string]any{"When": whenText(s.general.At, s.ui.inv.Now())}))
}

// generalShares returns the topTypes types with the largest share of
// products, yours or every household's, with both shares in percent, then
// an "Other" row with the shares of the rest, whose number is rest.
func generalShares(own map[int]int, general []TypeTrend, label func(int) string, known map[int]domain.ProductType) (names []string, mine, all []float64, rest int) {
	ownTotal, allTotal := 0, 0
	for _, n := range own {
		ownTotal += n
	}
	allCounts := map[int]int{}
	allNames := map[int]string{}
	for _, t := range general {
		allTotal += t.Count
		allCounts[t.TypeID] += t.Count
		allNames[t.TypeID] = t.Name()
	}
	share := func(n, total int) float64 {
		if total == 0 {
			return 0
		}
		return float64(int(float64(n)*1000/float64(total)+0.5)) / 10 // one decimal
	}
	type row struct {
		id        int
		mine, all float64
	}
	var rows []row
	for id := range allCounts {
		rows = append(rows, row{id, share(own[id], ownTotal), share(allCounts[id], allTotal)})
	}
	for id, n := range own {
		if _, ok := allCounts[id]; !ok {
			rows = append(rows, row{id, share(n, ownTotal), 0})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := cmp.Compare(max(b.mine, b.all), max(a.mine, a.all)); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	var otherMine, otherAll int // the counts of the types past topTypes
	for i, r := range rows {
		if i >= topTypes {
			otherMine += own[r.id]
			otherAll += allCounts[r.id]
			rest++
			continue
		}
		name := allNames[r.id]
		if _, ok := known[r.id]; ok || name == "" {
			name = label(r.id)
		}
		names = append(names, name)
		mine = append(mine, r.mine)
		all = append(all, r.all)
	}
	if rest > 0 {
		names = append(names, lang.L("trends.other"))
		mine = append(mine, share(otherMine, ownTotal))
		all = append(all, share(otherAll, allTotal))
	}
	return names, mine, all, rest
}

// showOther says, under the per-type chart, how many types its Other bar
// sums (nothing when it has none).
func (s *trendsScreen) showOther(rest int) {
	if rest == 0 {
		s.other.Hide()
		return
	}
	s.other.SetText(lang.L("trends.other_note", map[string]any{"Shown": topTypes, "Rest": rest}))
	s.other.Show()
}

// trendsAccount names the account whose general tendency may show: the
// server signed in to from this database (the preferences are shared by
// every database the app opens; the token is kept per database). It is ""
// when signed out or without a syncer: no cached figures show then.
func (u *UI) trendsAccount() string {
	if u.sync == nil || !u.syncStatus.SignedIn || u.syncStatus.Server == "" {
		return ""
	}
	return u.syncStatus.Server + " " + u.inv.Path()
}

// forgetGeneralTrend drops the cached general tendency when the account
// that fetched it signs out (or the database signs in to another server):
// the figures were that account's. onSyncStatus calls it with the status
// shown and the new one.
func (u *UI) forgetGeneralTrend(was, now SyncStatus) {
	if !was.SignedIn || (now.SignedIn && now.Server == was.Server) {
		return
	}
	if g := loadGeneralTrend(u.prefs); g.Account != "" && g.Account == was.Server+" "+u.inv.Path() {
		u.prefs.RemoveValue(prefGeneralTrend)
	}
	if u.trends != nil && u.trends.perType != nil {
		u.trends.general = generalTrend{}
		u.trends.fetched = time.Time{}
		u.trends.showPerType()
	}
}

func loadGeneralTrend(p fyne.Preferences) generalTrend {
	var g generalTrend
	if s := p.String(prefGeneralTrend); s != "" {
		if err := json.Unmarshal([]byte(s), &g); err != nil {
			return generalTrend{}
		}
	}
	return g
}

func saveGeneralTrend(p fyne.Preferences, g generalTrend) {
	b, err := json.Marshal(g)
	if err != nil {
		return
	}
	p.SetString(prefGeneralTrend, string(b))
}

// computeTrends turns the products into the charts' series: the topTypes
// most frequent types and the sum of the others, the stock at the end of each week of the last 12 months,
// and the last 12 months' movements.
func computeTrends(ps []domain.Product, today domain.Date) trendsData {
	var d trendsData
	freq := domain.TypeFrequency(ps)
	d.allCounts = make(map[int]int, len(freq))
	for _, tc := range freq {
		d.allCounts[tc.TypeID] = tc.Count
	}
	other := 0
	for i, tc := range freq {
		if i >= topTypes {
			other += tc.Count
			d.otherTypes++
			continue
		}
		d.typeIDs = append(d.typeIDs, tc.TypeID)
		d.typeCounts = append(d.typeCounts, float64(tc.Count))
	}
	if d.otherTypes > 0 {
		d.typeCounts = append(d.typeCounts, float64(other))
	}
	from := today.AddMonths(-12)
	for _, pt := range domain.StockPerWeek(ps, from, today) {
		label := monthShort(int(pt.Day.Month))
		if pt.Day.Day > 7 {
			label = ""
		}
		d.weeks = append(d.weeks, label)
		d.stock = append(d.stock, float64(pt.Inside))
	}
	for _, m := range domain.PerMonth(ps, today.AddMonths(-11), today) {
		d.months = append(d.months, monthShort(int(m.Month)))
		d.in = append(d.in, float64(m.In))
		d.out = append(d.out, float64(m.Out))
		d.eaten = append(d.eaten, float64(m.Eaten))
		d.bin = append(d.bin, float64(m.Discarded))
	}
	return d
}
