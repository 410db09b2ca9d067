package domain_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"freezer/domain"
)

// date returns the Date y-m-d as written, without normalization, so that a
// test's expectation is exactly what it says.
func date(y int, m time.Month, d int) domain.Date {
	return domain.Date{Year: y, Month: m, Day: d}
}

// parseDateTests seeds FuzzParseDate too.
var parseDateTests = []struct {
	in      string
	want    domain.Date
	wantErr bool
}{
	{in: "2024-02-01", want: date(2024, 2, 1)},
	{in: "2017-12-26", want: date(2017, 12, 26)},
	{in: "2024-02-29", want: date(2024, 2, 29)}, // leap year
	{in: "2000-02-29", want: date(2000, 2, 29)}, // divisible by 400: leap
	{in: "2024-12-31", want: date(2024, 12, 31)},
	{in: "0001-01-01", want: date(1, 1, 1)},
	{in: "9999-12-31", want: date(9999, 12, 31)},
	{in: "1900-02-29", wantErr: true}, // divisible by 100: not leap
	{in: "2023-02-29", wantErr: true},
	{in: "2024-02-30", wantErr: true},
	{in: "2024-04-31", wantErr: true},
	{in: "2024-2-1", wantErr: true},
	{in: "2024-02-1", wantErr: true},
	{in: "2024-2-01", wantErr: true},
	{in: "24-02-01", wantErr: true},
	{in: "02024-02-01", wantErr: true},
	{in: "2024-13-01", wantErr: true},
	{in: "2024-00-10", wantErr: true},
	{in: "2024-01-00", wantErr: true},
	{in: "2024-01-32", wantErr: true},
	{in: "", wantErr: true},
	{in: "garbage", wantErr: true},
	{in: "garbage!!!", wantErr: true}, // right length, wrong content
	{in: "2024/02/01", wantErr: true},
	{in: "20240201", wantErr: true},
	{in: " 2024-02-01", wantErr: true},
	{in: "2024-02-01 ", wantErr: true},
	{in: "2024-02-0a", wantErr: true},
	{in: "+024-02-01", wantErr: true},
	{in: "-024-02-01", wantErr: true},
	{in: "2024-+2-01", wantErr: true},
	{in: "2024-02-01T00:00:00Z", wantErr: true},
	{in: "01/02/2024", wantErr: true},
}

func TestParseDate(t *testing.T) {
	for _, tt := range parseDateTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, nil; want an error", tt.in, got)
				}
				if got != (domain.Date{}) {
					t.Errorf("ParseDate(%q) = %#v with an error, want the zero Date", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q) error = %v, want nil", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("ParseDate(%q).String() = %q, want %q", tt.in, s, tt.in)
			}
		})
	}
}

func TestDateZero(t *testing.T) {
	var zero domain.Date
	if !zero.IsZero() {
		t.Errorf("Date{}.IsZero() = false, want true")
	}
	if got := zero.String(); got != "" {
		t.Errorf("Date{}.String() = %q, want \"\"", got)
	}
	b, err := zero.MarshalText()
	if err != nil || string(b) != "" {
		t.Errorf("Date{}.MarshalText() = %q, %v; want \"\", nil", b, err)
	}
	if date(2024, 1, 1).IsZero() {
		t.Errorf("2024-01-01 IsZero() = true, want false")
	}
	if !zero.Before(date(1, 1, 1)) {
		t.Errorf("Date{}.Before(0001-01-01) = false, want true (no date orders first)")
	}
	if _, err := domain.ParseDate(""); err == nil {
		t.Errorf("ParseDate(\"\") error = nil, want an error (a required date is missing)")
	}
}

func TestDateText(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    domain.Date
		text string
	}{
		{"zero", domain.Date{}, ""},
		{"ordinary", date(2018, 1, 29), "2018-01-29"},
		{"padded", date(5, 3, 7), "0005-03-07"},
		{"leap day", date(2024, 2, 29), "2024-02-29"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.text {
				t.Errorf("String() = %q, want %q", got, tt.text)
			}
			b, err := tt.d.MarshalText()
			if err != nil {
				t.Fatalf("MarshalText() error = %v", err)
			}
			if string(b) != tt.text {
				t.Errorf("MarshalText() = %q, want %q", b, tt.text)
			}
			got := date(1999, 9, 9) // overwritten by UnmarshalText
			if err := got.UnmarshalText(b); err != nil {
				t.Fatalf("UnmarshalText(%q) error = %v", b, err)
			}
			if got != tt.d {
				t.Errorf("UnmarshalText(%q) = %#v, want %#v", b, got, tt.d)
			}

			type row struct {
				In  domain.Date `json:"in"`
				Out domain.Date `json:"out"`
			}
			j, err := json.Marshal(row{In: tt.d})
			if err != nil {
				t.Fatalf("json.Marshal() error = %v", err)
			}
			var back row
			if err := json.Unmarshal(j, &back); err != nil {
				t.Fatalf("json.Unmarshal(%s) error = %v", j, err)
			}
			if back.In != tt.d || !back.Out.IsZero() {
				t.Errorf("JSON round trip of %s = %+v, want {In:%v Out:zero}", j, back, tt.d)
			}
		})
	}
}

func TestDateUnmarshalTextRejects(t *testing.T) {
	for _, in := range []string{"2024-2-1", "2024-02-30", "garbage", "null"} {
		t.Run(in, func(t *testing.T) {
			d := date(2020, 5, 5)
			if err := d.UnmarshalText([]byte(in)); err == nil {
				t.Fatalf("UnmarshalText(%q) error = nil, want an error", in)
			}
			if want := date(2020, 5, 5); d != want {
				t.Errorf("after a failed UnmarshalText(%q) the date is %v, want it unchanged (%v)", in, d, want)
			}
		})
	}
	var row struct{ D domain.Date }
	if err := json.Unmarshal([]byte(`{"D":"2024-02-30"}`), &row); err == nil {
		t.Errorf("json.Unmarshal of 2024-02-30 error = nil, want an error")
	}
}

func TestNewDateAndDateOf(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  domain.Date
		want domain.Date
	}{
		{"plain", domain.NewDate(2024, 3, 9), date(2024, 3, 9)},
		{"normalized day", domain.NewDate(2024, 2, 30), date(2024, 3, 1)},
		{"normalized month", domain.NewDate(2024, 13, 1), date(2025, 1, 1)},
		{"DateOf late evening keeps its own zone",
			domain.DateOf(time.Date(2024, 1, 31, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600))), date(2024, 1, 31)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestDateAddMonths(t *testing.T) {
	for _, tt := range []struct {
		from domain.Date
		n    int
		want domain.Date
	}{
		{date(2024, 1, 15), 0, date(2024, 1, 15)},
		{date(2023, 1, 31), 1, date(2023, 2, 28)},
		{date(2024, 1, 31), 1, date(2024, 2, 29)}, // 2024 leap
		{date(2000, 1, 31), 1, date(2000, 2, 29)}, // 2000 leap (divisible by 400)
		{date(1900, 1, 31), 1, date(1900, 2, 28)}, // 1900 not leap (divisible by 100)
		{date(2100, 1, 31), 1, date(2100, 2, 28)},
		{date(2024, 1, 29), 1, date(2024, 2, 29)},
		{date(2024, 1, 30), 1, date(2024, 2, 29)},
		{date(2024, 3, 31), 1, date(2024, 4, 30)},
		{date(2024, 5, 31), 1, date(2024, 6, 30)},
		{date(2024, 8, 31), 1, date(2024, 9, 30)},
		{date(2024, 10, 31), 1, date(2024, 11, 30)},
		{date(2024, 11, 30), 1, date(2024, 12, 30)},
		{date(2024, 12, 1), 1, date(2025, 1, 1)},
		{date(2023, 12, 31), 2, date(2024, 2, 29)},
		{date(2024, 12, 31), 2, date(2025, 2, 28)},
		{date(2024, 1, 15), 12, date(2025, 1, 15)},
		{date(2024, 2, 29), 12, date(2025, 2, 28)},
		{date(2024, 2, 29), 48, date(2028, 2, 29)},
		{date(2024, 1, 31), 120, date(2034, 1, 31)},
		{date(2024, 2, 29), 120, date(2034, 2, 28)},
		{date(2017, 12, 26), 6, date(2018, 6, 26)},
		{date(2024, 3, 31), -1, date(2024, 2, 29)},
		{date(2024, 1, 15), -1, date(2023, 12, 15)},
		{date(2024, 1, 15), -13, date(2022, 12, 15)},
		{date(2024, 1, 15), -24, date(2022, 1, 15)},
	} {
		t.Run(tt.from.String()+"+"+strconv.Itoa(tt.n), func(t *testing.T) {
			if got := tt.from.AddMonths(tt.n); got != tt.want {
				t.Errorf("%v.AddMonths(%d) = %v, want %v", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestDateAddDays(t *testing.T) {
	for _, tt := range []struct {
		from domain.Date
		n    int
		want domain.Date
	}{
		{date(2024, 3, 10), 0, date(2024, 3, 10)},
		{date(2023, 12, 31), 1, date(2024, 1, 1)},
		{date(2024, 1, 1), -1, date(2023, 12, 31)},
		{date(1999, 12, 31), 1, date(2000, 1, 1)},
		{date(2024, 2, 28), 1, date(2024, 2, 29)},
		{date(2023, 2, 28), 1, date(2023, 3, 1)},
		{date(2024, 3, 1), -1, date(2024, 2, 29)},
		{date(2024, 1, 1), 366, date(2025, 1, 1)},
		{date(2023, 1, 1), 365, date(2024, 1, 1)},
		{date(2024, 12, 25), 14, date(2025, 1, 8)},
		{date(2025, 1, 8), -14, date(2024, 12, 25)},
		{date(1970, 1, 1), 19723, date(2024, 1, 1)},
	} {
		t.Run(tt.from.String()+"+"+strconv.Itoa(tt.n), func(t *testing.T) {
			if got := tt.from.AddDays(tt.n); got != tt.want {
				t.Errorf("%v.AddDays(%d) = %v, want %v", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestDateDaysUntil(t *testing.T) {
	for _, tt := range []struct {
		from, to domain.Date
		want     int
	}{
		{date(2024, 1, 1), date(2024, 1, 1), 0},
		{date(2024, 1, 1), date(2024, 1, 2), 1},
		{date(2024, 1, 2), date(2024, 1, 1), -1},
		{date(2024, 2, 28), date(2024, 3, 1), 2},
		{date(2023, 2, 28), date(2023, 3, 1), 1},
		{date(2023, 12, 31), date(2024, 12, 31), 366},
		{date(2024, 12, 31), date(2023, 12, 31), -366},
		{date(1970, 1, 1), date(2024, 1, 1), 19723},
		{date(1, 1, 1), date(9999, 12, 31), 3652058}, // more than time.Duration can hold
		{date(9999, 12, 31), date(1, 1, 1), -3652058},
	} {
		t.Run(tt.from.String()+"→"+tt.to.String(), func(t *testing.T) {
			if got := tt.from.DaysUntil(tt.to); got != tt.want {
				t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}

	// DaysUntil undoes AddDays.
	start := date(2023, 11, 20)
	for n := -800; n <= 800; n += 7 {
		if got := start.DaysUntil(start.AddDays(n)); got != n {
			t.Fatalf("%v.DaysUntil(%v.AddDays(%d)) = %d, want %d", start, start, n, got, n)
		}
	}
}

func TestDateCompare(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b domain.Date
		want int
	}{
		{"equal", date(2024, 5, 5), date(2024, 5, 5), 0},
		{"day", date(2024, 5, 4), date(2024, 5, 5), -1},
		{"month beats day", date(2024, 4, 30), date(2024, 5, 1), -1},
		{"year beats month", date(2023, 12, 31), date(2024, 1, 1), -1},
		{"later year", date(2025, 1, 1), date(2024, 12, 31), 1},
		{"zero first", domain.Date{}, date(1, 1, 1), -1},
		{"zero equal", domain.Date{}, domain.Date{}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Compare(tt.b); got != tt.want {
				t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := tt.b.Compare(tt.a); got != -tt.want {
				t.Errorf("%v.Compare(%v) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
			if got, want := tt.a.Before(tt.b), tt.want < 0; got != want {
				t.Errorf("%v.Before(%v) = %t, want %t", tt.a, tt.b, got, want)
			}
			if got, want := tt.a.After(tt.b), tt.want > 0; got != want {
				t.Errorf("%v.After(%v) = %t, want %t", tt.a, tt.b, got, want)
			}
			// The text form sorts like the dates (the store sorts on it).
			if tt.a.IsZero() || tt.b.IsZero() {
				return
			}
			if got := strings.Compare(tt.a.String(), tt.b.String()); got != tt.want {
				t.Errorf("text order of %v and %v = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestDateMonthStart(t *testing.T) {
	if got, want := date(2024, 2, 29).MonthStart(), date(2024, 2, 1); got != want {
		t.Errorf("MonthStart() = %v, want %v", got, want)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, tt := range parseDateTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseDate(s)
		if err != nil {
			return
		}
		if got := d.String(); got != s {
			t.Fatalf("ParseDate(%q).String() = %q, want the input back (the parser is strict)", s, got)
		}
		back, err := domain.ParseDate(d.String())
		if err != nil {
			t.Fatalf("ParseDate(%q) error = %v, want nil", d.String(), err)
		}
		if back != d {
			t.Fatalf("ParseDate(%q) = %#v, want %#v", d.String(), back, d)
		}
		if norm := domain.NewDate(d.Year, d.Month, d.Day); norm != d {
			t.Fatalf("ParseDate(%q) = %#v, not a real calendar day (normalizes to %#v)", s, d, norm)
		}
	})
}
