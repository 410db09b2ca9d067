//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package termpass

import (
	"fmt"
	"io"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// readNoEcho turns the terminal's echo off, then writes prompt and reads
// the password. Writing the prompt first, as term.ReadPassword alone
// would have it, left a moment in which what was typed right after the
// prompt showed (a paste, a script on a pseudo-terminal: the test caught
// it on a loaded machine).
func readNoEcho(fd int, stderr io.Writer, prompt string) ([]byte, error) {
	old, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlWriteTermios, &quiet); err != nil {
		return nil, err
	}
	defer func() { _ = unix.IoctlSetTermios(fd, ioctlWriteTermios, old) }()
	fmt.Fprint(stderr, prompt)
	return term.ReadPassword(fd) // finds the echo off already, and reads the line
}
