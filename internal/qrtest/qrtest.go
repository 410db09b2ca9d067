// Package qrtest reads QR codes in tests, with two decoders: gozxing (a Go
// port of ZXing) first, then zbar's zbarimg. gozxing cannot find about one
// code in a hundred that zbar reads (see the labels package's
// TestCodesScan); a test that drew a random code with gozxing alone failed
// that often.
package qrtest

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Read returns the text of the one QR code in img, and fails the test when
// neither decoder reads one.
func Read(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("qrtest: bitmap: %v", err)
	}
	res, zxErr := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if zxErr == nil {
		return res.GetText()
	}
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatalf("qrtest: gozxing read no QR code (%v) and zbarimg is missing: install zbar-tools (scripts/deps.sh, or make deps)", zxErr)
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = png.Encode(f, img)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("qrtest: write %s: %v", path, err)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("qrtest: no QR code read: gozxing: %v; zbarimg: %v (it exits 4 when it reads none)", zxErr, err)
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(text, "\n") {
		t.Fatalf("qrtest: zbarimg read several codes, want one: %q", text)
	}
	t.Logf("qrtest: gozxing read no QR code (%v); zbar read it", zxErr)
	return text
}
