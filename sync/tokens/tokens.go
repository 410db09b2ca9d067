// Package tokens keeps a device's sync token outside the inventory database
// and the preferences: in the OS keyring (Secret Service, Keychain,
// Credential Manager) when one answers, else in a file only the user can
// read. The syncer (freezer/sync/client) never reads or writes tokens: its
// owner (the desktop app, freezerctl) loads the token from a Store and hands
// it over with Syncer.SetCredentials or Config.Token.
package tokens

import (
	"os"
	"strings"

	"freezer/domain"
)

// Store keeps tokens. Keys name a (server, device) pair: see Key.
type Store interface {
	// Token returns the stored token, or an ENotFound error.
	Token(key string) (string, error)
	// SetToken stores token under key, replacing any earlier one.
	SetToken(key, token string) error
	// DeleteToken forgets the token under key; a missing one is no error.
	DeleteToken(key string) error
	// Where says, for people, where tokens are kept.
	Where() string
}

// Key returns the key of a device's token for a server; a trailing slash
// of the server's address does not change it.
func Key(server, device string) string {
	return strings.TrimRight(server, "/") + " " + device
}

// EnvStore names the environment variable that chooses the store: "file"
// forces the private file (headless machines, scripts, tests), "keyring"
// forces the OS keyring; anything else lets New probe the keyring.
const EnvStore = "FREEZER_TOKEN_STORE"

// New returns the OS keyring when one answers, else a FileStore in dir.
// EnvStore overrides the choice. The keyring is probed once per process
// (see probe); the first probe may take up to a second, so call New off
// the UI goroutine.
func New(dir string) Store {
	switch os.Getenv(EnvStore) {
	case "file":
		return FileStore{Dir: dir}
	case "keyring":
		return KeyringStore{}
	}
	if keyringWorks() {
		return KeyringStore{}
	}
	return FileStore{Dir: dir}
}

// errNotSignedIn is the answer of every store for a missing token.
func errNotSignedIn() error {
	return domain.Errorf(domain.ENotFound, "This device is not signed in: run login, or sync with -server and -token.")
}
