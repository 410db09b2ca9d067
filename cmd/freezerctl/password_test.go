package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestLoginOnATerminal: freezerctl login asks for the password on a
// terminal and does not echo it (a pseudo-terminal, a real freezerd).
func TestLoginOnATerminal(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	h, _ := mustRealServer(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	term := &terminal{}
	go term.read(ptmx)

	db := filepath.Join(t.TempDir(), "a.db")
	code := make(chan int, 1)
	go func() {
		code <- run(context.Background(), []string{"-db", db, "login", "-server", srv.URL, "-email", "anne@example.org"}, tty, tty, tty)
	}()
	term.waitFor(t, "Password: ")
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
	term.waitFor(t, "Signed in to "+srv.URL+" as anne@example.org")
	if got := term.String(); strings.Contains(got, "horse") {
		t.Fatalf("the password was echoed: %q", got)
	}
}

// terminal is what a pseudo-terminal showed, read in the background.
type terminal struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (s *terminal) read(f *os.File) {
	b := make([]byte, 256)
	for {
		n, err := f.Read(b)
		s.mu.Lock()
		s.buf.Write(b[:n])
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *terminal) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *terminal) waitFor(t *testing.T, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q; it shows %q", want, s.String())
		}
	}
}
