package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
	"freezer/ui/chart"
)

// trendsScreen draws four charts from the household's own products.
// SYNC: the general tendency (every household's types) comes with sync.
type trendsScreen struct {
	ui *UI

	perType, stock, inOut, outcome *chart.Chart
}

// trendsData is everything the charts show, computed off the UI goroutine.
type trendsData struct {
	typeIDs    []int
	typeNames  []string
	typeCounts []float64
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
	note := widget.NewLabel(lang.L("trends.note"))
	note.TextStyle.Italic = true
	note.Wrapping = fyne.TextWrapWord
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
		s.perType.SetData(d.typeNames, chart.Series{Name: lang.L("trends.axis_products"), Values: d.typeCounts, Color: theme.ColorNamePrimary})
		s.stock.SetData(d.weeks, chart.Series{Name: lang.L("trends.axis_inside"), Values: d.stock, Color: theme.ColorNamePrimary})
		s.inOut.SetData(d.months,
			chart.Series{Name: lang.L("trends.in"), Values: d.in, Color: theme.ColorNamePrimary},
			chart.Series{Name: lang.L("trends.out"), Values: d.out, Color: theme.ColorNameWarning})
		s.outcome.SetData(d.months,
			chart.Series{Name: lang.L("outcome.eaten"), Values: d.eaten, Color: theme.ColorNameSuccess},
			chart.Series{Name: lang.L("outcome.discarded"), Values: d.bin, Color: theme.ColorNameError})
	})
}

// computeTrends turns the products into the charts' series: the 8 most
// frequent types, the stock at the end of each week of the last 12 months,
// and the last 12 months' movements.
func computeTrends(ps []domain.Product, today domain.Date) trendsData {
	var d trendsData
	freq := domain.TypeFrequency(ps)
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
