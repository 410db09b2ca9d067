package domain_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"freezer/domain"
)

var (
	freezer1 = uuid.MustParse("0190a000-0000-7000-8000-000000000001")
	freezer2 = uuid.MustParse("0190a000-0000-7000-8000-000000000002")
)

// validProduct returns a product that breaks no rule on day 2024-06-15.
func validProduct() domain.Product {
	return domain.Product{
		ID:           uuid.MustParse("0190a000-0000-7000-8000-0000000000aa"),
		Name:         "Soupe de Noël",
		Description:  "Soupe à base de tomates, brocoli et poisson",
		TypeID:       1,
		Location:     domain.Location{FreezerID: freezer1, Box: 1, Slot: 4},
		Quantity:     4,
		DateIn:       date(2024, 1, 10),
		PeriodMonths: 6,
	}
}

var validationToday = date(2024, 6, 15)

func TestProductDeadline(t *testing.T) {
	for _, tt := range []struct {
		in     domain.Date
		period int
		want   domain.Date
	}{
		{date(2017, 12, 26), 6, date(2018, 6, 26)},
		{date(2024, 1, 31), 1, date(2024, 2, 29)},
		{date(2023, 1, 31), 1, date(2023, 2, 28)},
		{date(2024, 3, 31), 1, date(2024, 4, 30)},
		{date(2024, 2, 29), 12, date(2025, 2, 28)},
		{date(2024, 12, 31), 2, date(2025, 2, 28)},
		{date(2024, 5, 20), 120, date(2034, 5, 20)},
	} {
		t.Run(fmt.Sprintf("%v+%dm", tt.in, tt.period), func(t *testing.T) {
			p := domain.Product{DateIn: tt.in, PeriodMonths: tt.period}
			if got := p.Deadline(); got != tt.want {
				t.Errorf("Deadline() of %v + %d months = %v, want %v", tt.in, tt.period, got, tt.want)
			}
		})
	}
}

func TestProductStatus(t *testing.T) {
	inside := domain.Product{DateIn: date(2024, 1, 15), PeriodMonths: 6} // deadline 2024-07-15
	deadline := date(2024, 7, 15)
	if got := inside.Deadline(); got != deadline {
		t.Fatalf("Deadline() = %v, want %v", got, deadline)
	}
	out := inside
	out.DateOut, out.Outcome = date(2024, 3, 1), domain.OutcomeEaten
	outNoOutcome := inside
	outNoOutcome.DateOut = date(2024, 8, 1)
	clamped := domain.Product{DateIn: date(2024, 1, 31), PeriodMonths: 1} // deadline 2024-02-29

	if domain.DefaultDueSoon != 14 {
		t.Fatalf("DefaultDueSoon = %d, want 14", domain.DefaultDueSoon)
	}
	for _, tt := range []struct {
		name   string
		p      domain.Product
		today  domain.Date
		window int
		want   domain.Status
	}{
		{"day in", inside, date(2024, 1, 15), domain.DefaultDueSoon, domain.StatusOK},
		{"deadline-15", inside, deadline.AddDays(-15), domain.DefaultDueSoon, domain.StatusOK},
		{"deadline-14", inside, deadline.AddDays(-14), domain.DefaultDueSoon, domain.StatusDueSoon},
		{"deadline-1", inside, deadline.AddDays(-1), domain.DefaultDueSoon, domain.StatusDueSoon},
		{"deadline", inside, deadline, domain.DefaultDueSoon, domain.StatusDueSoon},
		{"deadline+1", inside, deadline.AddDays(1), domain.DefaultDueSoon, domain.StatusOverdue},
		{"years later", inside, date(2030, 1, 1), domain.DefaultDueSoon, domain.StatusOverdue},
		{"window 30, deadline-31", inside, deadline.AddDays(-31), 30, domain.StatusOK},
		{"window 30, deadline-30", inside, deadline.AddDays(-30), 30, domain.StatusDueSoon},
		{"window 0, deadline-1", inside, deadline.AddDays(-1), 0, domain.StatusOK},
		{"window 0, deadline", inside, deadline, 0, domain.StatusDueSoon},
		{"window 0, deadline+1", inside, deadline.AddDays(1), 0, domain.StatusOverdue},
		{"clamped deadline day", clamped, date(2024, 2, 29), domain.DefaultDueSoon, domain.StatusDueSoon},
		{"clamped deadline+1", clamped, date(2024, 3, 1), domain.DefaultDueSoon, domain.StatusOverdue},
		{"out before deadline", out, date(2024, 3, 1), domain.DefaultDueSoon, domain.StatusOut},
		{"out, looked at after deadline", out, date(2030, 1, 1), domain.DefaultDueSoon, domain.StatusOut},
		{"out without outcome", outNoOutcome, deadline.AddDays(-3), domain.DefaultDueSoon, domain.StatusOut},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Status(tt.today, tt.window); got != tt.want {
				t.Errorf("Status(%v, %d) = %q, want %q (deadline %v)", tt.today, tt.window, got, tt.want, tt.p.Deadline())
			}
		})
	}
}

func TestProductInside(t *testing.T) {
	p := validProduct()
	if !p.Inside() {
		t.Errorf("Inside() without a date out = false, want true")
	}
	p.DateOut = date(2024, 6, 1)
	if p.Inside() {
		t.Errorf("Inside() with a date out = true, want false")
	}
}

// productRuleTests changes validProduct to break one rule (or none: wantField "").
var productRuleTests = []struct {
	name      string
	change    func(p *domain.Product)
	wantField string
}{
	{"valid", func(p *domain.Product) {}, ""},
	{"name empty", func(p *domain.Product) { p.Name = "" }, domain.FieldName},
	{"name spaces only", func(p *domain.Product) { p.Name = "   " }, domain.FieldName},
	{"name tabs and newlines", func(p *domain.Product) { p.Name = "\t\n " }, domain.FieldName},
	{"name 1 char", func(p *domain.Product) { p.Name = "x" }, ""},
	{"name 256 chars", func(p *domain.Product) { p.Name = strings.Repeat("a", 256) }, ""},
	{"name 257 chars", func(p *domain.Product) { p.Name = strings.Repeat("a", 257) }, domain.FieldName},
	{"name 256 accented chars (512 bytes)", func(p *domain.Product) { p.Name = strings.Repeat("é", 256) }, ""},
	{"name 257 accented chars", func(p *domain.Product) { p.Name = strings.Repeat("é", 257) }, domain.FieldName},
	{"name 255 + 1 emoji", func(p *domain.Product) { p.Name = strings.Repeat("a", 255) + "🍦" }, ""},
	{"description empty", func(p *domain.Product) { p.Description = "" }, ""},
	{"description 4096 chars", func(p *domain.Product) { p.Description = strings.Repeat("à", 4096) }, ""},
	{"description 4097 chars", func(p *domain.Product) { p.Description = strings.Repeat("à", 4097) }, domain.FieldDescription},
	{"type 0", func(p *domain.Product) { p.TypeID = 0 }, domain.FieldType},
	{"type 43", func(p *domain.Product) { p.TypeID = 43 }, ""},
	{"box 0", func(p *domain.Product) { p.Location.Box = 0 }, domain.FieldLocation},
	{"slot 0", func(p *domain.Product) { p.Location.Slot = 0 }, domain.FieldLocation},
	{"slot -1", func(p *domain.Product) { p.Location.Slot = -1 }, domain.FieldLocation},
	{"quantity 0", func(p *domain.Product) { p.Quantity = 0 }, domain.FieldQuantity},
	{"quantity -2", func(p *domain.Product) { p.Quantity = -2 }, domain.FieldQuantity},
	{"quantity 1", func(p *domain.Product) { p.Quantity = 1 }, ""},
	{"period 0", func(p *domain.Product) { p.PeriodMonths = 0 }, domain.FieldPeriod},
	{"period -1", func(p *domain.Product) { p.PeriodMonths = -1 }, domain.FieldPeriod},
	{"period 1", func(p *domain.Product) { p.PeriodMonths = 1 }, ""},
	{"period 120", func(p *domain.Product) { p.PeriodMonths = 120 }, ""},
	{"period 121", func(p *domain.Product) { p.PeriodMonths = 121 }, domain.FieldPeriod},
	{"date in missing", func(p *domain.Product) { p.DateIn = domain.Date{} }, domain.FieldDateIn},
	{"date in today", func(p *domain.Product) { p.DateIn = validationToday }, ""},
	{"date in tomorrow", func(p *domain.Product) { p.DateIn = validationToday.AddDays(1) }, domain.FieldDateIn},
	{"date in next year", func(p *domain.Product) { p.DateIn = date(2025, 1, 1) }, domain.FieldDateIn},
	{"date in long ago", func(p *domain.Product) { p.DateIn = date(1990, 1, 1) }, ""},
	{"out eaten today", func(p *domain.Product) { p.DateOut, p.Outcome = validationToday, domain.OutcomeEaten }, ""},
	{"out discarded", func(p *domain.Product) { p.DateOut, p.Outcome = date(2024, 2, 1), domain.OutcomeDiscarded }, ""},
	{"out the day it went in", func(p *domain.Product) { p.DateOut, p.Outcome = p.DateIn, domain.OutcomeEaten }, ""},
	{"out without outcome (old record)", func(p *domain.Product) { p.DateOut = date(2024, 2, 1) }, ""},
	{"out before in", func(p *domain.Product) { p.DateOut, p.Outcome = p.DateIn.AddDays(-1), domain.OutcomeEaten }, domain.FieldOut},
	{"out tomorrow", func(p *domain.Product) { p.DateOut, p.Outcome = validationToday.AddDays(1), domain.OutcomeEaten }, domain.FieldOut},
	{"outcome without date", func(p *domain.Product) { p.Outcome = domain.OutcomeEaten }, domain.FieldOut},
	{"discarded without date", func(p *domain.Product) { p.Outcome = domain.OutcomeDiscarded }, domain.FieldOut},
	{"unknown outcome", func(p *domain.Product) { p.DateOut, p.Outcome = date(2024, 2, 1), "lost" }, domain.FieldOut},
	{"unknown outcome, inside", func(p *domain.Product) { p.Outcome = "Eaten" }, domain.FieldOut},
}

func TestProductValidate(t *testing.T) {
	for _, tt := range productRuleTests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProduct()
			tt.change(&p)
			err := p.Validate(validationToday)
			problems := p.Problems(validationToday)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				if len(problems) != 0 {
					t.Fatalf("Problems() = %v, want none", problems)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error on %q", tt.wantField)
			}
			if got, want := domain.ErrorCode(err), domain.EInvalid; got != want {
				t.Errorf("ErrorCode(Validate()) = %q, want %q", got, want)
			}
			if got := domain.ErrorField(err); got != tt.wantField {
				t.Errorf("ErrorField(Validate()) = %q, want %q (%v)", got, tt.wantField, err)
			}
			if msg := domain.ErrorMessage(err); msg == "" || !strings.HasSuffix(msg, ".") {
				t.Errorf("ErrorMessage(Validate()) = %q, want a sentence", msg)
			}
			if len(problems) != 1 {
				t.Fatalf("Problems() = %d errors %v, want 1", len(problems), problems)
			}
			if got := problems[0].Field; got != tt.wantField {
				t.Errorf("Problems()[0].Field = %q, want %q", got, tt.wantField)
			}
			if !slices.Contains(domain.ProductFields, problems[0].Field) {
				t.Errorf("Problems()[0].Field = %q, not one of ProductFields %v", problems[0].Field, domain.ProductFields)
			}
		})
	}
}

func TestProductProblemsAll(t *testing.T) {
	// Everything wrong at once: one error per field, in the order of the form.
	p := domain.Product{
		Name:         " ",
		Description:  strings.Repeat("x", domain.MaxDescription+1),
		Quantity:     0,
		DateIn:       validationToday.AddDays(1),
		PeriodMonths: 0,
		Outcome:      "lost",
	}
	var got []string
	for _, e := range p.Problems(validationToday) {
		if e.Code != domain.EInvalid {
			t.Errorf("Problems() error on %q has code %q, want %q", e.Field, e.Code, domain.EInvalid)
		}
		got = append(got, e.Field)
	}
	want := []string{domain.FieldName, domain.FieldDescription, domain.FieldType, domain.FieldLocation,
		domain.FieldQuantity, domain.FieldDateIn, domain.FieldPeriod, domain.FieldOut}
	if !slices.Equal(got, want) {
		t.Errorf("Problems() fields = %v, want %v", got, want)
	}
	if err := p.Validate(validationToday); domain.ErrorField(err) != domain.FieldName {
		t.Errorf("Validate() blames %q, want the first problem %q", domain.ErrorField(err), domain.FieldName)
	}

	// A date out both in the future and before the date in is reported once.
	q := validProduct()
	q.DateIn = validationToday.AddDays(5)
	q.DateOut, q.Outcome = validationToday.AddDays(2), domain.OutcomeEaten
	var fields []string
	for _, e := range q.Problems(validationToday) {
		fields = append(fields, e.Field)
	}
	if want := []string{domain.FieldDateIn, domain.FieldOut}; !slices.Equal(fields, want) {
		t.Errorf("Problems() fields = %v, want %v", fields, want)
	}
}

func TestFreezerValidate(t *testing.T) {
	for _, tt := range []struct {
		name      string
		f         domain.Freezer
		wantField string
	}{
		{"valid", domain.Freezer{ID: freezer1, Name: "frigo 1", Boxes: 4}, ""},
		{"1 box", domain.Freezer{Name: "garage", Boxes: 1}, ""},
		{"0 boxes", domain.Freezer{Name: "garage", Boxes: 0}, domain.FieldBoxes},
		{"-1 boxes", domain.Freezer{Name: "garage", Boxes: -1}, domain.FieldBoxes},
		{"max boxes", domain.Freezer{Name: "garage", Boxes: domain.MaxBoxes}, ""},
		{"too many boxes", domain.Freezer{Name: "garage", Boxes: domain.MaxBoxes + 1}, domain.FieldBoxes},
		{"empty name", domain.Freezer{Name: "", Boxes: 4}, domain.FieldName},
		{"blank name", domain.Freezer{Name: " \t", Boxes: 4}, domain.FieldName},
		{"256 chars", domain.Freezer{Name: strings.Repeat("ç", 256), Boxes: 4}, ""},
		{"257 chars", domain.Freezer{Name: strings.Repeat("ç", 257), Boxes: 4}, domain.FieldName},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error on %q", tt.wantField)
			}
			if got, want := domain.ErrorCode(err), domain.EInvalid; got != want {
				t.Errorf("ErrorCode(Validate()) = %q, want %q", got, want)
			}
			if got := domain.ErrorField(err); got != tt.wantField {
				t.Errorf("ErrorField(Validate()) = %q, want %q", got, tt.wantField)
			}
			if !slices.Contains(domain.FreezerFields, domain.ErrorField(err)) {
				t.Errorf("ErrorField(Validate()) = %q, not one of FreezerFields %v", domain.ErrorField(err), domain.FreezerFields)
			}
		})
	}
}

func TestLocationValidate(t *testing.T) {
	f := domain.Freezer{ID: freezer1, Name: "frigo 1", Boxes: 4}
	single := domain.Freezer{ID: freezer2, Name: "petit", Boxes: 1}
	deleted := f
	deleted.Deleted = true
	for _, tt := range []struct {
		name    string
		l       domain.Location
		f       domain.Freezer
		wantErr bool
		wantMsg string // a part of the message, when it matters
	}{
		{"first box", domain.Location{FreezerID: freezer1, Box: 1, Slot: 1}, f, false, ""},
		{"last box", domain.Location{FreezerID: freezer1, Box: 4, Slot: 9}, f, false, ""},
		{"box 0", domain.Location{FreezerID: freezer1, Box: 0, Slot: 1}, f, true, "from 1 to 4"},
		{"box -1", domain.Location{FreezerID: freezer1, Box: -1, Slot: 1}, f, true, "from 1 to 4"},
		{"box beyond the freezer", domain.Location{FreezerID: freezer1, Box: 5, Slot: 1}, f, true, "Box 5"},
		{"box 2 of a 1-box freezer", domain.Location{FreezerID: freezer2, Box: 2, Slot: 1}, single, true, "only box 1"},
		{"slot 0", domain.Location{FreezerID: freezer1, Box: 1, Slot: 0}, f, true, "slot"},
		{"wrong freezer", domain.Location{FreezerID: freezer2, Box: 1, Slot: 1}, f, true, "freezer"},
		{"no freezer", domain.Location{Box: 1, Slot: 1}, f, true, "freezer"},
		{"deleted freezer", domain.Location{FreezerID: freezer1, Box: 1, Slot: 1}, deleted, true, "freezer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.l.Validate(tt.f)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error")
			}
			if got, want := domain.ErrorCode(err), domain.EInvalid; got != want {
				t.Errorf("ErrorCode(Validate()) = %q, want %q", got, want)
			}
			if got, want := domain.ErrorField(err), domain.FieldLocation; got != want {
				t.Errorf("ErrorField(Validate()) = %q, want %q", got, want)
			}
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("ErrorMessage(Validate()) = %q, want it to mention %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestOutcomeValid(t *testing.T) {
	for _, tt := range []struct {
		o    domain.Outcome
		want bool
	}{
		{domain.OutcomeNone, true},
		{domain.OutcomeEaten, true},
		{domain.OutcomeDiscarded, true},
		{"Eaten", false},
		{"lost", false},
		{" eaten", false},
	} {
		t.Run(string(tt.o), func(t *testing.T) {
			if got := tt.o.Valid(); got != tt.want {
				t.Errorf("Outcome(%q).Valid() = %t, want %t", tt.o, got, tt.want)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	seen := map[uuid.UUID]bool{}
	var prev uuid.UUID
	for i := range 1000 {
		id := domain.NewID()
		if got, want := id.Version(), uuid.Version(7); got != want {
			t.Fatalf("NewID().Version() = %d, want %d", got, want)
		}
		if seen[id] {
			t.Fatalf("NewID() = %v twice", id)
		}
		seen[id] = true
		if i > 0 && id.String() <= prev.String() {
			t.Fatalf("NewID() = %v after %v, want time-ordered ids", id, prev)
		}
		prev = id
	}
}
