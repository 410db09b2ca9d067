package ui

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
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

	own     trendsData   // the last computed own data
	general generalTrend // the last fetched general tendency (cached)
	fetched time.Time    // the last fetch attempt (at most one per fetchEvery)
}

// generalTrend is the general tendency as cached in the preferences.
type generalTrend struct {
	At    time.Time   `json:"at"`
	Types []TypeTrend `json:"types"`
}

// fetchEvery spaces the general tendency's fetches: it changes slowly.
const fetchEvery = 15 * time.Minute

// trendsData is everything the charts show, computed off the UI goroutine.
type trendsData struct {
	typeIDs    []int
	typeNames  []string
	typeCounts []float64
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
	s.perType.Empty = lang.L("trends.empty")
	s.stock.Empty = lang.L("trends.empty")
	s.inOut.Empty = lang.L("trends.empty")
	s.outcome.Empty = lang.L("trends.empty_out")
	card := func(c *chart.Chart) fyne.CanvasObject { return widget.NewCard("", "", c) }
	s.general = loadGeneralTrend(s.ui.prefs)
	note := widget.NewLabel(lang.L("trends.note"))
	note.TextStyle.Italic = true
	note.Wrapping = fyne.TextWrapWord
	s.note = note
	var body fyne.CanvasObject
	if s.ui.settings.Tablet {
		size := fyne.NewSize(10, 420)
		body = s.ui.withPager(container.NewVScroll(container.NewVBox(
			container.NewStack(spacer(size), card(s.perType)), container.NewStack(spacer(size), card(s.stock)),
			container.NewStack(spacer(size), card(s.inOut)), container.NewStack(spacer(size), card(s.outcome)), note)))
	} else {
		body = container.NewBorder(nil, note, nil, nil, container.NewGridWithColumns(2,
			card(s.perType), card(s.stock), card(s.inOut), card(s.outcome)))
	}
	return container.NewPadded(container.NewBorder(heading(lang.L("nav.trends")), nil, nil, nil, body))
}

func spacer(s fyne.Size) fyne.CanvasObject {
	r := widget.NewLabel("")
	return container.NewGridWrap(s, r)
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
	if u.sync == nil || !u.syncStatus.SignedIn || time.Since(s.fetched) < fetchEvery {
		return
	}
	s.fetched = time.Now()
	background(u, func(ctx context.Context) ([]TypeTrend, error) {
		return u.sync.GeneralTendency(ctx)
	}, func(types []TypeTrend, err error) {
		if err != nil {
			fyne.LogError("general tendency", errors.New(syncErrText(err))) // the cached one stays
			return
		}
		s.general = generalTrend{At: time.Now(), Types: types}
		saveGeneralTrend(u.prefs, s.general)
		s.showPerType()
	})
}

// showPerType draws the products per type: the household's counts alone,
// or, with a general tendency, both as shares of all products.
func (s *trendsScreen) showPerType() {
	d := s.own
	if len(s.general.Types) == 0 {
		s.perType.Title = lang.L("trends.per_type")
		s.perType.XLabel = lang.L("trends.axis_products")
		s.perType.SetData(d.typeNames, chart.Series{Name: lang.L("trends.axis_products"), Values: d.typeCounts, Color: theme.ColorNamePrimary})
		s.note.SetText(lang.L("trends.note"))
		return
	}
	names, mine, all := generalShares(d.allCounts, s.general.Types, s.ui.typeLabel, s.ui.typeByID)
	s.perType.Title = lang.L("trends.per_type_both")
	s.perType.XLabel = lang.L("trends.axis_share")
	s.perType.SetData(names,
		chart.Series{Name: lang.L("trends.yours"), Values: mine, Color: theme.ColorNamePrimary},
		chart.Series{Name: lang.L("trends.everyone"), Values: all, Color: theme.ColorNameWarning})
	s.note.SetText(lang.L("trends.note_general", map[string]any{"When": whenText(s.general.At)}))
}

// generalShares returns the 8 types with the largest share of products,
// yours or every household's, with both shares in percent.
func generalShares(own map[int]int, general []TypeTrend, label func(int) string, known map[int]domain.ProductType) (names []string, mine, all []float64) {
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
	for i, r := range rows {
		if i == 8 {
			break
		}
		name := allNames[r.id]
		if _, ok := known[r.id]; ok || name == "" {
			name = label(r.id)
		}
		names = append(names, name)
		mine = append(mine, r.mine)
		all = append(all, r.all)
	}
	return names, mine, all
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

// computeTrends turns the products into the charts' series: the 8 most
// frequent types, the stock at the end of each week of the last 12 months,
// and the last 12 months' movements.
func computeTrends(ps []domain.Product, today domain.Date) trendsData {
	var d trendsData
	freq := domain.TypeFrequency(ps)
	d.allCounts = make(map[int]int, len(freq))
	for _, tc := range freq {
		d.allCounts[tc.TypeID] = tc.Count
	}
	for i, tc := range freq {
		if i == 8 {
			break
		}
		d.typeIDs = append(d.typeIDs, tc.TypeID)
		d.typeCounts = append(d.typeCounts, float64(tc.Count))
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
