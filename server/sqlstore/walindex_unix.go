//go:build unix

package sqlstore

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// The wal-index (the database's -shm file, shared memory that every
// connection to a WAL database maps) starts with two copies of a 48-byte
// header (https://sqlite.org/walformat.html#the_wal_index_file_format). A
// commit rewrites the second copy, then the first, and its change counter
// moves with every commit; readers read the first copy, then the second,
// and trust them only when both are equal. walVersion is that header.
const (
	walHeaderSize = 48
	walIndexInit  = 12 // isInit: 1 once the header is valid
	shmMinSize    = 2 * walHeaderSize
)

// mapWALIndex maps the wal-index of the database at path, read-only, and
// returns a function reading its header. The store keeps a connection
// open for as long as the mapping lives, so SQLite neither deletes nor
// truncates the file under it (it does that only when the last connection
// of every process closes).
func mapWALIndex(path string) (version func() (walVersion, bool), release func() error, err error) {
	f, err := os.Open(path + "-shm")
	if err != nil {
		return nil, nil, fmt.Errorf("open the wal-index: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("open the wal-index: %w", err)
	}
	if st.Size() < int64(os.Getpagesize()) {
		return nil, nil, errors.New("open the wal-index: it is not initialised")
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, os.Getpagesize(), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("map the wal-index: %w", err)
	}
	if mem[walIndexInit] != 1 {
		_ = syscall.Munmap(mem)
		return nil, nil, errors.New("map the wal-index: its header is not initialised")
	}
	version = func() (walVersion, bool) {
		var first, second walVersion
		loadHeader(&first, mem[:walHeaderSize])
		loadHeader(&second, mem[walHeaderSize:shmMinSize])
		return first, first == second && first[walIndexInit] == 1
	}
	return version, func() error { return syscall.Munmap(mem) }, nil
}

// loadHeader copies a header word by word with atomic loads: the memory
// is shared with writers in this and other processes.
func loadHeader(dst *walVersion, src []byte) {
	for i := 0; i < walHeaderSize; i += 4 {
		w := atomic.LoadUint32((*uint32)(unsafe.Pointer(&src[i])))
		*(*uint32)(unsafe.Pointer(&dst[i])) = w
	}
}
