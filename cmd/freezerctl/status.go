package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"freezer/domain"
	"freezer/sync/tokens"
)

func (c *cli) status(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	st, err := c.readStatus(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.stdout, st)
	}
	fmt.Fprintf(c.stdout, "database:     %s\n", st.Database)
	fmt.Fprintf(c.stdout, "device:       %s\n", st.DeviceID)
	if st.Server == "" {
		fmt.Fprintln(c.stdout, "server:       none (run freezerctl login)")
	} else {
		signed := "yes"
		if !st.SignedIn {
			signed = "no (run freezerctl login)"
		}
		fmt.Fprintf(c.stdout, "server:       %s\n", st.Server)
		fmt.Fprintf(c.stdout, "signed in:    %s\n", signed)
	}
	last := "never"
	if st.LastSync != "" {
		t, _ := time.Parse(time.RFC3339, st.LastSync) // written just above
		last = t.Local().Format(time.DateTime)
	}
	fmt.Fprintf(c.stdout, "last sync:    %s\n", last)
	fmt.Fprintf(c.stdout, "pending:      %d changes\n", st.Pending)
	fmt.Fprintf(c.stdout, "cursor:       %d\n", st.Cursor)
	if st.ClockOffset != "" || st.ServerCorrectionMS != 0 {
		fmt.Fprintf(c.stdout, "clock:        %s (this run's offset), %s (the server's correction of stamps)\n",
			domain.FormatClockOffset(c.offset), domain.FormatClockOffset(time.Duration(st.ServerCorrectionMS)*time.Millisecond))
	}
	for _, p := range st.Relabel {
		fmt.Fprintf(c.stdout, "relabel:      %s is now in %s, box %d, slot %d%s\n",
			productLabel(p.Name, p.ProductID), freezerName(p.NowAt), p.NowAt.Box, p.NowAt.Slot, putAtText(p))
	}
	return nil
}

// freezerName names a place's freezer: its name, else its id.
func freezerName(p placeJSON) string {
	if p.Freezer == "" {
		return p.FreezerID
	}
	return p.Freezer
}

// readStatus gathers what the device knows of its sync.
func (c *cli) readStatus(ctx context.Context) (statusJSON, error) {
	db, err := c.open(ctx)
	if err != nil {
		return statusJSON{}, err
	}
	st, err := db.SyncState(ctx)
	if err != nil {
		return statusJSON{}, err
	}
	pending, err := db.PendingCount(ctx)
	if err != nil {
		return statusJSON{}, err
	}
	out := statusJSON{Database: db.Path(), DeviceID: db.DeviceID(), Server: st.Server, Pending: pending, Cursor: st.Cursor,
		ServerCorrectionMS: db.ClockOffset().Milliseconds(), Relabel: []relabelJSON{}}
	if st.Server != "" {
		_, terr := c.tokens().Token(tokens.Key(st.Server, db.DeviceID()))
		out.SignedIn = terr == nil
	}
	if !st.LastSuccess.IsZero() {
		out.LastSync = st.LastSuccess.UTC().Format(time.RFC3339)
	}
	if c.offset != 0 {
		out.ClockOffset = domain.FormatClockOffset(c.offset)
	}
	moved, err := db.MovedProducts(ctx)
	if err != nil {
		return statusJSON{}, err
	}
	for _, p := range moved {
		out.Relabel = append(out.Relabel, relabelOf(p))
	}
	return out, nil
}

// putAtText says where a person put a relabelled product, by which device
// and when ("" when the notice does not say).
func putAtText(p relabelJSON) string {
	if p.PutAt == nil {
		return ""
	}
	return fmt.Sprintf(" (put in %s, box %d, slot %d by device %s at %s)", freezerName(*p.PutAt), p.PutAt.Box, p.PutAt.Slot, p.By, p.At)
}
