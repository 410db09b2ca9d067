package domain

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

var (
	codeProductID = uuid.MustParse("01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e")
	codeFreezerID = uuid.MustParse("01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f")
)

func TestCodeFormat(t *testing.T) {
	if got, want := ProductCode(codeProductID), "FRZ:P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e"; got != want {
		t.Errorf("ProductCode() = %q, want %q", got, want)
	}
	if got, want := BoxCode(codeFreezerID, 12), "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:12"; got != want {
		t.Errorf("BoxCode() = %q, want %q", got, want)
	}
}

// codeParseTests seed FuzzParseCode too.
var codeParseTests = []struct {
	name, in string
	want     Code
	ok       bool
}{
	{"product", "FRZ:P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e", Code{Kind: CodeProduct, Product: codeProductID}, true},
	{"product upper case", "FRZ:P:01936F4E-52C1-7A2B-9D1E-3F0A6B2C4D5E", Code{Kind: CodeProduct, Product: codeProductID}, true},
	{"prefix lower case", "frz:p:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e", Code{Kind: CodeProduct, Product: codeProductID}, true},
	{"scanner line end", " FRZ:P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e\r\n", Code{Kind: CodeProduct, Product: codeProductID}, true},
	{"box", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:3", Code{Kind: CodeBox, Freezer: codeFreezerID, Box: 3}, true},
	{"box upper", "FRZ:B:01936F4E-1A2B-7C3D-8E4F-5A6B7C8D9E0F:1000", Code{Kind: CodeBox, Freezer: codeFreezerID, Box: 1000}, true},
	{"empty", "", Code{}, false},
	{"search text", "soupe", Code{}, false},
	{"prefix only", "FRZ:", Code{}, false},
	{"unknown kind", "FRZ:X:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e", Code{}, false},
	{"product short id", "FRZ:P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5", Code{}, false},
	{"product id with braces", "FRZ:P:{01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e}", Code{}, false},
	{"product id without hyphens", "FRZ:P:01936f4e52c17a2b9d1e3f0a6b2c4d5e", Code{}, false},
	{"product nil id", "FRZ:P:00000000-0000-0000-0000-000000000000", Code{}, false},
	{"product trailing text", "FRZ:P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e:1", Code{}, false},
	{"product not hex", "FRZ:P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5g", Code{}, false},
	{"box without number", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f", Code{}, false},
	{"box empty number", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:", Code{}, false},
	{"box zero", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:0", Code{}, false},
	{"box leading zero", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:03", Code{}, false},
	{"box sign", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:+3", Code{}, false},
	{"box too high", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:1001", Code{}, false},
	{"box huge", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:99999999999999999999", Code{}, false},
	{"box two numbers", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f:3:4", Code{}, false},
	{"box with product id form", "FRZ:B:01936f4e-1a2b-7c3d-8e4f-5a6b7c8d9e0f 3", Code{}, false},
	{"space inside", "FRZ: P:01936f4e-52c1-7a2b-9d1e-3f0a6b2c4d5e", Code{}, false},
}

func TestParseCode(t *testing.T) {
	for _, tt := range codeParseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCode(tt.in)
			if !tt.ok {
				if err == nil {
					t.Fatalf("ParseCode(%q) = %+v, want an error", tt.in, got)
				}
				if ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "not a Freezer label code") {
					t.Fatalf("ParseCode(%q) error = %v (code %s), want an invalid-code sentence", tt.in, err, ErrorCode(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCode(%q) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseCode(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCodeRoundTrip(t *testing.T) {
	for _, c := range []Code{{Kind: CodeProduct, Product: NewID()}, {Kind: CodeBox, Freezer: NewID(), Box: 1}, {Kind: CodeBox, Freezer: NewID(), Box: MaxBoxes}} {
		s := c.String()
		for _, in := range []string{s, strings.ToUpper(s), strings.ToLower(s)} {
			got, err := ParseCode(in)
			if err != nil || got != c {
				t.Errorf("ParseCode(%q) = %+v, %v; want %+v", in, got, err, c)
			}
		}
	}
}

func TestIsCode(t *testing.T) {
	for in, want := range map[string]bool{"FRZ:": true, " frz:p:x": true, "Frz:B:": true, "FRZ": false, "frozen peas": false, "": false} {
		if got := IsCode(in); got != want {
			t.Errorf("IsCode(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzParseCode checks that a parsed code formats back to the same code.
func FuzzParseCode(f *testing.F) {
	for _, tt := range codeParseTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		if !strings.EqualFold(c.String(), strings.TrimSpace(s)) {
			t.Fatalf("ParseCode(%q) = %+v, which formats as %q", s, c, c.String())
		}
	})
}
