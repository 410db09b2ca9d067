package ui

import (
	"context"

	"fyne.io/fyne/v2"
)

// Preload is the store's first read, started before the UI is built:
// cmd/freezer starts it as soon as the store is open, so that the read
// runs while Fyne loads its fonts and makes the window, and hands it to
// New in Options.Preload. New then shows it instead of reading again.
type Preload struct {
	withProducts bool
	lang         string
	done         chan struct{} // closed when l and err are set
	l            firstLoad
	err          error
}

// StartPreload starts, on a goroutine, the read New's first screen shows:
// the product types and, for the products screen (opts.Screen), every
// product indexed in the language the UI will use (the saved one, or
// opts.Language), with the saved due-soon days. ctx stops the read.
func StartPreload(ctx context.Context, prefs fyne.Preferences, inv Inventory, opts Options) *Preload {
	s := runSettings(prefs, opts)
	p := &Preload{
		withProducts: showsProducts(opts.Screen),
		lang:         resolveLanguage(s.Language),
		done:         make(chan struct{}),
	}
	inv.SetDueSoonDays(s.DueSoonDays) // the rows' status depends on it
	go func() {
		defer close(p.done)
		p.l, p.err = readFirst(ctx, inv, p.withProducts, p.lang)
	}()
	return p
}

// take waits for the preloaded read and returns it, with ok true, when it
// read what loadFirst needs: the same screen's data in the same language.
// It returns ok false at once otherwise (p nil, another screen or
// language), and when ctx is done first.
func (p *Preload) take(ctx context.Context, withProducts bool, lang string) (l firstLoad, ok bool, err error) {
	if p == nil || p.withProducts != withProducts || p.lang != lang {
		return firstLoad{}, false, nil
	}
	select {
	case <-p.done:
		return p.l, true, p.err
	case <-ctx.Done():
		return firstLoad{}, false, nil
	}
}
