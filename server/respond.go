package server

import (
	"bytes"
	"encoding/json"

	"net/http"

	"freezer/domain"
)

// The error texts of the original API (seed-api.md). Third-party clients
// compare them: keep them byte for byte, missing spaces included.
const (
	textBadToken              = "Bad token given"
	textBadParameter          = "The parameter given is not correct"
	textBadFormat             = "The request does not follow the format rule. Please try again with the correct format"
	textBadRequest            = "Bad request"
	textBadContentType        = "The content-type sent is not an application/json. Please try again with this content type."
	textBadProductEmplacement = "The emplacement where you try to store your new product is not valid.Please check the box number, the freezer and the product identifier assigned to it.The emplacement is probably already taken."
	textBadProductType        = "The type given to the new product to store is not correct.It should be an integer present in the list referring to the different possible types"
	textBadProductDate        = "The date format is for the new product is not well formatted. It should follow the YYYY-MM-DD format. Please try again with this format"
	textBadProductPeriod      = "The period given for the product is not valid. It should be an integer.Please Try again with the correct setting"
	textBadProductQuantity    = "The quantity given for the product is not valid. It should be an integer.Please Try again with the correct setting"
	textServerError           = "An error occurred on the server"
	textDeleteFreezer         = "It is impossible to delete the freezer since some products are still linked to it"

	// Not in the original's table: texts for the statuses it left to Flask.
	textNotFound         = "Not Found"
	textMethodNotAllowed = "Method Not Allowed"
	textTooManyRequests  = "Too Many Requests"
)

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, textServerError, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// compatError is the error object of the original API.
type compatError struct {
	Status  int    `json:"status"`
	Details string `json:"details"`
}

func writeCompatError(w http.ResponseWriter, status int, details string) {
	writeJSON(w, status, compatError{Status: status, Details: details})
}

// compatFieldText maps the field a domain error blames to the original
// API's error text.
var compatFieldText = map[string]string{
	domain.FieldName:        textBadFormat,
	domain.FieldDescription: textBadFormat,
	domain.FieldType:        textBadProductType,
	domain.FieldLocation:    textBadProductEmplacement,
	domain.FieldQuantity:    textBadProductQuantity,
	domain.FieldDateIn:      textBadProductDate,
	domain.FieldOut:         textBadProductDate,
	domain.FieldPeriod:      textBadProductPeriod,
	domain.FieldBoxes:       textBadFormat,
	domain.FieldDeleted:     textDeleteFreezer,
}

// compatStoreError answers a store error on a compat route: a domain error
// blaming a field gets that field's text, ENotFound gets notFound, and
// anything internal is logged and answered 500 SERVER_ERROR.
func (s *Server) compatStoreError(w http.ResponseWriter, r *http.Request, err error, notFound string) {
	switch code := domain.ErrorCode(err); code {
	case domain.EInternal:
		s.logFailure(r, "request failed", err)
		writeCompatError(w, http.StatusInternalServerError, textServerError)
	case domain.ENotFound:
		writeCompatError(w, http.StatusBadRequest, notFound)
	case domain.EForbidden:
		// Not one of the original's texts: a bound it did not have (the
		// account's quota), said in a sentence.
		writeCompatError(w, http.StatusForbidden, domain.ErrorMessage(err))
	default:
		text, ok := compatFieldText[domain.ErrorField(err)]
		if !ok {
			text = textBadFormat
		}
		writeCompatError(w, http.StatusBadRequest, text)
	}
}

// problem is an RFC 9457 problem document with freezerd's stable code.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
}

// Problem codes beyond the domain's.
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeUnsupportedType  = "unsupported_media_type"
	codeTooLarge         = "too_large"
	domainNotFound       = domain.ENotFound
)

// statusOf maps domain error codes to HTTP statuses (and the client maps
// them back).
var statusOf = map[string]int{
	domain.EInvalid:      http.StatusBadRequest,
	domain.ENotFound:     http.StatusNotFound,
	domain.EConflict:     http.StatusConflict,
	domain.EUnauthorized: http.StatusUnauthorized,
	domain.EForbidden:    http.StatusForbidden,
	domain.ERateLimited:  http.StatusTooManyRequests,
	domain.EUnavailable:  http.StatusServiceUnavailable,
	domain.EInternal:     http.StatusInternalServerError,
}

func (s *Server) problem(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	s.writeProblem(w, problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code})
}

func (s *Server) writeProblem(w http.ResponseWriter, p problem) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_, _ = w.Write(buf.Bytes())
}

// v1Error answers err as a problem; internal errors are logged and shown
// as a generic sentence.
func (s *Server) v1Error(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == domain.EInternal {
		s.logFailure(r, "request failed", err)
	}
	s.writeProblem(w, problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: domain.ErrorMessage(err), Code: code, Field: domain.ErrorField(err)})
}
