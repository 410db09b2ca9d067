package chart

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func TestTicks(t *testing.T) {
	tests := []struct {
		max       float64
		step, top float64
	}{
		{0, 1, 4},
		{1, 1, 2}, // headroom above the highest value for its label
		{7, 2, 8},
		{10, 5, 15},
		{37, 10, 40},
		{380, 100, 500},
		{350, 100, 400},
	}
	for _, tt := range tests {
		step, top := ticks(tt.max)
		if step != tt.step || top != tt.top {
			t.Errorf("ticks(%v) = %v, %v; want %v, %v", tt.max, step, top, tt.step, tt.top)
		}
	}
}

// texts lists the chart's drawn texts.
func texts(c *Chart) []string {
	var out []string
	for _, o := range test.WidgetRenderer(c).Objects() {
		if t, ok := o.(*canvas.Text); ok && t.Text != "" {
			out = append(out, t.Text)
		}
	}
	return out
}

func TestChartDrawsTitleAxesAndValues(t *testing.T) {
	test.NewTempApp(t)
	for _, kind := range []Kind{Bars, HBars, Line} {
		c := New(kind, "Stock", "Month", "Products")
		c.SetData([]string{"Jan", "Feb", "Mar"}, Series{Name: "In", Values: []float64{3, 0, 12}})
		c.Resize(fyne.NewSize(400, 300))
		got := map[string]bool{}
		for _, s := range texts(c) {
			got[s] = true
		}
		for _, want := range []string{"Stock", "Month", "Jan", "Mar", "12"} {
			if !got[want] {
				t.Errorf("kind %d: chart lacks text %q; has %v", kind, want, got)
			}
		}
	}
}
