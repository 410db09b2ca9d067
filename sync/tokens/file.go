package tokens

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileStore keeps each token in its own file that only the user can read
// (mode 0600, in a 0700 folder). File names are hashes of the keys, so the
// folder does not list the servers.
type FileStore struct{ Dir string }

var _ Store = FileStore{}

func (s FileStore) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.Dir, "token-"+hex.EncodeToString(sum[:8]))
}

// Token implements Store.
func (s FileStore) Token(key string) (string, error) {
	b, err := os.ReadFile(s.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return "", errNotSignedIn()
	}
	if err != nil {
		return "", fmt.Errorf("read token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// SetToken implements Store. The token is written to a private temporary
// file and renamed over the old one, so a reader never sees half a token
// and the token is never readable by others, even for a moment.
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

// DeleteToken implements Store.
func (s FileStore) DeleteToken(key string) error {
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove token: %w", err)
	}
	return nil
}

// Where implements Store.
func (s FileStore) Where() string { return "a private file in " + s.Dir }
