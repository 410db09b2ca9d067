package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartErrors: a wrong -db, -tls-cert, -tls-key or -addr stops
// freezerd before it listens, with a sentence naming the thing and the fix.
func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-folder")
	db := filepath.Join(dir, "data.db")
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"db folder missing", []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(missing, "freezerd.db")},
			"the folder " + missing + " does not exist: create it (mkdir -p " + missing + ") or choose another -db path"},
		{"db is a folder", []string{"-addr", "127.0.0.1:0", "-db", dir},
			"-db " + dir + " is a folder: give a file in it, e.g. -db " + filepath.Join(dir, "freezerd.db")},
		{"admin, db folder missing", []string{"users", "list", "-db", filepath.Join(missing, "freezerd.db")},
			"the folder " + missing + " does not exist: create it (mkdir -p " + missing + ") or choose another -db path"},
		{"certificate missing", []string{"-addr", "127.0.0.1:0", "-db", db, "-tls-cert", filepath.Join(dir, "cert.pem"), "-tls-key", notPEM},
			"the certificate file " + filepath.Join(dir, "cert.pem") + " (-tls-cert) does not exist: " + certificateHelp},
		{"key missing", []string{"-addr", "127.0.0.1:0", "-db", db, "-tls-cert", notPEM, "-tls-key", filepath.Join(dir, "key.pem")},
			"the private key file " + filepath.Join(dir, "key.pem") + " (-tls-key) does not exist: " + certificateHelp},
		{"not a certificate", []string{"-addr", "127.0.0.1:0", "-db", db, "-tls-cert", notPEM, "-tls-key", notPEM},
			"-tls-cert " + notPEM + " and -tls-key " + notPEM + " are not a certificate and its private key in PEM (tls: "},
		{"address in use", []string{"-addr", busy.Addr().String(), "-db", filepath.Join(dir, "busy.db")},
			"listen on " + busy.Addr().String() + ": the address is in use (another freezerd?): stop that program or choose another -addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("freezerd %s: error %v, want one containing %q", strings.Join(tt.args, " "), err, tt.want)
			}
			if strings.Contains(stderr.String(), "listening") {
				t.Errorf("freezerd logged that it listens before failing:\n%s", stderr.String())
			}
		})
	}
	if strings.Contains(certificateHelp, "README.md") && !readmeHas(t, "## Certificates") {
		t.Errorf("the messages point to README.md's \"Certificates\", which has no such section")
	}
	// The certificate is checked before the database is created.
	if _, err := os.Stat(db); err == nil {
		t.Errorf("%s was created although the certificate was wrong", db)
	}
}

func readmeHas(t *testing.T, heading string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), "\n"+heading+"\n")
}
