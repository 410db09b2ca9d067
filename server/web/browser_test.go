package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"freezer/internal/qrtest"
)

// chromiumPath finds the distribution's Chromium. The test is skipped
// without it, unless FREEZER_REQUIRE_CHROMIUM is set (make test sets it,
// after installing the chromium package).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FREEZER_REQUIRE_CHROMIUM") != "" {
		t.Fatal("Chromium is missing and FREEZER_REQUIRE_CHROMIUM is set: install it (scripts/deps.sh chromium)")
	}
	t.Skip("Chromium is missing (scripts/deps.sh chromium installs it; make test does)")
	return ""
}

// startChromium starts a headless Chromium with a window of width×height
// and an English Accept-Language; it is stopped at the end of the test.
func startChromium(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, // tests may run as root, where Chromium's sandbox cannot start
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser: no timeout on it (it would stop
	// the browser), a timeout on what follows.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// do runs browser steps, failing the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return v
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(get(t, ctx, chromedp.Text(chromedp.CSS(sel))))
}

var codeRE = regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`)

// TestBrowser drives the household page in headless Chromium: sign in,
// the inventory with its overdue row, revoke a device, make a pairing
// code (its QR code decoded), rename a product type in French as an
// administrator, sign out.
func TestBrowser(t *testing.T) {
	ctx := startChromium(t, 1280, 900)
	e := mustEnv(t, envOptions{})
	anne, tablet := household(e)
	e.mustDevice(anne, "Phone")
	base := e.http.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do(t, ctx, "sign in",
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "anne@example.com"),
		chromedp.SendKeys(css(`#password`), testPassword),
		chromedp.Click(css(`#signin`)),
		chromedp.WaitVisible(css(`table.inventory`)),
	)
	title := get(t, ctx, chromedp.Title())
	overdueName, overdueWord := text(t, ctx, `tr.row-overdue td.name`), text(t, ctx, `tr.row-overdue .badge`)
	if !strings.HasPrefix(title, "What is in the freezers") || overdueName != "Soupe de Noël" || overdueWord != "Overdue" {
		t.Fatalf("inventory: title %q, overdue row %q marked %q; want Soupe de Noël marked Overdue", title, overdueName, overdueWord)
	}
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.row-overdue").length`)); n != 1 {
		t.Errorf("%d overdue rows, want 1", n)
	}

	revoke := `form[action="/app/devices/` + itoa(tablet) + `/revoke"] button`
	do(t, ctx, "revoke the tablet",
		chromedp.Navigate(base+"/app/devices"),
		chromedp.WaitVisible(css(revoke)),
		chromedp.Click(css(revoke)),
		chromedp.WaitVisible(css(`.notice`)),
	)
	notice := text(t, ctx, `.notice`)
	if got := e.deviceNames(anne); slices.Contains(got, "Kitchen tablet") || !slices.Contains(got, "Phone") || !strings.Contains(notice, "device is removed") {
		t.Errorf("after revoking the tablet: devices %v, notice %q", got, notice)
	}

	do(t, ctx, "make a pairing code",
		chromedp.Click(css(`#make-pairing`)),
		chromedp.WaitVisible(css(`#pairing-code`)),
	)
	code, link := text(t, ctx, `#pairing-code`), text(t, ctx, `#pairing-link`)
	src := get(t, ctx, chromedp.AttributeValue(css(`img.qr`), "src"))
	if !codeRE.MatchString(code) || link != base+"/pair/"+code {
		t.Errorf("pairing code %q, link %q; want ABCD-EFGH from the code alphabet and %s/pair/<code>", code, link, base)
	}
	if got := decodeQR(t, src.Value); got != link {
		t.Errorf("the QR code holds %q, want the link %q", got, link)
	}

	fr := `#type-1 input[name="fr"]`
	do(t, ctx, "rename a type in French",
		chromedp.Navigate(base+"/app/lang?to=fr&next=/app/admin"),
		chromedp.WaitVisible(css(fr)),
		chromedp.Clear(css(fr)),
		chromedp.SendKeys(css(fr), "velouté"),
		chromedp.Click(css(`#type-1 button`)),
		chromedp.WaitVisible(css(`.notice`)),
	)
	notice, field := text(t, ctx, `.notice`), get(t, ctx, chromedp.Value(css(fr)))
	types, err := e.store.ListTypes(t0())
	if err != nil {
		t.Fatal(err)
	}
	if types[0].NameFR != "velouté" || types[0].NameEN != "soup" || field != "velouté" || notice != "Le type de produit est renommé." {
		t.Errorf("after renaming type 1 in French: %+v, field %q, notice %q", types[0], field, notice)
	}

	do(t, ctx, "sign out",
		chromedp.Click(css(`#signout`)),
		chromedp.WaitVisible(css(`#signin`)),
		chromedp.Navigate(base+"/app/devices"),
		chromedp.WaitVisible(css(`#signin`)),
	)
	if url := get(t, ctx, chromedp.Location()); url != base+"/app/signin" {
		t.Errorf("after signing out, the devices page went to %s, want the sign-in page", url)
	}
}

// decodeQR reads the text of a QR code given as a data: URI of a PNG.
func decodeQR(t *testing.T, src string) string {
	t.Helper()
	b64, ok := strings.CutPrefix(src, "data:image/png;base64,")
	if !ok {
		t.Fatalf("the QR code is not a PNG data URI: %.40q", src)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return qrtest.Read(t, img)
}
