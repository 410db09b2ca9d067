package ui_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"freezer/ui"
)

// frOpenPicker opens the add form, writes date in the date field and taps
// the calendar button.
func frOpenPicker(t *testing.T, u *ui.UI, w fyne.Window, date string) *ui.FrPicker {
	t.Helper()
	shortcut(w, fyne.KeyN)
	form := u.Form()
	if form == nil {
		t.Fatal("Ctrl+N did not open the product form")
	}
	form.DateIn.SetText(date)
	test.Tap(form.DatePicker)
	p := u.FrFormPicker()
	if p == nil {
		t.Fatal("the calendar button opened no date picker")
	}
	return p
}

// frDayCell returns the index of the cell showing day, failing when none does.
func frDayCell(t *testing.T, p *ui.FrPicker, day string) int {
	t.Helper()
	for i, b := range p.Days {
		if b.Visible() && b.Text == day {
			return i
		}
	}
	t.Fatalf("no day %s in the picker", day)
	return -1
}

// TestFrDatePickerFrench: in French the month and day names are French
// and weeks start on Monday; in English weeks start on Sunday.
func TestFrDatePickerFrench(t *testing.T) {
	for _, tt := range []struct {
		lang, title, first, last string
		firstOfMonthCol          int // 1 January 2027 is a Friday
	}{
		{"fr", "janvier 2027", "lun.", "dim.", 4},
		{"en", "January 2027", "Sun", "Sat", 5},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			db := mustOpenDB(t)
			mustCreateFreezer(t, db, "Kitchen", 3)
			u, w := mustStartUI(t, db, options{lang: tt.lang})
			p := frOpenPicker(t, u, w, "2027-01-10") // ISO is accepted in French too
			if got := p.Title.Text; got != tt.title {
				t.Errorf("picker title = %q, want %q", got, tt.title)
			}
			if p.Names[0] != tt.first || p.Names[6] != tt.last {
				t.Errorf("day names = %v, want %q first and %q last", p.Names, tt.first, tt.last)
			}
			if got := frDayCell(t, p, "1"); got != tt.firstOfMonthCol {
				t.Errorf("1 January 2027 in column %d, want %d", got, tt.firstOfMonthCol)
			}
			for i := range tt.firstOfMonthCol {
				if p.Days[i].Visible() {
					t.Errorf("cell %d before the 1st shows %q, want it empty", i, p.Days[i].Text)
				}
			}
		})
	}
}

// TestFrDatePickerMarksAndLimits: the picker for the date in marks today
// and the chosen day, disables future days and the next month, writes
// the day picked in the shown format, and closes on Escape.
func TestFrDatePickerMarksAndLimits(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{lang: "fr"})
	p := frOpenPicker(t, u, w, "10/06/2026") // today is 15 June 2026
	if got := p.Title.Text; got != "juin 2026" {
		t.Errorf("picker title = %q, want juin 2026", got)
	}
	today, chosen, tomorrow := frDayCell(t, p, "15"), frDayCell(t, p, "10"), frDayCell(t, p, "16")
	if !p.TodayMarked(today) || p.TodayMarked(chosen) {
		t.Errorf("today marked = %v, chosen day marked as today = %v; want only today", p.TodayMarked(today), p.TodayMarked(chosen))
	}
	if got := p.Days[chosen].Importance; got != widget.HighImportance {
		t.Errorf("chosen day importance = %v, want high (filled)", got)
	}
	if p.Days[today].Disabled() || !p.Days[tomorrow].Disabled() {
		t.Errorf("today disabled = %v, tomorrow disabled = %v; want only future days disabled", p.Days[today].Disabled(), p.Days[tomorrow].Disabled())
	}
	if !p.Next.Disabled() {
		t.Error("the next month can be shown, want it disabled: it is all in the future")
	}
	test.Tap(p.Days[tomorrow])
	if got := u.Form().DateIn.Text; got != "10/06/2026" {
		t.Errorf("date after tapping a future day = %q, want it unchanged", got)
	}
	test.Tap(p.Days[frDayCell(t, p, "3")])
	if got := u.Form().DateIn.Text; got != "03/06/2026" {
		t.Errorf("date after picking the 3rd = %q, want 03/06/2026", got)
	}
	if u.Dialogs() != 1 {
		t.Errorf("open dialogs after a pick = %d, want the form alone", u.Dialogs())
	}

	test.Tap(u.Form().DatePicker)
	if u.Dialogs() != 2 {
		t.Fatalf("open dialogs = %d, want the form and the picker", u.Dialogs())
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.Dialogs() != 1 {
		t.Errorf("open dialogs after Escape = %d, want the form alone", u.Dialogs())
	}
}

// TestFrDatePickerTablet: in tablet mode each day is a 44 px target, 8 px
// from the next.
func TestFrDatePickerTablet(t *testing.T) {
	db := mustOpenDB(t)
	mustCreateFreezer(t, db, "Kitchen", 3)
	u, w := mustStartUI(t, db, options{lang: "fr", tablet: true})
	w.Resize(fyne.NewSize(800, 1280))
	p := frOpenPicker(t, u, w, "2026-06-10")
	got := p.CellMinSize(frDayCell(t, p, "1"))
	if got.Width < 44 || got.Height < 44 {
		t.Errorf("day cell minimum size = %v, want at least 44x44", got)
	}
	if gap := p.CellGap(frDayCell(t, p, "1")); gap < 8 {
		t.Errorf("space between two days = %v px, want at least 8", gap)
	}
}
