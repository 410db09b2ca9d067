package labels_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"freezer/domain"
	"freezer/labels"
)

const dpi = 150

// mustHavePoppler fails the test, saying how to install them, when the
// poppler tools (pdftoppm, pdfinfo, pdftotext) are missing.
func mustHavePoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install poppler-utils (scripts/deps.sh poppler-utils, or make deps)", tool)
		}
	}
}

func mustWrite(t *testing.T, ls []labels.Label, o labels.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := labels.Write(&buf, ls, o); err != nil {
		t.Fatalf("Write() error = %v", err)
	}
	path := filepath.Join(t.TempDir(), "labels.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustRender renders every page of the PDF at path to an image with
// pdftoppm, the first page first.
func mustRender(t *testing.T, path string) []image.Image {
	t.Helper()
	prefix := filepath.Join(filepath.Dir(path), "page")
	if out, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-png", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, _ := filepath.Glob(prefix + "-*.png")
	var pages []image.Image
	for _, n := range names { // page-1.png, or page-01.png from 10 pages on: the glob sorts them
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("decode %s: %v", n, err)
		}
		pages = append(pages, img)
	}
	return pages
}

var pageSizeRE = regexp.MustCompile(`Page +(\d+) size: +([\d.]+) x ([\d.]+) pts`)

// mustPageSizes returns each page's size in millimetres, read by pdfinfo.
func mustPageSizes(t *testing.T, path string) [][2]float64 {
	t.Helper()
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "1000", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, out)
	}
	var sizes [][2]float64
	for _, m := range pageSizeRE.FindAllStringSubmatch(string(out), -1) {
		w, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[3], 64)
		sizes = append(sizes, [2]float64{w * 25.4 / 72, h * 25.4 / 72})
	}
	return sizes
}

func px(mm float64) int { return int(mm/25.4*dpi + 0.5) }

func pxRect(r labels.Rect) image.Rectangle {
	return image.Rect(px(r.X), px(r.Y), px(r.X+r.W), px(r.Y+r.H))
}

// crop copies part of img to an image of its own (origin at 0, 0).
func crop(img image.Image, r image.Rectangle) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// decodeQR reads the one QR code in img and returns its text and where its
// finder patterns are (in img's pixels).
func decodeQR(img image.Image) (string, []gozxing.ResultPoint, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", nil, err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", nil, err
	}
	return res.GetText(), res.GetResultPoints(), nil
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0xc000
}

// checkLabels checks a rendered layout: every label's QR code, cut out of
// its own sticker, decodes to its code, with its finder patterns inside
// its QR box; its quiet zone is white; nothing is drawn outside the labels
// printed (the stickers skipped by the offset stay blank).
func checkLabels(t *testing.T, pages []image.Image, ls []labels.Label, o labels.Options) {
	t.Helper()
	used := make([][]image.Rectangle, len(pages))
	for i, l := range ls {
		page, r := labels.Cell(o.Layout, o.Offset+i)
		if page >= len(pages) {
			t.Fatalf("label %d goes on page %d; the PDF has %d pages", i, page+1, len(pages))
		}
		img := pages[page]
		cell := pxRect(r)
		text, points, err := decodeQR(crop(img, cell))
		if err != nil {
			t.Fatalf("label %d (%s): no QR code read in its sticker %v: %v", i, l.Code(), r, err)
		}
		if text != strings.ToUpper(l.Code()) {
			t.Errorf("label %d: QR code = %q, want %q", i, text, strings.ToUpper(l.Code()))
		}
		if c, err := domain.ParseCode(text); err != nil || c.String() != l.Code() {
			t.Errorf("label %d: ParseCode(%q) = %v, %v; want %s", i, text, c, err, l.Code())
		}
		q := labels.QRBox(o.Layout, r)
		if !r.Contains(q) {
			t.Errorf("label %d: QR box %v is not inside its sticker %v", i, q, r)
		}
		qpx := pxRect(q).Sub(cell.Min)
		for _, p := range points {
			if !image.Pt(int(p.GetX()), int(p.GetY())).In(qpx) {
				t.Errorf("label %d: a finder pattern at (%.0f, %.0f) is outside the QR box %v", i, p.GetX(), p.GetY(), qpx)
			}
		}
		checkQuietZone(t, i, img, q)
		used[page] = append(used[page], cell.Inset(px(0.3)))
	}
	for p, img := range pages {
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if dark(img, x, y) && !inAny(image.Pt(x, y), used[p]) {
					t.Fatalf("page %d: ink at (%.1f mm, %.1f mm), outside every label printed (cut, or on a skipped sticker)",
						p+1, float64(x)*25.4/dpi, float64(y)*25.4/dpi)
				}
			}
		}
	}
}

// checkQuietZone checks that the QR code's quiet zone (the outer 4 of its
// modules' width, about 3 mm, less a pixel of rendering) is white.
func checkQuietZone(t *testing.T, i int, img image.Image, q labels.Rect) {
	t.Helper()
	outer := pxRect(q)
	inner := pxRect(labels.Rect{X: q.X + 2.5, Y: q.Y + 2.5, W: q.W - 5, H: q.H - 5})
	for y := outer.Min.Y; y < outer.Max.Y; y++ {
		for x := outer.Min.X; x < outer.Max.X; x++ {
			if !image.Pt(x, y).In(inner) && dark(img, x, y) {
				t.Fatalf("label %d: ink in the QR code's quiet zone at pixel (%d, %d)", i, x, y)
			}
		}
	}
}

func inAny(p image.Point, rs []image.Rectangle) bool {
	for _, r := range rs {
		if p.In(r) {
			return true
		}
	}
	return false
}

func mustText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

// testID returns the same id for the same n on every run, so that the
// layout tests draw the same QR codes each time. gozxing cannot find about
// one code in a hundred (see TestCodesScan, which scans random ids with it
// and with zbar); with random ids here, these tests failed that often.
func testID(n int) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprintf("freezer label %d", n)))
}

var (
	freezer = domain.Freezer{ID: testID(1), Name: "Congélateur du garage", Boxes: 5}
	product = domain.Product{ID: testID(2), Name: "Bœuf bourguignon de Noël", Quantity: 4,
		DateIn: domain.NewDate(2026, 12, 1), PeriodMonths: 2, Location: domain.Location{FreezerID: freezer.ID, Box: 2, Slot: 3}}
)

func productLabels(n int) []labels.Label {
	var ls []labels.Label
	for i := range n {
		p := product
		p.ID = testID(100 + i)
		p.Location.Slot = i + 1
		p.Name = fmt.Sprintf("Soupe aux pois n° %d", i+1)
		ls = append(ls, labels.ProductLabel(p, freezer.Name))
	}
	return ls
}

func TestSheetLayout(t *testing.T) {
	mustHavePoppler(t)
	// 5 box labels then 24 product labels from sticker 7: two pages, the
	// second one's first 12 stickers used, its last 12 blank.
	ls := append(labels.BoxLabels(freezer), productLabels(24)...)
	o := labels.Options{Layout: labels.Sheet, Offset: 7}
	path := mustWrite(t, ls, o)
	sizes := mustPageSizes(t, path)
	if len(sizes) != 2 {
		t.Fatalf("pages = %d, want 2 (7 + 29 labels on 24-label sheets)", len(sizes))
	}
	for i, s := range sizes {
		if abs(s[0]-210) > 0.1 || abs(s[1]-297) > 0.1 {
			t.Errorf("page %d is %.1f x %.1f mm, want A4 (210 x 297)", i+1, s[0], s[1])
		}
	}
	pages := mustRender(t, path)
	checkLabels(t, pages, ls, o)
	// The stickers are where a 3 x 8 sheet of 70 x 37 mm has them.
	for i, want := range map[int]labels.Rect{0: {0, 0.5, 70, 37}, 2: {140, 0.5, 70, 37}, 3: {0, 37.5, 70, 37}, 23: {140, 259.5, 70, 37}, 24: {0, 0.5, 70, 37}} {
		page, got := labels.Cell(labels.Sheet, i)
		if got != want || page != i/24 {
			t.Errorf("Cell(sheet, %d) = page %d %v, want page %d %v", i, page, got, i/24, want)
		}
	}
}

func TestRollLayout(t *testing.T) {
	mustHavePoppler(t)
	ls := append(productLabels(2), labels.BoxLabels(domain.Freezer{ID: testID(3), Name: "Cave", Boxes: 1})...)
	// The longest texts: cut to the label, never over its edge or the QR code.
	long := strings.Repeat("Congélateur de la cave à vin, côté gauche ", 3)
	ls = append(ls, labels.Box{FreezerID: testID(4), FreezerName: long, Box: domain.MaxBoxes},
		labels.Product{ID: testID(5), Name: strings.Repeat("Bœuf bourguignon WWWW ", 6), DateIn: product.DateIn, Deadline: product.Deadline(),
			Persons: domain.MaxQuantity, FreezerName: long, Box: domain.MaxBoxes, Slot: domain.MaxSlot})
	o := labels.Options{Layout: labels.Roll}
	path := mustWrite(t, ls, o)
	sizes := mustPageSizes(t, path)
	if len(sizes) != len(ls) {
		t.Fatalf("pages = %d, want %d (one label per page on a roll)", len(sizes), len(ls))
	}
	for i, s := range sizes {
		if abs(s[0]-62) > 0.1 || abs(s[1]-labels.RollLength) > 0.1 {
			t.Errorf("page %d is %.1f x %.1f mm, want 62 x %.0f", i+1, s[0], s[1], labels.RollLength)
		}
	}
	checkLabels(t, mustRender(t, path), ls, o)
}

func TestFrenchLabels(t *testing.T) {
	mustHavePoppler(t)
	ls := []labels.Label{labels.ProductLabel(product, freezer.Name), labels.BoxLabels(freezer)[2]}
	for _, layout := range []labels.Layout{labels.Sheet, labels.Roll} {
		o := labels.Options{Layout: layout, Lang: "fr"}
		path := mustWrite(t, ls, o)
		text := strings.Join(strings.Fields(mustText(t, path)), " ")
		for _, want := range []string{"Bœuf bourguignon de Noël", "Entré le 1 déc. 2026", "Limite : 1 févr. 2027", "4 personnes",
			"tiroir 2 · place 3", "Tiroir 3", "Congélateur du garage"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF's text lacks %q; it reads:\n%s", layout, want, text)
			}
		}
		checkLabels(t, mustRender(t, path), ls, o)
	}
	path := mustWrite(t, ls[:1], labels.Options{Layout: labels.Sheet})
	text := strings.Join(strings.Fields(mustText(t, path)), " ")
	for _, want := range []string{"In: 1 Dec 2026", "Eat by: 1 Feb 2027", "4 persons", "box 2 · slot 3"} {
		if !strings.Contains(text, want) {
			t.Errorf("English: the PDF's text lacks %q; it reads:\n%s", want, text)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	ls := productLabels(1)
	for _, tt := range []struct {
		name string
		ls   []labels.Label
		o    labels.Options
		want string
	}{
		{"nothing", nil, labels.Options{Layout: labels.Sheet}, "nothing to print"},
		{"offset too high", ls, labels.Options{Layout: labels.Sheet, Offset: 24}, "from 0 to 23"},
		{"offset negative", ls, labels.Options{Layout: labels.Sheet, Offset: -1}, "from 0 to 23"},
		{"offset on a roll", ls, labels.Options{Layout: labels.Roll, Offset: 2}, "sheets only"},
		{"layout", ls, labels.Options{Layout: "a5"}, "Unknown label layout"},
		{"language", ls, labels.Options{Layout: labels.Sheet, Lang: "de"}, "en or fr"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := labels.Write(&buf, tt.ls, tt.o)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.EInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write() error = %v, want an invalid error saying %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write() wrote %d bytes on a refusal, want none", buf.Len())
			}
		})
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
