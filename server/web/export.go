package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"freezer/domain"
	"freezer/server"
)

// The export of the account's inventory, in the app's formats (storage's
// export): JSON ("freezer-inventory", version 1, which the app imports)
// and CSV with the same columns.

type (
	exportDoc     = domain.ExportDoc
	exportFreezer = domain.ExportFreezer
	exportProduct = domain.ExportProduct
)

// csvHeader is the app's CSV export header.
var csvHeader = domain.ExportCSVHeader

// exportData reads the account's freezers and products, sorted by id like
// the app's export. A freezer deleted since, whose products are history,
// is listed as deleted with the most boxes its products used.
func (h *Handler) exportData(rq *request) ([]exportFreezer, []server.Product, error) {
	ctx := rq.r.Context()
	freezers, err := h.store.ListFreezers(ctx, rq.sess.AccountID)
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	products, err := h.store.FindProducts(ctx, rq.sess.AccountID, server.ProductFilter{Where: server.All})
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	byID := map[string]int{}
	var out []exportFreezer
	for _, f := range freezers {
		byID[f.ID.String()] = len(out)
		out = append(out, exportFreezer{ID: f.ID.String(), Name: f.Name, Boxes: f.Boxes})
	}
	for _, p := range products {
		id := p.Location.FreezerID.String()
		i, ok := byID[id]
		if !ok {
			i = len(out)
			byID[id] = i
			out = append(out, exportFreezer{ID: id, Name: p.FreezerName, Boxes: 1, Deleted: true})
		}
		if out[i].Deleted {
			out[i].Boxes = max(out[i].Boxes, p.Location.Box)
		}
	}
	slices.SortFunc(out, func(a, b exportFreezer) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(products, func(a, b server.Product) int { return strings.Compare(a.ID.String(), b.ID.String()) })
	return out, products, nil
}

func (h *Handler) handleExportJSON(rq *request) {
	freezers, products, err := h.exportData(rq)
	if err != nil {
		rq.internal("export", err)
		return
	}
	doc := exportDoc{Format: domain.ExportFormat, Version: 1, Freezers: freezers, Products: []exportProduct{}}
	for _, p := range products {
		doc.Products = append(doc.Products, exportProduct{ID: p.ID.String(), Name: p.Name, Description: p.Description,
			TypeID: p.TypeID, FreezerID: p.Location.FreezerID.String(), Box: p.Location.Box, Slot: p.Location.Slot,
			Quantity: p.Quantity, DateIn: p.DateIn.String(), PeriodMonths: p.PeriodMonths, DateOut: p.DateOut.String(),
			Outcome: string(p.Outcome)})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		rq.internal("export", err)
		return
	}
	rq.download("freezer-export.json", "application/json", append(b, '\n'))
}

func (h *Handler) handleExportCSV(rq *request) {
	freezers, products, err := h.exportData(rq)
	if err != nil {
		rq.internal("export", err)
		return
	}
	types, err := h.store.ListTypes(rq.r.Context())
	if err != nil {
		rq.internal("export", err)
		return
	}
	typeName := map[int]string{}
	for _, t := range types {
		typeName[t.ID] = t.NameEN
	}
	boxes := map[string]exportFreezer{}
	for _, f := range freezers {
		boxes[f.ID] = f
	}
	var sb strings.Builder
	cw := csv.NewWriter(&sb)
	_ = cw.Write(csvHeader)
	for _, p := range products {
		f := boxes[p.Location.FreezerID.String()]
		_ = cw.Write([]string{p.ID.String(), p.Name, p.Description, strconv.Itoa(p.TypeID), typeName[p.TypeID],
			f.ID, p.FreezerName, strconv.Itoa(f.Boxes), strconv.Itoa(p.Location.Box), strconv.Itoa(p.Location.Slot),
			strconv.Itoa(p.Quantity), p.DateIn.String(), strconv.Itoa(p.PeriodMonths), p.Deadline().String(),
			p.DateOut.String(), string(p.Outcome)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		rq.internal("export", err)
		return
	}
	rq.download("freezer-export.csv", "text/csv; charset=utf-8", []byte(sb.String()))
}

// download answers a file to save.
func (rq *request) download(name, contentType string, body []byte) {
	rq.w.Header().Set("Content-Type", contentType)
	rq.w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = rq.w.Write(body)
}
