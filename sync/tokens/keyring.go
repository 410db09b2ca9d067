package tokens

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the OS keyring service name of Freezer's tokens.
const KeyringService = "freezer-sync"

// KeyringStore keeps tokens in the OS keyring (Secret Service, Keychain,
// Credential Manager).
type KeyringStore struct{}

var _ Store = KeyringStore{}

// Token implements Store.
func (KeyringStore) Token(key string) (string, error) {
	t, err := keyring.Get(KeyringService, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", errNotSignedIn()
	}
	if err != nil {
		return "", fmt.Errorf("read token from the keyring: %w", err)
	}
	return t, nil
}

// SetToken implements Store.
func (KeyringStore) SetToken(key, token string) error {
	if err := keyring.Set(KeyringService, key, token); err != nil {
		return fmt.Errorf("store token in the keyring: %w", err)
	}
	return nil
}

// DeleteToken implements Store.
func (KeyringStore) DeleteToken(key string) error {
	if err := keyring.Delete(KeyringService, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("remove token from the keyring: %w", err)
	}
	return nil
}

// Where implements Store.
func (KeyringStore) Where() string { return "the system keyring" }

// probeTimeout is how long New waits for the keyring to answer its probe;
// a keyring slower than this counts as absent.
const probeTimeout = time.Second

// keyringProbe is the process's one probe of the OS keyring.
var keyringProbe = &probe{
	get: func() error {
		_, err := keyring.Get(KeyringService, "probe")
		return err
	},
	timeout: probeTimeout,
}

// keyringWorks reports whether the OS keyring answers; see probe.
func keyringWorks() bool { return keyringProbe.works() }

// probe asks the keyring once per process whether it works: a read that
// should find nothing, answered within timeout. The verdict is kept, so
// every store a process makes agrees (a token saved to the file after a
// slow probe is not looked for in the keyring later).
//
// A probe that times out leaves its goroutine behind, blocked in get, and
// nothing in go-keyring's API can end it: Get takes no context nor
// deadline. On Linux it talks to the Secret Service over godbus's shared
// session bus (dbus.SessionBus), with dbus calls that wait for their reply
// without a deadline, and when the login collection is locked it waits for
// the unlock prompt's signal on a channel with no timeout, that is until
// the person answers the dialog (or forever, if no dialog can show). The
// only way to end those waits is to close that shared connection, which
// other parts of the process use (Fyne's desktop portal) and which makes
// go-keyring receive a nil signal and panic. On macOS it runs
// /usr/bin/security with exec.Command, without a context to kill it by.
// So the leak is bounded instead: sync.Once starts at most one probe
// goroutine per process, whatever the number of stores made, and that
// goroutine ends by itself if the keyring ever answers (its channel is
// buffered, so the late answer never blocks it).
type probe struct {
	get     func() error // one keyring read; ErrNotFound means it works
	timeout time.Duration

	once sync.Once
	ok   bool // set once, inside once.Do
}

func (p *probe) works() bool {
	p.once.Do(func() {
		done := make(chan error, 1)
		go func() { done <- p.get() }()
		timer := time.NewTimer(p.timeout)
		defer timer.Stop()
		select {
		case err := <-done:
			p.ok = err == nil || errors.Is(err, keyring.ErrNotFound)
		case <-timer.C:
			p.ok = false
		}
	})
	return p.ok
}
