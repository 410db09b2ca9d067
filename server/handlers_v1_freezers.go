package server

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"freezer/domain"
)

// Freezer routes of /api/v1.

// v1Freezer is a freezer on /api/v1.
type v1Freezer struct {
	domain.Freezer
	CompatID int64 `json:"compat_id"`
}

func (s *Server) handleV1ListFreezers(w http.ResponseWriter, r *http.Request, a Account) {
	freezers, err := s.store.ListFreezers(r.Context(), a.ID)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	out := make([]v1Freezer, len(freezers))
	for i, f := range freezers {
		out[i] = v1Freezer{f.Freezer, f.Num}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleV1GetFreezer(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "freezer")
	if !ok {
		return
	}
	f, err := s.store.FindFreezer(r.Context(), a.ID, id)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v1Freezer{f.Freezer, f.Num})
}

func (s *Server) handleV1CreateFreezer(w http.ResponseWriter, r *http.Request, a Account) {
	var body struct {
		ID    uuid.UUID `json:"id"`
		Name  string    `json:"name"`
		Boxes int       `json:"boxes"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	f, err := s.store.CreateFreezer(r.Context(), a.ID, domain.Freezer{ID: body.ID, Name: body.Name, Boxes: body.Boxes}, UniqueName)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/freezers/"+f.ID.String())
	writeJSON(w, http.StatusCreated, v1Freezer{f.Freezer, f.Num})
}

func (s *Server) handleV1UpdateFreezer(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "freezer")
	if !ok {
		return
	}
	var body struct {
		Name  *string `json:"name"`
		Boxes *int    `json:"boxes"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	f, err := s.store.UpdateFreezer(r.Context(), a.ID, id, FreezerUpdate{Name: body.Name, Boxes: body.Boxes})
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v1Freezer{f.Freezer, f.Num})
}

func (s *Server) handleV1DeleteFreezer(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "freezer")
	if !ok {
		return
	}
	if err := s.store.DeleteFreezer(r.Context(), a.ID, id); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleV1NextSlots(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.pathID(w, r, "freezer")
	if !ok {
		return
	}
	f, err := s.store.FindFreezer(r.Context(), a.ID, id)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	products, err := s.store.FindProducts(r.Context(), a.ID, ProductFilter{Where: Inside, FreezerID: &f.ID})
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	next := domain.NextFreeSlots(domainProducts(products), f.Freezer)
	out := make(map[string]int, len(next))
	for box, slot := range next {
		out[strconv.Itoa(box)] = slot
	}
	writeJSON(w, http.StatusOK, out)
}
