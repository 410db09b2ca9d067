//go:build screenshots

package ui_test

// The screenshots of moments a window cannot be started in (the undo bar
// after a take out, the date picker open): rendered by Fyne's software
// painter from the test driver, with the sample household on a pinned
// clock, so the same code gives the same bytes. `make screenshots` runs
// it with -shots docs/screenshots; a picture is written only when its
// bytes changed.

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/domain"
	"freezer/storage"
	"freezer/ui"
)

var shotsDir = flag.String("shots", "", "the folder the rendered screenshots go to (docs/screenshots)")

func TestShots(t *testing.T) {
	if *shotsDir == "" {
		t.Fatal("give the folder with -shots (make screenshots does)")
	}
	for _, tt := range []struct {
		name, lang string
		size       fyne.Size
		tablet     bool
		stage      func(t *testing.T, u *ui.UI, w fyne.Window, alerts []ui.ProductRow)
	}{
		{"undo-bar-fr", "fr", fyne.NewSize(1280, 800), false, shotsTakeOut},
		{"undo-bar-fr-tablet", "fr", fyne.NewSize(800, 1280), true, shotsTakeOut},
		{"date-picker-fr", "fr", fyne.NewSize(1280, 800), false, shotsDatePicker},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			if err := db.LoadSample(context.Background()); err != nil {
				t.Fatalf("LoadSample() error = %v", err)
			}
			u, w := shotsStartUI(t, db, tt.lang, tt.tablet)
			w.Resize(tt.size)
			ov, err := app.New(db).Overview(context.Background())
			if err != nil {
				t.Fatalf("Overview() error = %v", err)
			}
			tt.stage(t, u, w, ov.Alerts)
			shotsWrite(t, filepath.Join(*shotsDir, tt.name+".png"), w)
		})
	}
}

// shotsStartUI is mustStartUI in the light theme, as the other pictures.
func shotsStartUI(t *testing.T, db *storage.DB, language string, tablet bool) (*ui.UI, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	light := "light"
	opts := ui.Options{Synchronous: true, Language: &language, Theme: &light}
	if tablet {
		opts.Tablet = &tablet
	}
	u := ui.New(a, w, app.New(db), opts)
	t.Cleanup(u.Close)
	return u, w
}

// shotsTakeOut takes the overview's first alert out as eaten: the undo
// bar shows over the overview.
func shotsTakeOut(t *testing.T, u *ui.UI, _ fyne.Window, alerts []ui.ProductRow) {
	t.Helper()
	if len(alerts) == 0 {
		t.Fatal("the sample household has no overdue or due-soon product")
	}
	ui.TakeOut(u, alerts[0].ID, domain.OutcomeEaten)
	if _, _, shown := u.UndoBar(); !shown {
		t.Fatal("no undo bar after a take out")
	}
}

// shotsDatePicker opens the add form and its date picker on the day.
func shotsDatePicker(t *testing.T, u *ui.UI, w fyne.Window, _ []ui.ProductRow) {
	t.Helper()
	p := frOpenPicker(t, u, w, today().String())
	if p.Title.Text == "" {
		t.Fatal("the date picker has no title")
	}
}

// shotsWrite renders w and writes it to path unless the file already holds
// the same bytes.
func shotsWrite(t *testing.T, path string, w fyne.Window) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, w.Canvas().Capture()); err != nil {
		t.Fatalf("encode %s: %v", path, err)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, buf.Bytes()) {
		t.Logf("unchanged %s", path)
		return
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	t.Logf("saved %s", path)
}
