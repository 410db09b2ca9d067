package app

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestSchedulerEntries checks the two entries a Start makes (the time of
// day and the interval), and that a second Start replaces them.
func TestSchedulerEntries(t *testing.T) {
	s := NewScheduler()
	defer s.Stop()
	for _, at := range [][2]int{{9, 0}, {18, 45}} {
		if err := s.Start(at[0], at[1], 15*time.Minute, func() {}); err != nil {
			t.Fatalf("Start(%02d:%02d) error = %v", at[0], at[1], err)
		}
		s.mu.Lock()
		entries := s.cron.Entries()
		s.mu.Unlock()
		if len(entries) != 2 {
			t.Fatalf("Start(%02d:%02d) made %d entries, want 2", at[0], at[1], len(entries))
		}
		var daily, every int
		for _, e := range entries {
			switch sch := e.Schedule.(type) {
			case *cron.SpecSchedule:
				daily++
				if next := sch.Next(time.Now()); next.Hour() != at[0] || next.Minute() != at[1] || sch.Location != time.Local {
					t.Errorf("daily entry next runs at %s (%s), want %02d:%02d local time", next, sch.Location, at[0], at[1])
				}
			case cron.ConstantDelaySchedule:
				every++
				if sch.Delay != 15*time.Minute {
					t.Errorf("interval entry every %s, want 15m", sch.Delay)
				}
			default:
				t.Errorf("unexpected schedule %T", e.Schedule)
			}
		}
		if daily != 1 || every != 1 {
			t.Errorf("Start(%02d:%02d) made %d daily and %d interval entries, want 1 and 1", at[0], at[1], daily, every)
		}
	}
}

// TestSchedulerRunsTheJobUntilStop drives a real cron at a one-second
// interval.
func TestSchedulerRunsTheJobUntilStop(t *testing.T) {
	s := NewScheduler()
	var runs atomic.Int32
	ran := make(chan struct{}, 1)
	if err := s.Start(3, 0, time.Second, func() {
		runs.Add(1)
		select {
		case ran <- struct{}{}:
		default:
		}
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the job did not run within 5s at a 1s interval")
	}
	s.Stop()
	after := runs.Load()
	time.Sleep(1500 * time.Millisecond)
	if got := runs.Load(); got != after {
		t.Errorf("the job ran %d times after Stop, want 0", got-after)
	}
	s.Stop() // stopping twice is harmless
}

func TestSchedulerRefusesBadTimes(t *testing.T) {
	s := NewScheduler()
	defer s.Stop()
	for _, tt := range []struct {
		name         string
		hour, minute int
		interval     time.Duration
	}{
		{"hour 24", 24, 0, time.Minute},
		{"minute 60", 9, 60, time.Minute},
		{"negative", -1, 0, time.Minute},
		{"no interval", 9, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Start(tt.hour, tt.minute, tt.interval, func() {}); err == nil {
				t.Errorf("Start(%d, %d, %s) succeeded, want an error", tt.hour, tt.minute, tt.interval)
			}
		})
	}
}
