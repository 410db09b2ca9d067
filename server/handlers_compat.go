package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"freezer/domain"
)

// Handlers of the original Freezer Manager API (seed-api.md). The token is
// the last path segment; errors are {"status", "details"} with the
// original's texts; successful writes answer 200 with an empty body.

type compatType struct {
	TypeID int    `json:"type_id"`
	NameEN string `json:"type_name_en"`
	NameFR string `json:"type_name_fr"`
}

type compatFreezer struct {
	FreezerID int64  `json:"freezer_id"`
	Name      string `json:"freezer_name"`
	Boxes     int    `json:"number_boxes"`
}

// compatProduct is a product as get_product lists it (keys in the
// original's sorted order).
type compatProduct struct {
	BoxNum      int     `json:"box_num"`
	DateIn      string  `json:"date_formatted_in"`
	DateOut     *string `json:"date_formatted_out"`
	DescrID     int64   `json:"descr_id"`
	FreezerID   int64   `json:"freezer_id"`
	FreezerName string  `json:"freezer_name"`
	Period      int     `json:"period"`
	ProdNum     int     `json:"prod_num"`
	ProductName string  `json:"product_name"`
	Quantity    int     `json:"quantity"`
	TextDescr   string  `json:"text_descr"`
	TypeID      int     `json:"type_id"`
}

type compatFrequency struct {
	Freq   int    `json:"freq"`
	TypeID int    `json:"type_id"`
	NameEN string `json:"type_name_en"`
	NameFR string `json:"type_name_fr"`
}

type compatTendency struct {
	Freq   int     `json:"freq"`
	Latest *string `json:"latest"`
	TypeID int     `json:"type_id"`
	NameEN string  `json:"type_name_en"`
	NameFR string  `json:"type_name_fr"`
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"name":    "freezerd",
		"about":   "Freezer inventory server: the original Freezer Manager API and /api/v1.",
		"openapi": "/api/v1/openapi.json",
	})
}

func (s *Server) handleCheckToken(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.compatAccount(w, r); ok {
		w.WriteHeader(http.StatusOK)
	}
}

func (s *Server) handleCompatTypes(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.compatAccount(w, r); !ok {
		return
	}
	types, err := s.store.ListTypes(r.Context())
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return
	}
	out := make([]compatType, len(types))
	for i, t := range types {
		out[i] = compatType{t.ID, t.NameEN, t.NameFR}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleCompatListFreezers(w http.ResponseWriter, r *http.Request) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return
	}
	s.cachedJSON(w, a, "freezers", func() (any, bool) {
		freezers, err := s.store.ListFreezers(r.Context(), a.ID)
		if err != nil {
			s.compatStoreError(w, r, err, textServerError)
			return nil, false
		}
		out := make([]compatFreezer, len(freezers))
		for i, f := range freezers {
			out[i] = compatFreezer{f.Num, f.Name, f.Boxes}
		}
		return out, true
	})
}

// compatBody checks the content type and reads the JSON object of a write;
// on failure it has answered 415 or 400 BAD_FORMAT.
func compatBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	if !isJSON(r) {
		writeCompatError(w, http.StatusUnsupportedMediaType, textBadContentType)
		return nil, false
	}
	obj, ok := readObject(r.Body)
	if !ok {
		writeCompatError(w, http.StatusBadRequest, textBadFormat)
		return nil, false
	}
	return obj, true
}

// compatFreezerWrite does the work common to POST, PUT and DELETE /freezers.
func (s *Server) compatFreezerWrite(w http.ResponseWriter, r *http.Request) (Account, freezerBody, bool) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return Account{}, freezerBody{}, false
	}
	obj, ok := compatBody(w, r)
	if !ok {
		return Account{}, freezerBody{}, false
	}
	b, text := decodeFreezerBody(obj, r.Method)
	if text != "" {
		writeCompatError(w, http.StatusBadRequest, text)
		return Account{}, freezerBody{}, false
	}
	return a, b, true
}

func (s *Server) handleCompatCreateFreezer(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.compatFreezerWrite(w, r)
	if !ok {
		return
	}
	if _, err := s.store.CreateFreezer(r.Context(), a.ID, domain.Freezer{Name: b.Name.v, Boxes: b.Boxes.v}, RepeatedName); err != nil {
		s.compatStoreError(w, r, err, textBadFormat)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleCompatUpdateFreezer(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.compatFreezerWrite(w, r)
	if !ok {
		return
	}
	f, err := s.store.FindFreezerByNum(r.Context(), a.ID, int64(b.ID.v))
	if err != nil {
		s.compatStoreError(w, r, err, textBadFormat)
		return
	}
	upd := FreezerUpdate{Names: RepeatedName} // the original allowed two freezers with one name
	if b.Name.set {
		upd.Name = &b.Name.v
	}
	if b.Boxes.set {
		upd.Boxes = &b.Boxes.v
	}
	if _, err := s.store.UpdateFreezer(r.Context(), a.ID, f.ID, upd); err != nil {
		s.compatStoreError(w, r, err, textBadFormat)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleCompatDeleteFreezer(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.compatFreezerWrite(w, r)
	if !ok {
		return
	}
	f, err := s.store.FindFreezerByNum(r.Context(), a.ID, int64(b.ID.v))
	if err != nil {
		s.compatStoreError(w, r, err, textBadFormat)
		return
	}
	if err := s.store.DeleteFreezer(r.Context(), a.ID, f.ID); err != nil {
		s.compatStoreError(w, r, err, textBadFormat)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleCompatNextID(w http.ResponseWriter, r *http.Request) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return
	}
	num, _ := parseIntSegment(r.PathValue("freezer_id"))
	f, err := s.store.FindFreezerByNum(r.Context(), a.ID, num)
	if err != nil {
		s.compatStoreError(w, r, err, textBadFormat)
		return
	}
	products, err := s.store.FindProducts(r.Context(), a.ID, ProductFilter{Where: Inside, FreezerID: &f.ID})
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return
	}
	next := domain.NextFreeSlots(domainProducts(products), f.Freezer)
	out := make(map[string]int, len(next))
	for box, slot := range next {
		out[strconv.Itoa(box)] = slot
	}
	writeJSON(w, http.StatusOK, out)
}

func domainProducts(ps []Product) []domain.Product {
	out := make([]domain.Product, len(ps))
	for i, p := range ps {
		out[i] = p.Product
	}
	return out
}

func (s *Server) handleCompatGetProducts(w http.ResponseWriter, r *http.Request) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return
	}
	var filter ProductFilter
	switch r.PathValue("param") {
	case "all":
		filter.Where = All
	case "inside":
		filter.Where = Inside
	case "outside":
		filter.Where = Out
	default:
		writeCompatError(w, http.StatusBadRequest, textBadParameter)
		return
	}
	num, _ := parseIntSegment(r.PathValue("freezer_id"))
	if num != 0 {
		filter.FreezerNum = &num
	}
	s.cachedJSON(w, a, "get_product/"+r.PathValue("param")+"/"+strconv.FormatInt(num, 10), func() (any, bool) {
		products, err := s.store.FindProducts(r.Context(), a.ID, filter)
		if err != nil {
			s.compatStoreError(w, r, err, textServerError)
			return nil, false
		}
		out := make([]compatProduct, len(products))
		for i, p := range products {
			out[i] = toCompatProduct(p)
		}
		return out, true
	})
}

func toCompatProduct(p Product) compatProduct {
	c := compatProduct{
		BoxNum: p.Location.Box, DateIn: p.DateIn.String(), DescrID: p.Num, FreezerID: p.FreezerNum,
		FreezerName: p.FreezerName, Period: p.PeriodMonths, ProdNum: p.Location.Slot, ProductName: p.Name,
		Quantity: p.Quantity, TextDescr: p.Description, TypeID: p.TypeID,
	}
	if !p.Inside() {
		out := p.DateOut.String()
		c.DateOut = &out
	}
	return c
}

func (s *Server) handleCompatAddProduct(w http.ResponseWriter, r *http.Request) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return
	}
	obj, ok := compatBody(w, r)
	if !ok {
		return
	}
	b, text := decodeProductBody(obj, false)
	if text != "" {
		writeCompatError(w, http.StatusBadRequest, text)
		return
	}
	p := domain.Product{
		Name: b.Name.v, Description: b.Description.v, TypeID: b.TypeID.v,
		Location: domain.Location{Box: b.Box.v, Slot: b.Slot.v},
		Quantity: b.Persons.v, DateIn: b.DateIn.v, PeriodMonths: b.Period.v,
	}
	if _, err := s.store.CreateProductInFreezerNum(r.Context(), a.ID, int64(b.FreezerNum.v), p); err != nil {
		s.compatStoreError(w, r, err, textBadProductEmplacement)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleCompatUpdateProduct(w http.ResponseWriter, r *http.Request) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return
	}
	obj, ok := compatBody(w, r)
	if !ok {
		return
	}
	b, text := decodeProductBody(obj, true)
	if text != "" {
		writeCompatError(w, http.StatusBadRequest, text)
		return
	}
	p, ok := s.compatProductAt(w, r, a)
	if !ok {
		return
	}
	upd := compatProductUpdate(b)
	if b.FreezerNum.set || b.Box.set || b.Slot.set {
		loc, err := s.compatNewLocation(r.Context(), a, p, b)
		if err != nil {
			s.compatStoreError(w, r, err, textBadProductEmplacement)
			return
		}
		upd.Location = &loc
	}
	if _, err := s.store.UpdateProduct(r.Context(), a.ID, p.ID, upd); err != nil {
		s.compatStoreError(w, r, err, textBadParameter)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// compatProductAt finds the product update_product names by its place in
// the path (freezer, box, slot) and whether it is inside; on failure it has
// answered with the original's error.
func (s *Server) compatProductAt(w http.ResponseWriter, r *http.Request, a Account) (Product, bool) {
	num, _ := parseIntSegment(r.PathValue("freezer_id"))
	box, _ := parseIntSegment(r.PathValue("box_num"))
	slot, _ := parseIntSegment(r.PathValue("prod_num"))
	inside, _ := parseIntSegment(r.PathValue("inside"))
	boxN, slotN := int(box), int(slot)
	filter := ProductFilter{Where: Out, FreezerNum: &num, Box: &boxN, Slot: &slotN}
	if inside > 0 {
		filter.Where = Inside
	}
	found, err := s.store.FindProducts(r.Context(), a.ID, filter)
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return Product{}, false
	}
	if len(found) == 0 {
		writeCompatError(w, http.StatusBadRequest, textBadParameter)
		return Product{}, false
	}
	return found[len(found)-1], true // the latest, when history holds several
}

// compatProductUpdate returns the changes of an update_product body (its
// values other than ""), but for the place, which compatNewLocation reads.
func compatProductUpdate(b productBody) ProductUpdate {
	var upd ProductUpdate
	if b.Name.set {
		upd.Name = &b.Name.v
	}
	if b.Description.set {
		upd.Description = &b.Description.v
	}
	if b.TypeID.set {
		upd.TypeID = &b.TypeID.v
	}
	if b.Persons.set {
		upd.Quantity = &b.Persons.v
	}
	if b.DateIn.set {
		upd.DateIn = &b.DateIn.v
	}
	if b.Period.set {
		upd.PeriodMonths = &b.Period.v
	}
	switch {
	case b.PutBack:
		upd.DateOut = &domain.Date{}
	case b.DateOut.set:
		upd.DateOut = &b.DateOut.v
	}
	return upd
}

// compatNewLocation returns p's place with the freezer, box and slot that
// the body b sets; the freezer is looked up only when its number changes.
func (s *Server) compatNewLocation(ctx context.Context, a Account, p Product, b productBody) (domain.Location, error) {
	loc := p.Location
	if b.FreezerNum.set && int64(b.FreezerNum.v) != p.FreezerNum {
		f, err := s.store.FindFreezerByNum(ctx, a.ID, int64(b.FreezerNum.v))
		if err != nil {
			return domain.Location{}, err
		}
		loc.FreezerID = f.ID
	}
	if b.Box.set {
		loc.Box = b.Box.v
	}
	if b.Slot.set {
		loc.Slot = b.Slot.v
	}
	return loc, nil
}

// typeNames returns the product types by id.
func (s *Server) typeNames(r *http.Request) (map[int]domain.ProductType, error) {
	types, err := s.store.ListTypes(r.Context())
	if err != nil {
		return nil, err
	}
	m := make(map[int]domain.ProductType, len(types))
	for _, t := range types {
		m[t.ID] = t
	}
	return m, nil
}

func (s *Server) handleCompatGeneralTendency(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.compatAccount(w, r); !ok {
		return
	}
	counts, err := s.store.TypeFrequency(r.Context())
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return
	}
	types, err := s.typeNames(r)
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return
	}
	out := make([]compatFrequency, len(counts))
	for i, c := range counts {
		t := types[c.TypeID]
		out[i] = compatFrequency{c.Count, c.TypeID, t.NameEN, t.NameFR}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleCompatCustomTendency(w http.ResponseWriter, r *http.Request) {
	a, ok := s.compatAccount(w, r)
	if !ok {
		return
	}
	products, err := s.store.FindProducts(r.Context(), a.ID, ProductFilter{})
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return
	}
	types, err := s.typeNames(r)
	if err != nil {
		s.compatStoreError(w, r, err, textServerError)
		return
	}
	counts := domain.TypeTendency(domainProducts(products))
	out := make([]compatTendency, len(counts))
	for i, c := range counts {
		t := types[c.TypeID]
		out[i] = compatTendency{Freq: c.Count, TypeID: c.TypeID, NameEN: t.NameEN, NameFR: t.NameFR}
		if !c.Latest.IsZero() {
			l := c.Latest.String()
			out[i].Latest = &l
		}
	}
	writeJSON(w, http.StatusOK, out)
}
