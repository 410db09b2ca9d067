package tokens

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestProbeVerdicts(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"found", nil, true},
		{"not found", keyring.ErrNotFound, true},
		{"wrapped not found", fmt.Errorf("get: %w", keyring.ErrNotFound), true},
		{"no keyring", errors.New("dbus: couldn't determine address of session bus"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The timeout is long: the probe returns as soon as get does.
			p := &probe{get: func() error { return tt.err }, timeout: time.Minute}
			if got := p.works(); got != tt.want {
				t.Fatalf("works() with get error %v = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestProbeThatHangsStartsOneGoroutine probes a keyring that never answers
// (until the test ends): every caller gets "absent" after the timeout, and
// only the first call starts a goroutine. A late answer does not change
// the verdict.
func TestProbeThatHangsStartsOneGoroutine(t *testing.T) {
	release := make(chan struct{})
	answered := make(chan struct{})
	var calls atomic.Int32
	p := &probe{
		get: func() error {
			calls.Add(1)
			<-release
			close(answered)
			return nil
		},
		timeout: time.Millisecond,
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p.works() {
				t.Error("works() on a keyring that never answers = true, want false")
			}
		}()
	}
	wg.Wait()
	if p.works() {
		t.Fatal("works() again = true, want false")
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("keyring probed %d times, want 1", got)
	}
	close(release)
	<-answered
	if p.works() {
		t.Fatal("works() after a late answer = true, want the first verdict (false)")
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("keyring probed %d times after a late answer, want 1", got)
	}
}
