// Package pubsub hands published values to subscribers: the syncer's
// status to the desktop adapter, and the adapter's status to the screens.
package pubsub

import (
	"slices"
	"sync"
)

// Hub calls its subscribers with every value published. The zero Hub is
// ready to use; a Hub is safe for concurrent use and must not be copied
// after first use.
//
// Ordering: Publish calls the subscribers one after another on the
// publisher's goroutine, in the order they subscribed, and outside the
// hub's lock, so a subscriber may subscribe, cancel or publish itself. The
// hub does not order publishers: values published from two goroutines at
// once may reach a subscriber in either order, or interleaved. A publisher
// that needs its values seen in order publishes them one at a time (under
// its own lock) or numbers them.
type Hub[T any] struct {
	mu   sync.Mutex
	subs []subscriber[T] // copied on write: Publish keeps the slice it read
	next uint64
}

type subscriber[T any] struct {
	id uint64
	fn func(T)
}

// Subscribe calls fn with every value published from now on; the returned
// func unsubscribes (calling it again does nothing). A Publish already
// running when cancel returns may still call fn once.
func (h *Hub[T]) Subscribe(fn func(T)) (cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	id := h.next
	h.subs = append(slices.Clip(h.subs), subscriber[T]{id: id, fn: fn})
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.subs = slices.DeleteFunc(slices.Clone(h.subs), func(s subscriber[T]) bool { return s.id == id })
	}
}

// Publish calls every current subscriber with v and returns when they all
// have returned.
func (h *Hub[T]) Publish(v T) {
	h.mu.Lock()
	subs := h.subs
	h.mu.Unlock()
	for _, s := range subs {
		s.fn(v)
	}
}
