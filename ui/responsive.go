package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// narrowWindow is the window content width below which the app uses its
// narrow layouts: the products screen lists two-line rows instead of the
// table, and on a desktop the navigation moves above the screens instead of
// beside them. A portrait tablet (800 px) and a half-screen laptop window
// are narrow; a desktop window of 1,000 px and more is wide.
const narrowWindow float32 = 900

// widthLayout lays out one object at its whole size, after telling onWidth
// the width it is given whenever that width changes. The object picks its
// arrangement there (columns, table or list) before its children are laid
// out, so one layout pass shows the right arrangement with the right
// heights; the arrangement changes only when onWidth changes something, not
// on every pixel of a resize.
type widthLayout struct {
	width   float32
	onWidth func(width float32)
}

// newWidthAware wraps o so that onWidth learns the width o is given.
func newWidthAware(o fyne.CanvasObject, onWidth func(width float32)) *fyne.Container {
	return container.New(&widthLayout{width: -1, onWidth: onWidth}, o)
}

func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.width {
		l.width = size.Width
		l.onWidth(size.Width)
	}
	for _, o := range objs {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
}

func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

// flowGrid is a grid of equal columns whose count its screen sets from the
// width it has (fit). Its minimum width is always one column's: the window
// may be made as narrow as the narrowest arrangement, whichever one shows.
type flowGrid struct {
	cols    int     // columns in use, at least 1
	most    int     // at most this many columns (0: one per object)
	inset   float32 // the screen's width around the grid (paddings, cards)
	natural bool    // cells keep their minimum width (a row of buttons), instead of sharing the width
	width   float32 // the screen width last fitted to
	least   float32 // columns are added only when each gets at least this width (charts)
	c       *fyne.Container
}

// newFlowGrid returns a grid of objs with at most most columns (0: as many
// as objects); inset is the width its screen takes around it.
func newFlowGrid(most int, inset float32, objs ...fyne.CanvasObject) *flowGrid {
	g := &flowGrid{cols: max(1, most), most: most, inset: inset}
	if most == 0 {
		g.cols = max(1, len(objs))
	}
	g.c = container.New(g, objs...)
	return g
}

// fit sets the column count for a screen width: as many as fit.
func (g *flowGrid) fit(screenWidth float32) {
	g.width = screenWidth
	objs := visibleObjects(g.c.Objects)
	most := g.most
	if most == 0 || most > len(objs) {
		most = max(1, len(objs))
	}
	cell := max(cellMin(objs).Width, g.least)
	pad := theme.Padding()
	avail := screenWidth - g.inset
	cols := 1
	for n := most; n > 1; n-- {
		if float32(n)*cell+float32(n-1)*pad <= avail {
			cols = n
			break
		}
	}
	if cols != g.cols {
		g.cols = cols
		g.c.Refresh()
	}
}

// Layout places the cells row by row; the rows share the height when the
// grid is given more than it needs (charts fill the screen).
func (g *flowGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs = visibleObjects(objs)
	if len(objs) == 0 {
		return
	}
	pad := theme.Padding()
	cols := max(1, g.cols)
	rows := (len(objs) + cols - 1) / cols
	cell := cellMin(objs)
	h := max(cell.Height, (size.Height-float32(rows-1)*pad)/float32(rows))
	w := (size.Width - float32(cols-1)*pad) / float32(cols)
	if g.natural {
		w = min(w, cell.Width)
	}
	for i, o := range objs {
		row, col := i/cols, i%cols
		o.Move(fyne.NewPos(float32(col)*(w+pad), float32(row)*(h+pad)))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (g *flowGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	objs = visibleObjects(objs)
	if len(objs) == 0 {
		return fyne.Size{}
	}
	cell := cellMin(objs)
	rows := (len(objs) + g.cols - 1) / max(1, g.cols)
	return fyne.NewSize(cell.Width, float32(rows)*cell.Height+float32(rows-1)*theme.Padding())
}

func visibleObjects(objs []fyne.CanvasObject) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, len(objs))
	for _, o := range objs {
		if o.Visible() {
			out = append(out, o)
		}
	}
	return out
}

// refit fits the grid again to the last width, after its objects changed
// (a choice list got longer options).
func (g *flowGrid) refit() {
	if g.width > 0 {
		g.fit(g.width)
	}
	g.c.Refresh()
}

// cellMin is the largest natural size among objs: every cell gets it.
func cellMin(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(naturalMin(o))
	}
	return s
}

// naturalMin is o's minimum size, except for a choice list: there it is the
// size that shows its longest option whole (a Select's own minimum fits its
// placeholder only, and cuts longer options with "…").
func naturalMin(o fyne.CanvasObject) fyne.Size {
	m := o.MinSize()
	sel, ok := o.(*widget.Select)
	if !ok {
		return m
	}
	th := sel.Theme()
	// As the Select draws them: its text inset by a padding on each side,
	// after a padding, then the arrow and an inner padding.
	around := 3*th.Size(theme.SizeNamePadding) + th.Size(theme.SizeNameInlineIcon) + th.Size(theme.SizeNameInnerPadding) + 1
	for _, opt := range sel.Options {
		m.Width = max(m.Width, fyne.MeasureText(opt, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width+around)
	}
	return m
}

// onWindowWidth arranges the app for the window content's width: the
// navigation's place on a desktop and the products screen's table or list.
func (u *UI) onWindowWidth(width float32) {
	if u.settingContent {
		// Fyne lays a new content out at its minimum size first, then at
		// the window's: arranging it for the first would lay it all out
		// twice more, once narrow and once wide.
		width = max(width, u.windowWidth())
	}
	narrow := width < narrowWindow
	if narrow != u.narrow {
		u.narrow = narrow
		u.placeTabs()
	}
	u.products.setNarrow(narrow)
}

// windowWidth is the width the window gives its content (0 before it is
// sized).
func (u *UI) windowWidth() float32 {
	return max(u.win.Canvas().Size().Width-2*theme.Padding(), 0)
}

// placeTabs puts the navigation at the bottom on a tablet (under the
// thumb), beside the screens on a wide desktop window, and above them on a
// narrow one, where a side bar would take a third of the width.
func (u *UI) placeTabs() {
	loc := container.TabLocationLeading
	switch {
	case u.settings.Tablet:
		loc = container.TabLocationBottom
	case u.narrow:
		loc = container.TabLocationTop
	}
	if u.tabsLoc != loc {
		u.tabsLoc = loc
		u.tabs.SetTabLocation(loc) // navTabs refreshes itself, its minimum size with it
	}
}
