package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// GET /api/v1/suggestions: what to eat first (domain.Plan) and what to
// restock (domain.Restock), computed from the server's copy of the
// account's products, which holds each take-out's date and outcome. The
// reasons come as data (a code and its numbers) and in words, in English
// or French by Accept-Language.

// v1Reason is a reason: its code, its numbers, and its words.
type v1Reason struct {
	domain.Reason
	Text string `json:"text"`
}

// v1Suggestion is a product to eat soon.
type v1Suggestion struct {
	Product v1Product  `json:"product"`
	Score   float64    `json:"score"`
	Reasons []v1Reason `json:"reasons"`
}

// v1RestockHint is a type to think of when shopping.
type v1RestockHint struct {
	TypeID int      `json:"type_id"`
	Type   string   `json:"type"`
	Reason v1Reason `json:"reason"`
}

// v1Suggestions is the answer of GET /api/v1/suggestions.
type v1Suggestions struct {
	Lang    string          `json:"lang"`
	Today   domain.Date     `json:"today"`
	Count   int             `json:"count"`
	Days    int             `json:"days"`
	Plan    []v1Suggestion  `json:"plan"`
	Restock []v1RestockHint `json:"restock"`
}

func (s *Server) handleV1Suggestions(w http.ResponseWriter, r *http.Request, a Account) {
	opts, err := parseSuggestQuery(r.URL.Query())
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	lang := suggestLang(r.Header.Get("Accept-Language"))
	products, err := s.store.FindProducts(r.Context(), a.ID, ProductFilter{Where: All})
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	types, err := s.typeNames(r)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	typeName := func(id int) string {
		if t, ok := types[id]; ok {
			return t.Name(lang)
		}
		return "#" + strconv.Itoa(id)
	}
	today := s.today()
	all := domainProducts(products)
	byID := make(map[uuid.UUID]Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	out := v1Suggestions{Lang: lang, Today: today, Count: opts.Count, Days: opts.Horizon,
		Plan: []v1Suggestion{}, Restock: []v1RestockHint{}}
	for _, sg := range domain.Plan(all, today, opts) {
		vs := v1Suggestion{Product: s.toV1Product(byID[sg.Product.ID], today), Score: sg.Score, Reasons: []v1Reason{}}
		for _, why := range sg.Reasons {
			vs.Reasons = append(vs.Reasons, v1Reason{why, why.Text(lang, typeName(why.TypeID))})
		}
		out.Plan = append(out.Plan, vs)
	}
	for _, h := range domain.Restock(all, today) {
		out.Restock = append(out.Restock, v1RestockHint{TypeID: h.TypeID, Type: typeName(h.TypeID),
			Reason: v1Reason{h.Reason, h.Reason.Text(lang, typeName(h.TypeID))}})
	}
	w.Header().Set("Content-Language", lang)
	w.Header().Add("Vary", "Accept-Language")
	writeJSON(w, http.StatusOK, out)
}

// parseSuggestQuery reads count (1 to domain.MaxSuggestCount) and days (1
// to domain.MaxSuggestHorizon); both are optional.
func parseSuggestQuery(q map[string][]string) (domain.SuggestOptions, error) {
	o := domain.SuggestOptions{Count: domain.DefaultSuggestCount, Horizon: domain.DefaultSuggestHorizon}
	for k, v := range q {
		var dst *int
		var most int
		switch k {
		case "count":
			dst, most = &o.Count, domain.MaxSuggestCount
		case "days":
			dst, most = &o.Horizon, domain.MaxSuggestHorizon
		default:
			return o, domain.FieldErrorf(k, "Unknown query parameter %q: use count and days.", k)
		}
		n, err := strconv.Atoi(v[len(v)-1]) // the last value of a repeated parameter wins
		if err != nil || n < 1 || n > most {
			return o, domain.FieldErrorf(k, "%s must be a number from 1 to %d.", k, most)
		}
		*dst = n
	}
	return o, nil
}

// suggestLang picks "fr" or "en" from an Accept-Language header: the
// language with the highest weight among the two (the first on a tie),
// English when neither is named.
func suggestLang(header string) string {
	best, bestQ := "en", 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if primary != "en" && primary != "fr" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
