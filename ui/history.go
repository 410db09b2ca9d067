package ui

import (
	"regexp"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// historySection lists a product's changes, oldest first: when and what
// happened, then each changed field as "name: before → after" in the
// language in use. The change lines use the normal text colour: the
// low-importance one is about 1.3:1 on white, under the 4.5:1 text needs.
func (u *UI) historySection(entries []HistoryEntry) *fyne.Container {
	hist := container.NewVBox(widget.NewLabelWithStyle(lang.L("details.history"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, h := range entries {
		at := h.At.Local()
		head := widget.NewLabelWithStyle(formatDate(domain.DateOf(at))+" "+at.Format("15:04")+"  "+historyWord(h.Kind),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		hist.Add(head)
		if len(h.Changes) == 0 {
			continue
		}
		parts := make([]string, 0, len(h.Changes))
		for _, c := range h.Changes {
			parts = append(parts, u.historyChange(c))
		}
		cl := widget.NewLabel(strings.Join(parts, "\n"))
		cl.Wrapping = fyne.TextWrapWord
		hist.Add(cl)
	}
	return hist
}

// historyChange writes one field's change as "field: before → after".
func (u *UI) historyChange(c FieldChange) string {
	return fieldWord(c.Field) + lang.L("history.colon") + u.historyValue(c.Field, c.Old) + " → " + u.historyValue(c.Field, c.New)
}

// placeRE reads the place the store writes in history ("frigo 1, box 3,
// slot 1"), to write it again in the language in use.
var placeRE = regexp.MustCompile(`^(.*), box (\d+), slot (\d+)$`)

// historyValue writes a value as history stores it (the store's text:
// type ids, YYYY-MM-DD dates, English place words) in the language in use.
func (u *UI) historyValue(field, v string) string {
	if v == "" {
		return "—"
	}
	switch field {
	case domain.FieldLocation:
		if m := placeRE.FindStringSubmatch(v); m != nil {
			return lang.L("details.place", map[string]any{"Freezer": m[1], "Box": m[2], "Slot": m[3]})
		}
	case domain.FieldType:
		if id, err := strconv.Atoi(v); err == nil {
			return u.typeLabel(id)
		}
	case domain.FieldDateIn:
		if d, err := domain.ParseDate(v); err == nil {
			return formatDate(d)
		}
	case domain.FieldPeriod:
		if n, err := strconv.Atoi(v); err == nil {
			return pluralL("history.months", n, map[string]any{"Count": formatInt(n)})
		}
	case domain.FieldQuantity:
		if n, err := strconv.Atoi(v); err == nil {
			return formatInt(n)
		}
	case domain.FieldOut: // "2026-06-15 eaten"
		day, how, _ := strings.Cut(v, " ")
		if d, err := domain.ParseDate(day); err == nil {
			if w := outcomeWord(domain.Outcome(how)); w != "" {
				return formatDate(d) + " (" + w + ")"
			}
			return formatDate(d)
		}
	case domain.FieldDeleted:
		switch v {
		case "true":
			return lang.L("history.yes")
		case "false":
			return lang.L("history.no")
		}
	}
	return v
}

// fieldWord names a product field in the language in use.
func fieldWord(field string) string {
	switch field {
	case domain.FieldName, domain.FieldDescription, domain.FieldType, domain.FieldLocation,
		domain.FieldQuantity, domain.FieldDateIn, domain.FieldPeriod, domain.FieldOut,
		domain.FieldDeleted, domain.FieldRelabel:
		return lang.L("field." + field)
	}
	return field
}
