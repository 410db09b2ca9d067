// Package chart draws Freezer's charts (bars, horizontal bars, a line) with
// Fyne canvas primitives: vector shapes and text, so they stay sharp at any
// scale, coloured from the theme so light and dark both work. Values are
// written on the chart: nothing depends on hovering, which tablets lack.
package chart

import (
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Kind is a chart's shape.
type Kind int

// Chart kinds.
const (
	Bars  Kind = iota // vertical bars, one group per category
	HBars             // horizontal bars, one row per category (long names)
	Line              // one line per series
)

// Series is one named set of values, one per category.
type Series struct {
	Name   string
	Values []float64
	Color  fyne.ThemeColorName
}

// Chart is a chart widget with a title, axis labels and values.
type Chart struct {
	widget.BaseWidget
	Kind       Kind
	Title      string
	XLabel     string
	YLabel     string
	Categories []string
	Series     []Series
	// Empty is written across the plot when every value is zero.
	Empty string
	// Format writes a value (axis ticks, bar and point labels) in the
	// reader's language; nil writes it with a decimal point.
	Format func(float64) string
}

// New returns an empty chart.
func New(kind Kind, title, xLabel, yLabel string) *Chart {
	c := &Chart{Kind: kind, Title: title, XLabel: xLabel, YLabel: yLabel}
	c.ExtendBaseWidget(c)
	return c
}

// SetData replaces the chart's categories and series and redraws it.
func (c *Chart) SetData(categories []string, series ...Series) {
	c.Categories = categories
	c.Series = series
	c.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (c *Chart) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	return &renderer{c: c}
}

type renderer struct {
	c       *Chart
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *renderer) Destroy()                     {}
func (r *renderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *renderer) MinSize() fyne.Size {
	ts := r.c.Theme().Size(theme.SizeNameText)
	return fyne.NewSize(ts*20, ts*15)
}

func (r *renderer) Layout(s fyne.Size) {
	r.size = s
	r.build()
}

func (r *renderer) Refresh() {
	r.build()
	canvas.Refresh(r.c)
}

// palette reads the theme's colours for the variant in use.
type palette struct {
	th      fyne.Theme
	v       fyne.ThemeVariant
	fg, dim color.Color
	grid    color.Color
	text    float32
	format  func(float64) string
}

func (r *renderer) palette() palette {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	pl := palette{th: th, v: v, fg: th.Color(theme.ColorNameForeground, v),
		dim: th.Color(theme.ColorNamePlaceHolder, v), grid: th.Color(theme.ColorNameSeparator, v),
		text: th.Size(theme.SizeNameText), format: r.c.Format}
	if pl.format == nil {
		pl.format = format
	}
	return pl
}

func (p palette) color(n fyne.ThemeColorName) color.Color {
	if n == "" {
		n = theme.ColorNamePrimary
	}
	return p.th.Color(n, p.v)
}

func (p palette) label(s string, size float32, c color.Color, bold bool) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.TextStyle.Bold = bold
	return t
}

// frame holds the text metrics and the vertical band left for the plot,
// shared by the steps of build; the header steps move y0 down as they draw.
type frame struct {
	p      palette
	size   fyne.Size // the whole chart
	small  float32   // text size of legends, axis labels and values
	pad    float32
	lineH  float32 // height of a line of small text (set by axisLabels)
	y0     float32 // top of the plot band, under the title, legend and Y label
	bottom float32 // bottom of the plot band, above the X label
}

// build lays the whole chart out for the current size: the header (title,
// legend, axis labels), then either a message when there is nothing to
// draw, horizontal bars, or a plot with a value grid, category labels and
// the bars or lines. Objects are appended in drawing order.
func (r *renderer) build() {
	s := r.size
	if s.Width <= 0 || s.Height <= 0 {
		r.objects = nil
		return
	}
	p := r.palette()
	fr := &frame{p: p, size: s, small: p.text * 0.85, pad: p.text * 0.5}
	objs := r.title(fr)
	objs = append(objs, r.legend(fr)...)
	objs = append(objs, r.axisLabels(fr)...)

	maxV := r.maxValue()
	if r.nothingToDraw(maxV) {
		r.objects = append(objs, r.emptyMessage(*fr))
		return
	}
	if r.c.Kind == HBars {
		r.objects = append(objs, r.hbars(p, fyne.NewPos(fr.pad, fr.y0), fyne.NewSize(s.Width-2*fr.pad, fr.bottom-fr.y0), maxV)...)
		return
	}
	pa, ok := r.plotArea(*fr, maxV)
	if !ok {
		r.objects = objs
		return
	}
	objs = append(objs, pa.grid()...)
	objs = append(objs, r.categoryLabels(pa)...)
	switch r.c.Kind {
	case Bars:
		objs = append(objs, r.bars(pa)...)
	case Line:
		for _, se := range r.c.Series {
			objs = append(objs, r.line(pa, se)...)
		}
	}
	r.objects = objs
}

// title draws the chart's title at the top and moves fr.y0 under it.
func (r *renderer) title(fr *frame) []fyne.CanvasObject {
	p := fr.p
	title := p.label(r.c.Title, p.text*1.15, p.fg, true)
	title.Move(fyne.NewPos(fr.pad, 0))
	fr.y0 = title.MinSize().Height + fr.pad/2
	return []fyne.CanvasObject{title}
}

// legend draws, under the title, a swatch and the name of each series when
// there is more than one, and moves fr.y0 under it.
func (r *renderer) legend(fr *frame) []fyne.CanvasObject {
	if len(r.c.Series) <= 1 {
		return nil
	}
	p, small, y0 := fr.p, fr.small, fr.y0
	var objs []fyne.CanvasObject
	x := fr.pad
	for _, se := range r.c.Series {
		sw := canvas.NewRectangle(p.color(se.Color))
		sw.Resize(fyne.NewSize(small, small))
		sw.Move(fyne.NewPos(x, y0+small*0.2))
		t := p.label(se.Name, small, p.fg, false)
		t.Move(fyne.NewPos(x+small*1.4, y0))
		objs = append(objs, sw, t)
		x += small*1.4 + t.MinSize().Width + fr.pad*2
	}
	fr.y0 += p.label("X", small, p.fg, false).MinSize().Height + fr.pad/2
	return objs
}

// axisLabels draws the Y axis label above the plot and the X axis label
// at the bottom of the chart (Fyne text does not rotate). It sets
// fr.lineH, moves fr.y0 under the Y label and sets fr.bottom above the X
// label.
func (r *renderer) axisLabels(fr *frame) []fyne.CanvasObject {
	p := fr.p
	yl := p.label(r.c.YLabel, fr.small, p.dim, false)
	yl.Move(fyne.NewPos(fr.pad, fr.y0))
	fr.lineH = yl.MinSize().Height
	fr.y0 += fr.lineH + fr.pad/2
	xl := p.label(r.c.XLabel, fr.small, p.dim, false)
	xl.Alignment = fyne.TextAlignCenter
	xl.Resize(fyne.NewSize(fr.size.Width, fr.lineH))
	xl.Move(fyne.NewPos(0, fr.size.Height-fr.lineH))
	fr.bottom = fr.size.Height - fr.lineH - fr.pad/2
	return []fyne.CanvasObject{yl, xl}
}

// maxValue returns the largest value of every series (0 when none is
// positive).
func (r *renderer) maxValue() float64 {
	maxV := 0.0
	for _, se := range r.c.Series {
		for _, v := range se.Values {
			maxV = math.Max(maxV, v)
		}
	}
	return maxV
}

// nothingToDraw reports whether the chart shows a message instead of a
// plot: it has no category or no series, or every value is zero and it
// has an Empty message.
func (r *renderer) nothingToDraw(maxV float64) bool {
	c := r.c
	return len(c.Categories) == 0 || len(c.Series) == 0 || (maxV == 0 && c.Empty != "")
}

// emptyMessage writes the Empty message (a dash when there is none) across
// the middle of the plot band.
func (r *renderer) emptyMessage(fr frame) fyne.CanvasObject {
	p := fr.p
	msg := r.c.Empty
	if msg == "" {
		msg = "—"
	}
	t := p.label(msg, p.text, p.dim, false)
	t.Alignment = fyne.TextAlignCenter
	t.Resize(fyne.NewSize(fr.size.Width, t.MinSize().Height))
	t.Move(fyne.NewPos(0, (fr.y0+fr.bottom)/2))
	return t
}

// plotArea is the rectangle where bars and lines are drawn, right of the
// tick labels and above the category labels, with its value scale and one
// column ("group") per category.
type plotArea struct {
	frame
	step, top float64 // grid step and the value at the plot's top
	tickW     float32 // width of the widest tick label
	left      float32 // x of the plot's left edge
	plot      fyne.Size
	n         int     // number of categories
	group     float32 // width of one category's column
}

// plotArea fits the plot in the band of fr, for values up to maxV; ok is
// false when no room is left for it.
func (r *renderer) plotArea(fr frame, maxV float64) (pa plotArea, ok bool) {
	p := fr.p
	pa.frame = fr
	pa.step, pa.top = ticks(maxV)
	// Left margin: the widest tick label.
	pa.tickW = p.label(p.format(pa.top), fr.small, p.fg, false).MinSize().Width
	pa.left = fr.pad + pa.tickW + fr.pad
	catH := fr.lineH + fr.pad/2
	pa.plot = fyne.NewSize(fr.size.Width-pa.left-fr.pad, fr.bottom-catH-fr.y0)
	if pa.plot.Height <= 0 || pa.plot.Width <= 0 {
		return plotArea{}, false
	}
	pa.n = len(r.c.Categories)
	pa.group = pa.plot.Width / float32(pa.n)
	return pa, true
}

// yOf returns the y of value v on the plot.
func (pa plotArea) yOf(v float64) float32 {
	return pa.y0 + pa.plot.Height - float32(v/pa.top)*pa.plot.Height
}

// colX returns the x of the left edge of category i's column.
func (pa plotArea) colX(i int) float32 {
	return pa.left + pa.group*float32(i)
}

// grid draws a horizontal grid line with its value at the left for each
// tick step, then the X axis.
func (pa plotArea) grid() []fyne.CanvasObject {
	p, small, lineH := pa.p, pa.small, pa.lineH
	var objs []fyne.CanvasObject
	for v := 0.0; v <= pa.top+pa.step/2; v += pa.step {
		y := pa.yOf(v)
		g := canvas.NewLine(p.grid)
		g.StrokeWidth = 1
		g.Position1, g.Position2 = fyne.NewPos(pa.left, y), fyne.NewPos(pa.left+pa.plot.Width, y)
		t := p.label(p.format(v), small, p.dim, false)
		t.Alignment = fyne.TextAlignTrailing
		t.Resize(fyne.NewSize(pa.tickW, lineH))
		t.Move(fyne.NewPos(pa.pad, y-lineH/2))
		objs = append(objs, g, t)
	}
	axis := canvas.NewLine(p.fg)
	axis.StrokeWidth = 1
	axis.Position1, axis.Position2 = fyne.NewPos(pa.left, pa.y0+pa.plot.Height), fyne.NewPos(pa.left+pa.plot.Width, pa.y0+pa.plot.Height)
	return append(objs, axis)
}

// categoryLabels writes each category's name under its column, skipping a
// name that would overlap the previous one written (many days on a narrow
// chart).
func (r *renderer) categoryLabels(pa plotArea) []fyne.CanvasObject {
	p := pa.p
	var objs []fyne.CanvasObject
	lastRight := float32(-1e9)
	for i, cat := range r.c.Categories {
		if cat == "" {
			continue
		}
		t := p.label(cat, pa.small, p.fg, false)
		w := t.MinSize().Width
		x := pa.colX(i) + pa.group/2 - w/2
		if x < lastRight+pa.pad/2 {
			continue
		}
		lastRight = x + w
		t.Move(fyne.NewPos(x, pa.y0+pa.plot.Height+pa.pad/4))
		objs = append(objs, t)
	}
	return objs
}

// bars draws, in each category's column, one vertical bar per series side
// by side, with its value above it when not zero. Values beyond the last
// category are ignored.
func (r *renderer) bars(pa plotArea) []fyne.CanvasObject {
	p, lineH := pa.p, pa.lineH
	var objs []fyne.CanvasObject
	bw := pa.group * 0.8 / float32(len(r.c.Series))
	for si, se := range r.c.Series {
		col := p.color(se.Color)
		for i, v := range se.Values {
			if i >= pa.n {
				break
			}
			x := pa.colX(i) + pa.group*0.1 + bw*float32(si)
			y := pa.yOf(v)
			b := canvas.NewRectangle(col)
			b.Move(fyne.NewPos(x, y))
			b.Resize(fyne.NewSize(max(1, bw-1), pa.y0+pa.plot.Height-y))
			objs = append(objs, b)
			if v > 0 {
				t := p.label(p.format(v), pa.small*0.9, p.fg, false)
				t.Alignment = fyne.TextAlignCenter
				t.Resize(fyne.NewSize(bw, lineH))
				t.Move(fyne.NewPos(x, y-lineH))
				objs = append(objs, t)
			}
		}
	}
	return objs
}

// line draws one series as a line through the middle of each category's
// column. Only the first, last and highest points get a dot and their
// value, so that the labels do not crowd the line. Values beyond the last
// category are ignored.
func (r *renderer) line(pa plotArea, se Series) []fyne.CanvasObject {
	p := pa.p
	var objs []fyne.CanvasObject
	col := p.color(se.Color)
	var prev fyne.Position
	hi := highest(se.Values)
	for i, v := range se.Values {
		if i >= pa.n {
			break
		}
		pt := fyne.NewPos(pa.colX(i)+pa.group/2, pa.yOf(v))
		if i > 0 {
			l := canvas.NewLine(col)
			l.StrokeWidth = 2.5
			l.Position1, l.Position2 = prev, pt
			objs = append(objs, l)
		}
		prev = pt
		if i == 0 || i == len(se.Values)-1 || i == hi {
			objs = append(objs, pa.marker(pt, v, col)...)
		}
	}
	return objs
}

// marker draws a dot at pt and writes v above it, kept within the plot's
// width.
func (pa plotArea) marker(pt fyne.Position, v float64, col color.Color) []fyne.CanvasObject {
	p := pa.p
	d := canvas.NewCircle(col)
	d.Resize(fyne.NewSize(p.text*0.5, p.text*0.5))
	d.Move(pt.SubtractXY(p.text*0.25, p.text*0.25))
	t := p.label(p.format(v), pa.small, p.fg, true)
	t.Alignment = fyne.TextAlignCenter
	t.Resize(fyne.NewSize(p.text*4, pa.lineH))
	t.Move(fyne.NewPos(min(max(pt.X-p.text*2, pa.left), pa.left+pa.plot.Width-p.text*4), pt.Y-pa.lineH-2))
	return []fyne.CanvasObject{d, t}
}

// highest returns the index of the first largest value (0 when there is
// none).
func highest(values []float64) int {
	hi := 0
	for i, v := range values {
		if v > values[hi] {
			hi = i
		}
	}
	return hi
}

// hbars draws, per category, one horizontal bar per series (side by side
// in the row), the category's name at its left and each value at its bar's
// end.
func (r *renderer) hbars(p palette, at fyne.Position, s fyne.Size, maxV float64) []fyne.CanvasObject {
	c := r.c
	small := p.text * 0.85
	var objs []fyne.CanvasObject
	n := len(c.Categories)
	rowH := s.Height / float32(n)
	labelW := s.Width * 0.38
	valueW := p.label(p.format(maxV)+"0", small, p.fg, false).MinSize().Width
	barMax := s.Width - labelW - valueW
	if maxV <= 0 {
		maxV = 1
	}
	lineH := p.label("X", small, p.fg, false).MinSize().Height
	ns := float32(len(c.Series))
	barH := rowH * 0.7 / ns
	for i, cat := range c.Categories {
		y := at.Y + rowH*float32(i)
		name := fit(p, cat, small, labelW-p.text*0.5)
		t := p.label(name, small, p.fg, false)
		t.Alignment = fyne.TextAlignTrailing
		t.Move(fyne.NewPos(at.X, y+(rowH-lineH)/2))
		t.Resize(fyne.NewSize(labelW-p.text*0.5, lineH))
		objs = append(objs, t)
		for si, se := range c.Series {
			v := 0.0
			if i < len(se.Values) {
				v = se.Values[i]
			}
			by := y + rowH*0.15 + barH*float32(si)
			w := float32(v/maxV) * barMax
			b := canvas.NewRectangle(p.color(se.Color))
			b.Move(fyne.NewPos(at.X+labelW, by))
			b.Resize(fyne.NewSize(max(1, w), max(1, barH-1)))
			size := small
			if ns > 1 {
				size = min(small, max(barH*0.9, p.text*0.6))
			}
			vt := p.label(p.format(v), size, p.fg, true)
			vh := vt.MinSize().Height
			vt.Move(fyne.NewPos(at.X+labelW+w+p.text*0.3, by+(barH-vh)/2))
			objs = append(objs, b, vt)
		}
	}
	return objs
}

// fit shortens s with an ellipsis until it fits in w.
func fit(p palette, s string, size, w float32) string {
	rs := []rune(s)
	for len(rs) > 1 && p.label(string(rs), size, p.fg, false).MinSize().Width > w {
		rs = append(rs[:len(rs)-2], '…')
	}
	return string(rs)
}

// ticks returns a "nice" grid step and the axis top for values up to maxV.
func ticks(maxV float64) (step, top float64) {
	if maxV <= 0 {
		return 1, 4
	}
	raw := maxV / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		step = mag
	case f <= 2:
		step = 2 * mag
	case f <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	step = math.Max(step, 1)
	top = math.Ceil(maxV/step) * step
	if top-maxV < step*0.25 { // headroom for the values written above the highest point
		top += step
	}
	return step, top
}

func format(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
