package ui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
)

// SaveLabelsIn makes printing save its PDFs in dir, under the file name
// offered, instead of asking with the file-save dialog.
func (u *UI) SaveLabelsIn(dir string) {
	u.labels.save = func(name string, done func(fyne.URIWriteCloser, error)) {
		w, err := storage.Writer(storage.NewFileURI(filepath.Join(dir, name)))
		done(w, err)
	}
}

// LastLabels is the path of the last labels PDF saved ("" when none).
func (u *UI) LastLabels() string {
	if u.labels.lastSaved == nil {
		return ""
	}
	return u.labels.lastSaved.Path()
}

// PrintLabelsButton is the print dialog's Save PDF button (nil before one
// was opened), and what the dialog says it prints.
func (u *UI) PrintLabelsButton() (*widget.Button, string) {
	if u.labels.printing == nil {
		return nil, ""
	}
	return u.labels.printBtn, u.labels.printing.what
}

// BoxMapOpen says which freezer's box map shows (uuid.Nil: none) and the
// box a scan opened it at.
func (u *UI) BoxMapOpen() (uuid.UUID, int) {
	u.buildScreen(tabFreezers)
	if !u.freezerSc.mapView.Visible() {
		return uuid.Nil, 0
	}
	return u.freezerSc.mapOf, u.labels.boxOpen
}

// LabelledOnMap lists the products the box map marks as labelled.
func (u *UI) LabelledOnMap() []string {
	u.buildScreen(tabFreezers)
	var out []string
	for _, t := range u.freezerSc.boxMap.tiles {
		if t.slot.Product != nil && t.slot.Labelled {
			out = append(out, t.slot.Product.Name)
		}
	}
	return out
}

// ScanModeEntry is the scan mode's field (nil when scan mode is closed).
func (u *UI) ScanModeEntry() *widget.Entry {
	if u.labels.scanMode == nil {
		return nil
	}
	return &u.labels.scanMode.entry.Entry
}
