package ui_test

import (
	"sync"
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
	al := ui.NewAlerter(a, app.New(db), a.Preferences(), &fakeScheduler{t: t})
	al.Now = func() time.Time { return testNow } // 10:00, after 09:00
	want := fyne.NewNotification("Freezer: check your products", "Overdue (1): Old cod\nDue soon (1): Stew")
	test.AssertNotificationSent(t, want, al.Check)
	// A second check the same day (a restart included: the day is in the
	// preferences) sends nothing.
	al2 := ui.NewAlerter(a, app.New(db), a.Preferences(), &fakeScheduler{t: t})
	al2.Now = al.Now
	test.AssertNotificationSent(t, nil, al2.Check)
}

// TestAlerterSchedule drives the Alerter's schedule by hand: Start
// schedules the time of day and the 15-minute catch-up, the notification
// goes out once the time has come and only once that day, and a new time
// while running schedules again.
func TestAlerterSchedule(t *testing.T) {
	db := mustOpenDB(t)
	f := mustCreateFreezer(t, db, "Garage", 2)
	mustAddProduct(t, db, f, "Old cod", 13, 200, 3)
	a := test.NewTempApp(t)
	ui.SetLanguage("en")
	sched := &fakeScheduler{t: t}
	clock := &fakeClock{now: testNow, read: make(chan struct{})} // 10:00
	al := ui.NewAlerter(a, app.New(db), a.Preferences(), sched)
	al.Now = clock.Now

	al.Start("10:30")
	<-clock.read // the check at once has read 10:00: too early, it sends nothing
	sched.assertStarted(10, 30, 15*time.Minute, 1)
	test.AssertNotificationSent(t, nil, sched.fire) // a catch-up before the time
	clock.set(testNow.Add(30 * time.Minute))
	want := fyne.NewNotification("Freezer: check your products", "Overdue (1): Old cod")
	test.AssertNotificationSent(t, want, sched.fire) // the time of day
	clock.set(testNow.Add(45 * time.Minute))
	test.AssertNotificationSent(t, nil, sched.fire) // a catch-up the same day

	al.SetTime("11:15")
	sched.assertStarted(11, 15, 15*time.Minute, 2)
	al.Stop()
	if sched.running() {
		t.Error("the schedule still runs after Stop")
	}
}

// fakeScheduler is a ui.Scheduler that runs its job only when the test
// fires it.
type fakeScheduler struct {
	t            *testing.T
	mu           sync.Mutex
	hour, minute int
	interval     time.Duration
	job          func()
	starts       int
	on           bool
}

func (s *fakeScheduler) Start(hour, minute int, interval time.Duration, job func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hour, s.minute, s.interval, s.job = hour, minute, interval, job
	s.starts++
	s.on = true
	return nil
}

func (s *fakeScheduler) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on = false
}

func (s *fakeScheduler) running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.on
}

// fire runs the job as the time of day or the catch-up would.
func (s *fakeScheduler) fire() {
	s.t.Helper()
	s.mu.Lock()
	job, on := s.job, s.on
	s.mu.Unlock()
	if !on {
		s.t.Fatal("fire: the schedule is stopped")
	}
	job()
}

func (s *fakeScheduler) assertStarted(hour, minute int, interval time.Duration, starts int) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.on || s.hour != hour || s.minute != minute || s.interval != interval || s.starts != starts {
		s.t.Fatalf("schedule = %02d:%02d every %s (running %t, %d starts), want %02d:%02d every %s (running, %d starts)",
			s.hour, s.minute, s.interval, s.on, s.starts, hour, minute, interval, starts)
	}
}

// fakeClock is the Alerter's clock; read is closed at the first reading.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	read chan struct{}
	once sync.Once
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	now := c.now
	c.mu.Unlock()
	c.once.Do(func() { close(c.read) })
	return now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
