package server

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// Product routes of /api/v1, with the filters and the order of the list.

// v1Product is a product on /api/v1.
type v1Product struct {
	domain.Product
	CompatID    int64         `json:"compat_id"`
	FreezerName string        `json:"freezer_name"`
	Deadline    domain.Date   `json:"deadline"`
	Status      domain.Status `json:"status"`
}

func (s *Server) toV1Product(p Product, today domain.Date) v1Product {
	return v1Product{Product: p.Product, CompatID: p.Num, FreezerName: p.FreezerName,
		Deadline: p.Deadline(), Status: p.Status(today, domain.DefaultDueSoon)}
}

// listQuery is the query of GET /api/v1/products: the filters of the
// device store's ProductFilter.
type listQuery struct {
	filter         ProductFilter
	words          []string // q folded with domain.Fold: each must appear
	statuses       []domain.Status
	inFrom, inTo   domain.Date
	outFrom, outTo domain.Date
	sort           string
	desc           bool
	limit, offset  int
}

// listQueryKeys are the query parameters GET /api/v1/products knows.
var listQueryKeys = []string{"where", "freezer", "box", "type", "q", "status", "in_from", "in_to", "out_from", "out_to", "sort", "desc", "limit", "offset"}

// listQueryParsers read the parameter groups of a listQuery, in the order
// their errors are reported.
var listQueryParsers = []func(*listQuery, func(string) string) error{
	(*listQuery).parseWhere,
	(*listQuery).parseFreezer,
	(*listQuery).parseNumbers,
	(*listQuery).parseText,
	(*listQuery).parseStatuses,
	(*listQuery).parseDates,
	(*listQuery).parseOrder,
}

// parseListQuery reads the query of GET /api/v1/products; the error names
// the first parameter that is wrong.
func parseListQuery(q map[string][]string) (listQuery, error) {
	var lq listQuery
	for k := range q {
		if !slices.Contains(listQueryKeys, k) {
			return lq, domain.FieldErrorf(k, "Unknown query parameter %q.", k)
		}
	}
	// The last value of a repeated parameter wins.
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[len(v)-1]
		}
		return ""
	}
	for _, parse := range listQueryParsers {
		if err := parse(&lq, get); err != nil {
			return lq, err
		}
	}
	return lq, nil
}

// parseWhere reads where: inside (the default), out or all.
func (lq *listQuery) parseWhere(get func(string) string) error {
	switch get("where") {
	case "", "inside":
		lq.filter.Where = Inside
	case "out":
		lq.filter.Where = Out
	case "all":
		lq.filter.Where = All
	default:
		return domain.FieldErrorf("where", "where is inside, out or all.")
	}
	return nil
}

// parseFreezer reads freezer, a freezer id.
func (lq *listQuery) parseFreezer(get func(string) string) error {
	v := get("freezer")
	if v == "" {
		return nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return domain.FieldErrorf("freezer", "freezer must be a freezer id (UUID).")
	}
	lq.filter.FreezerID = &id
	return nil
}

// parseNumbers reads the whole-number parameters box, type, limit and
// offset.
func (lq *listQuery) parseNumbers(get func(string) string) error {
	for _, k := range []string{"box", "type", "limit", "offset"} {
		v := get(k)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return domain.FieldErrorf(k, "%s must be a whole number.", k)
		}
		switch k {
		case "box":
			lq.filter.Box = &n
		case "type":
			lq.filter.TypeID = &n
		case "limit":
			lq.limit = n
		case "offset":
			lq.offset = n
		}
	}
	return nil
}

// parseText reads q, the text searched in names and descriptions. It is
// folded like the device store's search (case, accents and ligatures
// ignored: "noel" finds "Soupe de Noël") and split in words that must all
// appear, in the name or the description.
func (lq *listQuery) parseText(get func(string) string) error {
	lq.words = strings.Fields(domain.Fold(get("q")))
	return nil
}

// parseStatuses reads status, a comma-separated list of statuses.
func (lq *listQuery) parseStatuses(get func(string) string) error {
	v := get("status")
	if v == "" {
		return nil
	}
	for st := range strings.SplitSeq(v, ",") {
		switch s := domain.Status(strings.TrimSpace(st)); s {
		case domain.StatusOverdue, domain.StatusDueSoon, domain.StatusOK, domain.StatusOut:
			lq.statuses = append(lq.statuses, s)
		default:
			return domain.FieldErrorf("status", "status is a comma-separated list of overdue, due_soon, ok, out.")
		}
	}
	return nil
}

// parseDates reads the date ranges in_from, in_to, out_from and out_to.
func (lq *listQuery) parseDates(get func(string) string) error {
	for k, d := range map[string]*domain.Date{"in_from": &lq.inFrom, "in_to": &lq.inTo, "out_from": &lq.outFrom, "out_to": &lq.outTo} {
		if v := get(k); v != "" {
			t, err := domain.ParseDate(v)
			if err != nil {
				return domain.FieldErrorf(k, "%s must be a date (YYYY-MM-DD).", k)
			}
			*d = t
		}
	}
	return nil
}

// parseOrder reads sort and desc.
func (lq *listQuery) parseOrder(get func(string) string) error {
	lq.sort = get("sort")
	if !slices.Contains([]string{"", "id", "name", "date_in", "deadline", "location", "type", "quantity", "date_out"}, lq.sort) {
		return domain.FieldErrorf("sort", "sort is one of id, name, date_in, deadline, location, type, quantity, date_out.")
	}
	switch get("desc") {
	case "", "false", "0":
	case "true", "1":
		lq.desc = true
	default:
		return domain.FieldErrorf("desc", "desc is true or false.")
	}
	return nil
}

func (lq listQuery) keep(p v1Product) bool {
	if len(lq.words) > 0 {
		text := domain.Fold(p.Name + "\n" + p.Description)
		for _, w := range lq.words {
			if !strings.Contains(text, w) {
				return false
			}
		}
	}
	if len(lq.statuses) > 0 && !slices.Contains(lq.statuses, p.Status) {
		return false
	}
	if (!lq.inFrom.IsZero() && p.DateIn.Before(lq.inFrom)) || (!lq.inTo.IsZero() && p.DateIn.After(lq.inTo)) {
		return false
	}
	if !lq.outFrom.IsZero() && (p.DateOut.IsZero() || p.DateOut.Before(lq.outFrom)) {
		return false
	}
	if !lq.outTo.IsZero() && (p.DateOut.IsZero() || p.DateOut.After(lq.outTo)) {
		return false
	}
	return true
}

// sortLang is the collation /api/v1 sorts names with: a request has no
// language, and the English and French collations agree on the names
// people write (accents and case second, numbers in natural order).
const sortLang = "en"

// compareFreezerNames orders freezer names naturally ("Freezer 2" before
// "Freezer 10"); equal names, the common case, skip the collator.
func compareFreezerNames(a, b string) int {
	if a == b {
		return 0
	}
	return domain.CompareNames(sortLang, a, b)
}

func (lq listQuery) compare(a, b v1Product) int {
	var c int
	switch lq.sort {
	case "name":
		c = domain.CompareNames(sortLang, a.Name, b.Name)
	case "date_in":
		c = a.DateIn.Compare(b.DateIn)
	case "deadline":
		c = a.Deadline.Compare(b.Deadline)
	case "location":
		c = cmp.Or(compareFreezerNames(a.FreezerName, b.FreezerName), cmp.Compare(a.Location.Box, b.Location.Box), cmp.Compare(a.Location.Slot, b.Location.Slot))
	case "type":
		c = cmp.Compare(a.TypeID, b.TypeID)
	case "quantity":
		c = cmp.Compare(a.Quantity, b.Quantity)
	case "date_out":
		c = a.DateOut.Compare(b.DateOut)
	}
	if lq.desc {
		c = -c
	}
	return cmp.Or(c, cmp.Compare(a.CompatID, b.CompatID))
}

func (s *Server) handleV1ListProducts(w http.ResponseWriter, r *http.Request, a Account) {
	lq, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	products, err := s.store.FindProducts(r.Context(), a.ID, lq.filter)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	today := s.today()
	out := make([]v1Product, 0, len(products))
	for _, p := range products {
		if vp := s.toV1Product(p, today); lq.keep(vp) {
			out = append(out, vp)
		}
	}
	slices.SortStableFunc(out, lq.compare)
	out = out[min(lq.offset, len(out)):]
	if lq.limit > 0 && lq.limit < len(out) {
		out = out[:lq.limit]
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleV1GetProduct(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "product")
	if !ok {
		return
	}
	p, err := s.store.FindProduct(r.Context(), a.ID, id)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toV1Product(p, s.today()))
}

func (s *Server) handleV1CreateProduct(w http.ResponseWriter, r *http.Request, a Account) {
	var body struct {
		ID           uuid.UUID       `json:"id"`
		Name         string          `json:"name"`
		Description  string          `json:"description"`
		TypeID       int             `json:"type_id"`
		Location     domain.Location `json:"location"`
		Quantity     int             `json:"quantity"`
		DateIn       domain.Date     `json:"date_in"`
		PeriodMonths int             `json:"period_months"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	p, err := s.store.CreateProduct(r.Context(), a.ID, domain.Product{
		ID: body.ID, Name: body.Name, Description: body.Description, TypeID: body.TypeID, Location: body.Location,
		Quantity: body.Quantity, DateIn: body.DateIn, PeriodMonths: body.PeriodMonths,
	})
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/products/"+p.ID.String())
	writeJSON(w, http.StatusCreated, s.toV1Product(p, s.today()))
}

func (s *Server) handleV1UpdateProduct(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "product")
	if !ok {
		return
	}
	var body struct {
		Name         *string          `json:"name"`
		Description  *string          `json:"description"`
		TypeID       *int             `json:"type_id"`
		Location     *domain.Location `json:"location"`
		Quantity     *int             `json:"quantity"`
		DateIn       *domain.Date     `json:"date_in"`
		PeriodMonths *int             `json:"period_months"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	s.updateProduct(w, r, a, id, ProductUpdate{
		Name: body.Name, Description: body.Description, TypeID: body.TypeID, Location: body.Location,
		Quantity: body.Quantity, DateIn: body.DateIn, PeriodMonths: body.PeriodMonths,
	}, nil)
}

// updateProduct applies upd after check (when given) accepted the product
// as it is now.
func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request, a Account, id uuid.UUID, upd ProductUpdate, check func(Product) error) {
	if check != nil {
		cur, err := s.store.FindProduct(r.Context(), a.ID, id)
		if err == nil {
			err = check(cur)
		}
		if err != nil {
			s.v1Error(w, r, err)
			return
		}
	}
	p, err := s.store.UpdateProduct(r.Context(), a.ID, id, upd)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toV1Product(p, s.today()))
}

func (s *Server) handleV1TakeOut(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "product")
	if !ok {
		return
	}
	var body struct {
		DateOut domain.Date    `json:"date_out"`
		Outcome domain.Outcome `json:"outcome"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	if body.DateOut.IsZero() {
		body.DateOut = s.today()
	}
	if body.Outcome == domain.OutcomeNone {
		body.Outcome = domain.OutcomeEaten
	}
	s.updateProduct(w, r, a, id, ProductUpdate{DateOut: &body.DateOut, Outcome: &body.Outcome}, func(p Product) error {
		if !p.Inside() {
			return &domain.Error{Code: domain.EConflict, Field: domain.FieldOut, Message: fmt.Sprintf("%q was already taken out on %s.", p.Name, p.DateOut)}
		}
		return nil
	})
}

// handleV1DeleteProduct deletes a product entered by mistake: 204, then
// the product is absent from lists and 404s (its tombstone syncs).
func (s *Server) handleV1DeleteProduct(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "product")
	if !ok {
		return
	}
	if err := s.store.DeleteProduct(r.Context(), a.ID, id); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleV1PutBack(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "product")
	if !ok {
		return
	}
	var body struct {
		Location *domain.Location `json:"location"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	s.updateProduct(w, r, a, id, ProductUpdate{DateOut: &domain.Date{}, Location: body.Location}, func(p Product) error {
		if p.Inside() {
			return &domain.Error{Code: domain.EConflict, Field: domain.FieldOut, Message: fmt.Sprintf("%q is still inside.", p.Name)}
		}
		return nil
	})
}
