package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"freezer/domain"
)

// Handlers of /api/v1: bearer token, JSON bodies with known keys only,
// errors as RFC 9457 problems with a stable code.

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 8

// maxPasswordBytes is bcrypt's limit.
const maxPasswordBytes = 72

// v1Freezer is a freezer on /api/v1.
type v1Freezer struct {
	domain.Freezer
	CompatID int64 `json:"compat_id"`
}

// v1Product is a product on /api/v1.
type v1Product struct {
	domain.Product
	CompatID    int64         `json:"compat_id"`
	FreezerName string        `json:"freezer_name"`
	Deadline    domain.Date   `json:"deadline"`
	Status      domain.Status `json:"status"`
}

type tokenResponse struct {
	Token string `json:"token"`
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// decodeV1 reads a JSON body into dst, refusing unknown keys; on failure
// it has answered with a problem.
func (s *Server) decodeV1(w http.ResponseWriter, r *http.Request, dst any) bool {
	if !isJSON(r) {
		s.problem(w, r, http.StatusUnsupportedMediaType, codeUnsupportedType, "Send the body as Content-Type: application/json.")
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s.problem(w, r, http.StatusRequestEntityTooLarge, codeTooLarge, fmt.Sprintf("The body is larger than %d bytes.", MaxBodyBytes))
		return false
	case err != nil:
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The body is not valid JSON for this route: "+jsonProblem(err))
		return false
	}
	return true
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return "the body must be a JSON object."
	case errors.As(err, &typeErr):
		return fmt.Sprintf("%q must be %s.", typeErr.Field, jsonKind(typeErr.Type.Kind()))
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("malformed JSON at byte %d.", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + "."
	}
	return "check the keys and the types of the values."
}

// jsonKind names what a Go kind is in JSON.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	default:
		return "a number"
	}
}

func (s *Server) bcryptCost() int {
	if s.cfg.BcryptCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.cfg.BcryptCost
}

// checkCredentials validates an email and a new password.
func checkCredentials(c credentials) error {
	email := strings.TrimSpace(c.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return domain.FieldErrorf("email", "Give a valid email address, like name@example.com.")
	}
	return checkPassword(c.Password)
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return domain.FieldErrorf("password", "The password needs at least %d characters.", MinPasswordLength)
	}
	if len(p) > maxPasswordBytes {
		return domain.FieldErrorf("password", "The password is too long: at most %d bytes.", maxPasswordBytes)
	}
	return nil
}

// Register validates the credentials and creates an account; it returns
// the account's first token. The admin command uses it too.
func (s *Server) Register(ctx context.Context, email, password string) (string, error) {
	c := credentials{Email: strings.TrimSpace(email), Password: password}
	if err := checkCredentials(c); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(c.Password), s.bcryptCost())
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	token, tokenHash := NewToken()
	if _, err := s.store.CreateAccount(ctx, c.Email, hash, tokenHash); err != nil {
		return "", err
	}
	return token, nil
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !s.decodeV1(w, r, &c) {
		return
	}
	token, err := s.Register(r.Context(), c.Email, c.Password)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	s.log.Info("account registered")
	writeJSON(w, http.StatusCreated, tokenResponse{token})
}

// dummyHash is compared against when the email is unknown, so that a login
// takes as long whether the account exists or not.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a real password"), bcrypt.MinCost)

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if !s.decodeV1(w, r, &c) {
		return
	}
	key := strings.ToLower(strings.TrimSpace(c.Email))
	if wait := s.logins.wait(key); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		s.problem(w, r, http.StatusTooManyRequests, domain.ERateLimited, "Too many failed logins for this email: wait a little before trying again.")
		return
	}
	a, err := s.store.FindAccountByEmail(r.Context(), c.Email)
	switch domain.ErrorCode(err) {
	case "":
		err = bcrypt.CompareHashAndPassword(a.PasswordHash, []byte(c.Password))
	case domain.ENotFound:
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(c.Password))
	default:
		s.v1Error(w, r, err)
		return
	}
	if err != nil {
		s.logins.failed(key)
		s.log.Info("login failed")
		s.problem(w, r, http.StatusUnauthorized, domain.EUnauthorized, "The email or the password is not right.")
		return
	}
	s.logins.succeeded(key)
	token, hash := NewToken()
	if err := s.store.AddToken(r.Context(), a.ID, hash); err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{token})
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request, a Account) {
	writeJSON(w, http.StatusOK, map[string]any{"id": a.ID, "email": a.Email})
}

// handleRotateToken revokes every token of the account (this one too) and
// answers a new one.
func (s *Server) handleRotateToken(w http.ResponseWriter, r *http.Request, a Account) {
	token, hash := NewToken()
	if err := s.store.ReplaceTokens(r.Context(), a.ID, hash); err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{token})
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request, a Account) {
	var body struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	full, err := s.store.FindAccountByEmail(r.Context(), a.Email)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	if bcrypt.CompareHashAndPassword(full.PasswordHash, []byte(body.Current)) != nil {
		s.v1Error(w, r, domain.FieldErrorf("current_password", "The current password is not right."))
		return
	}
	if err := checkPassword(body.New); err != nil {
		s.v1Error(w, r, err)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(body.New), s.bcryptCost())
	if err != nil {
		s.v1Error(w, r, fmt.Errorf("hash password: %w", err))
		return
	}
	if err := s.store.SetPassword(r.Context(), a.ID, hash); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleV1Types(w http.ResponseWriter, r *http.Request, a Account) {
	types, err := s.store.ListTypes(r.Context())
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, types)
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

// pathID parses the {id} path segment; on failure it has answered 404.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, what string) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.problem(w, r, http.StatusNotFound, domain.ENotFound, "This "+what+" does not exist.")
		return uuid.Nil, false
	}
	return id, true
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
	f, err := s.store.CreateFreezer(r.Context(), a.ID, domain.Freezer{ID: body.ID, Name: body.Name, Boxes: body.Boxes})
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

func (s *Server) today() domain.Date { return domain.DateOf(s.now()) }

func (s *Server) toV1Product(p Product, today domain.Date) v1Product {
	return v1Product{Product: p.Product, CompatID: p.Num, FreezerName: p.FreezerName,
		Deadline: p.Deadline(), Status: p.Status(today, domain.DefaultDueSoon)}
}

// listQuery is the query of GET /api/v1/products: the filters of the
// device store's ProductFilter.
type listQuery struct {
	filter         ProductFilter
	text           string
	statuses       []domain.Status
	inFrom, inTo   domain.Date
	outFrom, outTo domain.Date
	sort           string
	desc           bool
	limit, offset  int
}

func parseListQuery(q map[string][]string) (listQuery, error) {
	var lq listQuery
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[len(v)-1]
		}
		return ""
	}
	bad := func(k, format string, args ...any) error {
		return domain.FieldErrorf(k, format, args...)
	}
	for k := range q {
		if !slices.Contains([]string{"where", "freezer", "box", "type", "q", "status", "in_from", "in_to", "out_from", "out_to", "sort", "desc", "limit", "offset"}, k) {
			return lq, bad(k, "Unknown query parameter %q.", k)
		}
	}
	switch get("where") {
	case "", "inside":
		lq.filter.Where = Inside
	case "out":
		lq.filter.Where = Out
	case "all":
		lq.filter.Where = All
	default:
		return lq, bad("where", "where is inside, out or all.")
	}
	if v := get("freezer"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return lq, bad("freezer", "freezer must be a freezer id (UUID).")
		}
		lq.filter.FreezerID = &id
	}
	for _, k := range []string{"box", "type", "limit", "offset"} {
		v := get(k)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return lq, bad(k, "%s must be a whole number.", k)
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
	lq.text = strings.ToLower(strings.TrimSpace(get("q")))
	if v := get("status"); v != "" {
		for st := range strings.SplitSeq(v, ",") {
			switch s := domain.Status(strings.TrimSpace(st)); s {
			case domain.StatusOverdue, domain.StatusDueSoon, domain.StatusOK, domain.StatusOut:
				lq.statuses = append(lq.statuses, s)
			default:
				return lq, bad("status", "status is a comma-separated list of overdue, due_soon, ok, out.")
			}
		}
	}
	for k, d := range map[string]*domain.Date{"in_from": &lq.inFrom, "in_to": &lq.inTo, "out_from": &lq.outFrom, "out_to": &lq.outTo} {
		if v := get(k); v != "" {
			t, err := domain.ParseDate(v)
			if err != nil {
				return lq, bad(k, "%s must be a date (YYYY-MM-DD).", k)
			}
			*d = t
		}
	}
	lq.sort = get("sort")
	if !slices.Contains([]string{"", "id", "name", "date_in", "deadline", "location", "type", "quantity", "date_out"}, lq.sort) {
		return lq, bad("sort", "sort is one of id, name, date_in, deadline, location, type, quantity, date_out.")
	}
	switch get("desc") {
	case "", "false", "0":
	case "true", "1":
		lq.desc = true
	default:
		return lq, bad("desc", "desc is true or false.")
	}
	return lq, nil
}

func (lq listQuery) keep(p v1Product) bool {
	if lq.text != "" && !strings.Contains(strings.ToLower(p.Name), lq.text) && !strings.Contains(strings.ToLower(p.Description), lq.text) {
		return false
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

func (lq listQuery) compare(a, b v1Product) int {
	var c int
	switch lq.sort {
	case "name":
		c = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	case "date_in":
		c = a.DateIn.Compare(b.DateIn)
	case "deadline":
		c = a.Deadline.Compare(b.Deadline)
	case "location":
		c = cmp.Or(strings.Compare(a.FreezerName, b.FreezerName), cmp.Compare(a.Location.Box, b.Location.Box), cmp.Compare(a.Location.Slot, b.Location.Slot))
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
