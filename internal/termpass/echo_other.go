//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package termpass

import (
	"fmt"
	"io"

	"golang.org/x/term"
)

// readNoEcho writes prompt, then reads the password with the echo off
// (Windows: the console's echo goes off as the read starts).
func readNoEcho(fd int, stderr io.Writer, prompt string) ([]byte, error) {
	fmt.Fprint(stderr, prompt)
	return term.ReadPassword(fd)
}
