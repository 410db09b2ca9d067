// Package labels makes printable labels as PDF: box labels (a freezer's
// name, the box number) and product labels (name, date in, eat-by date,
// persons, place), each with a QR code holding the entity's code (see
// domain.ProductCode and domain.BoxCode, and docs/LABELS.md), on an A4
// sheet of 3 x 8 stickers of 70 x 37 mm or on 62 mm continuous tape.
//
// Text is set in the Go fonts (embedded), so any name prints as typed,
// accents included; the QR codes are drawn as vector squares with a quiet
// zone of four modules that no text enters.
package labels

import (
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
	"github.com/google/uuid"

	"freezer/domain"
)

// Label is a box label or a product label.
type Label interface {
	// Code is what the label's QR code holds.
	Code() string
	draw(d *drawer, r Rect)
}

// Box is the label of one box of a freezer.
type Box struct {
	FreezerID   uuid.UUID
	FreezerName string
	Box         int
}

// Code implements Label.
func (b Box) Code() string { return domain.BoxCode(b.FreezerID, b.Box) }

// Product is the label of one product.
type Product struct {
	ID          uuid.UUID
	Name        string
	DateIn      domain.Date
	Deadline    domain.Date // the eat-by date
	Persons     int
	FreezerName string
	Box, Slot   int
}

// Code implements Label.
func (p Product) Code() string { return domain.ProductCode(p.ID) }

// BoxLabels returns the labels of every box of f, box 1 first.
func BoxLabels(f domain.Freezer) []Label {
	out := make([]Label, 0, f.Boxes)
	for b := 1; b <= f.Boxes; b++ {
		out = append(out, Box{FreezerID: f.ID, FreezerName: f.Name, Box: b})
	}
	return out
}

// ProductLabel returns p's label; freezer names the freezer it is in.
func ProductLabel(p domain.Product, freezer string) Product {
	return Product{ID: p.ID, Name: p.Name, DateIn: p.DateIn, Deadline: p.Deadline(), Persons: p.Quantity,
		FreezerName: freezer, Box: p.Location.Box, Slot: p.Location.Slot}
}

// Options choose the layout, the first sticker of a sheet and the
// language.
type Options struct {
	Layout Layout
	// Offset is how many stickers of the first sheet are used already
	// (0 to SheetLabels-1): printing starts at the next one, row by row.
	Offset int
	// Lang is "en" (the default) or "fr".
	Lang string
}

// Validate checks o and says what to change.
func (o Options) Validate() error {
	if o.Layout != Sheet && o.Layout != Roll {
		return domain.Errorf(domain.EInvalid, "Unknown label layout %q: choose sheet (A4, 3 x 8 stickers) or roll (62 mm tape).", string(o.Layout))
	}
	if o.Offset < 0 || o.Offset >= SheetLabels {
		return domain.Errorf(domain.EInvalid, "The first-label offset must be from 0 to %d (the stickers already used on the sheet); it is %d.", SheetLabels-1, o.Offset)
	}
	if o.Offset > 0 && o.Layout == Roll {
		return domain.Errorf(domain.EInvalid, "A first-label offset is for sheets only: a roll has no used stickers to skip.")
	}
	if _, ok := words[langOf(o.Lang)]; !ok {
		return domain.Errorf(domain.EInvalid, "Unknown label language %q: choose en or fr.", o.Lang)
	}
	return nil
}

// Write writes ls as a PDF to w, in the order given. It fails, writing
// nothing, when ls is empty or o is not valid.
func Write(w io.Writer, ls []Label, o Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if len(ls) == 0 {
		return domain.Errorf(domain.EInvalid, "There is nothing to print: choose at least one box or product.")
	}
	pw, ph := PageSize(o.Layout)
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: pw, Ht: ph}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreator("Freezer", true)
	pdf.SetTitle(title(ls, langOf(o.Lang)), true)
	d := newDrawer(pdf, langOf(o.Lang), o.Layout)
	page := -1
	for i, l := range ls {
		p, r := Cell(o.Layout, o.Offset+i)
		for page < p {
			pdf.AddPage()
			page++
		}
		l.draw(d, r)
		if err := pdf.Error(); err != nil {
			return fmt.Errorf("draw label %d (%s): %w", i+1, l.Code(), err)
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write labels PDF: %w", err)
	}
	return nil
}

func title(ls []Label, lang string) string {
	if _, ok := ls[0].(Box); ok {
		return words[lang].boxTitle
	}
	return words[lang].productTitle
}
