package ui

import (
	"context"
	"strings"

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

// openProductDetails shows a product with its history and the actions on
// it: edit, take out (eaten or discarded), put back.
func (u *UI) openProductDetails(id uuid.UUID) {
	background(u, func(ctx context.Context) (productDetails, error) {
		row, err := u.inv.FindProduct(ctx, id)
		if err != nil {
			return productDetails{}, err
		}
		h, err := u.inv.ProductHistory(ctx, id)
		return productDetails{row: row, history: h}, err
	}, func(d productDetails, err error) {
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
	objs = append(objs, line(lang.L("form.date_in"), p.DateIn.String())...)
	objs = append(objs, line(lang.L("col.deadline"), p.Deadline.String())...)
	objs = append(objs, line(lang.L("form.persons"), itoa(p.Quantity))...)
	if p.Description != "" {
		objs = append(objs, line(lang.L("form.description"), p.Description)...)
	}
	if !p.Inside() {
		objs = append(objs, line(lang.L("details.out"), p.DateOut.String()+" ("+outcomeWord(p.Outcome)+")")...)
	}
	if p.Relabel != nil {
		objs = append(objs, line(lang.L("details.relabel"), relabelText(p))...)
	}
	hist := container.NewVBox(widget.NewLabelWithStyle(lang.L("details.history"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, h := range d.history {
		text := h.At.Local().Format("2006-01-02 15:04") + "  " + historyWord(h.Kind)
		var parts []string
		for _, c := range h.Changes {
			parts = append(parts, fieldWord(c.Field)+": "+c.Old+" → "+c.New)
		}
		l := widget.NewLabel(text)
		hist.Add(l)
		if len(parts) > 0 {
			cl := widget.NewLabel(strings.Join(parts, "\n"))
			cl.Importance = widget.LowImportance
			cl.Wrapping = fyne.TextWrapWord
			hist.Add(cl)
		}
	}
	var dlg *dialog.CustomDialog
	closeThen := func(fn func()) func() { return func() { dlg.Hide(); fn() } }
	buttons := []fyne.CanvasObject{&widget.Button{Text: lang.L("action.close"), OnTapped: func() { dlg.Hide() }},
		&widget.Button{Text: lang.L("action.edit"), Icon: theme.DocumentCreateIcon(), OnTapped: closeThen(func() { u.openProductForm(&p, nil) })}}
	if p.Relabel != nil {
		buttons = append(buttons, &widget.Button{Text: lang.L("relabel.done"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance,
			OnTapped: closeThen(func() { u.clearRelabel(p.ID) })})
	}
	if p.Inside() {
		buttons = append(buttons,
			&widget.Button{Text: lang.L("action.eaten"), Icon: theme.ConfirmIcon(), OnTapped: closeThen(func() { u.takeOut(p.ID, domain.OutcomeEaten) })},
			&widget.Button{Text: lang.L("action.discarded"), Icon: theme.DeleteIcon(), OnTapped: closeThen(func() { u.takeOut(p.ID, domain.OutcomeDiscarded) })})
	} else {
		buttons = append(buttons, &widget.Button{Text: lang.L("action.put_back"), Icon: theme.UploadIcon(), Importance: widget.HighImportance,
			OnTapped: closeThen(func() { u.putBack(p.ID) })})
	}
	content := container.NewVScroll(container.NewVBox(container.New(layout.NewFormLayout(), objs...), widget.NewSeparator(), hist))
	dlg = dialog.NewCustomWithoutButtons(p.Name, content, u.win)
	dlg.SetButtons(buttons)
	dlg.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-20), min(600, u.win.Canvas().Size().Height-20)))
	u.showDialog(dlg)
}

// takeOut takes a product out today and refreshes the screens.
func (u *UI) takeOut(id uuid.UUID, how domain.Outcome) {
	day := u.today()
	background(u, func(ctx context.Context) (domain.Product, error) {
		return u.inv.TakeOutProduct(ctx, id, day, how)
	}, func(_ domain.Product, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.reload()
	})
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

// loadSample loads the sample household and refreshes the screens.
func (u *UI) loadSample() {
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.inv.LoadSample(ctx)
	}, func(_ struct{}, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.reload()
	})
}

func historyWord(kind string) string {
	switch kind {
	case "created", "updated", "moved", "taken_out", "put_back", "synced":
		return lang.L("history." + kind)
	}
	return kind
}

func fieldWord(field string) string {
	switch field {
	case domain.FieldName, domain.FieldDescription, domain.FieldType, domain.FieldLocation,
		domain.FieldQuantity, domain.FieldDateIn, domain.FieldPeriod, domain.FieldOut:
		return lang.L("field." + field)
	}
	return field
}
