package labels

// Layout is how labels are laid out on paper.
type Layout string

// Layouts.
const (
	// Sheet is an A4 sheet of 3 x 8 stickers of 70 x 37 mm, touching each
	// other, 0.5 mm from the top and bottom edges.
	Sheet Layout = "sheet"
	// Roll is 62 mm continuous tape (label printers): one label per page,
	// 62 mm wide and RollLength long.
	Roll Layout = "roll"
)

// Sizes, in millimetres.
const (
	A4Width, A4Height = 210.0, 297.0
	SheetColumns      = 3
	SheetRows         = 8
	SheetLabels       = SheetColumns * SheetRows
	StickerWidth      = 70.0
	StickerHeight     = 37.0
	RollWidth         = 62.0
	RollLength        = 36.0
	// sheetTop is the sheet's top (and bottom) margin: 8 rows of 37 mm
	// leave 1 mm of the A4 page's 297.
	sheetTop = (A4Height - SheetRows*StickerHeight) / 2
)

// Rect is a rectangle on a page, in millimetres from its top left corner.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether s lies inside r.
func (r Rect) Contains(s Rect) bool {
	const eps = 1e-9
	return s.X >= r.X-eps && s.Y >= r.Y-eps && s.X+s.W <= r.X+r.W+eps && s.Y+s.H <= r.Y+r.H+eps
}

// PageSize is the page's width and height for l.
func PageSize(l Layout) (w, h float64) {
	if l == Roll {
		return RollWidth, RollLength
	}
	return A4Width, A4Height
}

// Cell is where the label at position i (counted from the first sticker of
// the first sheet, offset included) goes: its page (from 0) and its
// rectangle on that page.
func Cell(l Layout, i int) (page int, r Rect) {
	if l == Roll {
		return i, Rect{0, 0, RollWidth, RollLength}
	}
	page, i = i/SheetLabels, i%SheetLabels
	col, row := i%SheetColumns, i/SheetColumns
	return page, Rect{float64(col) * StickerWidth, sheetTop + float64(row)*StickerHeight, StickerWidth, StickerHeight}
}

// geometry is where a label's parts go inside its rectangle.
type geometry struct {
	pad    float64 // the margin between the label's edge and its text
	qrSide float64 // the QR code's square, its quiet zone included
}

func geometryOf(l Layout) geometry {
	if l == Roll {
		return geometry{pad: 2.5, qrSide: 30}
	}
	return geometry{pad: 3, qrSide: 33}
}

// QRBox is where the QR code of a label in r goes, its quiet zone
// included: against the right edge, centred in height, 1.5 mm from the
// edges so that a slightly shifted print cuts only white quiet zone.
func QRBox(l Layout, r Rect) Rect {
	g := geometryOf(l)
	return Rect{r.X + r.W - 1.5 - g.qrSide, r.Y + (r.H-g.qrSide)/2, g.qrSide, g.qrSide}
}

// textBox is where a label's text goes: left of the QR code's quiet zone.
func textBox(l Layout, r Rect) Rect {
	g := geometryOf(l)
	q := QRBox(l, r)
	return Rect{r.X + g.pad, r.Y + g.pad, q.X - r.X - g.pad, r.H - 2*g.pad}
}
