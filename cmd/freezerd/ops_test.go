//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"freezer/internal/pgtest"
	"freezer/server/sqlstore"
)

// TestReadOnlyDatabaseRefused: on a database it can read but not write,
// freezerd refuses to start with one sentence, before it listens.
//
// On PostgreSQL the database refuses writes to new sessions, as a
// read-only standby or role would.
func TestReadOnlyDatabaseRefused(t *testing.T) {
	db := testDB(t, "freezerd.db")
	store, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	pgtest.MakeReadOnly(t, db)
	// Today's freezerd would serve until this context ends.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	err = run(ctx, []string{"-addr", "127.0.0.1:0", "-db", db}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	want := "freezerd can read the database " + db + " but not write to it ("
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("freezerd on a read-only database: error %v, want one starting %q", err, want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the error is more than one line: %q", err)
	}
	if strings.Contains(stderr.String(), "listening") {
		t.Errorf("freezerd logged that it listens:\n%s", stderr.String())
	}
}

// opsWriteCertificate writes a self-signed certificate valid from
// notBefore to notAfter and its key; with otherKey, the key file holds a
// key that does not match the certificate.
func opsWriteCertificate(t *testing.T, dir string, notBefore, notAfter time.Time, otherKey bool) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "freezerd test"},
		NotBefore: notBefore, NotAfter: notAfter, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if otherKey {
		if key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			t.Fatal(err)
		}
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestBinaryBadCertificate: a key that does not match the certificate
// stops the binary with status 2 and one sentence, and it never logs
// "listening"; an expired certificate is served with a warning.
func TestBinaryBadCertificate(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	certFile, keyFile := opsWriteCertificate(t, dir, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), true)
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "tls.db"), "-tls-cert", certFile, "-tls-key", keyFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("freezerd with a mismatched key is still running:\n%s", stderr.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("freezerd with a mismatched key exited with %v, want status 2", err)
	}
	out := stderr.String()
	want := "freezerd: -tls-cert " + certFile + " and -tls-key " + keyFile + " are not a certificate and its private key in PEM"
	if !strings.HasPrefix(out, want) || strings.Count(out, "\n") != 1 {
		t.Errorf("stderr = %q, want one line starting %q", out, want)
	}
	if strings.Contains(out, "listening") {
		t.Errorf("freezerd logged that it listens:\n%s", out)
	}

	expired := t.TempDir()
	certFile, keyFile = opsWriteCertificate(t, expired, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour), false)
	d := startDaemon(t, bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(expired, "tls.db"), "-tls-cert", certFile, "-tls-key", keyFile)
	if !strings.Contains(d.log(), "the TLS certificate has expired") {
		t.Errorf("no warning about the expired certificate:\n%s", d.log())
	}
	d.stop(t)
}

// TestBinaryShutdownCutsSlowUpload: SIGTERM during an upload that does not
// finish within -shutdown-grace cuts it, logs how many requests it cut,
// and exits 0.
func TestBinaryShutdownCutsSlowUpload(t *testing.T) {
	bin := buildBinary(t)
	d := startDaemon(t, bin, "-addr", "127.0.0.1:0", "-db", testDB(t, "data.db"), "-shutdown-grace", "1s")
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The headers announce 1000 bytes; only the first few ever come.
	if _, err := conn.Write([]byte("POST /api/v1/login HTTP/1.1\r\nHost: freezerd\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\": ")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the handler starts reading the body
	start := time.Now()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("freezerd exited with %v, want status 0:\n%s", err, d.log())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("freezerd did not stop within 10 s of SIGTERM:\n%s", d.log())
	}
	if took := time.Since(start); took < time.Second || took > 5*time.Second {
		t.Errorf("freezerd stopped %v after SIGTERM, want about the 1 s grace", took)
	}
	logs := d.log()
	for _, want := range []string{`msg="the shutdown grace period ended: requests still running were cut" cut=1 grace=1s`, "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("the shutdown logged an error:\n%s", logs)
	}
}
