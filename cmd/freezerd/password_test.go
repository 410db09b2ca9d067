package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"freezer/internal/ptytest"
)

// TestUsersAddOnATerminal: freezerd users add asks for the password on a
// terminal without echoing it (a pseudo-terminal; no stty).
func TestUsersAddOnATerminal(t *testing.T) {
	ptmx, tty, screen := ptytest.Open(t)
	db := testDB(t, "tty.db")
	var stdout bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"users", "add", "-email", "anne@example.com", "-db", db}, tty, &stdout, tty)
	}()
	screen.WaitFor(t, "Password: ")
	if _, err := ptmx.Write([]byte("a long password\r")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil || len(strings.TrimSpace(stdout.String())) != 64 {
			t.Fatalf("users add = %q, %v; the terminal shows %q", stdout.String(), err, screen.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("users add did not end; the terminal shows %q", screen.String())
	}
	if strings.Contains(screen.String(), "long password") {
		t.Fatalf("the password was echoed: %q", screen.String())
	}
}
