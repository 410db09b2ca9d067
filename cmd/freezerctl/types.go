package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
)

// typeJSON is a product type in types -json.
type typeJSON struct {
	ID     int    `json:"id"`
	NameEN string `json:"name_en"`
	NameFR string `json:"name_fr"`
}

// types lists the product types this device knows (the server's, after a
// sync), by id: what product add -type takes.
func (c *cli) types(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("types", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	list, err := db.ProductTypes(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]typeJSON, 0, len(list))
		for _, t := range list {
			out = append(out, typeJSON{t.ID, t.NameEN, t.NameFR})
		}
		return writeJSON(c.stdout, out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tENGLISH\tFRENCH")
	for _, t := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", t.ID, t.NameEN, t.NameFR)
	}
	return tw.Flush()
}
