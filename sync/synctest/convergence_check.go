package synctest

// Invariants of an inventory that the convergence test checks on the server
// after every commit and on every device once converged.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/storage"
	"freezer/sync/protocol"
)

// DeletedFreezerViolations returns the products inside a freezer that is
// deleted or does not exist, as text ("" when none): a freezer that holds a
// product cannot be deleted, and a product put into a deleted freezer
// brings it back.
func DeletedFreezerViolations(freezers []protocol.FreezerState, products []protocol.ProductState) string {
	byID := freezersByID(freezers)
	var out []string
	for _, s := range products {
		p := s.Product
		if !p.Inside() {
			continue
		}
		f, ok := byID[p.Location.FreezerID]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s is inside freezer %s, which does not exist", p.ID, p.Location.FreezerID))
		case f.Deleted:
			out = append(out, fmt.Sprintf("%s is inside freezer %s %q, which is deleted", p.ID, f.ID, f.Name))
		}
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

// LocationViolations returns the products inside whose location is not
// valid in their (existing) freezer, as text ("" when none): the box is one
// of the freezer's boxes, the slot is 1 or more, and no other product
// inside holds the same slot.
func LocationViolations(freezers []protocol.FreezerState, products []protocol.ProductState) string {
	byID := freezersByID(freezers)
	var out []string
	for _, s := range products {
		p := s.Product
		f, ok := byID[p.Location.FreezerID]
		if !p.Inside() || !ok {
			continue // the freezer's own check
		}
		if p.Location.Box < 1 || p.Location.Box > f.Boxes || p.Location.Slot < 1 {
			out = append(out, fmt.Sprintf("%s is at box %d slot %d of %q, which has %d boxes",
				p.ID, p.Location.Box, p.Location.Slot, f.Name, f.Boxes))
		}
	}
	slices.Sort(out)
	if v := SlotViolations(products); v != "" {
		out = append(out, v)
	}
	return strings.Join(out, "; ")
}

// RepairStampViolations returns the products the server moved to settle a
// slot collision (they carry the relabel flag) whose location is not
// stamped as a repair, as text ("" when none). A repair settles its
// collision and nothing else: it takes the colliding write's own stamp
// with the repair mark (Timestamp.Repair), so that a person's location
// write made after the colliding one still wins over it; a repair stamped
// with the server's clock at push time would beat such a write.
func RepairStampViolations(products []protocol.ProductState) string {
	mark := strings.TrimPrefix(domain.Timestamp{Node: "n"}.Repair().Node, "n")
	var out []string
	for _, s := range products {
		if !protocol.ProductChange(s, 0).Moved {
			continue
		}
		if ts := s.Stamps[domain.FieldLocation]; !strings.HasSuffix(ts.Node, mark) {
			out = append(out, fmt.Sprintf("%s was moved by the server, its location stamped %s", s.Product.ID, ts))
		}
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

func freezersByID(freezers []protocol.FreezerState) map[uuid.UUID]domain.Freezer {
	out := make(map[uuid.UUID]domain.Freezer, len(freezers))
	for _, f := range freezers {
		out[f.Freezer.ID] = f.Freezer
	}
	return out
}

// States returns the device's inventory (deleted freezers too) in the
// server's types, without stamps, for the checks above.
func (d *Device) States() ([]protocol.FreezerState, []protocol.ProductState, error) {
	var buf bytes.Buffer
	if err := d.DB.Export(context.Background(), &buf, storage.FormatJSON, nil); err != nil {
		return nil, nil, fmt.Errorf("export %s: %w", d.Name, err)
	}
	var doc struct {
		Freezers []struct {
			ID      uuid.UUID `json:"id"`
			Name    string    `json:"name"`
			Boxes   int       `json:"boxes"`
			Deleted bool      `json:"deleted"`
		} `json:"freezers"`
		Products []struct {
			ID        uuid.UUID   `json:"id"`
			FreezerID uuid.UUID   `json:"freezer_id"`
			Box       int         `json:"box"`
			Slot      int         `json:"slot"`
			DateOut   domain.Date `json:"date_out"`
		} `json:"products"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, nil, fmt.Errorf("read export of %s: %w", d.Name, err)
	}
	freezers := make([]protocol.FreezerState, 0, len(doc.Freezers))
	for _, f := range doc.Freezers {
		freezers = append(freezers, protocol.FreezerState{Freezer: domain.Freezer{ID: f.ID, Name: f.Name, Boxes: f.Boxes, Deleted: f.Deleted}})
	}
	products := make([]protocol.ProductState, 0, len(doc.Products))
	for _, p := range doc.Products {
		products = append(products, protocol.ProductState{Product: domain.Product{ID: p.ID, DateOut: p.DateOut,
			Location: domain.Location{FreezerID: p.FreezerID, Box: p.Box, Slot: p.Slot}}})
	}
	return freezers, products, nil
}

// NoticeViolations returns, as text ("" when none), how the device's
// relabel notices differ from the server's once converged: every product
// that carries a notice on the server (the server moved it from where a
// person put it) carries the same notice on the device, where the person
// who put it there sees it (MovedProducts, for a product inside), and the
// device carries no other notice.
func (d *Device) NoticeViolations(products []protocol.ProductState) (string, error) {
	ctx := context.Background()
	rows, err := d.DB.FindProducts(ctx, storage.ProductFilter{Where: storage.All})
	if err != nil {
		return "", fmt.Errorf("products of %s: %w", d.Name, err)
	}
	moved, err := d.DB.MovedProducts(ctx)
	if err != nil {
		return "", fmt.Errorf("moved products of %s: %w", d.Name, err)
	}
	onDevice := make(map[uuid.UUID]*domain.Relabel, len(rows))
	for _, p := range rows {
		onDevice[p.ID] = p.Relabel
	}
	listed := make(map[uuid.UUID]bool, len(moved))
	for _, p := range moved {
		listed[p.ID] = true
	}
	var out []string
	for _, s := range products {
		id, want, got := s.Product.ID, s.Relabel, onDevice[s.Product.ID]
		switch {
		case !sameNotice(want, got):
			out = append(out, fmt.Sprintf("%s carries notice %s on the server, %s on %s", id, noticeText(want), noticeText(got), d.Name))
		case want != nil && s.Product.Inside() && !listed[id]:
			out = append(out, fmt.Sprintf("%s carries notice %s but %s does not list it to relabel", id, noticeText(want), d.Name))
		}
	}
	slices.Sort(out)
	return strings.Join(out, "; "), nil
}

func sameNotice(a, b *domain.Relabel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.PutAt == b.PutAt && a.By == b.By && a.At.Equal(b.At)
}

func noticeText(r *domain.Relabel) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("(put at %v by %s at %s)", r.PutAt, r.By, r.At.Format("15:04:05.000"))
}
