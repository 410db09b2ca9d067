package labels

import (
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

const ptToMM = 25.4 / 72

// drawer draws labels on one PDF in one language.
type drawer struct {
	pdf    *fpdf.Fpdf
	w      wordSet
	layout Layout
}

// newDrawer registers the Go fonts (TrueType, embedded as subsets: the
// PDF core fonts know only cp1252, and a name may hold any character).
func newDrawer(pdf *fpdf.Fpdf, lang string, l Layout) *drawer {
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes("gomono", "", gomono.TTF)
	return &drawer{pdf: pdf, w: words[lang], layout: l}
}

// style is a font and its largest and smallest sizes (points): text is
// set at the largest size that fits, down to the smallest, then cut with
// an ellipsis.
type style struct {
	family, face string
	size, least  float64
}

var (
	nameStyle   = style{"go", "B", 9, 7}
	lineStyle   = style{"go", "", 7.5, 6}
	boldLine    = style{"go", "B", 7.5, 6}
	freezerName = style{"go", "B", 11, 8}
	boxNumber   = style{"go", "B", 24, 14}
	codeStyle   = style{"gomono", "", 5, 4}
)

func lineHeight(size float64) float64 { return size * ptToMM * 1.15 }

// fit sets s's font at the largest size at which text fits in width w and
// returns the size and the text, cut with "…" when even the least size is
// too wide.
func (d *drawer) fit(s style, text string, w float64) (float64, string) {
	size := s.size
	for ; size > s.least; size -= 0.5 {
		d.pdf.SetFont(s.family, s.face, size)
		if d.pdf.GetStringWidth(text) <= w {
			return size, text
		}
	}
	size = s.least
	d.pdf.SetFont(s.family, s.face, size)
	if d.pdf.GetStringWidth(text) <= w {
		return size, text
	}
	r := []rune(text)
	for len(r) > 0 && d.pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return size, strings.TrimRight(string(r), " ") + "…"
}

// line writes text in style s on one line at (x, y), at most w wide, and
// returns the y under it.
func (d *drawer) line(s style, text string, x, y, w float64) float64 {
	size, text := d.fit(s, text, w)
	h := lineHeight(size)
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, text, "", 0, "L", false, 0, "")
	return y + h
}

// lines writes text in style s, wrapped at word breaks on at most max
// lines of width w, at the largest size at which it fits; at the least
// size the last line is cut with "…". It returns the y under the text.
func (d *drawer) lines(s style, text string, x, y, w float64, max int) float64 {
	var wrapped []string
	size := s.size
	for ; ; size -= 0.5 {
		if size < s.least {
			size = s.least
		}
		var fits bool
		wrapped, fits = d.wrap(s, size, text, w, max)
		if fits || size == s.least {
			break
		}
	}
	for _, l := range wrapped {
		y = d.line(style{s.family, s.face, size, size}, l, x, y, w)
	}
	return y
}

// wrap breaks text into lines of width w at size, greedily at spaces, the
// last of max lines taking the rest; it reports whether every line fits.
func (d *drawer) wrap(s style, size float64, text string, w float64, max int) ([]string, bool) {
	d.pdf.SetFont(s.family, s.face, size)
	rest := strings.Fields(text)
	var out []string
	fits := true
	for len(rest) > 0 {
		take := 1
		for take < len(rest) && d.pdf.GetStringWidth(strings.Join(rest[:take+1], " ")) <= w {
			take++
		}
		if len(out) == max-1 {
			take = len(rest)
		}
		l := strings.Join(rest[:take], " ")
		fits = fits && d.pdf.GetStringWidth(l) <= w
		out = append(out, l)
		rest = rest[take:]
	}
	return out, fits
}

// code writes a label's code in small type at the bottom of the text box,
// on two lines cut after the id's fourth group (so that a person can type
// it in the search field when the QR code cannot be read).
func (d *drawer) code(text string, tb Rect) {
	cut := len(text)
	if i := strings.Index(text, "-"); i >= 0 {
		if j := strings.Index(text[i+1:], "-"); j >= 0 {
			if k := strings.Index(text[i+j+2:], "-"); k >= 0 {
				cut = i + j + k + 3
			}
		}
	}
	first, second := text[:cut], text[cut:]
	size, _ := d.fit(codeStyle, second, tb.W)
	if s2, _ := d.fit(codeStyle, first, tb.W); s2 < size {
		size = s2
	}
	s := style{codeStyle.family, codeStyle.face, size, size}
	y := tb.Y + tb.H - 2*lineHeight(size)
	d.pdf.SetTextColor(60, 60, 60)
	y = d.line(s, first, tb.X, y, tb.W)
	d.line(s, second, tb.X, y, tb.W)
	d.pdf.SetTextColor(0, 0, 0)
}

// qr draws text's QR code in box, its quiet zone (four modules) included
// and painted white. The text goes in upper case: a code is then made only
// of the QR alphanumeric set, which needs fewer, larger modules than bytes.
func (d *drawer) qr(text string, box Rect) {
	q, err := qrcode.New(strings.ToUpper(text), qrcode.High)
	if err != nil {
		d.pdf.SetError(err)
		return
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	const quiet = 4
	m := box.W / float64(len(bm)+2*quiet)
	d.pdf.SetFillColor(255, 255, 255)
	d.pdf.Rect(box.X, box.Y, box.W, box.H, "F")
	d.pdf.SetFillColor(0, 0, 0)
	// One rectangle per run of dark modules in a row; rows overlap by a
	// hair so that no light seam shows between them when rendered.
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := x
			for run < len(row) && row[run] {
				run++
			}
			d.pdf.Rect(box.X+float64(quiet+x)*m, box.Y+float64(quiet+y)*m, float64(run-x)*m, m+0.02, "F")
			x = run
		}
	}
}

func (b Box) draw(d *drawer, r Rect) {
	tb := textBox(d.layout, r)
	y := d.lines(freezerName, b.FreezerName, tb.X, tb.Y, tb.W, 2)
	d.line(boxNumber, d.w.boxText(b.Box), tb.X, y+1, tb.W)
	d.code(b.Code(), tb)
	d.qr(b.Code(), QRBox(d.layout, r))
}

func (p Product) draw(d *drawer, r Rect) {
	tb := textBox(d.layout, r)
	y := d.lines(nameStyle, p.Name, tb.X, tb.Y, tb.W, 2) + 0.8
	y = d.line(lineStyle, d.w.dateIn+" "+d.w.date(p.DateIn), tb.X, y, tb.W)
	y = d.line(boldLine, d.w.eatBy+" "+d.w.date(p.Deadline), tb.X, y, tb.W)
	y = d.line(lineStyle, d.w.personsText(p.Persons), tb.X, y, tb.W)
	// The place on one line when it fits, else the freezer's name on one
	// and the box and slot on the next.
	place := d.w.placeText(p.FreezerName, p.Box, p.Slot)
	if _, fitted := d.fit(lineStyle, place, tb.W); fitted == place {
		d.line(lineStyle, place, tb.X, y, tb.W)
	} else {
		y = d.line(lineStyle, p.FreezerName, tb.X, y, tb.W)
		d.line(lineStyle, d.w.boxSlotText(p.Box, p.Slot), tb.X, y, tb.W)
	}
	d.code(p.Code(), tb)
	d.qr(p.Code(), QRBox(d.layout, r))
}
