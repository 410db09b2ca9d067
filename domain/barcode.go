package domain

import (
	"encoding/json"
	"strings"

	"github.com/google/uuid"
)

// The barcode memory: a shop barcode (EAN-13, or UPC-A read as the EAN-13
// it is with a leading 0) remembers the name, type and period a household
// last gave a product with that barcode, so that scanning it in the add
// form fills them. It is replicated like freezers and products (entity
// EntityBarcode, sync protocol version 4), keyed by the code itself: two
// devices that remember the same barcode write the same entity, and its
// fields merge last-writer-wins like any other (docs/SYNC.md, "Barcodes").

// EntityBarcode names a remembered barcode in mutations and pulled
// changes (sync protocol version 4).
const EntityBarcode = "barcode"

// FieldCode is a remembered barcode's code (13 digits). It never changes:
// it names the entity (BarcodeID), and every write carries the same value.
const FieldCode = "code"

// BarcodeFields lists a remembered barcode's mergeable fields in a fixed
// order: its code, then the name, type and period it fills in.
var BarcodeFields = []string{FieldCode, FieldName, FieldType, FieldPeriod}

// Barcode is what a household remembers of a shop barcode.
type Barcode struct {
	Code         string `json:"code"` // EAN-13: 13 digits (NormalizeBarcode)
	Name         string `json:"name"`
	TypeID       int    `json:"type_id"`
	PeriodMonths int    `json:"period_months"`
}

// barcodeSpace is the UUID namespace of BarcodeID. It never changes: every
// device and server derives the same id from the same code.
var barcodeSpace = uuid.MustParse("6f1c2b0e-4d7a-5e21-9b3c-8a0d4e6f2c17")

// BarcodeID is the identity of a remembered barcode: a UUID (version 5)
// derived from its normalized code, the same on every device, so that two
// devices remembering one barcode converge to one entity.
func BarcodeID(code string) uuid.UUID { return uuid.NewSHA1(barcodeSpace, []byte(code)) }

// NormalizeBarcode reads a shop barcode as a scanner types it or a person
// does (spaces and dashes between digits are ignored): 13 digits
// (EAN-13), or 12 (UPC-A, returned as the EAN-13 it is: a leading 0),
// whose last digit is the check digit. It returns the 13 digits.
func NormalizeBarcode(s string) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", FieldErrorf(FieldCode, "A shop barcode is made of digits only: %q is not one.", clip(s))
		}
	}
	switch len(digits) {
	case 12:
		digits = "0" + digits // UPC-A is EAN-13 with a leading 0
	case 13:
	default:
		return "", FieldErrorf(FieldCode, "A shop barcode has 12 digits (UPC-A) or 13 (EAN-13), not %d: scan it again.", len(digits))
	}
	if want := checkDigit(digits[:12]); digits[12] != want {
		return "", FieldErrorf(FieldCode, "The barcode %s is misread: its last digit should be %c. Scan it again.", digits, want)
	}
	return digits, nil
}

// checkDigit returns the EAN-13 check digit of 12 digits: weights 1 and 3
// alternate from the left; the check digit brings the sum to a multiple
// of 10.
func checkDigit(d string) byte {
	sum := 0
	for i := range 12 {
		n := int(d[i] - '0')
		if i%2 == 1 {
			n *= 3
		}
		sum += n
	}
	return byte('0' + (10-sum%10)%10)
}

// Validate returns the first rule the remembered barcode breaks, or nil:
// a normalized code, and the name, type and period a product may have.
func (b Barcode) Validate() error {
	if code, err := NormalizeBarcode(b.Code); err != nil {
		return err
	} else if code != b.Code {
		return FieldErrorf(FieldCode, "The barcode %q must be stored as its 13 digits (%s).", b.Code, code)
	}
	if err := validateName(FieldName, b.Name, "The product's name"); err != nil {
		return err
	}
	if b.TypeID < 1 {
		return FieldErrorf(FieldType, "Choose a product type.")
	}
	if b.PeriodMonths < MinPeriodMonths || b.PeriodMonths > MaxPeriodMonths {
		return FieldErrorf(FieldPeriod, "The period must be from %d to %d months.", MinPeriodMonths, MaxPeriodMonths)
	}
	return nil
}

// BarcodeValues returns the wire values of the named fields of b (every
// field when none is named).
func BarcodeValues(b Barcode, fields ...string) map[string]json.RawMessage {
	if len(fields) == 0 {
		fields = BarcodeFields
	}
	out := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		var v any
		switch f {
		case FieldCode:
			v = b.Code
		case FieldName:
			v = b.Name
		case FieldType:
			v = b.TypeID
		case FieldPeriod:
			v = b.PeriodMonths
		default:
			continue
		}
		raw, _ := json.Marshal(v) // plain values: cannot fail
		out[f] = raw
	}
	return out
}

// SetBarcodeField decodes the wire value of one field into b.
func SetBarcodeField(b *Barcode, field string, raw json.RawMessage) error {
	if isNull(raw) {
		return Errorf(EInvalid, "The value of the barcode's field %q is null: send the field's value.", field)
	}
	var err error
	switch field {
	case FieldCode:
		err = json.Unmarshal(raw, &b.Code)
	case FieldName:
		err = json.Unmarshal(raw, &b.Name)
	case FieldType:
		err = json.Unmarshal(raw, &b.TypeID)
	case FieldPeriod:
		err = json.Unmarshal(raw, &b.PeriodMonths)
	default:
		return Errorf(EInvalid, "A barcode has no field %q.", field)
	}
	if err != nil {
		return Errorf(EInvalid, "The value of the barcode's field %q is malformed: %v.", field, err)
	}
	return nil
}

// BarcodeChanged returns the fields of BarcodeFields whose values differ
// between old and b.
func BarcodeChanged(old, b Barcode) []string {
	var out []string
	if old.Code != b.Code {
		out = append(out, FieldCode)
	}
	if old.Name != b.Name {
		out = append(out, FieldName)
	}
	if old.TypeID != b.TypeID {
		out = append(out, FieldType)
	}
	if old.PeriodMonths != b.PeriodMonths {
		out = append(out, FieldPeriod)
	}
	return out
}
