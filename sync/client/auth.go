package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/zalando/go-keyring"

	"freezer/domain"
	"freezer/sync/protocol"
)

// TokenStore keeps a device's token outside the inventory database. Keys
// name a (server, device) pair.
type TokenStore interface {
	// Token returns the stored token, or an ENotFound error.
	Token(key string) (string, error)
	SetToken(key, token string) error
	DeleteToken(key string) error
	// Where says, for people, where tokens are kept.
	Where() string
}

// TokenKey returns the key of a device's token for a server.
func TokenKey(server, device string) string {
	return strings.TrimRight(server, "/") + " " + device
}

// KeyringService is the OS keyring service name of Freezer's tokens.
const KeyringService = "freezer-sync"

// KeyringStore keeps tokens in the OS keyring (Secret Service, Keychain,
// Credential Manager).
type KeyringStore struct{}

func (KeyringStore) Token(key string) (string, error) {
	t, err := keyring.Get(KeyringService, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", domain.Errorf(domain.ENotFound, "This device is not signed in: run login, or sync with -server and -token.")
	}
	if err != nil {
		return "", fmt.Errorf("read token from the keyring: %w", err)
	}
	return t, nil
}

func (KeyringStore) SetToken(key, token string) error {
	if err := keyring.Set(KeyringService, key, token); err != nil {
		return fmt.Errorf("store token in the keyring: %w", err)
	}
	return nil
}

func (KeyringStore) DeleteToken(key string) error {
	if err := keyring.Delete(KeyringService, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("remove token from the keyring: %w", err)
	}
	return nil
}

func (KeyringStore) Where() string { return "the system keyring" }

// FileStore keeps each token in its own file that only the user can read
// (mode 0600, in a 0700 folder).
type FileStore struct{ Dir string }

func (s FileStore) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.Dir, "token-"+hex.EncodeToString(sum[:8]))
}

func (s FileStore) Token(key string) (string, error) {
	b, err := os.ReadFile(s.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return "", domain.Errorf(domain.ENotFound, "This device is not signed in: run login, or sync with -server and -token.")
	}
	if err != nil {
		return "", fmt.Errorf("read token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

func (s FileStore) SetToken(key, token string) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".token-*")
	if err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("store token: %w", err)
	}
	if _, err := tmp.WriteString(token + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("store token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path(key)); err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

func (s FileStore) DeleteToken(key string) error {
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove token: %w", err)
	}
	return nil
}

func (s FileStore) Where() string { return "a private file in " + s.Dir }

// NewTokenStore returns the OS keyring when one answers, else a FileStore
// in dir. FREEZER_TOKEN_STORE=file forces the file (headless machines,
// scripts); =keyring forces the keyring.
func NewTokenStore(dir string) TokenStore {
	switch os.Getenv("FREEZER_TOKEN_STORE") {
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

// keyringWorks probes the keyring with a read that should find nothing; a
// keyring that does not answer within a second counts as absent.
func keyringWorks() bool {
	done := make(chan bool, 1)
	go func() {
		_, err := keyring.Get(KeyringService, "probe")
		done <- err == nil || errors.Is(err, keyring.ErrNotFound)
	}()
	select {
	case ok := <-done:
		return ok
	case <-time.After(time.Second):
		return false
	}
}

// Login exchanges an email and a password for a token
// (POST /api/v1/login). The password is sent once and never kept.
func Login(ctx context.Context, hc *http.Client, server, email, password string) (string, error) {
	if hc == nil {
		hc = &http.Client{}
	}
	server = strings.TrimRight(server, "/")
	c := &Client{cfg: Config{Server: server}.withDefaults()}
	rc := resty.NewWithClient(hc).SetTimeout(DefaultTimeout)
	rc.SetLogger(quietLogger{})
	resp, err := rc.R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetBody(protocol.Credentials{Email: email, Password: password}).
		Post(server + protocol.LoginPath)
	if resp != nil && (resp.StatusCode() == http.StatusUnauthorized || resp.StatusCode() == http.StatusForbidden) {
		return "", &Error{Code: domain.EUnauthorized, Kind: KindWrongPassword, Status: resp.StatusCode(),
			Message: "The email or the password is wrong: check them and sign in again."}
	}
	if err := c.check(resp, err); err != nil {
		return "", err
	}
	var tr protocol.TokenResponse
	if err := json.Unmarshal(resp.Body(), &tr); err != nil || tr.Token == "" {
		return "", &Error{Code: domain.EInvalid, Kind: KindNotSync, Message: "The server's answer to the sign-in has no token: check the server's address."}
	}
	return tr.Token, nil
}
