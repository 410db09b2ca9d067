//go:build unix

package sqlstore

import (
	"errors"
	"fmt"
	"os"
	"sync"
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
// returns a function reading its header, and one to call once the store
// has closed its SQLite connections. The store keeps a connection open
// for as long as the mapping lives, so SQLite neither deletes nor
// truncates the file under it (it does that only when the last connection
// of every process closes).
//
// release is non-nil whenever a descriptor was opened, even when err is
// not: see shmFiles.
func mapWALIndex(path string) (version func() (walVersion, bool), release func() error, err error) {
	shmFiles.Lock()
	defer shmFiles.Unlock()
	s, err := openSHM(path + "-shm")
	if err != nil {
		return nil, nil, err
	}
	s.refs++
	release = sync.OnceValue(s.release)
	if s.mem == nil {
		if s.mem, err = mapHeader(s.files[0]); err != nil {
			return nil, release, err
		}
	}
	mem := s.mem
	version = func() (walVersion, bool) {
		var first, second walVersion
		loadHeader(&first, mem[:walHeaderSize])
		loadHeader(&second, mem[walHeaderSize:shmMinSize])
		return first, first == second && first[walIndexInit] == 1
	}
	return version, release, nil
}

// shmFiles are the -shm files this process has open to map their header,
// one entry per file, shared by the stores of the same database.
//
// POSIX drops every lock a process holds on a file when the process
// closes any descriptor of that file. SQLite holds its wal-index locks
// through a descriptor of its own: among them a read lock that tells
// other processes this one has the database open, and the write lock. A
// descriptor opened here and closed while SQLite's connections are open
// would drop them all; the next process to open the database would then
// truncate and rebuild the wal-index under this one (whose commits then
// fail with SQLITE_IOERR_IN_PAGE, if nothing worse). So a descriptor
// opened here stays open until the last store using it has closed its
// SQLite connections, and is never opened twice for one file.
var shmFiles = struct {
	sync.Mutex
	m map[shmID]*shmFile
}{m: map[shmID]*shmFile{}}

type shmID struct{ dev, ino uint64 }

type shmFile struct {
	id    shmID
	files []*os.File // one, or more when the file changed between stat and open
	mem   []byte     // the header's page, mapped; nil until mapped
	refs  int
}

// openSHM returns the entry of the file at name, opening the file if this
// process has no descriptor of it yet. shmFiles is locked.
func openSHM(name string) (*shmFile, error) {
	if fi, err := os.Stat(name); err == nil {
		if s := shmFiles.m[idOf(fi)]; s != nil {
			return s, nil
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open the wal-index: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		// Which file it is cannot be told: it stays open for the
		// process's life rather than risk closing it under SQLite.
		shmUnknown = append(shmUnknown, f)
		return nil, fmt.Errorf("open the wal-index: %w", err)
	}
	id := idOf(fi)
	if s := shmFiles.m[id]; s != nil {
		s.files = append(s.files, f)
		return s, nil
	}
	s := &shmFile{id: id, files: []*os.File{f}}
	shmFiles.m[id] = s
	return s, nil
}

// shmUnknown holds the descriptors openSHM could not key.
var shmUnknown []*os.File

// idOf is the file's device and inode (their types differ between
// systems, hence the conversions).
func idOf(fi os.FileInfo) shmID {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return shmID{}
	}
	return shmID{dev: uint64(st.Dev), ino: uint64(st.Ino)}
}

// release ends one store's use of s; the last one unmaps it and closes
// its descriptors, after SQLite's connections of that store closed.
func (s *shmFile) release() error {
	shmFiles.Lock()
	defer shmFiles.Unlock()
	if s.refs--; s.refs > 0 {
		return nil
	}
	delete(shmFiles.m, s.id)
	var errs []error
	if s.mem != nil {
		errs = append(errs, syscall.Munmap(s.mem))
	}
	for _, f := range s.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// mapHeader maps the first page of the wal-index open in f, read-only,
// once SQLite has initialised it.
func mapHeader(f *os.File) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open the wal-index: %w", err)
	}
	if st.Size() < int64(os.Getpagesize()) {
		return nil, errors.New("open the wal-index: it is not initialised")
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, os.Getpagesize(), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map the wal-index: %w", err)
	}
	if mem[walIndexInit] != 1 {
		_ = syscall.Munmap(mem)
		return nil, errors.New("map the wal-index: its header is not initialised")
	}
	return mem, nil
}

// loadHeader copies a header word by word with atomic loads: the memory
// is shared with writers in this and other processes.
func loadHeader(dst *walVersion, src []byte) {
	for i := 0; i < walHeaderSize; i += 4 {
		w := atomic.LoadUint32((*uint32)(unsafe.Pointer(&src[i])))
		*(*uint32)(unsafe.Pointer(&dst[i])) = w
	}
}
