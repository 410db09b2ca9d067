package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"freezer/domain"
)

// Decoding of the original API's request bodies: objects with an exact key
// set whose integers may be JSON numbers or numeric strings, and where ""
// often means "keep the current value".

// isJSON reports whether the request says its body is application/json.
func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// readObject reads one JSON object and nothing after it.
func readObject(body io.Reader) (map[string]json.RawMessage, bool) {
	dec := json.NewDecoder(body)
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	return obj, true
}

// hasKeys reports whether obj has every key of required, and no key
// outside required and optional.
func hasKeys(obj map[string]json.RawMessage, required []string, optional ...string) bool {
	n := 0
	for _, k := range required {
		if _, ok := obj[k]; !ok {
			return false
		}
		n++
	}
	for _, k := range optional {
		if _, ok := obj[k]; ok {
			n++
		}
	}
	return n == len(obj)
}

// field is one decoded value: set is false for "" (or null where a
// value may be left unchanged).
type field[T any] struct {
	v   T
	set bool
}

// isEmpty reports whether raw is "" or null: "leave unchanged".
func isEmpty(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return string(raw) == `""` || string(raw) == "null"
}

// parseIntSegment parses a path segment that must be an integer written
// with plain digits: no sign, no space ("+1", "-0" and " 1" are not
// integers there, as in the original API).
func parseIntSegment(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// intValue decodes an integer given as a JSON number or a numeric string.
// With allowEmpty, "" and null leave it unset.
func intValue(raw json.RawMessage, allowEmpty bool) (field[int], bool) {
	if allowEmpty && isEmpty(raw) {
		return field[int]{}, true
	}
	raw = bytes.TrimSpace(raw)
	text := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return field[int]{}, false
		}
	}
	n, err := strconv.Atoi(text)
	if err != nil || n > 1<<40 || n < -(1<<40) {
		return field[int]{}, false
	}
	return field[int]{n, true}, true
}

// stringValue decodes a JSON string; with allowEmpty, "" and null leave it unset.
func stringValue(raw json.RawMessage, allowEmpty bool) (field[string], bool) {
	if allowEmpty && isEmpty(raw) {
		return field[string]{}, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return field[string]{}, false
	}
	return field[string]{s, true}, true
}

// dateValue decodes a YYYY-MM-DD string; with allowEmpty, "" leaves it unset.
func dateValue(raw json.RawMessage, allowEmpty bool) (field[domain.Date], bool) {
	s, ok := stringValue(raw, allowEmpty)
	if !ok || !s.set {
		return field[domain.Date]{}, ok
	}
	d, err := domain.ParseDate(s.v)
	if err != nil {
		return field[domain.Date]{}, false
	}
	return field[domain.Date]{d, true}, true
}

// Key sets of the original API's bodies.
var (
	keysAddProduct    = []string{"product_name", "text_descr", "freezer_id", "type_id", "date_in", "period", "box_num", "prod_num", "quantity"}
	keysUpdateProduct = append(append([]string(nil), keysAddProduct...), "date_out")
)

// productBody is an add_product or update_product body, decoded. Unset
// fields were "" (update only).
type productBody struct {
	Name, Description          field[string]
	FreezerNum                 field[int]
	TypeID                     field[int]
	DateIn                     field[domain.Date]
	Period, Box, Slot, Persons field[int]
	// DateOut is set for update_product only: a date takes the product
	// out; putBack asks to put it back in ("null").
	DateOut field[domain.Date]
	PutBack bool
}

// decodeProductBody decodes the object of add_product (update false: every
// value required) or update_product (every value may be ""). On failure it
// returns the error text of the original API.
func decodeProductBody(obj map[string]json.RawMessage, update bool) (productBody, string) {
	keys := keysAddProduct
	if update {
		keys = keysUpdateProduct
	}
	if !hasKeys(obj, keys) {
		return productBody{}, textBadFormat
	}
	var b productBody
	var ok bool
	if b.Name, ok = stringValue(obj["product_name"], update); !ok {
		return productBody{}, textBadFormat
	}
	if b.Description, ok = stringValue(obj["text_descr"], update); !ok {
		return productBody{}, textBadFormat
	}
	if b.FreezerNum, ok = intValue(obj["freezer_id"], update); !ok {
		return productBody{}, textBadProductEmplacement
	}
	if b.TypeID, ok = intValue(obj["type_id"], update); !ok {
		return productBody{}, textBadProductType
	}
	if b.DateIn, ok = dateValue(obj["date_in"], update); !ok {
		return productBody{}, textBadProductDate
	}
	if b.Period, ok = intValue(obj["period"], update); !ok {
		return productBody{}, textBadProductPeriod
	}
	if b.Box, ok = intValue(obj["box_num"], update); !ok {
		return productBody{}, textBadProductEmplacement
	}
	if b.Slot, ok = intValue(obj["prod_num"], update); !ok {
		return productBody{}, textBadProductEmplacement
	}
	if b.Persons, ok = intValue(obj["quantity"], update); !ok {
		return productBody{}, textBadProductQuantity
	}
	if update {
		raw := bytes.TrimSpace(obj["date_out"])
		if string(raw) == `"null"` || string(raw) == "null" {
			b.PutBack = true
		} else if b.DateOut, ok = dateValue(raw, true); !ok {
			return productBody{}, textBadProductDate
		}
	}
	return b, ""
}

// freezerBody is a /freezers POST, PUT or DELETE body, decoded.
type freezerBody struct {
	ID    field[int]
	Boxes field[int]
	Name  field[string]
}

// decodeFreezerBody decodes a /freezers body for method: POST needs
// exactly num_boxes and name; PUT needs freezer_id and may leave num_boxes
// and name out or empty; DELETE needs exactly freezer_id (BAD_REQUEST
// otherwise, as the original answered).
func decodeFreezerBody(obj map[string]json.RawMessage, method string) (freezerBody, string) {
	var b freezerBody
	var ok bool
	switch method {
	case http.MethodPost:
		if !hasKeys(obj, []string{"num_boxes", "name"}) {
			return b, textBadFormat
		}
		if b.Boxes, ok = intValue(obj["num_boxes"], false); !ok {
			return b, textBadFormat
		}
		if b.Name, ok = stringValue(obj["name"], false); !ok {
			return b, textBadFormat
		}
	case http.MethodPut:
		if !hasKeys(obj, []string{"freezer_id"}, "num_boxes", "name") {
			return b, textBadFormat
		}
		if b.ID, ok = intValue(obj["freezer_id"], false); !ok {
			return b, textBadFormat
		}
		if raw, present := obj["num_boxes"]; present {
			if b.Boxes, ok = intValue(raw, true); !ok {
				return b, textBadFormat
			}
		}
		if raw, present := obj["name"]; present {
			if b.Name, ok = stringValue(raw, true); !ok {
				return b, textBadFormat
			}
		}
	case http.MethodDelete:
		if !hasKeys(obj, []string{"freezer_id"}) {
			return b, textBadRequest
		}
		if b.ID, ok = intValue(obj["freezer_id"], false); !ok {
			return b, textBadFormat
		}
	}
	return b, ""
}
