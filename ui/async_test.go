package ui_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/app"
	"freezer/domain"
	"freezer/ui"
)

// asyncQueue stands for the UI goroutine under Fyne's test driver, which
// runs fyne.Do inline on whichever goroutine calls it. The UI's background
// work runs on its own goroutines, as in the app; what it hands to the UI
// goroutine (ui.Options.Do) waits here until the test goroutine, acting as
// the UI goroutine, runs it. So widgets are touched by one goroutine only,
// and -race checks that the work itself shares nothing unguarded.
type asyncQueue struct {
	mu    sync.Mutex
	fns   []func()
	ready chan struct{}
}

func newAsyncQueue() *asyncQueue { return &asyncQueue{ready: make(chan struct{}, 1)} }

// do queues fn; it never blocks the background goroutine.
func (q *asyncQueue) do(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// asyncRunUntil runs queued UI work on the test goroutine until done
// reports true, failing after a few seconds.
func (q *asyncQueue) asyncRunUntil(t *testing.T, what string, names func() []string, done func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for !done() {
		select {
		case <-q.ready:
		case <-deadline:
			t.Fatalf("%s: not done after 5 s (rows %v)", what, names())
		}
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		for _, fn := range fns {
			fn()
		}
	}
}

// TestAsyncLoadAndSearchWhileTableShown runs the real asynchronous path:
// the load and the search run on their own goroutines and the test waits
// for each result (run it with -race; see asyncQueue).
func TestAsyncLoadAndSearchWhileTableShown(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	for _, name := range []string{"Leek soup", "Peas", "Soupe de Noël"} {
		mustAddProduct(t, db, f, name, 43, 10, 6)
	}
	q := newAsyncQueue()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	en := "en"
	u := ui.New(a, w, app.New(db), ui.Options{Language: &en, Screen: ui.ScreenProducts, Do: q.do})
	t.Cleanup(u.Close)

	if names := u.ProductNames(); len(names) != 0 {
		t.Fatalf("rows %v before the background load reported: the load ran inline", names)
	}
	q.asyncRunUntil(t, "the first load", u.ProductNames, func() bool { return len(u.ProductNames()) == 3 })

	// A search while the table shows: filtered off the UI goroutine.
	test.Type(u.SearchEntry(), "noel")
	if names := u.ProductNames(); len(names) != 3 {
		t.Fatalf("rows %v right after typing: the search ran inline", names)
	}
	q.asyncRunUntil(t, "the search", u.ProductNames, func() bool {
		return slices.Equal(u.ProductNames(), []string{"Soupe de Noël"})
	})

	// A background load while the table shows and a search is set: a
	// product added elsewhere (a sync, another window) shows once loaded.
	mustAddProduct(t, db, f, "Bûche de Noël", 43, 1, 6)
	u.Reload()
	q.asyncRunUntil(t, "the reload", u.ProductNames, func() bool { return contains(u.ProductNames(), "Bûche de Noël") })
	got := slices.Clone(u.ProductNames())
	slices.Sort(got)
	if want := []string{"Bûche de Noël", "Soupe de Noël"}; !slices.Equal(got, want) {
		t.Errorf("rows after the reload = %v, want %v (the search stays)", got, want)
	}
}

// TestAsyncUndoBarHidesItself: the bar's own timer hides it (on the UI
// goroutine), and the rows it held follow.
func TestAsyncUndoBarHidesItself(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Kitchen", 2)
	soup := mustAddProduct(t, db, f, "Soupe de Noël", 1, 10, 6)
	q := newAsyncQueue()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	en := "en"
	u := ui.New(a, w, app.New(db), ui.Options{Language: &en, Screen: ui.ScreenProducts, Do: q.do, UndoFor: 50 * time.Millisecond})
	t.Cleanup(u.Close)
	q.asyncRunUntil(t, "the first load", u.ProductNames, func() bool { return len(u.ProductNames()) == 1 })

	ui.TakeOut(u, soup.ID, domain.OutcomeEaten)
	q.asyncRunUntil(t, "the take out", u.ProductNames, func() bool { _, _, shown := u.UndoBar(); return shown })
	if names := u.ProductNames(); len(names) != 1 {
		t.Errorf("rows while the bar shows = %v, want the soup kept", names)
	}
	q.asyncRunUntil(t, "the bar's timer", u.ProductNames, func() bool {
		_, _, shown := u.UndoBar()
		return !shown && len(u.ProductNames()) == 0
	})
}

// TestAsyncFirstLoadKeepsWhatWasTyped: the products screen's first load
// starts before the screens are built and shows its rows before the other
// screens load; a search typed before it lands still applies, and the
// freezer filter fills once the freezers are read.
func TestAsyncFirstLoadKeepsWhatWasTyped(t *testing.T) {
	db := mustOpenDB(t)
	kitchen := mustCreateFreezer(t, db, "Kitchen", 2)
	cellar := mustCreateFreezer(t, db, "Cellar", 2)
	mustAddProduct(t, db, kitchen, "Leek soup", 43, 10, 6)
	mustAddProduct(t, db, cellar, "Peas", 43, 10, 6)
	q := newAsyncQueue()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	en := "en"
	u := ui.New(a, w, app.New(db), ui.Options{Language: &en, Screen: ui.ScreenProducts, Do: q.do})
	t.Cleanup(u.Close)

	test.Type(u.SearchEntry(), "peas")
	q.asyncRunUntil(t, "the first load", u.ProductNames, func() bool { return slices.Equal(u.ProductNames(), []string{"Peas"}) })
	_, freezer, _, _ := u.Filters()
	q.asyncRunUntil(t, "the freezers", u.ProductNames, func() bool { return len(freezer.Options) == 3 })
	if got, want := freezer.Options[1:], []string{"Cellar", "Kitchen"}; !slices.Equal(got, want) {
		t.Errorf("freezer filter = %q, want %q after \"all\"", got, want)
	}
}

// slowList is an inventory whose ListProducts waits until release closes.
type slowList struct {
	ui.Inventory
	release chan struct{}
}

func (s slowList) ListProducts(ctx context.Context, sizeHint int) ([]ui.ProductRow, error) {
	select {
	case <-s.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Inventory.ListProducts(ctx, sizeHint)
}

// countFreezers is an inventory that counts its reads of the freezers
// (each showing of the first load reads them once).
type countFreezers struct {
	ui.Inventory
	reads *atomic.Int32
}

func (c countFreezers) Freezers(ctx context.Context) ([]ui.FreezerSummary, error) {
	c.reads.Add(1)
	return c.Inventory.Freezers(ctx)
}

// TestShowFirstLoadBeforeTheWindow: the app waits, before showing its
// window, for the first read, so that the first frame has the rows; the
// same result queued for the UI goroutine is then not shown a second time.
// A read slower than the wait is shown when it ends.
func TestShowFirstLoadBeforeTheWindow(t *testing.T) {
	db := mustOpenDB(t)
	kitchen := mustCreateFreezer(t, db, "Kitchen", 2)
	for _, name := range []string{"Leek soup", "Peas", "Soupe de Noël"} {
		mustAddProduct(t, db, kitchen, name, 43, 10, 6)
	}
	en := "en"
	newUI := func(inv ui.Inventory, q *asyncQueue) *ui.UI {
		w := test.NewTempWindow(t, widget.NewLabel(""))
		w.Resize(fyne.NewSize(1280, 800))
		ready := 0
		u := ui.New(test.NewTempApp(t), w, inv, ui.Options{Language: &en, Screen: ui.ScreenProducts, Do: q.do,
			OnReady: func() {
				if ready++; ready > 1 {
					t.Errorf("OnReady called %d times", ready)
				}
			}})
		t.Cleanup(u.Close)
		return u
	}

	t.Run("read in time", func(t *testing.T) {
		q := newAsyncQueue()
		reads := new(atomic.Int32)
		u := newUI(countFreezers{Inventory: app.New(db), reads: reads}, q)
		u.ShowFirstLoad(5 * time.Second)
		if names := u.ProductNames(); len(names) != 3 {
			t.Fatalf("rows after ShowFirstLoad = %v, want the 3 products before the UI goroutine's queue runs", names)
		}
		test.Type(u.SearchEntry(), "peas")
		_, freezer, _, _ := u.Filters()
		q.asyncRunUntil(t, "the search and the freezers", u.ProductNames, func() bool {
			return slices.Equal(u.ProductNames(), []string{"Peas"}) && len(freezer.Options) == 2
		})
		u.Close() // waits for every background job: nothing more is queued
		q.asyncRunUntil(t, "the queue's rest", u.ProductNames, func() bool { q.mu.Lock(); defer q.mu.Unlock(); return len(q.fns) == 0 })
		if n := reads.Load(); n != 1 {
			t.Errorf("the freezers were read %d times, want 1: the first load was shown more than once", n)
		}
	})

	t.Run("read too slow", func(t *testing.T) {
		q := newAsyncQueue()
		inv := slowList{Inventory: app.New(db), release: make(chan struct{})}
		u := newUI(inv, q)
		start := time.Now()
		u.ShowFirstLoad(30 * time.Millisecond)
		if took := time.Since(start); took < 30*time.Millisecond {
			t.Errorf("ShowFirstLoad returned after %v, before its wait of 30 ms with nothing read", took)
		}
		if names := u.ProductNames(); len(names) != 0 {
			t.Fatalf("rows %v before the read ended", names)
		}
		close(inv.release)
		q.asyncRunUntil(t, "the slow first load", u.ProductNames, func() bool { return len(u.ProductNames()) == 3 })
	})
}
