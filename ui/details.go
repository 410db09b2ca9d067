package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

type productDetails struct {
	row     ProductRow
	history []HistoryEntry
}

// readProductDetails reads a product and its history (off the UI goroutine).
func (u *UI) readProductDetails(ctx context.Context, id uuid.UUID) (productDetails, error) {
	row, err := u.inv.FindProduct(ctx, id)
	if err != nil {
		return productDetails{}, err
	}
	h, err := u.inv.ProductHistory(ctx, id)
	return productDetails{row: row, history: h}, err
}

// openProductDetails shows a product with its history and the actions on
// it: edit, take out (eaten or discarded), put back.
func (u *UI) openProductDetails(id uuid.UUID) {
	background(u, func(ctx context.Context) (productDetails, error) { return u.readProductDetails(ctx, id) }, func(d productDetails, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.showProductDetails(d)
	})
}

func (u *UI) showProductDetails(d productDetails) {
	p := d.row
	status := widget.NewLabel(statusWord(p.Status))
	status.Importance = statusImportance(p.Status)
	line := func(k, v string) []fyne.CanvasObject {
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		return []fyne.CanvasObject{widget.NewLabelWithStyle(k, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), l}
	}
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle(lang.L("col.status"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(widget.NewIcon(statusIcon(p.Status)), status)}
	objs = append(objs, line(lang.L("form.type"), u.typeLabel(p.TypeID))...)
	objs = append(objs, line(lang.L("form.location"), lang.L("details.place",
		map[string]any{"Freezer": p.FreezerName, "Box": p.Location.Box, "Slot": p.Location.Slot}))...)
	objs = append(objs, line(lang.L("form.date_in"), formatDate(p.DateIn))...)
	objs = append(objs, line(lang.L("col.deadline"), formatDate(p.Deadline))...)
	objs = append(objs, line(lang.L("form.persons"), itoa(p.Quantity))...)
	if p.Description != "" {
		objs = append(objs, line(lang.L("form.description"), p.Description)...)
	}
	if !p.Inside() {
		objs = append(objs, line(lang.L("details.out"), formatDate(p.DateOut)+" ("+outcomeWord(p.Outcome)+")")...)
	}
	if p.Relabel != nil {
		objs = append(objs, line(lang.L("details.relabel"), relabelText(p))...)
	}
	hist := u.historySection(d.history)
	var dlg *dialog.CustomDialog
	closeThen := func(fn func()) func() { return func() { dlg.Hide(); fn() } }
	buttons := []fyne.CanvasObject{&widget.Button{Text: lang.L("action.close"), OnTapped: func() { dlg.Hide() }},
		&widget.Button{Text: lang.L("action.edit"), Icon: theme.DocumentCreateIcon(), OnTapped: closeThen(func() { u.openProductForm(&p, nil) })}}
	if p.Relabel != nil {
		buttons = append(buttons, &widget.Button{Text: lang.L("relabel.done"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance,
			OnTapped: closeThen(func() { u.clearRelabel(p.ID) })})
	}
	if p.Inside() {
		buttons = append(buttons, &widget.Button{Text: lang.L("labels.print_product"), Icon: theme.DocumentPrintIcon(),
			OnTapped: closeThen(func() { u.printProductLabels([]ProductRow{p}) })})
		eaten, discarded := outcomeButtons(func(how domain.Outcome) { dlg.Hide(); u.takeOut(p.ID, how) })
		buttons = append(buttons, eaten, discarded)
	} else {
		buttons = append(buttons, &widget.Button{Text: lang.L("action.put_back"), Icon: theme.UploadIcon(), Importance: widget.HighImportance,
			OnTapped: closeThen(func() { u.putBack(p.ID) })})
	}
	// Delete is for a product entered by mistake: apart from the take out
	// buttons, quiet, and it asks first.
	del := &widget.Button{Text: lang.L("action.delete_product"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance,
		OnTapped: func() { u.deleteProduct(p, func() { dlg.Hide() }) }}
	body := container.NewVScroll(container.NewVBox(container.New(layout.NewFormLayout(), objs...),
		container.NewHBox(layout.NewSpacer(), del), widget.NewSeparator(), hist))
	content := container.NewBorder(nil, actionRow(buttons, u.win.Canvas().Size().Width-80), nil, nil, body)
	dlg = dialog.NewCustomWithoutButtons(p.Name, content, u.win)
	dlg.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-20), min(600, u.win.Canvas().Size().Height-20)))
	u.showDialog(dlg)
}

// actionRow lays a dialog's buttons out in one centred row when they fit
// in width, else in two columns (a narrow window, or tablet mode's larger
// buttons): Fyne's own dialog button row never wraps.
func actionRow(buttons []fyne.CanvasObject, width float32) fyne.CanvasObject {
	need := float32(0)
	for _, b := range buttons {
		need += b.MinSize().Width + theme.Padding()
	}
	if need <= width {
		return container.NewHBox(append(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...), layout.NewSpacer())...)
	}
	return container.NewGridWithColumns(2, buttons...)
}

// putBack puts a product taken out back in its freezer.
func (u *UI) putBack(id uuid.UUID) {
	background(u, func(ctx context.Context) (domain.Product, error) {
		return u.inv.PutBackProduct(ctx, id)
	}, func(_ domain.Product, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.reload()
	})
}

func historyWord(kind string) string {
	switch kind {
	case "created", "updated", "moved", "taken_out", "put_back", "synced", "deleted", "restored":
		return lang.L("history." + kind)
	}
	return kind
}
