package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
)

func (c *cli) freezerAdd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("freezer add", flag.ContinueOnError)
	name := fs.String("name", "", "")
	boxes := fs.Int("boxes", 0, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if !given(fs)["name"] || !given(fs)["boxes"] {
		return usagef("freezer add needs -name NAME and -boxes N.")
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	f, err := db.CreateFreezer(ctx, *name, *boxes)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, f.ID)
	return nil
}

type freezerJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Boxes   int    `json:"boxes"`
	Inside  int    `json:"inside"`
	Overdue int    `json:"overdue"`
	DueSoon int    `json:"due_soon"`
}

func (c *cli) freezerList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("freezer list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	list, err := db.ListFreezers(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]freezerJSON, 0, len(list))
		for _, f := range list {
			out = append(out, freezerJSON{f.ID.String(), f.Name, f.Boxes, f.Inside, f.Overdue, f.DueSoon})
		}
		return writeJSON(c.stdout, out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBOXES\tINSIDE\tOVERDUE\tDUE SOON")
	for _, f := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\n", f.ID, f.Name, f.Boxes, f.Inside, f.Overdue, f.DueSoon)
	}
	return tw.Flush()
}

func (c *cli) freezerDelete(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("freezer delete", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, "the id or the name of the freezer")
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	f, err := db.ResolveFreezer(ctx, pos[0])
	if err != nil {
		return err
	}
	return db.DeleteFreezer(ctx, f.ID)
}

// findProduct finds a product by id or unique id prefix (at least 4 characters).
func findProduct(ctx context.Context, db *storage.DB, ref string) (storage.ProductRow, error) {
	if id, err := uuid.Parse(ref); err == nil {
		return db.FindProduct(ctx, id)
	}
	if len(ref) < 4 {
		return storage.ProductRow{}, domain.Errorf(domain.EInvalid, "%q is not a product id: give the id printed by product add or list.", ref)
	}
	rows, err := db.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		return storage.ProductRow{}, err
	}
	var match []storage.ProductRow
	for _, r := range rows {
		if strings.HasPrefix(r.ID.String(), strings.ToLower(ref)) {
			match = append(match, r)
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return storage.ProductRow{}, domain.Errorf(domain.ENotFound, "No product has the id %q: run freezerctl list -all to see them.", ref)
	}
	return storage.ProductRow{}, domain.Errorf(domain.EInvalid, "%d products have ids starting with %q: give more of the id.", len(match), ref)
}

func parseDate(flagName, s string) (domain.Date, error) {
	d, err := domain.ParseDate(s)
	if err != nil {
		return domain.Date{}, usagef("-%s %q is not a date: write it YYYY-MM-DD.", flagName, s)
	}
	return d, nil
}

func (c *cli) productAdd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("product add", flag.ContinueOnError)
	freezer := fs.String("freezer", "", "")
	box := fs.Int("box", 0, "")
	slot := fs.Int("slot", 0, "")
	name := fs.String("name", "", "")
	descr := fs.String("description", "", "")
	typeID := fs.Int("type", 0, "")
	in := fs.String("in", "", "")
	period := fs.Int("period", 0, "")
	qty := fs.Int("quantity", 1, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	set := given(fs)
	for _, f := range []string{"freezer", "box", "name", "type", "period"} {
		if !set[f] {
			return usagef("product add needs -freezer, -box, -name, -type and -period (missing -%s).", f)
		}
	}
	p := domain.Product{Name: *name, Description: *descr, TypeID: *typeID, PeriodMonths: *period, Quantity: *qty}
	if *in != "" {
		d, err := parseDate("in", *in)
		if err != nil {
			return err
		}
		p.DateIn = d
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	f, err := db.ResolveFreezer(ctx, *freezer)
	if err != nil {
		return err
	}
	p.Location = domain.Location{FreezerID: f.ID, Box: *box, Slot: *slot}
	p, err = db.AddProduct(ctx, p)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, p.ID)
	return nil
}

func (c *cli) productEdit(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("product edit", flag.ContinueOnError)
	name := fs.String("name", "", "")
	descr := fs.String("description", "", "")
	typeID := fs.Int("type", 0, "")
	qty := fs.Int("quantity", 0, "")
	period := fs.Int("period", 0, "")
	in := fs.String("in", "", "")
	freezer := fs.String("freezer", "", "")
	box := fs.Int("box", 0, "")
	slot := fs.Int("slot", 0, "")
	pos, err := parse(fs, args, 1, "the product's id")
	if err != nil {
		return err
	}
	set := given(fs)
	if len(set) == 0 {
		return usagef("product edit needs at least one field to change, e.g. -name.")
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	row, err := findProduct(ctx, db, pos[0])
	if err != nil {
		return err
	}
	var u storage.ProductUpdate
	if set["name"] {
		u.Name = name
	}
	if set["description"] {
		u.Description = descr
	}
	if set["type"] {
		u.TypeID = typeID
	}
	if set["quantity"] {
		u.Quantity = qty
	}
	if set["period"] {
		u.PeriodMonths = period
	}
	if set["in"] {
		d, err := parseDate("in", *in)
		if err != nil {
			return err
		}
		u.DateIn = &d
	}
	if set["freezer"] || set["box"] || set["slot"] {
		loc := row.Location
		if set["freezer"] {
			f, err := db.ResolveFreezer(ctx, *freezer)
			if err != nil {
				return err
			}
			loc.FreezerID = f.ID
		}
		if set["box"] {
			loc.Box = *box
		}
		if set["slot"] {
			loc.Slot = *slot
		} else if loc.FreezerID != row.Location.FreezerID || loc.Box != row.Location.Box {
			next, err := db.NextFreeSlots(ctx, loc.FreezerID)
			if err != nil {
				return err
			}
			loc.Slot = max(next[loc.Box], 1)
		}
		u.Location = &loc
	}
	_, err = db.UpdateProduct(ctx, row.ID, u)
	return err
}

func (c *cli) productOut(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("product out", flag.ContinueOnError)
	date := fs.String("date", "", "")
	discarded := fs.Bool("discarded", false, "")
	pos, err := parse(fs, args, 1, "the product's id")
	if err != nil {
		return err
	}
	var day domain.Date
	if *date != "" {
		if day, err = parseDate("date", *date); err != nil {
			return err
		}
	}
	how := domain.OutcomeEaten
	if *discarded {
		how = domain.OutcomeDiscarded
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	row, err := findProduct(ctx, db, pos[0])
	if err != nil {
		return err
	}
	_, err = db.TakeOutProduct(ctx, row.ID, day, how)
	return err
}

func (c *cli) productBack(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("product back", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, "the product's id")
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	row, err := findProduct(ctx, db, pos[0])
	if err != nil {
		return err
	}
	_, err = db.PutBackProduct(ctx, row.ID)
	return err
}

type productJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	TypeID       int    `json:"type_id"`
	FreezerID    string `json:"freezer_id"`
	Freezer      string `json:"freezer"`
	Box          int    `json:"box"`
	Slot         int    `json:"slot"`
	Quantity     int    `json:"quantity"`
	DateIn       string `json:"date_in"`
	PeriodMonths int    `json:"period_months"`
	Deadline     string `json:"deadline"`
	DateOut      string `json:"date_out,omitempty"`
	Outcome      string `json:"outcome,omitempty"`
	Status       string `json:"status"`
	Relabel      bool   `json:"relabel"` // the server moved it: its label must change
}

func (c *cli) list(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	inside := fs.Bool("inside", false, "")
	outside := fs.Bool("outside", false, "")
	all := fs.Bool("all", false, "")
	overdue := fs.Bool("overdue", false, "")
	dueSoon := fs.Bool("due-soon", false, "")
	freezer := fs.String("freezer", "", "")
	text := fs.String("q", "", "")
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	filter := storage.ProductFilter{Text: *text}
	switch {
	case btoi(*inside)+btoi(*outside)+btoi(*all) > 1:
		return usagef("list takes one of -inside, -outside and -all.")
	case *outside:
		filter.Where = storage.Out
	case *all:
		filter.Where = storage.All
	}
	if *overdue {
		filter.Statuses = append(filter.Statuses, domain.StatusOverdue)
	}
	if *dueSoon {
		filter.Statuses = append(filter.Statuses, domain.StatusDueSoon)
	}
	// Alerts soonest deadline first, like the app's overview; every other
	// list by place, the order of the freezers themselves.
	filter.Sort = storage.SortLocation
	if *overdue || *dueSoon {
		filter.Sort = storage.SortDeadline
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	if *freezer != "" {
		f, err := db.ResolveFreezer(ctx, *freezer)
		if err != nil {
			return err
		}
		filter.FreezerID = &f.ID
	}
	rows, err := db.FindProducts(ctx, filter)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.listJSON(ctx, db, rows)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tFREEZER\tBOX\tSLOT\tIN\tDEADLINE\tSTATUS")
	for _, r := range rows {
		status := strings.ReplaceAll(string(r.Status), "_", " ")
		if !r.Inside() {
			status = fmt.Sprintf("out %s (%s)", r.DateOut, r.Outcome)
		}
		name := r.Name
		if name == "" {
			name = "(no name)" // the id is the first column
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", r.ID, name, r.FreezerName, r.Location.Box, r.Location.Slot,
			r.DateIn, r.Deadline, status)
	}
	return tw.Flush()
}

func (c *cli) listJSON(ctx context.Context, db *storage.DB, rows []storage.ProductRow) error {
	moved, err := movedSet(ctx, db)
	if err != nil {
		return err
	}
	out := make([]productJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, productJSON{ID: r.ID.String(), Name: r.Name, Description: r.Description, TypeID: r.TypeID,
			FreezerID: r.Location.FreezerID.String(), Freezer: r.FreezerName, Box: r.Location.Box, Slot: r.Location.Slot,
			Quantity: r.Quantity, DateIn: r.DateIn.String(), PeriodMonths: r.PeriodMonths, Deadline: r.Deadline.String(),
			DateOut: r.DateOut.String(), Outcome: string(r.Outcome), Status: string(r.Status), Relabel: moved[r.ID]})
	}
	return writeJSON(c.stdout, out)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (c *cli) export(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "json", "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if *format != string(storage.FormatJSON) && *format != string(storage.FormatCSV) {
		return usagef("export -format is json or csv, not %q.", *format)
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	return db.Export(ctx, c.stdout, storage.Format(*format), nil)
}

func (c *cli) importFile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, "the file to import")
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return domain.Errorf(domain.EInvalid, "Cannot open %s: %v. Check the file's name.", pos[0], err)
	}
	defer f.Close()
	format := storage.FormatJSON
	if strings.EqualFold(filepath.Ext(pos[0]), ".csv") {
		format = storage.FormatCSV
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	n, err := db.Import(ctx, f, format, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "imported %d products\n", n)
	return nil
}

func (c *cli) demo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	n := fs.Int("products", 0, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	if *n > 0 {
		if err := db.GenerateProducts(ctx, *n, 1); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "added %d products\n", *n)
		return nil
	}
	if err := db.LoadSample(ctx); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "added the sample household")
	return nil
}

func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
