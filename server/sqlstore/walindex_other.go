//go:build !unix

package sqlstore

import "errors"

const walHeaderSize = 48

// mapWALIndex is unix only (mmap): elsewhere every token lookup reads the
// database.
func mapWALIndex(string) (func() (walVersion, bool), func() error, error) {
	return nil, nil, errors.New("the wal-index is mapped on unix only")
}
