// Package ptytest gives tests a pseudo-terminal and what it showed: for
// the password prompts of freezerd and freezerctl (internal/termpass),
// which must not echo what is typed.
package ptytest

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Screen is what the terminal showed, read in the background.
type Screen struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Open opens a pseudo-terminal for the test: the program under test reads
// and writes tty, the test types into ptmx and reads what it shows on the
// Screen. Both ends are closed when the test ends. The test is skipped
// where the system has no pseudo-terminals.
func Open(t *testing.T) (ptmx, tty *os.File, s *Screen) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() {
		_ = tty.Close()
		_ = ptmx.Close()
	})
	s = &Screen{}
	go func() {
		b := make([]byte, 256)
		for {
			n, err := ptmx.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return ptmx, tty, s
}

// String is everything the terminal showed so far.
func (s *Screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// WaitFor waits up to 10 seconds for the terminal to show want.
func (s *Screen) WaitFor(t *testing.T, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q; it shows %q", want, s.String())
		}
	}
}
