package termpass

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"freezer/internal/ptytest"
)

// TestReadOnATerminal types a password into a pseudo-terminal: it is read,
// never echoed, the prompt is shown, and the echo is back on afterwards.
func TestReadOnATerminal(t *testing.T) {
	ptmx, tty, screen := ptytest.Open(t)

	type result struct {
		pw  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		pw, err := Read(tty, tty, "Password: ")
		done <- result{pw, err}
	}()
	screen.WaitFor(t, "Password: ")
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
	screen.WaitFor(t, "visible")
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
