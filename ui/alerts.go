package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/robfig/cron/v3"

	"freezer/domain"
)

// Alerter sends the daily desktop notification listing what is overdue and
// due soon. A cron entry fires at the configured time; a second entry every
// 15 minutes catches a time missed while the computer slept, and Start
// checks at once. The day of the last notification is kept in the
// preferences, so it is never repeated on the same day, restarts included.
// The notification may fail silently on some desktops: the overview's list
// stays the primary channel.
type Alerter struct {
	// Now returns the current time; tests pin it.
	Now func() time.Time

	app   fyne.App
	inv   Inventory
	prefs fyne.Preferences

	mu     sync.Mutex // guards cron, hour, minute; serializes checks
	cron   *cron.Cron
	hour   int
	minute int
	wg     sync.WaitGroup
}

// NewAlerter returns a stopped alerter.
func NewAlerter(a fyne.App, inv Inventory, prefs fyne.Preferences) *Alerter {
	return &Alerter{Now: time.Now, app: a, inv: inv, prefs: prefs, hour: 9}
}

// Start (re)schedules the daily notification at at ("HH:MM") and checks at
// once in the background.
func (a *Alerter) Start(at string) {
	a.Stop()
	h, m, err := ParseClock(at)
	if err != nil {
		h, m, _ = ParseClock(defaultNotifyAt)
	}
	c := cron.New()
	a.mu.Lock()
	a.hour, a.minute, a.cron = h, m, c
	a.mu.Unlock()
	if _, err := c.AddFunc(fmt.Sprintf("%d %d * * *", m, h), a.Check); err != nil {
		fyne.LogError("schedule the daily alert", err)
	}
	if _, err := c.AddFunc("@every 15m", a.Check); err != nil {
		fyne.LogError("schedule the alert catch-up", err)
	}
	c.Start()
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.Check()
	}()
}

// Stop stops the schedule and waits for a running check.
func (a *Alerter) Stop() {
	a.mu.Lock()
	c := a.cron
	a.cron = nil
	a.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
	a.wg.Wait()
}

// SetTime changes the time of day of the notification.
func (a *Alerter) SetTime(at string) {
	a.mu.Lock()
	running := a.cron != nil
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
