package ui

import (
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"freezer/domain"
)

// Scheduler runs a job every day at a time of day and at a fixed interval
// in between, in the background. The Alerter is its consumer; app.Scheduler
// implements it with cron.
type Scheduler interface {
	// Start calls job every day at hour:minute (local time) and every
	// interval, until Stop. It replaces any schedule started before.
	Start(hour, minute int, interval time.Duration, job func()) error
	// Stop ends the schedule and waits for a running job to return.
	Stop()
}

// alertCatchUp is how often the Alerter checks besides its time of day: a
// time missed while the computer slept is caught up this much later.
const alertCatchUp = 15 * time.Minute

// Alerter sends the daily desktop notification listing what is overdue and
// due soon. Its scheduler fires at the configured time, and every 15
// minutes to catch a time missed while the computer slept; Start checks at
// once. The day of the last notification is kept in the preferences, so it
// is never repeated on the same day, restarts included. The notification
// may fail silently on some desktops: the overview's list stays the
// primary channel.
type Alerter struct {
	// Now returns the current time; tests pin it.
	Now func() time.Time

	app   fyne.App
	inv   Inventory
	prefs fyne.Preferences
	sched Scheduler

	mu      sync.Mutex // guards running, hour, minute; serializes checks
	running bool
	hour    int
	minute  int
	wg      sync.WaitGroup
}

// NewAlerter returns a stopped alerter that schedules its checks with
// sched.
func NewAlerter(a fyne.App, inv Inventory, prefs fyne.Preferences, sched Scheduler) *Alerter {
	return &Alerter{Now: time.Now, app: a, inv: inv, prefs: prefs, sched: sched, hour: 9}
}

// Start (re)schedules the daily notification at at ("HH:MM") and checks at
// once in the background.
func (a *Alerter) Start(at string) {
	a.Stop()
	h, m, err := ParseClock(at)
	if err != nil {
		h, m, _ = ParseClock(defaultNotifyAt)
	}
	a.mu.Lock()
	a.hour, a.minute, a.running = h, m, true
	a.mu.Unlock()
	if err := a.sched.Start(h, m, alertCatchUp, a.Check); err != nil {
		fyne.LogError("schedule the daily alert", err)
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.Check()
	}()
}

// Stop stops the schedule and waits for a running check.
func (a *Alerter) Stop() {
	a.mu.Lock()
	running := a.running
	a.running = false
	a.mu.Unlock()
	if running {
		a.sched.Stop()
	}
	a.wg.Wait()
}

// SetTime changes the time of day of the notification.
func (a *Alerter) SetTime(at string) {
	a.mu.Lock()
	running := a.running
	a.mu.Unlock()
	if running {
		a.Start(at)
		return
	}
	if h, m, err := ParseClock(at); err == nil {
		a.mu.Lock()
		a.hour, a.minute = h, m
		a.mu.Unlock()
	}
}

// Check sends today's notification if its time has come and it was not
// sent yet today. It is safe to call from any goroutine.
func (a *Alerter) Check() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.Now()
	if !alertDue(now, a.hour, a.minute, a.prefs.String(prefLastAlerted)) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ov, err := a.inv.Overview(ctx)
	if err != nil {
		fyne.LogError("daily alert", err)
		return
	}
	a.prefs.SetString(prefLastAlerted, domain.DateOf(now).String())
	if len(ov.Alerts) == 0 {
		return
	}
	a.app.SendNotification(alertNotification(ov))
}

// alertDue reports whether the daily notification is due at now, at
// hour:minute, when it was last sent on day last (YYYY-MM-DD).
func alertDue(now time.Time, hour, minute int, last string) bool {
	if last == domain.DateOf(now).String() {
		return false
	}
	return now.Hour()*60+now.Minute() >= hour*60+minute
}

// alertNotification lists overdue then due-soon products by name.
func alertNotification(ov Overview) *fyne.Notification {
	var overdue, soon []string
	for _, p := range ov.Alerts {
		if p.Status == domain.StatusOverdue {
			overdue = append(overdue, p.Name)
		} else {
			soon = append(soon, p.Name)
		}
	}
	var lines []string
	if len(overdue) > 0 {
		lines = append(lines, lang.L("alert.overdue", map[string]any{"Count": len(overdue), "Names": names(overdue)}))
	}
	if len(soon) > 0 {
		lines = append(lines, lang.L("alert.due_soon", map[string]any{"Count": len(soon), "Names": names(soon)}))
	}
	return fyne.NewNotification(lang.L("alert.title"), strings.Join(lines, "\n"))
}

// names joins up to 6 names and says how many more there are.
func names(list []string) string {
	const most = 6
	if len(list) <= most {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:most], ", ") + " " + lang.L("alert.more", map[string]any{"Count": len(list) - most})
}
