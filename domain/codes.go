package domain

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Codes name a product or a box on a printed label (a QR code, read back
// by a scanner that types what it reads). A code is stable across devices
// and servers: it holds ids, never names or places that change.
//
//	FRZ:P:<product-uuid>          a product
//	FRZ:B:<freezer-uuid>:<box>    box <box> (1..MaxBoxes) of a freezer
//
// ProductCode and BoxCode write the uuid in lower case; ParseCode accepts
// any case (scanners and QR codes may send upper case), and nothing else:
// a uuid in its 36-character form only, a box number in plain decimal
// digits without a sign or leading zero. docs/LABELS.md documents them.
const (
	CodePrefix        = "FRZ:"
	codeProductPrefix = CodePrefix + "P:"
	codeBoxPrefix     = CodePrefix + "B:"
)

// CodeKind says what a code names.
type CodeKind int

// Kinds of code.
const (
	CodeProduct CodeKind = iota + 1
	CodeBox
)

// Code is a parsed label code: a product (Product), or a box (Freezer and
// Box).
type Code struct {
	Kind    CodeKind
	Product uuid.UUID
	Freezer uuid.UUID
	Box     int
}

// String formats c as ProductCode or BoxCode does.
func (c Code) String() string {
	if c.Kind == CodeBox {
		return BoxCode(c.Freezer, c.Box)
	}
	return ProductCode(c.Product)
}

// ProductCode is the code of product id: "FRZ:P:<uuid>".
func ProductCode(id uuid.UUID) string { return codeProductPrefix + id.String() }

// BoxCode is the code of box box of freezer id: "FRZ:B:<uuid>:<box>".
func BoxCode(freezer uuid.UUID, box int) string {
	return codeBoxPrefix + freezer.String() + ":" + strconv.Itoa(box)
}

// IsCode reports whether s starts like a code ("FRZ:", any case, after
// spaces): text that does is read as a code, and a bad one is an error
// rather than a search.
func IsCode(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= len(CodePrefix) && strings.EqualFold(s[:len(CodePrefix)], CodePrefix)
}

// ParseCode reads a product or box code. Spaces around it are ignored (a
// scanner may add a line end); anything else that is not exactly a code
// is an EInvalid error.
func ParseCode(s string) (Code, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (Code, error) {
		return Code{}, Errorf(EInvalid, "%q is not a Freezer label code: %s. Scan the label again, or type the code as printed under it.", clip(s), why)
	}
	if !IsCode(s) {
		return bad("it does not start with FRZ:")
	}
	switch {
	case hasPrefixFold(s, codeProductPrefix):
		id, ok := parseCodeID(s[len(codeProductPrefix):])
		if !ok {
			return bad("a product code is FRZ:P: followed by the product's 36-character id")
		}
		return Code{Kind: CodeProduct, Product: id}, nil
	case hasPrefixFold(s, codeBoxPrefix):
		rest := s[len(codeBoxPrefix):]
		idText, boxText, found := strings.Cut(rest, ":")
		id, ok := parseCodeID(idText)
		if !found || !ok {
			return bad("a box code is FRZ:B: followed by the freezer's 36-character id, a colon and the box number")
		}
		box, ok := parseCodeBox(boxText)
		if !ok {
			return bad("the box number must be a whole number from 1 to " + strconv.Itoa(MaxBoxes))
		}
		return Code{Kind: CodeBox, Freezer: id, Box: box}, nil
	}
	return bad("after FRZ: comes P: (a product) or B: (a box)")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseCodeID reads a uuid in its 36-character hyphenated form only
// (uuid.Parse also takes braces, urn:uuid: and 32 bare digits).
func parseCodeID(s string) (uuid.UUID, bool) {
	if len(s) != 36 {
		return uuid.Nil, false
	}
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, false
	}
	return id, true
}

// parseCodeBox reads 1..MaxBoxes in plain digits, no sign, no leading zero.
func parseCodeBox(s string) (int, bool) {
	if s == "" || len(s) > 4 || s[0] == '0' || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxBoxes {
		return 0, false
	}
	return n, true
}
