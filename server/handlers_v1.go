package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/google/uuid"

	"freezer/domain"
)

// Handlers of /api/v1: bearer token, JSON bodies with known keys only,
// errors as RFC 9457 problems with a stable code.

// decodeV1 reads a JSON body into dst, refusing unknown keys; on failure
// it has answered with a problem.
func (s *Server) decodeV1(w http.ResponseWriter, r *http.Request, dst any) bool {
	if !isJSON(r) {
		s.problem(w, r, http.StatusUnsupportedMediaType, codeUnsupportedType, "Send the body as Content-Type: application/json.")
		return false
	}
	// The body is read whole first, so that null (which decodes into
	// anything as "nothing") is refused rather than taken for {}.
	var raw json.RawMessage
	dec := json.NewDecoder(r.Body)
	err := dec.Decode(&raw)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil && string(raw) == "null" {
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The body is null: send a JSON object.")
		return false
	}
	if err == nil {
		dec = json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		err = dec.Decode(dst)
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

// pathID parses the {id} path segment; on failure it has answered 404.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, what string) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.problem(w, r, http.StatusNotFound, domain.ENotFound, "This "+what+" does not exist.")
		return uuid.Nil, false
	}
	return id, true
}

func (s *Server) today() domain.Date { return domain.DateOf(s.now()) }
