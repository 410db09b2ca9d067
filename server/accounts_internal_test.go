package server

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// bcrypt work waits for one of NumCPU slots; a request that ends while
// waiting gives up without running bcrypt.
func TestAcctBcryptSlots(t *testing.T) {
	a := newAccounts(Config{Now: time.Now, BcryptCost: bcrypt.MinCost})
	if got, want := cap(a.bcryptSlots), runtime.NumCPU(); got != want {
		t.Fatalf("bcrypt slots = %d, want runtime.NumCPU() = %d", got, want)
	}
	hash, err := a.hashPassword(t.Context(), "plum jam tart")
	if err != nil {
		t.Fatal(err)
	}
	for range cap(a.bcryptSlots) {
		if err := a.acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	before := a.verified.Load()
	if _, err := a.verifyPassword(ctx, hash, "plum jam tart"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("verifyPassword with every slot busy = %v, want a deadline error", err)
	}
	if a.verified.Load() != before {
		t.Errorf("bcrypt ran without a slot")
	}
	a.release()
	if ok, err := a.verifyPassword(t.Context(), hash, "plum jam tart"); !ok || err != nil {
		t.Errorf("verifyPassword with a slot free = %v, %v, want true", ok, err)
	}
}

func FuzzAcctCheckNewPassword(f *testing.F) {
	for _, p := range []string{"correct horse", "123456789", "          ", "aaaaaaaaaaaa", "alice@example.com", "password123", "monkey!!2024"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if CheckNewPassword("alice@example.com", p) != nil {
			return
		}
		if len([]rune(p)) < MinPasswordLength || len(p) > maxPasswordBytes || IsCommonPassword(p) || distinctRunes(p) <= 2 {
			t.Errorf("CheckNewPassword(%q) accepted a password its rules refuse", p)
		}
	})
}
