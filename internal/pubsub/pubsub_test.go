package pubsub_test

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"freezer/internal/pubsub"
)

func TestHubCallsSubscribersInOrderUntilCancelled(t *testing.T) {
	var h pubsub.Hub[int]
	h.Publish(0) // nobody listens: nothing happens
	var got []string
	record := func(name string) func(int) {
		return func(v int) { got = append(got, name+":"+string(rune('0'+v))) }
	}
	cancelA := h.Subscribe(record("a"))
	h.Subscribe(record("b"))
	h.Publish(1)
	cancelA()
	cancelA() // a second call does nothing
	h.Publish(2)
	h.Subscribe(record("c"))
	h.Publish(3)
	want := []string{"a:1", "b:1", "b:2", "b:3", "c:3"}
	if !slices.Equal(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
}

// TestHubSubscribersMayUseTheHub checks that subscribers are called outside
// the lock, and that a cancel during a Publish leaves that Publish's list
// alone (every subscriber it started with is called exactly once).
func TestHubSubscribersMayUseTheHub(t *testing.T) {
	var h pubsub.Hub[string]
	calls := map[string]int{}
	var cancelB func()
	h.Subscribe(func(v string) {
		calls["a"]++
		if v == "first" {
			cancelB()
			h.Subscribe(func(string) { calls["late"]++ })
			h.Publish("nested")
		}
	})
	cancelB = h.Subscribe(func(string) { calls["b"]++ })
	h.Subscribe(func(string) { calls["c"]++ })
	h.Publish("first")
	// a: first, nested; b: first only (cancelled before nested);
	// c: nested (inside a), then first; late: nested.
	want := map[string]int{"a": 2, "b": 1, "c": 2, "late": 1}
	for name, n := range want {
		if calls[name] != n {
			t.Errorf("subscriber %s called %d times, want %d (all calls %v)", name, calls[name], n, calls)
		}
	}
}

// TestHubConcurrentUse publishes, subscribes and cancels from many
// goroutines; run with -race.
func TestHubConcurrentUse(t *testing.T) {
	var h pubsub.Hub[int]
	var total atomic.Int64
	stay := h.Subscribe(func(v int) { total.Add(int64(v)) })
	defer stay()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 100 {
				h.Publish(1)
			}
		}()
		go func() {
			defer wg.Done()
			for range 100 {
				cancel := h.Subscribe(func(int) {})
				cancel()
			}
		}()
	}
	wg.Wait()
	if got, want := total.Load(), int64(8*100); got != want {
		t.Fatalf("the steady subscriber saw %d values, want %d", got, want)
	}
}
