package web

import (
	"net/http"
	"slices"

	"freezer/domain"
	"freezer/server"
)

// The inventory, read-only: what is inside (or taken out), with the
// app's statuses and their words, filtered by freezer and status.

type invRow struct {
	Name, Type, Freezer string
	Box, Slot, Quantity int
	DateIn, Deadline    domain.Date
	DateOut             domain.Date
	Status              string // overdue, due_soon, ok, out: a CSS class and a message key
}

type invFreezer struct {
	ID, Name string
	Selected bool
}

type inventory struct {
	Rows                     []invRow
	Freezers                 []invFreezer
	Status                   string
	Statuses                 []string
	Inside, Overdue, DueSoon int
}

// statusFilters are the status filter's choices; "inside" is the default.
var statusFilters = []string{"inside", "overdue", "due_soon", "ok", "out", "all"}

func statusName(s domain.Status) string {
	switch s {
	case domain.StatusOverdue:
		return "overdue"
	case domain.StatusDueSoon:
		return "due_soon"
	case domain.StatusOut:
		return "out"
	}
	return "ok"
}

func (h *Handler) handleInventory(rq *request) {
	ctx := rq.r.Context()
	q := rq.r.URL.Query()
	status := q.Get("status")
	if !slices.Contains(statusFilters, status) {
		status = "inside"
	}
	freezers, err := h.store.ListFreezers(ctx, rq.sess.AccountID)
	if err != nil {
		rq.internal("list freezers", err)
		return
	}
	filter := server.ProductFilter{Where: server.All}
	inv := inventory{Status: status, Statuses: statusFilters}
	for _, f := range freezers {
		sel := f.ID.String() == q.Get("freezer")
		if sel {
			id := f.ID
			filter.FreezerID = &id
		}
		inv.Freezers = append(inv.Freezers, invFreezer{ID: f.ID.String(), Name: f.Name, Selected: sel})
	}
	products, err := h.store.FindProducts(ctx, rq.sess.AccountID, filter)
	if err != nil {
		rq.internal("find products", err)
		return
	}
	types, err := h.store.ListTypes(ctx)
	if err != nil {
		rq.internal("list types", err)
		return
	}
	inv.Rows = h.inventoryRows(rq.lang, products, types, status, &inv)
	rq.render(http.StatusOK, "inventory", "inventory.title", "inventory", inv)
}

// inventoryRows keeps the products the status filter selects, soonest
// deadline first (taken out: latest out first), and counts the inside.
func (h *Handler) inventoryRows(lang string, products []server.Product, types []domain.ProductType, status string, inv *inventory) []invRow {
	today := domain.DateOf(h.now())
	typeName := map[int]string{}
	for _, t := range types {
		typeName[t.ID] = t.Name(lang)
	}
	rows := []invRow{}
	for _, p := range products {
		st := statusName(p.Status(today, domain.DefaultDueSoon))
		if st != "out" {
			inv.Inside++
			inv.Overdue += b2i(st == "overdue")
			inv.DueSoon += b2i(st == "due_soon")
		}
		if !(status == "all" || status == st || status == "inside" && st != "out") {
			continue
		}
		rows = append(rows, invRow{Name: p.Name, Type: typeName[p.TypeID], Freezer: p.FreezerName,
			Box: p.Location.Box, Slot: p.Location.Slot, Quantity: p.Quantity,
			DateIn: p.DateIn, Deadline: p.Deadline(), DateOut: p.DateOut, Status: st})
	}
	slices.SortStableFunc(rows, func(a, b invRow) int {
		if (a.Status == "out") != (b.Status == "out") {
			return b2i(a.Status == "out") - b2i(b.Status == "out")
		}
		if a.Status == "out" {
			return b.DateOut.Compare(a.DateOut)
		}
		return a.Deadline.Compare(b.Deadline)
	})
	return rows
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
