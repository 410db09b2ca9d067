// Package termpass reads a password: from a terminal with the echo off, or
// as the first line of a pipe or a file. It works alike on Linux, macOS and
// Windows (golang.org/x/term, no stty).
package termpass

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// Read returns the password. When stdin is a terminal it writes prompt on
// stderr, reads a line with the echo off, then ends the prompt's line;
// otherwise it reads stdin's first line (a last line without a newline
// counts; an empty stdin gives ""). The line's "\r\n" or "\n" is not part of the password.
func Read(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := readNoEcho(int(f.Fd()), stderr, prompt)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
