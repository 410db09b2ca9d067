package termpass

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestReadOnATerminal types a password into a pseudo-terminal: it is read,
// never echoed, the prompt is shown, and the echo is back on afterwards.
func TestReadOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	screen := readAll(ptmx)

	type result struct {
		pw  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		pw, err := Read(tty, tty, "Password: ")
		done <- result{pw, err}
	}()
	waitFor(t, screen, "Password: ")
	if _, err := ptmx.Write([]byte("a long secret\r")); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Read did not return after the line was typed")
	}
	if r.err != nil || r.pw != "a long secret" {
		t.Fatalf("Read = %q, %v; want %q", r.pw, r.err, "a long secret")
	}
	// The echo is back: a line typed now shows on the screen.
	if _, err := ptmx.Write([]byte("visible\r")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, screen, "visible")
	if got := screen.String(); strings.Contains(got, "secret") {
		t.Fatalf("the terminal echoed the password: %q", got)
	}
}

func TestReadFromAPipe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a long secret\n", "a long secret"},
		{"a long secret\r\n", "a long secret"}, // a file written on Windows
		{"a long secret", "a long secret"},     // no final newline
		{"first\nsecond\n", "first"},
		{"", ""},
	} {
		var prompt bytes.Buffer
		got, err := Read(strings.NewReader(tt.in), &prompt, "Password: ")
		if err != nil || got != tt.want {
			t.Errorf("Read(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if prompt.Len() != 0 {
			t.Errorf("Read(%q) prompted %q on a pipe", tt.in, prompt.String())
		}
	}
	if _, err := Read(failingReader{}, io.Discard, ""); err == nil || !strings.Contains(err.Error(), "read password") {
		t.Errorf("Read of a failing reader = %v, want a read password error", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

// screen is what a terminal showed, read in the background.
type screen struct {
	mu  sync.Mutex
	buf strings.Builder
}

func readAll(f *os.File) *screen {
	s := &screen{}
	go func() {
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
	}()
	return s
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func waitFor(t *testing.T, s *screen, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q; it shows %q", want, s.String())
		}
	}
}
