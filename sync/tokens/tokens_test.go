package tokens_test

import (
	"os"
	"path/filepath"
	"testing"

	"freezer/domain"
	"freezer/sync/tokens"
)

const token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestFileTokenStoreIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	s := tokens.FileStore{Dir: dir}
	key := tokens.Key("https://x.example/", "dev1")
	if _, err := s.Token(key); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("Token before SetToken = %v, want not found", err)
	}
	if err := s.SetToken(key, token); err != nil {
		t.Fatal(err)
	}
	got, err := s.Token(key)
	if err != nil || got != token {
		t.Fatalf("Token = %q, %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files in the token folder, want 1", len(entries))
	}
	info, _ := entries[0].Info()
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode = %v, want 0600", info.Mode().Perm())
	}
	if err := s.DeleteToken(key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(key); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("Token after DeleteToken = %v, want not found", err)
	}
	if err := s.DeleteToken(key); err != nil {
		t.Fatalf("DeleteToken of a missing token = %v, want nil", err)
	}
}

func TestKeyIgnoresTrailingSlash(t *testing.T) {
	if got, want := tokens.Key("https://x.example/", "dev1"), tokens.Key("https://x.example", "dev1"); got != want {
		t.Fatalf("Key(with slash) = %q, want %q", got, want)
	}
}

// TestNewHonoursTheEnvironment checks the forced choices; neither touches
// the keyring (the probe runs only without a choice).
func TestNewHonoursTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		env  string
		want tokens.Store
	}{
		{"file", tokens.FileStore{Dir: dir}},
		{"keyring", tokens.KeyringStore{}},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv(tokens.EnvStore, tt.env)
			if got := tokens.New(dir); got != tt.want {
				t.Fatalf("New(%q) with %s=%s = %#v, want %#v", dir, tokens.EnvStore, tt.env, got, tt.want)
			}
		})
	}
}
