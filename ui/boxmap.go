package ui

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// boxSlot is one slot of a box: a product, or free when Product is nil.
type boxSlot struct {
	Box, Slot int
	Product   *ProductRow
	Labelled  bool // the product's printed label shows this place (markLabelled)
}

// boxSlots lays out a freezer with boxes boxes holding products (inside
// ones): per box, every slot from 1 to the highest used, then one free slot
// after it, so that every gap can be filled with a tap.
func boxSlots(boxes int, products []ProductRow) [][]boxSlot {
	byBox := make([][]ProductRow, boxes+1)
	for _, p := range products {
		if p.Inside() && p.Location.Box >= 1 && p.Location.Box <= boxes {
			byBox[p.Location.Box] = append(byBox[p.Location.Box], p)
		}
	}
	out := make([][]boxSlot, boxes)
	for b := 1; b <= boxes; b++ {
		ps := byBox[b]
		slices.SortFunc(ps, func(x, y ProductRow) int { return x.Location.Slot - y.Location.Slot })
		top := 0
		for _, p := range ps {
			top = max(top, p.Location.Slot)
		}
		slots := make([]boxSlot, 0, top+1)
		i := 0
		for s := 1; s <= top+1; s++ {
			found := false
			for i < len(ps) && ps[i].Location.Slot == s {
				p := ps[i]
				slots = append(slots, boxSlot{Box: b, Slot: s, Product: &p})
				i++
				found = true
			}
			if !found {
				slots = append(slots, boxSlot{Box: b, Slot: s})
			}
		}
		out[b-1] = slots
	}
	return out
}

// BoxMap draws every box of a freezer and every slot in it, with the
// product there and its status (colour, icon-like mark and word). Tapping
// a product calls OnProduct; tapping a free slot calls OnFree.
type BoxMap struct {
	widget.BaseWidget
	OnProduct func(ProductRow)
	OnFree    func(box, slot int)

	boxes  [][]boxSlot
	tile   fyne.Size
	tiles  []*slotTile // for tests
	layout *fyne.Container
}

// NewBoxMap returns an empty box map with tiles of size tile.
func NewBoxMap(tile fyne.Size) *BoxMap {
	m := &BoxMap{tile: tile}
	m.ExtendBaseWidget(m)
	return m
}

// SetBoxes shows a new layout (from boxSlots).
func (m *BoxMap) SetBoxes(boxes [][]boxSlot) {
	m.boxes = boxes
	m.Refresh()
}

func (m *BoxMap) CreateRenderer() fyne.WidgetRenderer {
	m.layout = container.NewVBox()
	r := &boxMapRenderer{m: m}
	r.rebuild()
	return r
}

type boxMapRenderer struct{ m *BoxMap }

func (r *boxMapRenderer) rebuild() {
	m := r.m
	m.tiles = m.tiles[:0]
	var objs []fyne.CanvasObject
	for i, slots := range m.boxes {
		used := 0
		for _, s := range slots {
			if s.Product != nil {
				used++
			}
		}
		title := widget.NewLabelWithStyle(lang.L("boxmap.box", map[string]any{"Box": i + 1, "Count": used}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		grid := container.NewGridWrap(m.tile)
		for _, s := range slots {
			t := newSlotTile(s, m)
			m.tiles = append(m.tiles, t)
			grid.Add(t)
		}
		objs = append(objs, title, grid)
	}
	m.layout.Objects = objs
	m.layout.Refresh()
}

func (r *boxMapRenderer) Destroy()                     {}
func (r *boxMapRenderer) Layout(s fyne.Size)           { r.m.layout.Resize(s) }
func (r *boxMapRenderer) MinSize() fyne.Size           { return r.m.layout.MinSize() }
func (r *boxMapRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.m.layout} }
func (r *boxMapRenderer) Refresh()                     { r.rebuild() }

// slotTile is one slot on the box map.
type slotTile struct {
	widget.BaseWidget
	slot boxSlot
	m    *BoxMap
}

func newSlotTile(s boxSlot, m *BoxMap) *slotTile {
	t := &slotTile{slot: s, m: m}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped opens the product, or adds one in a free slot.
func (t *slotTile) Tapped(*fyne.PointEvent) {
	if t.slot.Product != nil {
		if t.m.OnProduct != nil {
			t.m.OnProduct(*t.slot.Product)
		}
		return
	}
	if t.m.OnFree != nil {
		t.m.OnFree(t.slot.Box, t.slot.Slot)
	}
}

func (t *slotTile) CreateRenderer() fyne.WidgetRenderer {
	r := &slotTileRenderer{t: t, bg: canvas.NewRectangle(color.Transparent), bar: canvas.NewRectangle(color.Transparent),
		top: canvas.NewText("", color.Black), name: canvas.NewText("", color.Black), status: canvas.NewText("", color.Black),
		label: canvas.NewImageFromResource(theme.DocumentPrintIcon())}
	r.name.TextStyle.Bold = true
	r.Refresh()
	return r
}

type slotTileRenderer struct {
	t                 *slotTile
	bg, bar           *canvas.Rectangle
	top, name, status *canvas.Text
	label             *canvas.Image // shown when the product's label is printed
}

func (r *slotTileRenderer) Destroy() {}

func (r *slotTileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.bar, r.top, r.name, r.status, r.label}
}

func (r *slotTileRenderer) MinSize() fyne.Size { return r.t.m.tile }

func (r *slotTileRenderer) Layout(s fyne.Size) {
	th := r.t.Theme()
	pad := th.Size(theme.SizeNamePadding)
	inset := pad / 2
	r.bg.Move(fyne.NewPos(inset, inset))
	r.bg.Resize(fyne.NewSize(s.Width-2*inset, s.Height-2*inset))
	r.bar.Move(fyne.NewPos(inset, inset))
	r.bar.Resize(fyne.NewSize(pad*1.5, s.Height-2*inset))
	x := inset + pad*1.5 + pad
	w := s.Width - x - pad
	lineH := (s.Height - 2*pad) / 3
	for i, t := range []*canvas.Text{r.top, r.name, r.status} {
		t.Move(fyne.NewPos(x, pad+float32(i)*lineH))
		t.Resize(fyne.NewSize(w, lineH))
	}
	icon := th.Size(theme.SizeNameInlineIcon) * 0.8
	r.label.Resize(fyne.NewSize(icon, icon))
	r.label.Move(fyne.NewPos(s.Width-pad-icon, s.Height-pad-icon))
	r.fit(w)
}

// fit truncates the product name to the tile's width.
func (r *slotTileRenderer) fit(w float32) {
	name := ""
	if p := r.t.slot.Product; p != nil {
		name = p.Name
	} else {
		name = lang.L("boxmap.free")
	}
	r.name.Text = name
	for len([]rune(r.name.Text)) > 1 && r.name.MinSize().Width > w {
		rs := []rune(r.name.Text)
		r.name.Text = string(rs[:len(rs)-2]) + "…"
	}
}

func (r *slotTileRenderer) Refresh() {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	s := r.t.slot
	size := th.Size(theme.SizeNameText)
	fg := th.Color(theme.ColorNameForeground, v)
	var accent color.Color
	if s.Product == nil {
		accent = th.Color(theme.ColorNamePlaceHolder, v)
		r.top.Text = lang.L("boxmap.slot", map[string]any{"Slot": s.Slot})
		r.status.Text = "+ " + lang.L("boxmap.add_here")
		r.bg.FillColor = color.Transparent
		r.bg.StrokeColor = accent
		r.bg.StrokeWidth = 1
	} else {
		p := s.Product
		switch p.Status {
		case domain.StatusOverdue:
			accent = th.Color(theme.ColorNameError, v)
		case domain.StatusDueSoon:
			accent = th.Color(theme.ColorNameWarning, v)
		default:
			accent = th.Color(theme.ColorNameSuccess, v)
		}
		r.top.Text = lang.L("boxmap.slot", map[string]any{"Slot": s.Slot}) + " · " + formatDate(p.Deadline)
		mark := "✓ "
		if p.Status == domain.StatusOverdue || p.Status == domain.StatusDueSoon {
			mark = "! "
		}
		r.status.Text = mark + statusWord(p.Status)
		r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
		r.bg.StrokeColor = accent
		r.bg.StrokeWidth = 2
	}
	r.label.Hidden = !s.Labelled
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.bar.FillColor = accent
	r.bar.CornerRadius = r.bg.CornerRadius
	for _, t := range []*canvas.Text{r.top, r.name, r.status} {
		t.Color = fg
		t.TextSize = size * 0.9
	}
	r.name.TextSize = size
	r.status.Color = accent
	if s.Product != nil && s.Product.Status == domain.StatusOK {
		r.status.Color = fg
	}
	r.Layout(r.t.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}
