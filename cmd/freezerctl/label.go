package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/labels"
	"freezer/storage"
)

// labelUsage is the label command's part of freezerctl help.
const labelUsage = `Labels (PDF, with a QR code that the app's scanning opens; docs/LABELS.md):
  label -boxes ID|NAME [-box N] -o FILE    the labels of every box of a freezer (-box: one)
  label PRODUCT... -o FILE                 product labels: ids, id prefixes, names or
                                           label codes (FRZ:P:...)
  label -freezer ID|NAME -o FILE           the labels of every product inside a freezer,
                                           by box and slot
    -layout sheet|roll   sheet: A4, 3 x 8 stickers of 70 x 37 mm (default); roll: 62 mm
                         continuous tape, one 62 x 36 mm label per page
    -offset N            sheet: the first N stickers are used already (0-23)
    -lang en|fr          the labels' words and dates (English by default)
    -o FILE              the PDF to write ("-": stdout)
  Printing product labels records them (the app's box map shows them) and clears
  their relabel notices (synced like freezerctl relabelled).
`

type labelFlags struct {
	boxes, freezer, layout, lang, out string
	box, offset                       int
}

func (c *cli) label(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("label", flag.ContinueOnError)
	var f labelFlags
	fs.StringVar(&f.boxes, "boxes", "", "")
	fs.IntVar(&f.box, "box", 0, "")
	fs.StringVar(&f.freezer, "freezer", "", "")
	fs.StringVar(&f.layout, "layout", string(labels.Sheet), "")
	fs.IntVar(&f.offset, "offset", 0, "")
	fs.StringVar(&f.lang, "lang", "en", "")
	fs.StringVar(&f.out, "o", "", "")
	refs, err := parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	if err := f.check(given(fs), refs); err != nil {
		return err
	}
	o := labels.Options{Layout: labels.Layout(f.layout), Offset: f.offset, Lang: f.lang}
	if err := o.Validate(); err != nil {
		return usagef("%s", domain.ErrorMessage(err))
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	ls, products, err := c.labelsFor(ctx, db, f, refs)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := labels.Write(&buf, ls, o); err != nil {
		return err
	}
	if err := c.writeOut(f.out, buf.Bytes()); err != nil {
		return err
	}
	cleared := 0
	if len(products) > 0 {
		if cleared, err = db.RecordLabelsPrinted(ctx, products...); err != nil {
			return err
		}
	}
	if f.out != "-" {
		noun := "labels"
		if len(ls) == 1 {
			noun = "label"
		}
		fmt.Fprintf(c.stdout, "wrote %d %s to %s\n", len(ls), noun, f.out)
	}
	if cleared > 0 {
		fmt.Fprintf(c.stderr, "cleared %d relabel notices; sync to clear them on the other devices\n", cleared)
	}
	return nil
}

// check refuses a command line that asks for no labels, or for two kinds.
func (f labelFlags) check(set map[string]bool, refs []string) error {
	if f.out == "" {
		return usagef("label needs -o FILE (the PDF to write; - for stdout).")
	}
	kinds := 0
	for _, k := range []bool{set["boxes"], set["freezer"], len(refs) > 0} {
		if k {
			kinds++
		}
	}
	if kinds != 1 {
		return usagef("label needs one of -boxes FREEZER, -freezer FREEZER or PRODUCT... (not several).")
	}
	if set["box"] && !set["boxes"] {
		return usagef("label -box N goes with -boxes FREEZER.")
	}
	return nil
}

// labelsFor returns the labels the command line asks for, and the ids of
// the products among them (to record the print).
func (c *cli) labelsFor(ctx context.Context, db *storage.DB, f labelFlags, refs []string) ([]labels.Label, []uuid.UUID, error) {
	switch {
	case f.boxes != "":
		fr, err := db.ResolveFreezer(ctx, f.boxes)
		if err != nil {
			return nil, nil, err
		}
		ls := labels.BoxLabels(fr)
		if f.box != 0 {
			if f.box < 1 || f.box > fr.Boxes {
				return nil, nil, domain.Errorf(domain.EInvalid, "Box %d does not exist in %q: choose a box from 1 to %d.", f.box, fr.Name, fr.Boxes)
			}
			ls = ls[f.box-1 : f.box]
		}
		return ls, nil, nil
	case f.freezer != "":
		fr, err := db.ResolveFreezer(ctx, f.freezer)
		if err != nil {
			return nil, nil, err
		}
		rows, err := db.FindProducts(ctx, storage.ProductFilter{Where: storage.Inside, FreezerID: &fr.ID, Sort: storage.SortLocation})
		if err != nil {
			return nil, nil, err
		}
		if len(rows) == 0 {
			return nil, nil, domain.Errorf(domain.EInvalid, "%q holds no product: there is no label to print.", fr.Name)
		}
		return productLabels(rows)
	}
	rows := make([]storage.ProductRow, 0, len(refs))
	for _, ref := range refs {
		row, err := labelProduct(ctx, db, ref)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row)
	}
	return productLabels(rows)
}

// labelProduct finds a product by label code, id, id prefix or name.
func labelProduct(ctx context.Context, db *storage.DB, ref string) (storage.ProductRow, error) {
	if domain.IsCode(ref) {
		code, err := domain.ParseCode(ref)
		if err != nil {
			return storage.ProductRow{}, err
		}
		if code.Kind != domain.CodeProduct {
			return storage.ProductRow{}, domain.Errorf(domain.EInvalid, "%s is a box's code: use label -boxes FREEZER -box N for box labels.", ref)
		}
		return db.FindProduct(ctx, code.Product)
	}
	return resolveProduct(ctx, db, ref)
}

func productLabels(rows []storage.ProductRow) ([]labels.Label, []uuid.UUID, error) {
	ls := make([]labels.Label, 0, len(rows))
	ids := make([]uuid.UUID, 0, len(rows))
	for _, r := range rows {
		if r.Deleted {
			return nil, nil, domain.Errorf(domain.ENotFound, "%s was deleted: there is no label to print.", productLabel(r.Name, r.ID.String()))
		}
		if !r.Inside() {
			return nil, nil, domain.Errorf(domain.EInvalid, "%s was taken out: put it back first (freezerctl product back %s) to print its label.",
				productLabel(r.Name, r.ID.String()), r.ID)
		}
		ls = append(ls, labels.ProductLabel(r.Product, r.FreezerName))
		ids = append(ids, r.ID)
	}
	return ls, ids, nil
}

// writeOut writes the PDF to path, or to stdout for "-". A file is written
// whole or not at all: a temporary file beside it is renamed over it.
func (c *cli) writeOut(path string, pdf []byte) error {
	if path == "-" {
		_, err := c.stdout.Write(pdf)
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, pdf, 0o644); err != nil {
		return domain.Errorf(domain.EInvalid, "Cannot write %s: %s. Choose another -o file.", path, strings.TrimPrefix(err.Error(), "open "+tmp+": "))
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
