//go:build screenshots

package web_test

// The household page's screenshots in docs/screenshots, taken in headless
// Chromium on a pinned clock: `make screenshots` runs this test with
// -shots docs/screenshots. A picture is written only when its bytes
// changed.

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"freezer/domain"
)

var shotsDir = flag.String("shots", "", "the folder the household page's screenshots go to (docs/screenshots)")

// sampleHousehold fills Anne's account with two freezers and products of
// every status.
func sampleHousehold(e *env) {
	anne, _ := household(e)
	today := domain.DateOf(e.now)
	garage := e.mustFreezer(anne, "Congélateur du garage", 4)
	for _, p := range []struct {
		name        string
		typeID      int
		ago, period int // months since it went in, months it may stay
	}{
		{"Carbonnades flamandes", 22, 10, 9},
		{"Boulettes sauce tomate", 22, 5, 6},
		{"Frites maison", 41, 2, 6},
		{"Pain gris", 27, 3, 3},
		{"Framboises du jardin", 28, 4, 12},
		{"Vol-au-vent", 11, 1, 3},
	} {
		e.mustProduct(anne, garage, p.name, p.typeID, today.AddMonths(-p.ago).AddDays(3), p.period)
	}
}

func TestShots(t *testing.T) {
	if *shotsDir == "" {
		t.Fatal("give the folder with -shots (make screenshots does)")
	}
	for _, tt := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"household-desktop", 1280, 800, false},
		{"household-phone", 390, 844, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := startChromium(t, int(tt.width), int(tt.height))
			e := mustEnv(t, envOptions{})
			sampleHousehold(e)
			opts := []chromedp.EmulateViewportOption{}
			if tt.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
			do(t, ctx, "sign in",
				chromedp.EmulateViewport(tt.width, tt.height, opts...),
				chromedp.Navigate(e.http.URL+"/app/signin"),
				chromedp.WaitVisible(css(`#email`)),
				chromedp.SendKeys(css(`#email`), "anne@example.com"),
				chromedp.SendKeys(css(`#password`), testPassword),
				chromedp.Click(css(`#signin`)),
				chromedp.WaitVisible(css(`table.inventory`)),
			)
			// The desktop picture is the whole page; the phone's is its
			// screen, as a person holding it sees the page first.
			shot := chromedp.FullScreenshot(100)
			if tt.mobile {
				shot = chromedp.CaptureScreenshot()
			}
			png := get(t, ctx, shot)
			shotsWrite(t, filepath.Join(*shotsDir, tt.name+".png"), png)
		})
	}
}

// shotsWrite writes png to path unless the file already holds it.
func shotsWrite(t *testing.T, path string, png []byte) {
	t.Helper()
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, png) {
		t.Logf("unchanged %s", path)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	t.Logf("saved %s", path)
}
