package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/client"
)

// The -json shapes of sync and status, documented in usage. Keys are only
// ever added.

// placeJSON is a product's place.
type placeJSON struct {
	FreezerID string `json:"freezer_id"`
	Freezer   string `json:"freezer"` // "" when unknown
	Box       int    `json:"box"`
	Slot      int    `json:"slot"`
}

func placeOf(p storage.Place) placeJSON {
	return placeJSON{FreezerID: p.FreezerID.String(), Freezer: p.Freezer, Box: p.Box, Slot: p.Slot}
}

// moveJSON is a product the server moved to another slot: its label must
// change.
type moveJSON struct {
	ProductID string    `json:"product_id"`
	Name      string    `json:"name"`
	PutAt     placeJSON `json:"put_at"`
	NowAt     placeJSON `json:"now_at"`
}

// refusalJSON is a local change the server refused for good.
type refusalJSON struct {
	MutationID string `json:"mutation_id"`
	Entity     string `json:"entity"`
	EntityID   string `json:"entity_id"`
	Reason     string `json:"reason"`
	Dropped    bool   `json:"dropped"` // the entity left this device
}

// errorJSON is why a command failed.
type errorJSON struct {
	Kind    string `json:"kind"` // a client.Kind..., kindNotSignedIn, or "" (this device)
	Code    string `json:"code"` // a domain error code
	Message string `json:"message"`
}

// Results of a sync.
const (
	resultOK      = "ok"
	resultPartial = "partial"
	resultFailed  = "failed"
)

// syncJSON is what sync -json prints: what the round did, even when it
// failed part way.
type syncJSON struct {
	Result     string        `json:"result"`
	ExitStatus int           `json:"exit_status"`
	Server     string        `json:"server"`
	Pushed     int           `json:"pushed"`
	Applied    int           `json:"applied"`
	Duplicates int           `json:"duplicates"`
	Refused    int           `json:"refused"`
	Pulled     int           `json:"pulled"`
	Changed    int           `json:"changed"`
	EpochReset bool          `json:"epoch_reset"`
	Moves      []moveJSON    `json:"moves"`
	Refusals   []refusalJSON `json:"refusals"`
	Pending    *int          `json:"pending"` // null when the database cannot be read
	TookMS     int64         `json:"took_ms"`
	Error      *errorJSON    `json:"error"`
}

// syncResult describes a round that returned rep and err.
func (c *cli) syncResult(ctx context.Context, rep client.Report, took time.Duration, err error) syncJSON {
	out := syncJSON{Result: resultOK, Server: c.server, Pushed: rep.Pushed, Applied: rep.Applied,
		Duplicates: rep.Duplicates, Refused: len(rep.Rejected), Pulled: rep.Pulled, Changed: rep.Changed,
		EpochReset: rep.EpochReset, Moves: make([]moveJSON, 0, len(rep.Moves)),
		Refusals: make([]refusalJSON, 0, len(rep.Rejected)), TookMS: took.Milliseconds()}
	for _, m := range rep.Moves {
		out.Moves = append(out.Moves, moveJSON{ProductID: m.ProductID, Name: m.Name, PutAt: placeOf(m.PutAt), NowAt: placeOf(m.NowAt)})
	}
	for _, r := range rep.Rejected {
		out.Refusals = append(out.Refusals, refusalJSON{MutationID: r.MutationID, Entity: r.Entity, EntityID: r.EntityID,
			Reason: r.Reason, Dropped: r.Dropped})
	}
	if err == nil {
		out.Pending = &rep.Pending
	} else if c.db != nil {
		// The report's count is made at the end of a complete round only.
		if n, perr := c.db.PendingCount(ctx); perr == nil {
			out.Pending = &n
		}
	}
	switch {
	case err != nil:
		out.Result, out.ExitStatus = resultFailed, exitFailure
		out.Error = &errorJSON{Code: domain.ErrorCode(err), Message: c.humanize(err, "sync")}
		var ce *client.Error
		if errors.As(err, &ce) {
			out.Error.Kind = ce.Kind
		}
	case len(rep.Rejected) > 0:
		out.Result, out.ExitStatus = resultPartial, exitPartial
	}
	return out
}

// productLabel names a product for a person: its name in quotes and its
// id, or "(no name)" and its id.
func productLabel(name, id string) string {
	if name == "" {
		return "(no name) " + id
	}
	return fmt.Sprintf("%q %s", name, id)
}

func printReport(c *cli, rep client.Report, took time.Duration) {
	if rep.EpochReset {
		fmt.Fprintln(c.stdout, "The server's database was restored or replaced: this device checked its whole inventory against it and sends back what it lacks.")
	}
	fmt.Fprintf(c.stdout, "pushed %d changes (%d applied, %d already there, %d refused)\n",
		rep.Pushed, rep.Applied, rep.Duplicates, len(rep.Rejected))
	fmt.Fprintf(c.stdout, "pulled %d changes (%d applied here)\n", rep.Pulled, rep.Changed)
	for _, m := range rep.Moves {
		fmt.Fprintf(c.stdout, "moved: %s was put in %s; it is now in %s: change its label\n",
			productLabel(m.Name, m.ProductID), m.PutAt, m.NowAt)
	}
	for _, r := range rep.Rejected {
		what := r.Entity + " " + r.EntityID
		if r.Dropped {
			fmt.Fprintf(c.stdout, "refused: %s: %s It was removed from this device.\n", what, r.Reason)
		} else {
			fmt.Fprintf(c.stdout, "refused: %s: %s The server's version is kept.\n", what, r.Reason)
		}
	}
	if rep.Pending > 0 {
		fmt.Fprintf(c.stdout, "%d changes still waiting\n", rep.Pending)
	}
	fmt.Fprintf(c.stdout, "took %s\n", took.Round(time.Millisecond))
}

// relabelJSON is a product whose label must change: the server moved it
// from where a person put it (put_at, by which device, when) to now_at.
type relabelJSON struct {
	ProductID string     `json:"product_id"`
	Name      string     `json:"name"`
	NowAt     placeJSON  `json:"now_at"`
	PutAt     *placeJSON `json:"put_at,omitempty"`
	By        string     `json:"by,omitempty"`
	At        string     `json:"at,omitempty"`
}

// statusJSON is what status -json prints.
type statusJSON struct {
	Database           string        `json:"database"`
	DeviceID           string        `json:"device_id"`
	Server             string        `json:"server"`
	SignedIn           bool          `json:"signed_in"`
	LastSync           string        `json:"last_sync"`
	Pending            int           `json:"pending"`
	Cursor             int64         `json:"cursor"`
	ClockOffset        string        `json:"clock_offset"`
	ServerCorrectionMS int64         `json:"server_correction_ms"`
	Relabel            []relabelJSON `json:"relabel"`
}

func relabelOf(p storage.ProductRow) relabelJSON {
	r := relabelJSON{ProductID: p.ID.String(), Name: p.Name, NowAt: placeJSON{FreezerID: p.Location.FreezerID.String(),
		Freezer: p.FreezerName, Box: p.Location.Box, Slot: p.Location.Slot}}
	if n := p.Relabel; n != nil {
		put := placeJSON{FreezerID: n.PutAt.FreezerID.String(), Box: n.PutAt.Box, Slot: n.PutAt.Slot}
		if n.PutAt.FreezerID == p.Location.FreezerID {
			put.Freezer = p.FreezerName
		}
		r.PutAt, r.By, r.At = &put, n.By, n.At.UTC().Format(time.RFC3339)
	}
	return r
}

// movedSet returns the ids of the products flagged to relabel.
func movedSet(ctx context.Context, db *storage.DB) (map[uuid.UUID]bool, error) {
	moved, err := db.MovedProducts(ctx)
	if err != nil {
		return nil, err
	}
	set := make(map[uuid.UUID]bool, len(moved))
	for _, p := range moved {
		set[p.ID] = true
	}
	return set, nil
}
