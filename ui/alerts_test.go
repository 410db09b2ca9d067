package ui_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"freezer/app"
	"freezer/ui"
)

func TestAlertDue(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 6, 15, h, m, 0, 0, time.Local) }
	tests := []struct {
		name string
		now  time.Time
		last string
		want bool
	}{
		{"before the time", at(8, 59), "", false},
		{"at the time", at(9, 0), "", true},
		{"later that day", at(18, 30), "2026-06-14", true},
		{"already sent today", at(18, 30), "2026-06-15", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ui.AlertDue(tt.now, 9, 0, tt.last); got != tt.want {
				t.Errorf("alertDue(%s, 09:00, %q) = %v, want %v", tt.now.Format("15:04"), tt.last, got, tt.want)
			}
		})
	}
}

func TestAlerterSendsOncePerDay(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	mustAddProduct(t, db, f, "Old cod", 13, 200, 3)
	mustAddProduct(t, db, f, "Stew", 20, 170, 6) // deadline in about 13 days: due soon
	a := test.NewTempApp(t)
	lang := "en"
	ui.SetLanguage(lang)
	al := ui.NewAlerter(a, app.New(db), a.Preferences())
	al.Now = func() time.Time { return testNow } // 10:00, after 09:00
	want := fyne.NewNotification("Freezer: check your products", "Overdue (1): Old cod\nDue soon (1): Stew")
	test.AssertNotificationSent(t, want, al.Check)
	// A second check the same day (a restart included: the day is in the
	// preferences) sends nothing.
	al2 := ui.NewAlerter(a, app.New(db), a.Preferences())
	al2.Now = al.Now
	test.AssertNotificationSent(t, nil, al2.Check)
}
