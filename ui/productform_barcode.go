package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"freezer/domain"
)

// BarcodeMemory is the household's barcode memory: for each shop barcode
// (EAN-13, or UPC-A), the name, type and period last given to a product
// with it, synced to every device. No online lookup.
type BarcodeMemory interface {
	// FindBarcode returns what is remembered of a barcode given as
	// scanned or typed (a UPC-A finds its EAN-13): domain.ENotFound when
	// no product was saved with it yet, domain.EInvalid when the text is
	// not a shop barcode.
	FindBarcode(ctx context.Context, code string) (domain.Barcode, error)
	// RememberBarcode remembers b's name, type and period for its code;
	// when they are already the ones remembered nothing is written.
	RememberBarcode(ctx context.Context, b domain.Barcode) error
}

// barcodeField is the add form's shop barcode field. A USB or Bluetooth
// scanner types the digits and Return into it: Return looks the barcode up
// (it never saves the form) and fills the name, type and period last saved
// with it; Save remembers them for the barcode.
type barcodeField struct {
	form  *productForm
	entry *escEntry
	note  *widget.Label // what the lookup found
}

// newBarcodeField makes the field of f (adding only).
func newBarcodeField(f *productForm) *barcodeField {
	b := &barcodeField{form: f, entry: newEscEntry(f.ui, false), note: widget.NewLabel("")}
	b.entry.SetPlaceHolder(lang.L("form.barcode_hint"))
	b.entry.OnSubmitted = b.lookUp
	b.entry.OnChanged = func(string) {
		b.note.SetText("")
		b.note.Hide()
		f.onChanged(domain.FieldCode)
	}
	b.note.TextStyle.Italic = true
	b.note.Wrapping = fyne.TextWrapWord
	b.note.Hide()
	return b
}

// widget is the field with its note under it.
func (b *barcodeField) widget() fyne.CanvasObject { return container.NewVBox(b.entry, b.note) }

// code returns the barcode in the field, normalized; "" when the field is
// empty; ok is false when its text is not a shop barcode.
func (b *barcodeField) code() (code string, ok bool) {
	text := strings.TrimSpace(b.entry.Text)
	if text == "" {
		return "", true
	}
	code, err := domain.NormalizeBarcode(text)
	return code, err == nil
}

// problem is the message of a field that does not hold a shop barcode
// ("" when it does, or is empty).
func (b *barcodeField) problem() string {
	if _, ok := b.code(); !ok {
		return lang.L("form.err.barcode")
	}
	return ""
}

// lookUp runs on Return: a barcode the household remembers fills the
// name, type and period; a new one says it will be remembered on save.
// The name field then takes the focus.
func (b *barcodeField) lookUp(string) {
	f := b.form
	code, ok := b.code()
	if !ok {
		f.showErrors(map[string]string{domain.FieldCode: lang.L("form.err.barcode")})
		return
	}
	if code == "" {
		return
	}
	background(f.ui, func(ctx context.Context) (domain.Barcode, error) {
		return f.ui.inv.FindBarcode(ctx, code)
	}, func(known domain.Barcode, err error) {
		switch {
		case domain.ErrorCode(err) == domain.ENotFound:
			b.say(lang.L("form.barcode_new"))
		case err != nil:
			f.ui.showError(err)
			return
		default:
			f.fill(func() {
				f.name.SetText(known.Name)
				f.setType(known.TypeID)
				f.period.SetText(itoa(known.PeriodMonths))
			})
			f.showDeadline()
			b.say(lang.L("form.barcode_known"))
		}
		f.ui.win.Canvas().Focus(f.name)
	})
}

func (b *barcodeField) say(text string) {
	b.note.SetText(text)
	b.note.Show()
	if b.form.dlg != nil {
		b.form.fit()
	}
}

// remember remembers the saved product's name, type and period for code
// (nothing when code is ""). It runs in the background work of Save.
func (u *UI) rememberBarcode(ctx context.Context, code string, saved domain.Product) error {
	if code == "" {
		return nil
	}
	return u.inv.RememberBarcode(ctx, domain.Barcode{Code: code, Name: saved.Name, TypeID: saved.TypeID, PeriodMonths: saved.PeriodMonths})
}

// barcodeNotRemembered tells the person the product was saved but its
// barcode was not remembered (the form is closed: the product is there).
func (u *UI) barcodeNotRemembered(err error) {
	fyne.LogError("freezer: remember barcode", err)
	u.showInfo(lang.L("error.title"), lang.L("form.barcode_not_saved", map[string]any{"Error": errorText(err)}))
}

// scannedIntoName runs on Return in the name field: a scanner types into
// whatever field has the focus, and the add form opens on the name. Text
// of 12 or 13 digits is a shop barcode scanned there (or misread): it moves
// to the barcode field and is looked up. Return after a real name does
// nothing, as before.
func (b *barcodeField) scannedIntoName(text string) {
	text = strings.TrimSpace(text)
	if len(text) != 12 && len(text) != 13 || strings.Trim(text, "0123456789") != "" {
		return
	}
	b.form.name.SetText("")
	b.entry.SetText(text)
	b.lookUp(text)
}
