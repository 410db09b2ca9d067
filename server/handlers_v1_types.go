package server

import (
	"net/http"

	"freezer/domain"
)

// Product type and trend routes of /api/v1.

func (s *Server) handleV1Types(w http.ResponseWriter, r *http.Request, a Account) {
	types, err := s.store.ListTypes(r.Context())
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, types)
}

// v1TypeCount is one row of a trend.
type v1TypeCount struct {
	domain.TypeCount
	NameEN string `json:"name_en"`
	NameFR string `json:"name_fr"`
}

func (s *Server) handleV1GeneralTrend(w http.ResponseWriter, r *http.Request, a Account) {
	counts, err := s.store.TypeFrequency(r.Context())
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.writeTrend(w, r, counts)
}

func (s *Server) handleV1MyTrend(w http.ResponseWriter, r *http.Request, a Account) {
	products, err := s.store.FindProducts(r.Context(), a.ID, ProductFilter{})
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.writeTrend(w, r, domain.TypeTendency(domainProducts(products)))
}

func (s *Server) writeTrend(w http.ResponseWriter, r *http.Request, counts []domain.TypeCount) {
	types, err := s.typeNames(r)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	out := make([]v1TypeCount, len(counts))
	for i, c := range counts {
		out[i] = v1TypeCount{c, types[c.TypeID].NameEN, types[c.TypeID].NameFR}
	}
	writeJSON(w, http.StatusOK, out)
}
