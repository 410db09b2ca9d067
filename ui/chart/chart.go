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
}

func (r *renderer) palette() palette {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	return palette{th: th, v: v, fg: th.Color(theme.ColorNameForeground, v),
		dim: th.Color(theme.ColorNamePlaceHolder, v), grid: th.Color(theme.ColorNameSeparator, v),
		text: th.Size(theme.SizeNameText)}
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

// build lays the whole chart out for the current size.
func (r *renderer) build() {
	s := r.size
	c := r.c
	if s.Width <= 0 || s.Height <= 0 {
		r.objects = nil
		return
	}
	p := r.palette()
	small := p.text * 0.85
	pad := p.text * 0.5
	var objs []fyne.CanvasObject

	title := p.label(c.Title, p.text*1.15, p.fg, true)
	title.Move(fyne.NewPos(pad, 0))
	objs = append(objs, title)
	y0 := title.MinSize().Height + pad/2

	// Legend, under the title, when there is more than one series.
	if len(c.Series) > 1 {
		x := pad
		for _, se := range c.Series {
			sw := canvas.NewRectangle(p.color(se.Color))
			sw.Resize(fyne.NewSize(small, small))
			sw.Move(fyne.NewPos(x, y0+small*0.2))
			t := p.label(se.Name, small, p.fg, false)
			t.Move(fyne.NewPos(x+small*1.4, y0))
			objs = append(objs, sw, t)
			x += small*1.4 + t.MinSize().Width + pad*2
		}
		y0 += p.label("X", small, p.fg, false).MinSize().Height + pad/2
	}
	// Y axis label above the plot, X axis label below it (Fyne text does
	// not rotate).
	yl := p.label(c.YLabel, small, p.dim, false)
	yl.Move(fyne.NewPos(pad, y0))
	objs = append(objs, yl)
	lineH := yl.MinSize().Height
	y0 += lineH + pad/2
	xl := p.label(c.XLabel, small, p.dim, false)
	xl.Alignment = fyne.TextAlignCenter
	xl.Resize(fyne.NewSize(s.Width, lineH))
	xl.Move(fyne.NewPos(0, s.Height-lineH))
	objs = append(objs, xl)
	bottom := s.Height - lineH - pad/2

	maxV := 0.0
	for _, se := range c.Series {
		for _, v := range se.Values {
			maxV = math.Max(maxV, v)
		}
	}
	if len(c.Categories) == 0 || len(c.Series) == 0 || (maxV == 0 && c.Empty != "") {
		msg := c.Empty
		if msg == "" {
			msg = "—"
		}
		t := p.label(msg, p.text, p.dim, false)
		t.Alignment = fyne.TextAlignCenter
		t.Resize(fyne.NewSize(s.Width, t.MinSize().Height))
		t.Move(fyne.NewPos(0, (y0+bottom)/2))
		r.objects = append(objs, t)
		return
	}
	if c.Kind == HBars {
		r.objects = append(objs, r.hbars(p, fyne.NewPos(pad, y0), fyne.NewSize(s.Width-2*pad, bottom-y0), maxV)...)
		return
	}
	step, top := ticks(maxV)
	// Left margin: the widest tick label.
	tickW := p.label(format(top), small, p.fg, false).MinSize().Width
	left := pad + tickW + pad
	catH := lineH + pad/2
	plot := fyne.NewSize(s.Width-left-pad, bottom-catH-y0)
	if plot.Height <= 0 || plot.Width <= 0 {
		r.objects = objs
		return
	}
	yOf := func(v float64) float32 { return y0 + plot.Height - float32(v/top)*plot.Height }
	for v := 0.0; v <= top+step/2; v += step {
		y := yOf(v)
		g := canvas.NewLine(p.grid)
		g.StrokeWidth = 1
		g.Position1, g.Position2 = fyne.NewPos(left, y), fyne.NewPos(left+plot.Width, y)
		t := p.label(format(v), small, p.dim, false)
		t.Alignment = fyne.TextAlignTrailing
		t.Resize(fyne.NewSize(tickW, lineH))
		t.Move(fyne.NewPos(pad, y-lineH/2))
		objs = append(objs, g, t)
	}
	axis := canvas.NewLine(p.fg)
	axis.StrokeWidth = 1
	axis.Position1, axis.Position2 = fyne.NewPos(left, y0+plot.Height), fyne.NewPos(left+plot.Width, y0+plot.Height)
	objs = append(objs, axis)

	n := len(c.Categories)
	group := plot.Width / float32(n)
	// Category labels, skipped when they would overlap the previous one.
	lastRight := float32(-1e9)
	for i, cat := range c.Categories {
		if cat == "" {
			continue
		}
		t := p.label(cat, small, p.fg, false)
		w := t.MinSize().Width
		x := left + group*float32(i) + group/2 - w/2
		if x < lastRight+pad/2 {
			continue
		}
		lastRight = x + w
		t.Move(fyne.NewPos(x, y0+plot.Height+pad/4))
		objs = append(objs, t)
	}

	switch c.Kind {
	case Bars:
		bw := group * 0.8 / float32(len(c.Series))
		for si, se := range c.Series {
			col := p.color(se.Color)
			for i, v := range se.Values {
				if i >= n {
					break
				}
				x := left + group*float32(i) + group*0.1 + bw*float32(si)
				y := yOf(v)
				b := canvas.NewRectangle(col)
				b.Move(fyne.NewPos(x, y))
				b.Resize(fyne.NewSize(max(1, bw-1), y0+plot.Height-y))
				objs = append(objs, b)
				if v > 0 {
					t := p.label(format(v), small*0.9, p.fg, false)
					t.Alignment = fyne.TextAlignCenter
					t.Resize(fyne.NewSize(bw, lineH))
					t.Move(fyne.NewPos(x, y-lineH))
					objs = append(objs, t)
				}
			}
		}
	case Line:
		for _, se := range c.Series {
			col := p.color(se.Color)
			var prev fyne.Position
			hi := 0
			for i, v := range se.Values {
				if v > se.Values[hi] {
					hi = i
				}
			}
			for i, v := range se.Values {
				if i >= n {
					break
				}
				pt := fyne.NewPos(left+group*float32(i)+group/2, yOf(v))
				if i > 0 {
					l := canvas.NewLine(col)
					l.StrokeWidth = 2.5
					l.Position1, l.Position2 = prev, pt
					objs = append(objs, l)
				}
				prev = pt
				if i == 0 || i == len(se.Values)-1 || i == hi {
					d := canvas.NewCircle(col)
					d.Resize(fyne.NewSize(p.text*0.5, p.text*0.5))
					d.Move(pt.SubtractXY(p.text*0.25, p.text*0.25))
					t := p.label(format(v), small, p.fg, true)
					t.Alignment = fyne.TextAlignCenter
					t.Resize(fyne.NewSize(p.text*4, lineH))
					t.Move(fyne.NewPos(min(max(pt.X-p.text*2, left), left+plot.Width-p.text*4), pt.Y-lineH-2))
					objs = append(objs, d, t)
				}
			}
		}
	}
	r.objects = objs
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
	valueW := p.label(format(maxV)+"0", small, p.fg, false).MinSize().Width
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
			vt := p.label(format(v), size, p.fg, true)
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
