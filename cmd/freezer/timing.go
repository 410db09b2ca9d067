package main

import (
	"image"
	"log"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"freezer/ui"
)

// logTimes sets opts (for -timing) to log, in ms after the window was built
// (now):
//   - "window shown" when the window has drawn its first frame;
//   - "products screen ready" when the products screen has its rows (rows
//     set before the window was shown are logged with its first frame);
//   - "products visible" when a frame with those rows has been drawn: a
//     one-pixel transparent raster over the window is drawn again in the
//     frame after the rows are set;
//   - each update of the products table.
//
// It returns the func, to run once ui.New has returned, that logs when the
// screens were built. Everything it sets runs on the UI goroutine.
func logTimes(a fyne.App, opts *ui.Options, start time.Time) (screensBuilt func()) {
	opened := time.Now()
	since := func() int64 { return time.Since(opened).Milliseconds() }
	var shown, rows, visible bool
	ready := func() {
		log.Printf("products screen ready: %d ms after the window was built, %d ms after start",
			since(), time.Since(start).Milliseconds())
	}
	probe := canvas.NewRaster(func(int, int) image.Image {
		if rows && !visible {
			visible = true
			log.Printf("products visible: %d ms after the window was built, %d ms after start (the frame with the rows drawn)",
				since(), time.Since(start).Milliseconds())
		}
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	probe.Resize(fyne.NewSize(1, 1))
	opts.Probe = probe // drawn with the content: setting the content again would lay it out again
	a.Lifecycle().SetOnStarted(func() {
		shown = true
		log.Printf("window shown: %d ms after the window was built (its first frame drawn)", since())
		if rows {
			ready() // the first frame had them
		}
	})
	opts.OnReady = func() {
		rows = true
		probe.Refresh() // drawn again, and logs, in the next frame
		if shown {
			ready()
		}
	}
	opts.OnFiltered = func(took time.Duration, rows int) {
		log.Printf("products table updated: %d rows in %.1f ms", rows, float64(took.Microseconds())/1000)
	}
	return func() {
		log.Printf("screens built: %d ms after the window was built", since())
	}
}
