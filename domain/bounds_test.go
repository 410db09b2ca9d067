package domain_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"freezer/domain"
)

func TestBoundsStampNodes(t *testing.T) {
	const prefix = "001700000000000-00042-"
	cases := []struct {
		node string
		ok   bool
	}{
		{"a", true},
		{"0123456789abcdef", true},
		{"server", true},
		{"dev-A-1", true},
		{strings.Repeat("n", 64), true},
		{strings.Repeat("n", 64) + strings.Repeat("!r", domain.MaxRepairs), true},
		{"dev1!r", true},
		{strings.Repeat("n", 65), false},
		{strings.Repeat("n", 2<<20), false},
		{"dev1" + strings.Repeat("!r", domain.MaxRepairs+1), false},
		{"dev_1", false},
		{"dev 1", false},
		{"dév", false},
		{"dev\x00", false},
		{"!r", false},
		{"dev1!", false},
		{"dev1!x", false},
	}
	for _, c := range cases {
		_, err := domain.ParseTimestamp(prefix + c.node)
		if (err == nil) != c.ok {
			t.Errorf("ParseTimestamp(node %.20q, %d bytes) error = %v, want ok %t", c.node, len(c.node), err, c.ok)
		}
		if err != nil && len(err.Error()) > 400 {
			t.Errorf("ParseTimestamp error is %d bytes long: it must not quote a huge node", len(err.Error()))
		}
	}
}

// Repairs stack up to MaxRepairs marks; every repair parses, orders after
// (or, at the bound, equal to) the stamp it repairs and before a later
// stamp of another node.
func TestBoundsRepairStaysBounded(t *testing.T) {
	ts := domain.Timestamp{Wall: 1_700_000_000_000, Counter: 3, Node: "a1b2"}
	later := domain.Timestamp{Wall: ts.Wall, Counter: ts.Counter, Node: "a1b3"}
	for i := range domain.MaxRepairs + 3 {
		r := ts.Repair()
		if _, err := domain.ParseTimestamp(r.String()); err != nil {
			t.Fatalf("repair #%d %s does not parse: %v", i+1, r, err)
		}
		switch {
		case i < domain.MaxRepairs && !r.After(ts):
			t.Fatalf("repair #%d %s does not order after %s", i+1, r, ts)
		case i >= domain.MaxRepairs && r != ts:
			t.Fatalf("repair #%d past the bound = %s, want the stamp itself %s", i+1, r, ts)
		}
		if !later.After(r) {
			t.Fatalf("a later node's stamp %s does not order after repair %s", later, r)
		}
		if r.Origin() != "a1b2" {
			t.Fatalf("Origin() = %q", r.Origin())
		}
		ts = r
	}
}

func TestBoundsTextRules(t *testing.T) {
	today := domain.NewDate(2024, time.May, 1)
	base := domain.Product{Name: "soupe", Description: "ok", TypeID: 1, Quantity: 2, PeriodMonths: 6,
		DateIn: domain.NewDate(2024, time.April, 1), Location: domain.Location{FreezerID: domain.NewID(), Box: 1, Slot: 1}}
	cases := []struct {
		name  string
		edit  func(*domain.Product)
		field string // "" when valid
	}{
		{"plain", func(*domain.Product) {}, ""},
		{"line breaks in description", func(p *domain.Product) { p.Description = "a\nb\n" }, ""},
		{"accents and emoji", func(p *domain.Product) { p.Name = "Bœuf à l'étouffée 🍲" }, ""},
		{"NUL in name", func(p *domain.Product) { p.Name = "sou\x00pe" }, domain.FieldName},
		{"tab in name", func(p *domain.Product) { p.Name = "sou\tpe" }, domain.FieldName},
		{"line break in name", func(p *domain.Product) { p.Name = "sou\npe" }, domain.FieldName},
		{"DEL in name", func(p *domain.Product) { p.Name = "sou\x7fpe" }, domain.FieldName},
		{"C1 control in name", func(p *domain.Product) { p.Name = "sou\u0085pe" }, domain.FieldName},
		{"RLO in name", func(p *domain.Product) { p.Name = "gpj\u202Eexe" }, domain.FieldName},
		{"LRE in name", func(p *domain.Product) { p.Name = "a\u202Ab" }, domain.FieldName},
		{"isolate in name", func(p *domain.Product) { p.Name = "a\u2068b" }, domain.FieldName},
		{"invalid UTF-8 in name", func(p *domain.Product) { p.Name = "a\xffb" }, domain.FieldName},
		{"tab in description", func(p *domain.Product) { p.Description = "a\tb" }, domain.FieldDescription},
		{"carriage return in description", func(p *domain.Product) { p.Description = "a\r\nb" }, domain.FieldDescription},
		{"PDI in description", func(p *domain.Product) { p.Description = "a\u2069" }, domain.FieldDescription},
		{"quantity 1000", func(p *domain.Product) { p.Quantity = 1000 }, ""},
		{"quantity 1001", func(p *domain.Product) { p.Quantity = 1001 }, domain.FieldQuantity},
		{"quantity 2^62", func(p *domain.Product) { p.Quantity = 1 << 62 }, domain.FieldQuantity},
		{"slot 10000", func(p *domain.Product) { p.Location.Slot = 10_000 }, ""},
		{"slot 10001", func(p *domain.Product) { p.Location.Slot = 10_001 }, domain.FieldLocation},
		{"date in 1900-01-01", func(p *domain.Product) { p.DateIn = domain.MinDate }, ""},
		{"date in 1899-12-31", func(p *domain.Product) { p.DateIn = domain.NewDate(1899, 12, 31) }, domain.FieldDateIn},
		{"date in year 0000", func(p *domain.Product) { p.DateIn = domain.Date{Year: 0, Month: 1, Day: 1} }, domain.FieldDateIn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base
			c.edit(&p)
			err := p.Validate(today)
			if got := domain.ErrorField(err); got != c.field || (c.field == "") != (err == nil) {
				t.Fatalf("Validate() = %v (field %q), want field %q", err, got, c.field)
			}
		})
	}
	for _, name := range []string{"frigo\x00", "frigo\u202E", "fri\ngo"} {
		if err := (domain.Freezer{Name: name, Boxes: 1}).Validate(); domain.ErrorField(err) != domain.FieldName {
			t.Errorf("Freezer{Name: %q}.Validate() = %v, want refused on name", name, err)
		}
	}
}

// The bounds that earlier versions did not have apply to the values a
// write sets, not to those it leaves as they were.
func TestBoundsValidateChangeKeepsOldValues(t *testing.T) {
	today := domain.NewDate(2024, time.May, 1)
	old := domain.Product{Name: "soupe", TypeID: 1, Quantity: 5000, PeriodMonths: 6,
		DateIn: domain.Date{Year: 0, Month: 1, Day: 1}, Location: domain.Location{FreezerID: domain.NewID(), Box: 1, Slot: 20_000}}
	renamed := old
	renamed.Name = "soupe 2"
	if err := renamed.ValidateChange(old, today); err != nil {
		t.Fatalf("rename of an old product: ValidateChange() = %v", err)
	}
	out := old
	out.DateOut, out.Outcome = today, domain.OutcomeEaten
	if err := out.ValidateChange(old, today); err != nil {
		t.Fatalf("take-out of an old product: ValidateChange() = %v", err)
	}
	more := old
	more.Quantity = 5001
	if err := more.ValidateChange(old, today); domain.ErrorField(err) != domain.FieldQuantity {
		t.Fatalf("new quantity 5001: ValidateChange() = %v, want refused", err)
	}
	if err := renamed.Validate(today); err == nil {
		t.Fatalf("Validate() of the old values = nil, want refused (a new product may not have them)")
	}
}

func TestBoundsClean(t *testing.T) {
	for in, want := range map[string]string{
		"soupe":                    "soupe",
		"  sou\x00pe\u202E ":       "soupe",
		"\x00\x01":                 "Unnamed",
		strings.Repeat("é", 300):   strings.Repeat("é", domain.MaxNameLength),
		"a\nb":                     "ab",
		"a\xffb":                   "a\uFFFDb",
		"gpj\u2066exe\u2069.txt\t": "gpjexe.txt",
	} {
		if got := domain.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
		if err := (domain.Freezer{Name: domain.CleanName(in), Boxes: 1}).Validate(); err != nil {
			t.Errorf("CleanName(%q) is not a valid name: %v", in, err)
		}
	}
	if got := domain.CleanDescription("a\r\nb\tc\u202E\n"); got != "a\nbc\n" {
		t.Errorf("CleanDescription() = %q", got)
	}
	for in, want := range map[string]string{
		"001700000000000-00042-dev1":                                  "001700000000000-00042-dev1",
		"001700000000000-00042-dev_1 é":                               "001700000000000-00042-dev1",
		"001700000000000-00042-" + strings.Repeat("ab", 100) + "!r!r": "001700000000000-00042-" + strings.Repeat("ab", 32) + "!r!r",
		"001700000000000-00042-___":                                   "001700000000000-00042-x",
		"001700000000000-00042-n" + strings.Repeat("!r", 12):          "001700000000000-00042-n" + strings.Repeat("!r", domain.MaxRepairs),
	} {
		got, ok := domain.CleanStamp(in)
		if !ok || got != want {
			t.Errorf("CleanStamp(%.40q) = %.40q, %t; want %.40q", in, got, ok, want)
		}
	}
	if _, ok := domain.CleanStamp("not a stamp"); ok {
		t.Errorf("CleanStamp(not a stamp) ok")
	}
}

// A field's wire value is never null: null would leave the field as it
// was while the write counted as applied.
func TestBoundsNullFieldValues(t *testing.T) {
	var p domain.Product
	for _, f := range domain.ProductFields {
		if err := domain.SetProductField(&p, f, json.RawMessage("null")); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("SetProductField(%s, null) = %v, want EInvalid", f, err)
		}
	}
	var fr domain.Freezer
	for _, f := range domain.FreezerFields {
		if err := domain.SetFreezerField(&fr, f, json.RawMessage(" null ")); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("SetFreezerField(%s, null) = %v, want EInvalid", f, err)
		}
	}
	if _, err := domain.ParseRelabel(json.RawMessage(`{"put_at":{"freezer_id":"00000000-0000-0000-0000-000000000000","box":1,"slot":1},"by":"` + strings.Repeat("x", 65) + `","at":"2024-01-01T00:00:00Z"}`)); err == nil {
		t.Errorf("ParseRelabel with a 65-byte device = nil error, want refused")
	}
}

func FuzzBoundsParseTimestamp(f *testing.F) {
	for _, s := range []string{"001700000000000-00042-dev1", "001700000000000-00042-dev1!r", "000000000000000-00000-" + strings.Repeat("n", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := domain.ParseTimestamp(s)
		if err != nil {
			return
		}
		if !ts.IsZero() && len(ts.Node) > domain.MaxNodeLength+domain.MaxRepairs*2 {
			t.Fatalf("ParseTimestamp(%q) accepted a node of %d bytes", s, len(ts.Node))
		}
		if back, err := domain.ParseTimestamp(ts.String()); err != nil || back != ts {
			t.Fatalf("round trip of %q = %v, %v", s, back, err)
		}
	})
}
