package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
)

// relabelText is a product's relabel notice for a person: "Relabel: put in
// box 2, slot 1 by this device on 2026-12-01 16:49; now box 2, slot 3".
func relabelText(p ProductRow) string {
	n := p.Relabel
	by := lang.L("relabel.by_this_device")
	if n.By != "" {
		id := n.By
		if len(id) > 8 {
			id = id[:8]
		}
		by = lang.L("relabel.by_device", map[string]any{"ID": id})
	}
	return lang.L("relabel.notice", map[string]any{"PutBox": n.PutAt.Box, "PutSlot": n.PutAt.Slot, "By": by,
		"At": formatDate(domain.DateOf(n.At.Local())) + " " + n.At.Local().Format("15:04"), "Box": p.Location.Box, "Slot": p.Location.Slot})
}

// relabelRows fills box with the overview's products to relabel, each with
// its "Label changed" action, and shows it only when there is one.
func (u *UI) relabelRows(box *fyne.Container, rows []ProductRow) {
	box.RemoveAll()
	if len(rows) == 0 {
		box.Hide()
		return
	}
	box.Add(widget.NewLabelWithStyle(lang.L("relabel.title", map[string]any{"Count": len(rows)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, p := range rows {
		text := widget.NewLabel(lang.L("relabel.line", map[string]any{"Name": p.Name, "Freezer": p.FreezerName, "Notice": relabelText(p)}))
		text.Wrapping = fyne.TextWrapWord
		id := p.ID
		done := &widget.Button{Text: lang.L("relabel.done"), Icon: theme.ConfirmIcon(), OnTapped: func() { u.clearRelabel(id) }}
		box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), done, text))
	}
	box.Show()
}

// clearRelabel says the labels of ids were changed (every label to change
// when none is given): the notices leave this device now and every other
// one when it syncs.
func (u *UI) clearRelabel(ids ...uuid.UUID) {
	background(u, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.inv.ClearRelabel(ctx, ids...)
	}, func(_ struct{}, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if u.sync != nil {
			u.sync.ClearNotices() // the status lists the notices again, from the store
			u.onSyncStatus(u.sync.Status())
		}
		u.reload()
	})
}
