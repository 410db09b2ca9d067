package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// navTabs is the app's navigation: its screens, one shown at a time, and a
// bar of buttons each with its icon above its name. The bar sits beside the
// screens on a wide desktop window, above them on a narrow one and below
// them on a tablet; above or below, the buttons share the width equally, so
// every name shows whole. (Fyne's AppTabs puts the icon beside the name
// there and hides what does not fit behind a "…" menu: a French tablet in
// portrait lost "Réglages" that way.)
type navTabs struct {
	widget.BaseWidget
	Items []*container.TabItem
	// OnSelected is called when another screen is shown.
	OnSelected func(*container.TabItem)

	loc      container.TabLocation
	selected int
	buttons  []*navButton
}

func newNavTabs(items ...*container.TabItem) *navTabs {
	n := &navTabs{Items: items, loc: container.TabLocationLeading}
	for i, it := range items {
		n.buttons = append(n.buttons, newNavButton(it.Text, it.Icon, func() { n.SelectIndex(i) }))
		it.Content.Hide()
	}
	if len(items) > 0 {
		items[0].Content.Show()
		n.buttons[0].setSelected(true)
	}
	n.ExtendBaseWidget(n)
	return n
}

// SelectIndex shows screen i (out of range: nothing changes).
func (n *navTabs) SelectIndex(i int) {
	if i < 0 || i >= len(n.Items) || i == n.selected {
		return
	}
	n.Items[n.selected].Content.Hide()
	n.buttons[n.selected].setSelected(false)
	n.selected = i
	n.Items[i].Content.Show()
	n.buttons[i].setSelected(true)
	n.Refresh()
	if n.OnSelected != nil {
		n.OnSelected(n.Items[i])
	}
}

// SelectedIndex is the screen shown.
func (n *navTabs) SelectedIndex() int { return n.selected }

// SetTabLocation puts the bar beside (Leading), above (Top) or below
// (Bottom) the screens.
func (n *navTabs) SetTabLocation(loc container.TabLocation) {
	n.loc = loc
	for _, b := range n.buttons {
		b.edge = loc
	}
	n.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (n *navTabs) CreateRenderer() fyne.WidgetRenderer {
	r := &navRenderer{n: n, line: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))}
	r.objects = append(r.objects, r.line)
	for _, b := range n.buttons {
		r.objects = append(r.objects, b)
	}
	for _, it := range n.Items {
		r.objects = append(r.objects, it.Content)
	}
	return r
}

type navRenderer struct {
	n       *navTabs
	line    *canvas.Rectangle // between the bar and the screens
	objects []fyne.CanvasObject
}

func (r *navRenderer) Destroy()                     {}
func (r *navRenderer) Objects() []fyne.CanvasObject { return r.objects }

// cell is the size every button of the bar gets at least.
func (r *navRenderer) cell() fyne.Size {
	var s fyne.Size
	for _, b := range r.n.buttons {
		s = s.Max(b.MinSize())
	}
	return s
}

func (r *navRenderer) content() fyne.Size {
	var s fyne.Size
	for _, it := range r.n.Items {
		s = s.Max(it.Content.MinSize())
	}
	return s
}

func (r *navRenderer) MinSize() fyne.Size {
	cell, content, line := r.cell(), r.content(), theme.SeparatorThicknessSize()
	count := float32(len(r.n.buttons))
	if r.n.loc == container.TabLocationLeading || r.n.loc == container.TabLocationTrailing {
		return fyne.NewSize(cell.Width+line+content.Width, max(cell.Height*count, content.Height))
	}
	return fyne.NewSize(max(cell.Width*count, content.Width), cell.Height+line+content.Height)
}

func (r *navRenderer) Layout(size fyne.Size) {
	cell, line := r.cell(), theme.SeparatorThicknessSize()
	var at fyne.Position
	var rest fyne.Size
	switch r.n.loc {
	case container.TabLocationLeading, container.TabLocationTrailing:
		for i, b := range r.n.buttons {
			b.Move(fyne.NewPos(0, float32(i)*cell.Height))
			b.Resize(cell)
		}
		r.line.Move(fyne.NewPos(cell.Width, 0))
		r.line.Resize(fyne.NewSize(line, size.Height))
		at, rest = fyne.NewPos(cell.Width+line, 0), fyne.NewSize(size.Width-cell.Width-line, size.Height)
	default:
		y, lineY := float32(0), cell.Height
		at = fyne.NewPos(0, cell.Height+line)
		if r.n.loc == container.TabLocationBottom {
			y, lineY, at = size.Height-cell.Height, size.Height-cell.Height-line, fyne.Position{}
		}
		w := size.Width / float32(max(1, len(r.n.buttons)))
		for i, b := range r.n.buttons {
			b.Move(fyne.NewPos(float32(i)*w, y))
			b.Resize(fyne.NewSize(w, cell.Height))
		}
		r.line.Move(fyne.NewPos(0, lineY))
		r.line.Resize(fyne.NewSize(size.Width, line))
		rest = fyne.NewSize(size.Width, size.Height-cell.Height-line)
	}
	for _, it := range r.n.Items {
		it.Content.Move(at)
		it.Content.Resize(rest)
	}
}

func (r *navRenderer) Refresh() {
	r.line.FillColor = theme.Color(theme.ColorNameSeparator)
	r.Layout(r.n.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

// navButton is one button of the navigation: the icon above the name, the
// screen shown marked by the primary colour and a bar on the edge next to
// the screens.
type navButton struct {
	widget.BaseWidget
	text     string
	icon     fyne.Resource
	onTap    func()
	selected bool
	hovered  bool
	edge     container.TabLocation
}

func newNavButton(text string, icon fyne.Resource, onTap func()) *navButton {
	b := &navButton{text: text, icon: icon, onTap: onTap, edge: container.TabLocationLeading}
	b.ExtendBaseWidget(b)
	return b
}

// compact reports whether the button shares a bar above or below the
// screens with the others.
func (b *navButton) compact() bool {
	return b.edge == container.TabLocationTop || b.edge == container.TabLocationBottom
}

func (b *navButton) setSelected(on bool) {
	b.selected = on
	b.Refresh()
}

// Tapped implements fyne.Tappable.
func (b *navButton) Tapped(*fyne.PointEvent) { b.onTap() }

// Cursor shows a pointing hand.
func (b *navButton) Cursor() desktop.Cursor { return desktop.PointerCursor }

// MouseIn implements desktop.Hoverable.
func (b *navButton) MouseIn(*desktop.MouseEvent) { b.hovered = true; b.Refresh() }

// MouseMoved implements desktop.Hoverable.
func (b *navButton) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (b *navButton) MouseOut() { b.hovered = false; b.Refresh() }

// CreateRenderer implements fyne.Widget.
func (b *navButton) CreateRenderer() fyne.WidgetRenderer {
	r := &navButtonRenderer{b: b, bg: canvas.NewRectangle(color.Transparent), mark: canvas.NewRectangle(color.Transparent),
		icon: canvas.NewImageFromResource(b.icon), label: canvas.NewText(b.text, nil)}
	r.icon.FillMode = canvas.ImageFillContain
	r.label.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type navButtonRenderer struct {
	b     *navButton
	bg    *canvas.Rectangle
	mark  *canvas.Rectangle
	icon  *canvas.Image
	label *canvas.Text
}

func (r *navButtonRenderer) Destroy() {}
func (r *navButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.mark, r.icon, r.label}
}

// iconSize is the icon's side: large beside the screens, smaller in a bar
// above or below them, where the height is the screens'.
func (r *navButtonRenderer) iconSize() float32 {
	if r.b.compact() {
		return theme.IconInlineSize() * 1.25
	}
	return theme.IconInlineSize() * 1.75
}

func (r *navButtonRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	text := r.label.MinSize()
	side := 4 * pad
	if r.b.compact() {
		side = 2 * pad
	}
	return fyne.NewSize(max(text.Width, r.iconSize())+side, r.iconSize()+text.Height+3*pad)
}

func (r *navButtonRenderer) Layout(size fyne.Size) {
	pad, icon := theme.Padding(), r.iconSize()
	text := r.label.MinSize()
	top := (size.Height - (icon + pad/2 + text.Height)) / 2
	r.bg.Resize(size)
	r.icon.Resize(fyne.NewSquareSize(icon))
	r.icon.Move(fyne.NewPos((size.Width-icon)/2, top))
	r.label.Resize(fyne.NewSize(size.Width, text.Height))
	r.label.Move(fyne.NewPos(0, top+icon+pad/2))
	thick := 3 * theme.SeparatorThicknessSize()
	switch r.b.edge {
	case container.TabLocationTop:
		r.mark.Move(fyne.NewPos(0, size.Height-thick))
		r.mark.Resize(fyne.NewSize(size.Width, thick))
	case container.TabLocationBottom:
		r.mark.Move(fyne.Position{})
		r.mark.Resize(fyne.NewSize(size.Width, thick))
	default:
		r.mark.Move(fyne.NewPos(size.Width-thick, 0))
		r.mark.Resize(fyne.NewSize(thick, size.Height))
	}
}

func (r *navButtonRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	var res fyne.Resource = theme.NewThemedResource(r.b.icon)
	if r.b.selected {
		fg = theme.Color(theme.ColorNamePrimary)
		res = theme.NewPrimaryThemedResource(r.b.icon)
	}
	r.icon.Resource = res
	r.label.Text, r.label.Color = r.b.text, fg
	// Beside the screens the names are as large as the text; in a bar above
	// or below, five names share the width: caption size, so that the
	// longest ("Congélateurs") shows whole down to 600 px on a tablet.
	r.label.TextStyle = fyne.TextStyle{Bold: !r.b.compact()}
	r.label.TextSize = theme.TextSize()
	if r.b.compact() {
		r.label.TextSize = theme.CaptionTextSize()
	}
	r.mark.FillColor = theme.Color(theme.ColorNamePrimary)
	r.mark.Hidden = !r.b.selected
	r.bg.FillColor = color.Transparent // not nil: the software painter (tests, screenshots) draws it
	if r.b.hovered {
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
	}
	r.Layout(r.b.Size())
	r.bg.Refresh()
	r.mark.Refresh()
	r.icon.Refresh()
	r.label.Refresh()
}
