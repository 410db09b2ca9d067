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

// reasonJSON is a reason in plan -json and restock -json: its code, its
// numbers (only the ones its code uses) and the words in -lang.
type reasonJSON struct {
	domain.Reason
	Text string `json:"text"`
}

// suggestionJSON is one product of plan -json.
type suggestionJSON struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	TypeID    int          `json:"type_id"`
	FreezerID string       `json:"freezer_id"`
	Freezer   string       `json:"freezer"`
	Box       int          `json:"box"`
	Slot      int          `json:"slot"`
	Quantity  int          `json:"quantity"`
	Deadline  string       `json:"deadline"`
	Score     float64      `json:"score"`
	Reasons   []reasonJSON `json:"reasons"`
}

// hintJSON is one type of restock -json.
type hintJSON struct {
	TypeID int        `json:"type_id"`
	Type   string     `json:"type"`
	Reason reasonJSON `json:"reason"`
}

// suggestFlags are the flags plan and restock share.
type suggestFlags struct {
	asJSON *bool
	lang   *string
}

func newSuggestFlags(fs *flag.FlagSet) suggestFlags {
	return suggestFlags{asJSON: fs.Bool("json", false, ""), lang: fs.String("lang", "en", "")}
}

func (f suggestFlags) check(command string) error {
	if *f.lang != "en" && *f.lang != "fr" {
		return usagef("%s -lang is en or fr, not %q.", command, *f.lang)
	}
	return nil
}

// suggestInput reads what the suggestions are computed from: every product
// (inside and taken out) with its place, and the type names in lang.
func (c *cli) suggestInput(ctx context.Context, lang string) ([]storage.ProductRow, map[int]string, error) {
	db, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		return nil, nil, err
	}
	types, err := db.ProductTypes(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int]string, len(types))
	for _, t := range types {
		names[t.ID] = t.Name(lang)
	}
	return rows, names, nil
}

// typeName is a type's name, or its number when the device does not know it.
func typeName(names map[int]string, id int) string {
	if n, ok := names[id]; ok {
		return n
	}
	return fmt.Sprintf("type %d", id)
}

// plan prints what to eat first in the coming days, with why.
func (c *cli) plan(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	sf := newSuggestFlags(fs)
	count := fs.Int("count", domain.DefaultSuggestCount, "")
	days := fs.Int("days", domain.DefaultSuggestHorizon, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if err := sf.check("plan"); err != nil {
		return err
	}
	if *count < 1 || *count > domain.MaxSuggestCount {
		return usagef("plan -count is from 1 to %d, not %d.", domain.MaxSuggestCount, *count)
	}
	if *days < 1 || *days > domain.MaxSuggestHorizon {
		return usagef("plan -days is from 1 to %d, not %d.", domain.MaxSuggestHorizon, *days)
	}
	rows, names, err := c.suggestInput(ctx, *sf.lang)
	if err != nil {
		return err
	}
	products := make([]domain.Product, len(rows))
	byID := make(map[uuid.UUID]storage.ProductRow, len(rows))
	for i, r := range rows {
		products[i] = r.Product
		byID[r.ID] = r
	}
	plan := domain.Plan(products, domain.DateOf(c.now()), domain.SuggestOptions{Count: *count, Horizon: *days})
	out := make([]suggestionJSON, 0, len(plan))
	for _, s := range plan {
		r := byID[s.Product.ID]
		js := suggestionJSON{ID: r.ID.String(), Name: r.Name, TypeID: r.TypeID, FreezerID: r.Location.FreezerID.String(),
			Freezer: r.FreezerName, Box: r.Location.Box, Slot: r.Location.Slot, Quantity: r.Quantity,
			Deadline: s.Deadline.String(), Score: s.Score, Reasons: []reasonJSON{}}
		for _, why := range s.Reasons {
			js.Reasons = append(js.Reasons, reasonJSON{why, why.Text(*sf.lang, typeName(names, why.TypeID))})
		}
		out = append(out, js)
	}
	if *sf.asJSON {
		return writeJSON(c.stdout, out)
	}
	return c.printPlan(out, *sf.lang)
}

func (c *cli) printPlan(out []suggestionJSON, lang string) error {
	if len(out) == 0 {
		if lang == "fr" {
			_, err := fmt.Fprintln(c.stdout, "Rien à suggérer : aucun produit n'est dans un congélateur.")
			return err
		}
		_, err := fmt.Fprintln(c.stdout, "Nothing to suggest: no product is inside a freezer.")
		return err
	}
	box, slot := "box", "slot"
	if lang == "fr" {
		box, slot = "tiroir", "place"
	}
	for i, s := range out {
		name := s.Name
		if name == "" {
			name = "(no name) " + s.ID
		}
		texts := make([]string, len(s.Reasons))
		for j, r := range s.Reasons {
			texts[j] = r.Text
		}
		if _, err := fmt.Fprintf(c.stdout, "%d. %s · %s, %s %d, %s %d · %s\n   %s\n", i+1, name, s.Freezer, box, s.Box,
			slot, s.Slot, s.ID, strings.Join(texts, " · ")); err != nil {
			return err
		}
	}
	return nil
}

// restock prints the types to think of when shopping, with why.
func (c *cli) restock(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restock", flag.ContinueOnError)
	sf := newSuggestFlags(fs)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if err := sf.check("restock"); err != nil {
		return err
	}
	rows, names, err := c.suggestInput(ctx, *sf.lang)
	if err != nil {
		return err
	}
	products := make([]domain.Product, len(rows))
	for i, r := range rows {
		products[i] = r.Product
	}
	hints := domain.Restock(products, domain.DateOf(c.now()))
	out := make([]hintJSON, 0, len(hints))
	for _, h := range hints {
		name := typeName(names, h.TypeID)
		out = append(out, hintJSON{TypeID: h.TypeID, Type: name, Reason: reasonJSON{h.Reason, h.Reason.Text(*sf.lang, name)}})
	}
	if *sf.asJSON {
		return writeJSON(c.stdout, out)
	}
	if len(out) == 0 {
		msg := "Nothing to restock: no type is taken out regularly and missing, none always thrown away."
		if *sf.lang == "fr" {
			msg = "Rien à racheter : aucun type sorti régulièrement ne manque, aucun n'est toujours jeté."
		}
		_, err := fmt.Fprintln(c.stdout, msg)
		return err
	}
	for _, h := range out {
		if _, err := fmt.Fprintln(c.stdout, "- "+h.Reason.Text); err != nil {
			return err
		}
	}
	return nil
}
