package app

import (
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"freezer/domain"
	"freezer/ui"
)

// Scheduler is ui.Scheduler on a cron: one entry at the time of day, one at
// the interval. Each Start makes a new cron, so a new time never adds to
// the old entries.
type Scheduler struct {
	mu   sync.Mutex // guards cron; held while starting and stopping
	cron *cron.Cron // nil when stopped
}

var _ ui.Scheduler = (*Scheduler)(nil)

// NewScheduler returns a stopped scheduler.
func NewScheduler() *Scheduler { return &Scheduler{} }

// Start implements ui.Scheduler. The cron runs in local time; an interval
// is rounded down to whole seconds (cron's resolution), one second at
// least.
func (s *Scheduler) Start(hour, minute int, interval time.Duration, job func()) error {
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return domain.Errorf(domain.EInvalid, "The time %02d:%02d is not a time of day.", hour, minute)
	}
	if interval <= 0 {
		return domain.Errorf(domain.EInvalid, "The interval %s is not positive.", interval)
	}
	c := cron.New()
	if _, err := c.AddFunc(fmt.Sprintf("%d %d * * *", minute, hour), job); err != nil {
		return fmt.Errorf("schedule daily at %02d:%02d: %w", hour, minute, err)
	}
	c.Schedule(cron.Every(interval), cron.FuncJob(job))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	s.cron = c
	c.Start()
	return nil
}

// Stop implements ui.Scheduler.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

// stopLocked stops the running cron, if any, and waits for its running
// jobs. A job must not call Start or Stop (it would wait for itself).
func (s *Scheduler) stopLocked() {
	if s.cron != nil {
		<-s.cron.Stop().Done()
		s.cron = nil
	}
}
