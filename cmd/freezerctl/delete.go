package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
)

// productDelete deletes a product entered by mistake, named by its id (or
// a unique id prefix) or by its exact name (case and accents ignored; it
// must name one product). It prints the deleted product's id. The delete
// syncs like any change; the product's history stays.
func (c *cli) productDelete(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("product delete", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, "the id or the name of the product")
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	row, err := resolveProduct(ctx, db, pos[0])
	if err != nil {
		return err
	}
	if _, err := db.DeleteProduct(ctx, row.ID); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, row.ID)
	return nil
}

// resolveProduct finds a product by id or unique id prefix (findProduct),
// else by its name: the one product, inside or taken out, whose name is
// ref once folded (domain.Fold). Several products with that name are
// refused with their ids, so that the person picks one.
func resolveProduct(ctx context.Context, db *storage.DB, ref string) (storage.ProductRow, error) {
	row, err := findProduct(ctx, db, ref)
	_, uerr := uuid.Parse(ref)
	switch code := domain.ErrorCode(err); {
	case err == nil || uerr == nil: // a whole id: its own answer ("was deleted" too)
		return row, err
	case code == domain.ENotFound, code == domain.EInvalid && len(ref) < 4: // not an id: maybe a name
	default:
		return storage.ProductRow{}, err
	}
	if strings.TrimSpace(ref) == "" {
		return storage.ProductRow{}, domain.Errorf(domain.EInvalid, "Give the id or the name of the product.")
	}
	rows, lerr := db.FindProducts(ctx, storage.ProductFilter{Where: storage.All, Text: ref})
	if lerr != nil {
		return storage.ProductRow{}, lerr
	}
	var match []storage.ProductRow
	for _, r := range rows {
		if domain.Fold(r.Name) == domain.Fold(strings.TrimSpace(ref)) {
			match = append(match, r)
		}
	}
	switch len(match) {
	case 0:
		return storage.ProductRow{}, domain.Errorf(domain.ENotFound,
			"No product has the id or the name %q: run freezerctl list -all to see them.", ref)
	case 1:
		return match[0], nil
	}
	ids := make([]string, len(match))
	for i, r := range match {
		ids[i] = r.ID.String()
	}
	return storage.ProductRow{}, domain.Errorf(domain.EInvalid,
		"%d products are named %q: give the id of the one to delete (%s).", len(match), ref, strings.Join(ids, ", "))
}
