package qrtest_test

import (
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	goqr "github.com/skip2/go-qrcode"

	"freezer/internal/qrtest"
)

func TestRead(t *testing.T) {
	for _, tt := range []struct {
		text        string
		gozxingMiss bool
	}{
		{"FRZ:P:01A234B2-668C-77B2-93C2-5029CBA6FBB3", true}, // one of the codes gozxing misses
		{"FRZ:B:C3122573-DE73-5012-B05C-170BD05E91DE:3", false},
	} {
		q, err := goqr.New(tt.text, goqr.High)
		if err != nil {
			t.Fatal(err)
		}
		img := q.Image(300)
		bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
		_, zxErr := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
		if (zxErr != nil) != tt.gozxingMiss {
			t.Errorf("%s: gozxing error = %v, want a miss: %v", tt.text, zxErr, tt.gozxingMiss)
		}
		if got := qrtest.Read(t, img); got != tt.text {
			t.Errorf("Read() = %q, want %q", got, tt.text)
		}
	}
}
