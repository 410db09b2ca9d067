package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"freezer/internal/ptytest"
)

// TestLoginOnATerminal: freezerctl login asks for the password on a
// terminal and does not echo it (a pseudo-terminal, a real freezerd).
func TestLoginOnATerminal(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	h, _ := mustRealServer(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	ptmx, tty, term := ptytest.Open(t)

	db := filepath.Join(t.TempDir(), "a.db")
	code := make(chan int, 1)
	go func() {
		code <- run(context.Background(), []string{"-db", db, "login", "-server", srv.URL, "-email", "anne@example.org"}, tty, tty, tty)
	}()
	term.WaitFor(t, "Password: ")
	if _, err := ptmx.Write([]byte("correct horse battery\r")); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != exitOK {
			t.Fatalf("login exit %d; the terminal shows %q", c, term.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("login did not end; the terminal shows %q", term.String())
	}
	term.WaitFor(t, "Signed in to "+srv.URL+" as anne@example.org")
	if got := term.String(); strings.Contains(got, "horse") {
		t.Fatalf("the password was echoed: %q", got)
	}
}
