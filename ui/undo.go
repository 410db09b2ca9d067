package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// undoShowFor is how long the undo bar stays.
const undoShowFor = 8 * time.Second

// undoBar says what a take out or a delete did, at the bottom of the
// window, with an Undo button, for undoShowFor. A new action replaces it.
//
// It floats over the screens (it pushes nothing), and while it shows an
// action the screens are not reloaded for it: the rows stay where they
// were, so the next row's button never slides under the pointer. They are
// reloaded when the bar goes (its time is up, or it is closed), at once
// after Undo (which brings the product back where it was), and as soon as
// the person moves on: another tab, filter, sort or search (release). A
// second tap on the acted product's buttons meanwhile does nothing (see
// takeOut).
type undoBar struct {
	ui *UI

	layer   *fyne.Container // over the window's content, sized like it
	bar     *fyne.Container // the visible bar, inside layer
	msg     *widget.Label
	undoBtn *widget.Button

	gen    int                // the message shown: an older message's timer does nothing
	timer  *time.Timer        // hides the bar; nil when none runs
	before *ProductRow        // the product as it was before the action (nil: no Undo)
	acted  map[uuid.UUID]bool // products acted on whose rows still show: while any, the screens wait for the bar to go
}

// build makes the bar's layer, laid over the window's content (build in
// ui.go stacks it). The layer asks for no room: it never widens the window.
func (b *undoBar) build() fyne.CanvasObject {
	b.stopTimer()
	b.before, b.acted = nil, nil
	b.msg = widget.NewLabel("")
	b.msg.Wrapping = fyne.TextWrapWord
	b.undoBtn = &widget.Button{Text: lang.L("action.undo"), Icon: theme.ContentUndoIcon(), Importance: widget.HighImportance, OnTapped: b.onUndo}
	closeBtn := &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: b.hide}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameForeground)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	b.bar = container.NewStack(bg, container.NewPadded(
		container.NewBorder(nil, nil, nil, container.NewHBox(b.undoBtn, closeBtn), b.msg)))
	b.bar.Hide()
	b.layer = container.New(&undoLayout{ui: b.ui}, b.bar)
	return b.layer
}

// offer shows what happened to before's product (text) with Undo; the
// screens wait for the bar to go.
func (b *undoBar) offer(text string, before ProductRow) {
	b.before = &before
	if b.acted == nil {
		b.acted = map[uuid.UUID]bool{}
	}
	b.acted[before.ID] = true
	b.undoBtn.Enable()
	b.undoBtn.Show()
	b.show(text)
}

// tell shows text without Undo.
func (b *undoBar) tell(text string) {
	b.before = nil
	b.undoBtn.Hide()
	b.show(text)
}

func (b *undoBar) show(text string) {
	b.msg.SetText(text)
	b.bar.Show()
	b.layer.Refresh()
	b.gen++
	gen := b.gen
	b.stopTimer()
	d := b.ui.opts.UndoFor
	if d <= 0 {
		d = undoShowFor
	}
	b.timer = time.AfterFunc(d, func() {
		if b.ui.ctx.Err() != nil {
			return
		}
		b.ui.do(func() { b.expire(gen) })
	})
}

// expire hides the bar when it still shows message gen.
func (b *undoBar) expire(gen int) {
	if gen == b.gen && b.ui.ctx.Err() == nil {
		b.hide()
	}
}

// hide hides the bar and reloads the screens it held.
func (b *undoBar) hide() {
	b.stopTimer()
	b.before = nil
	if b.bar != nil {
		b.bar.Hide()
	}
	b.release()
}

// release reloads the screens it holds now, the bar staying: the person
// moved on (another tab, another filter or search), so nothing slides
// under the pointer any more and the lists must be true.
func (b *undoBar) release() {
	if b.acted != nil {
		b.acted = nil
		b.ui.reload()
	}
}

// acting reports whether product id was acted on while the screens are
// held: its row still shows, with its buttons.
func (b *undoBar) acting(id uuid.UUID) bool { return b.acted[id] }

func (b *undoBar) stopTimer() {
	if b != nil && b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
}

// stop stops the timer (UI.Close).
func (b *undoBar) stop() { b.stopTimer() }

// onUndo puts the product back as it was: a new write, so it works after
// the action has synced. When its slot was taken meanwhile it goes to the
// next free slot of its box, and the bar says where.
func (b *undoBar) onUndo() {
	if b.before == nil || !b.bar.Visible() || b.undoBtn.Disabled() {
		return
	}
	u, before := b.ui, *b.before
	b.undoBtn.Disable() // one Undo per action
	background(u, func(ctx context.Context) (domain.Product, error) {
		return u.inv.RestoreProduct(ctx, before.Product)
	}, func(p domain.Product, err error) {
		wasHeld := b.acted != nil
		b.hide() // reloads the screens it held
		if !wasHeld {
			u.reload()
		}
		if err != nil {
			u.showError(err)
			return
		}
		if p.Inside() && p.Location != before.Location {
			b.tell(lang.L("undo.moved", map[string]any{"Name": p.Name, "Freezer": before.FreezerName,
				"Box": p.Location.Box, "Slot": p.Location.Slot}))
		}
	})
}

// takeOut takes a product out today (eaten or discarded) and offers to
// undo it. Every take out button calls it: the overview's rows, the
// details and the products screen.
func (u *UI) takeOut(id uuid.UUID, how domain.Outcome) {
	if u.undo.acting(id) {
		return // already done: the row stays until the bar goes
	}
	day := u.today()
	background(u, func(ctx context.Context) (ProductRow, error) {
		row, err := u.inv.FindProduct(ctx, id)
		if err != nil {
			return ProductRow{}, err
		}
		_, err = u.inv.TakeOutProduct(ctx, id, day, how)
		return row, err
	}, func(before ProductRow, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		key := "undo.eaten"
		if how == domain.OutcomeDiscarded {
			key = "undo.discarded"
		}
		u.undo.offer(lang.L(key, map[string]any{"Name": before.Name}), before)
	})
}

// deleteProduct asks, then deletes a product entered by mistake and offers
// to undo it. confirmed runs when the person said yes (the details close).
func (u *UI) deleteProduct(row ProductRow, confirmed func()) {
	text := lang.L("confirm.delete_product", map[string]any{"Name": row.Name})
	u.confirm(lang.L("confirm.delete_product_title"), text, lang.L("action.delete"), true, func() {
		confirmed()
		background(u, func(ctx context.Context) (domain.Product, error) {
			return u.inv.DeleteProduct(ctx, row.ID)
		}, func(before domain.Product, err error) {
			if err != nil {
				u.showError(err)
				return
			}
			row.Product = before
			u.undo.offer(lang.L("undo.deleted", map[string]any{"Name": before.Name}), row)
		})
	})
}

// undoLayout puts the bar at the bottom of the window, centred, above a
// bottom navigation bar, at most undoMaxWidth wide. It asks for no room.
type undoLayout struct{ ui *UI }

const undoMaxWidth = 640

func (l *undoLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

func (l *undoLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 2
	bottom := pad
	if l.ui.tabs != nil && l.ui.tabsLoc == container.TabLocationBottom {
		bottom += theme.Size(theme.SizeNameInlineIcon)*2 + theme.Size(theme.SizeNameText) + theme.Padding()*4
	}
	w := min(size.Width-2*pad, undoMaxWidth)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, o.MinSize().Height)) // a wrapped text's height follows its width
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, max(0, size.Height-h-bottom)))
	}
}

var _ fyne.Layout = (*undoLayout)(nil)

// confirm asks a yes-or-no question in the app's own dialog: the text
// wraps and nothing is drawn over it, the confirm button says what it
// does (red when destructive, the primary colour otherwise), Return
// confirms and Escape cancels. onYes runs on the UI goroutine.
func (u *UI) confirm(title, text, confirmLabel string, destructive bool, onYes func()) {
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	width := min(440, max(200, u.win.Canvas().Size().Width-80))
	imp := widget.HighImportance
	if destructive {
		imp = widget.DangerImportance
	}
	d := dialog.NewCustomWithoutButtons(title, container.New(&fixedWidth{width: width}, msg), u.win)
	done := false // Return and a tap may both arrive: onYes runs once
	yes := func() {
		if !done {
			done = true
			d.Hide()
			onYes()
		}
	}
	d.SetButtons([]fyne.CanvasObject{
		&widget.Button{Text: lang.L("action.cancel"), OnTapped: d.Hide},
		&widget.Button{Text: confirmLabel, Importance: imp, OnTapped: yes},
	})
	u.showDialogWithDefault(d, yes)
}

// fixedWidth lays its objects out at a given width and as tall as they
// need at that width (a wrapped text measured before it is placed).
type fixedWidth struct{ width float32 }

func (l *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if o.Size().Width != l.width {
			o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func (l *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
}
