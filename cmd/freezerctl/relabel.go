package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/google/uuid"
)

// relabelled records that the labels of the given products were changed
// (every product to relabel when none is named): the notices are cleared
// here and, at the next sync, on every device.
func (c *cli) relabelled(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("relabelled", flag.ContinueOnError)
	refs, err := parse(fs, args, -1, "[PRODUCT...]")
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	ids := make([]uuid.UUID, 0, len(refs))
	for _, ref := range refs {
		p, err := findProduct(ctx, db, ref)
		if err != nil {
			return err
		}
		ids = append(ids, p.ID)
	}
	n, err := db.ClearRelabel(ctx, ids...)
	if err != nil {
		return fmt.Errorf("clear relabel notices: %w", err)
	}
	fmt.Fprintf(c.stdout, "cleared %d relabel notices; sync to clear them on the other devices\n", n)
	return nil
}
