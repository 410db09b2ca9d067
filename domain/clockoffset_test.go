package domain_test

import (
	"testing"
	"time"

	"freezer/domain"
)

const day = 24 * time.Hour

// clockOffsetTests seeds FuzzParseClockOffset too.
var clockOffsetTests = []struct {
	in      string
	want    time.Duration
	wantErr bool
}{
	{in: "", want: 0},
	{in: "+400d", want: 400 * day},
	{in: "400d", want: 400 * day},
	{in: "-3h", want: -3 * time.Hour},
	{in: "90m", want: 90 * time.Minute},
	{in: "+1h30m", want: 90 * time.Minute},
	{in: "-1d12h", want: -36 * time.Hour},
	{in: " +2d ", want: 2 * day},
	{in: "0", want: 0},
	{in: "36500d", want: 36500 * day},
	{in: "36501d", wantErr: true},
	{in: "36500d1s", wantErr: true},
	{in: "+", wantErr: true},
	{in: "d", wantErr: true},
	{in: "+-3h", wantErr: true},
	{in: "1d-3h", wantErr: true},
	{in: "1d+3h", wantErr: true},
	{in: "+d3h", wantErr: true},
	{in: "2d3d", wantErr: true},
	{in: "soon", wantErr: true},
	{in: "400", wantErr: true},
	{in: "1.5d", wantErr: true},
	{in: "9999999999999999999d", wantErr: true},
}

func TestParseClockOffset(t *testing.T) {
	for _, tt := range clockOffsetTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseClockOffset(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseClockOffset(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseClockOffset(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatClockOffset(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{400 * day, "+400d"},
		{-3 * time.Hour, "-3h0m0s"},
		{day + 2*time.Hour, "+1d2h0m0s"},
		{0, "+0s"},
	}
	for _, tt := range tests {
		if got := domain.FormatClockOffset(tt.in); got != tt.want {
			t.Errorf("FormatClockOffset(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := domain.ParseClockOffset(domain.FormatClockOffset(tt.in)); err != nil || back != tt.in {
			t.Errorf("ParseClockOffset(FormatClockOffset(%v)) = %v, %v", tt.in, back, err)
		}
	}
}

// FuzzParseClockOffset: whatever parses is within the bound and reads back
// the same after FormatClockOffset.
func FuzzParseClockOffset(f *testing.F) {
	for _, tt := range clockOffsetTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseClockOffset(s)
		if err != nil {
			return
		}
		if d > domain.MaxClockOffset || d < -domain.MaxClockOffset {
			t.Fatalf("ParseClockOffset(%q) = %v, beyond the bound", s, d)
		}
		if back, err := domain.ParseClockOffset(domain.FormatClockOffset(d)); err != nil || back != d {
			t.Fatalf("ParseClockOffset(FormatClockOffset(%v)) = %v, %v", d, back, err)
		}
	})
}
