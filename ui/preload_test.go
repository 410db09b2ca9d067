package ui_test

import (
	"context"
	"image/color"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/ui"
)

// recordList is an inventory that records each ListProducts call with the
// due-soon days set when it ran.
type recordList struct {
	ui.Inventory
	mu      *sync.Mutex
	dueSoon *int
	reads   *[]int // the due-soon days at each read
}

func (r recordList) SetDueSoonDays(n int) {
	r.mu.Lock()
	*r.dueSoon = n
	r.mu.Unlock()
	r.Inventory.SetDueSoonDays(n)
}

func (r recordList) ListProducts(ctx context.Context, sizeHint int) ([]ui.ProductRow, error) {
	rows, err := r.Inventory.ListProducts(ctx, sizeHint)
	r.mu.Lock()
	*r.reads = append(*r.reads, *r.dueSoon)
	r.mu.Unlock()
	return rows, err
}

// TestPreloadIsShownWithoutReadingAgain: cmd/freezer starts the first
// screen's read before the UI exists (ui.StartPreload, with the saved
// due-soon days); New shows that read instead of reading again, unless it
// was for another screen or language.
func TestPreloadIsShownWithoutReadingAgain(t *testing.T) {
	for _, tc := range []struct {
		name            string
		preload, uiLang string
		preloadScreen   string
		wantReads       int
		wantRows        int // 3 from the preload, 4 from a read once the 4th was added
	}{
		{"same screen and language", "en", "en", ui.ScreenProducts, 1, 3},
		{"another language", "fr", "en", ui.ScreenProducts, 2, 4},
		{"another screen", "en", "en", ui.ScreenOverview, 1, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpenDB(t)
			kitchen := mustCreateFreezer(t, db, "Kitchen", 2)
			for _, name := range []string{"Leek soup", "Peas", "Soupe de Noël"} {
				mustAddProduct(t, db, kitchen, name, 43, 10, 6)
			}
			a := test.NewTempApp(t)
			a.Preferences().SetInt("due_soon_days", 12)
			var (
				mu      sync.Mutex
				dueSoon int
				reads   []int
			)
			inv := recordList{Inventory: app.New(db), mu: &mu, dueSoon: &dueSoon, reads: &reads}
			p := ui.StartPreload(context.Background(), a.Preferences(), inv, ui.Options{Language: &tc.preload, Screen: tc.preloadScreen})

			// A product added once the preload has read the products: only
			// a second read shows it.
			if tc.preloadScreen == ui.ScreenProducts {
				deadline := time.Now().Add(5 * time.Second)
				for {
					mu.Lock()
					n := len(reads)
					mu.Unlock()
					if n > 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("the preload did not read the products within 5 s")
					}
					time.Sleep(time.Millisecond)
				}
			}
			mustAddProduct(t, db, kitchen, "Plums", 43, 10, 6)

			q := newAsyncQueue()
			w := test.NewTempWindow(t, widget.NewLabel(""))
			w.Resize(fyne.NewSize(1280, 800))
			u := ui.New(a, w, inv, ui.Options{Language: &tc.uiLang, Screen: ui.ScreenProducts, Do: q.do, Preload: p})
			t.Cleanup(u.Close)
			u.ShowFirstLoad(5 * time.Second)
			if names := u.ProductNames(); len(names) != tc.wantRows {
				t.Errorf("rows shown first = %v, want %d", names, tc.wantRows)
			}
			u.Close()
			mu.Lock()
			defer mu.Unlock()
			if len(reads) != tc.wantReads {
				t.Errorf("products read %d times, want %d", len(reads), tc.wantReads)
			}
			for i, days := range reads {
				if days != 12 {
					t.Errorf("read %d ran with %d due-soon days, want the saved 12", i+1, days)
				}
			}
		})
	}
}

// TestProbeIsDrawnWithTheContent: a timed run's probe is part of the
// window's content from the start (the content is set once).
func TestProbeIsDrawnWithTheContent(t *testing.T) {
	db := mustOpenDB(t)
	probe := canvas.NewRectangle(color.Transparent)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	en := "en"
	u := ui.New(test.NewTempApp(t), w, app.New(db), ui.Options{Synchronous: true, Language: &en, Probe: probe})
	t.Cleanup(u.Close)
	found := false
	walkVisible(w.Canvas().Content(), func(o fyne.CanvasObject) { found = found || o == probe })
	if !found {
		t.Error("the probe is not in the window's content")
	}
}
