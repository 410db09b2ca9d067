package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestUsersAddOnATerminal: freezerd users add asks for the password on a
// terminal without echoing it (a pseudo-terminal; no stty).
func TestUsersAddOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	var (
		mu     sync.Mutex
		screen strings.Builder
	)
	shown := func() string { mu.Lock(); defer mu.Unlock(); return screen.String() }
	go func() {
		b := make([]byte, 256)
		for {
			n, err := ptmx.Read(b)
			mu.Lock()
			screen.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	db := testDB(t, "tty.db")
	var stdout bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"users", "add", "-email", "anne@example.com", "-db", db}, tty, &stdout, tty)
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(shown(), "Password: "); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt; the terminal shows %q", shown())
		}
	}
	if _, err := ptmx.Write([]byte("a long password\r")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil || len(strings.TrimSpace(stdout.String())) != 64 {
			t.Fatalf("users add = %q, %v; the terminal shows %q", stdout.String(), err, shown())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("users add did not end; the terminal shows %q", shown())
	}
	if strings.Contains(shown(), "long password") {
		t.Fatalf("the password was echoed: %q", shown())
	}
}
