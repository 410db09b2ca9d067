package ui

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"freezer/domain"
	"freezer/labels"
)

// Printing labels: the app makes a PDF (package labels) and saves it where
// the person chooses, then offers to open it in the system's PDF viewer,
// which prints it (at actual size: the stickers are measured in mm). The
// box map, a product's details, the products screen (the products shown)
// and, when the setting is on, an add make labels.

// LabelRecords is what the UI needs to know which products have a printed
// label. The record is kept on this device only; printing a label of a
// product with a relabel notice clears the notice, and that syncs.
type LabelRecords interface {
	// LabelsPrinted returns the printed labels of freezer's products (of
	// every product when freezer is uuid.Nil), by product id.
	LabelsPrinted(ctx context.Context, freezer uuid.UUID) (map[uuid.UUID]LabelPrint, error)
	// RecordLabelsPrinted records that these products' labels were
	// printed, at their current places, and clears their relabel notices;
	// it returns how many notices it cleared.
	RecordLabelsPrinted(ctx context.Context, ids ...uuid.UUID) (int, error)
}

// LabelPrint is a printed label: where the product was when it was printed.
type LabelPrint struct {
	At      domain.Location
	Printed time.Time
}

// labelState is what the UI keeps for labels and scanning.
type labelState struct {
	scan        []rune                 // runes typed with no field focused since the last Return (scan.go)
	scanDialogs map[dialog.Dialog]bool // dialogs a scan opened: the next scan replaces them
	scanMode    *scanMode              // the scan mode dialog, while open
	boxOpen     int                    // the box a scan opened on the box map (tests)
	// save asks where to save a PDF named name and calls done with the
	// file (nil: cancelled); nil uses the file-save dialog (tests set it).
	save      func(name string, done func(fyne.URIWriteCloser, error))
	lastSaved fyne.URI  // the last labels saved (tests)
	printing  *labelJob // the job of the print dialog last opened (tests)
	printBtn  *widget.Button
}

// labelJob is a set of labels to print.
type labelJob struct {
	what     string // what the print dialog says it prints
	file     string // the file name offered
	labels   []labels.Label
	products []uuid.UUID // the products among them (to record the print)
}

// printBoxLabels prints the labels of every box of f.
func (u *UI) printBoxLabels(f domain.Freezer) {
	u.printLabels(labelJob{what: lang.L("labels.what_boxes", map[string]any{"Count": f.Boxes, "Freezer": f.Name}),
		file: lang.L("labels.file_boxes", map[string]any{"Freezer": f.Name}), labels: labels.BoxLabels(f)})
}

// printProductLabels prints the labels of rows (those inside).
func (u *UI) printProductLabels(rows []ProductRow) {
	var job labelJob
	for _, r := range rows {
		if !r.Inside() {
			continue
		}
		job.labels = append(job.labels, labels.ProductLabel(r.Product, r.FreezerName))
		job.products = append(job.products, r.ID)
	}
	switch len(job.labels) {
	case 0:
		u.showInfo(lang.L("labels.title"), lang.L("labels.none_inside"))
		return
	case 1:
		job.what = lang.L("labels.what_product", map[string]any{"Name": rows[0].Name})
	default:
		job.what = lang.L("labels.what_products", map[string]any{"Count": len(job.labels)})
	}
	job.file = lang.L("labels.file_products")
	u.printLabels(job)
}

// printShownLabels prints the labels of the products the products screen
// shows (its filters and search are the selection).
func (u *UI) printShownLabels() {
	rows := make([]ProductRow, 0, len(u.products.view))
	for _, r := range u.products.view {
		rows = append(rows, r.ProductRow)
	}
	u.printProductLabels(rows)
}

// afterAdd prints the label of a product just added, when the setting
// asks for it.
func (u *UI) afterAdd(p domain.Product) {
	if !u.prefs.BoolWithFallback(prefLabelAfterAdd, false) {
		return
	}
	name := ""
	for _, f := range u.freezers {
		if f.ID == p.Location.FreezerID {
			name = f.Name
		}
	}
	u.printProductLabels([]ProductRow{{Product: p, FreezerName: name}})
}

// printLabels asks how to print job (a sheet from which sticker, or a
// roll), then where to save the PDF.
func (u *UI) printLabels(job labelJob) {
	layouts := []string{lang.L("labels.sheet"), lang.L("labels.roll")}
	choice := widget.NewRadioGroup(layouts, nil)
	choice.Required = true
	first := widget.NewSelect(nil, nil)
	for i := 1; i <= labels.SheetLabels; i++ {
		first.Options = append(first.Options, strconv.Itoa(i))
	}
	first.SetSelectedIndex(0)
	firstRow := container.NewHBox(widget.NewLabel(lang.L("labels.first")), first)
	choice.OnChanged = func(s string) {
		if s == layouts[1] {
			firstRow.Hide()
		} else {
			firstRow.Show()
		}
	}
	if u.prefs.StringWithFallback(prefLabelLayout, string(labels.Sheet)) == string(labels.Roll) {
		choice.SetSelected(layouts[1])
	} else {
		choice.SetSelected(layouts[0])
	}
	hint := widget.NewLabel(lang.L("labels.hint"))
	hint.Wrapping = fyne.TextWrapWord
	var dlg *dialog.CustomDialog
	save := func() {
		o := labels.Options{Layout: labels.Sheet, Offset: first.SelectedIndex(), Lang: Language()}
		if choice.Selected == layouts[1] {
			o = labels.Options{Layout: labels.Roll, Lang: Language()}
		}
		u.prefs.SetString(prefLabelLayout, string(o.Layout))
		dlg.Hide()
		u.saveLabels(job, o)
	}
	saveBtn := &widget.Button{Text: lang.L("labels.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: save}
	what := widget.NewLabelWithStyle(job.what, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what.Wrapping = fyne.TextWrapWord
	dlg = dialog.NewCustomWithoutButtons(lang.L("labels.title"), container.NewVBox(what, choice, firstRow, hint), u.win)
	dlg.SetButtons([]fyne.CanvasObject{&widget.Button{Text: lang.L("action.cancel"), OnTapped: func() { dlg.Hide() }}, saveBtn})
	dlg.Resize(fyne.NewSize(min(520, u.win.Canvas().Size().Width-20), dlg.MinSize().Height))
	u.labels.printing = &job
	u.labels.printBtn = saveBtn
	u.showDialogWithDefault(dlg, save)
}

// saveLabels asks where to save the PDF, then writes it.
func (u *UI) saveLabels(job labelJob, o labels.Options) {
	done := func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w != nil {
			u.writeLabels(w, job, o)
		}
	}
	if u.labels.save != nil {
		u.labels.save(job.file, done)
		return
	}
	d := dialog.NewFileSave(done, u.win)
	d.SetFileName(job.file)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	u.showDialog(d)
}

// writeLabels makes the PDF and writes it to w in the background, then
// records the products' labels as printed and says where the PDF is.
func (u *UI) writeLabels(w fyne.URIWriteCloser, job labelJob, o labels.Options) {
	background(u, func(ctx context.Context) (int, error) {
		var buf bytes.Buffer
		err := labels.Write(&buf, job.labels, o)
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil || len(job.products) == 0 {
			return 0, err
		}
		return u.inv.RecordLabelsPrinted(ctx, job.products...)
	}, func(cleared int, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.labels.lastSaved = w.URI()
		if cleared > 0 && u.sync != nil {
			u.sync.ClearNotices() // the status lists the notices again, from the store
			u.onSyncStatus(u.sync.Status())
		}
		u.reload()
		u.labelsSaved(w.URI())
	})
}

// labelsSaved says where the PDF is and, on a desktop, offers to open it.
func (u *UI) labelsSaved(uri fyne.URI) {
	text := lang.L("labels.saved", map[string]any{"File": uri.Name()})
	if uri.Scheme() != "file" || fyne.CurrentDevice().IsMobile() {
		u.showInfo(lang.L("labels.title"), text)
		return
	}
	d := dialog.NewConfirm(lang.L("labels.title"), text+"\n"+lang.L("labels.open_hint"), func(open bool) {
		if !open {
			return
		}
		if err := u.app.OpenURL(&url.URL{Scheme: "file", Path: uri.Path()}); err != nil {
			u.showError(err)
		}
	}, u.win)
	d.SetConfirmText(lang.L("labels.open"))
	d.SetDismissText(lang.L("action.close"))
	u.showDialogWithDefault(d, d.Hide) // Return closes: opening is asked for with a tap
}

// markLabelled marks the slots whose product has a printed label showing
// its current place.
func markLabelled(boxes [][]boxSlot, printed map[uuid.UUID]LabelPrint) {
	for _, slots := range boxes {
		for i, s := range slots {
			if s.Product != nil {
				lp, ok := printed[s.Product.ID]
				slots[i].Labelled = ok && lp.At == s.Product.Location
			}
		}
	}
}

// labelsSetting is the Settings row of the labels: print a product's label
// right after adding it.
func (s *settingsScreen) labelsSetting() (fyne.CanvasObject, fyne.CanvasObject) {
	check := widget.NewCheck(lang.L("settings.label_after_add"), nil)
	check.SetChecked(s.ui.prefs.BoolWithFallback(prefLabelAfterAdd, false))
	check.OnChanged = func(on bool) { s.ui.prefs.SetBool(prefLabelAfterAdd, on) }
	hint := widget.NewLabel(lang.L("settings.label_after_add_hint")) // wraps: a check's text does not
	hint.Wrapping = fyne.TextWrapWord
	hint.TextStyle = fyne.TextStyle{Italic: true}
	return widget.NewLabel(lang.L("settings.labels")), container.NewVBox(check, hint)
}

// onPrintBoxes prints the box labels of the freezer whose map is open.
func (s *freezersScreen) onPrintBoxes() {
	for _, f := range s.ui.freezers {
		if f.ID == s.mapOf {
			s.ui.printBoxLabels(f.Freezer)
		}
	}
}
