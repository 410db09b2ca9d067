package main

// Checks made before freezerd opens or listens, so that a wrong -db,
// -tls-cert, -tls-key or -addr stops it with a sentence that names the
// thing and the fix, rather than SQLite's "unable to open database file
// (14)" or an HTTPS server that logged "listening" and then failed.

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"freezer/server/sqlstore"
)

// certificateHelp ends every message about -tls-cert and -tls-key.
const certificateHelp = `see "Certificates" in README.md: a self-signed certificate made with openssl for a test on loopback; ` +
	`in production one from the certificate authority of your choice, or TLS left to a reverse proxy`

// openStore opens the database at path once its folder is known to be
// usable: freezerd creates the file, not the folder. Files whose modes it
// tightens are logged to slog's default logger.
func openStore(ctx context.Context, path string, now func() time.Time) (*sqlstore.DB, error) {
	return openStoreWith(ctx, path, sqlstore.Options{Now: now})
}

// openStoreWith is openStore with the store's options (a logger, no
// migration at start). A database that opens but cannot be written, or
// that misses migrations freezerd may not apply, stops freezerd with one
// sentence, before it listens.
func openStoreWith(ctx context.Context, path string, opts sqlstore.Options) (*sqlstore.DB, error) {
	postgres := sqlstore.IsPostgres(path)
	if !postgres {
		if err := checkDBPath(path); err != nil {
			return nil, err
		}
	}
	where := sqlstore.Redact(path)
	db, err := sqlstore.Open(ctx, path, opts)
	switch {
	case errors.Is(err, sqlstore.ErrNotWritable) && postgres:
		return nil, fmt.Errorf("freezerd can read the database %s but not write to it (%w): "+
			"give its role the right to create tables and write (GRANT), or point -db at the primary server rather than a read-only standby", where, err)
	case errors.Is(err, sqlstore.ErrNotWritable):
		return nil, fmt.Errorf("freezerd can read the database %s but not write to it (%w): "+
			"let the user it runs as write the file and its folder (check chattr's immutable flag, chmod and read-only mounts) or choose another -db path", where, err)
	case errors.Is(err, sqlstore.ErrNotMigrated):
		return nil, fmt.Errorf("the database %s is not at the latest migration and -migrate=false forbids migrating at start: "+
			"run \"freezerd migrate -db %s\", then start freezerd again (%w)", where, where, err)
	}
	return db, err
}

// dbFlag defines the -db flag on fs: a SQLite file, or a PostgreSQL URL;
// FREEZERD_DB gives its default (a URL there keeps the password off the
// command line, where other local users could read it).
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("FREEZERD_DB")
	if def == "" {
		def = "freezerd.db"
	}
	return fs.String("db", def, "SQLite database file, or a PostgreSQL URL (postgres://user@host/db); the environment variable FREEZERD_DB sets the default")
}

// checkDBPath checks that the folder of the -db file exists, is a folder,
// and takes new files (SQLite adds -wal and -shm files beside the
// database), and that the path itself is not a folder.
func checkDBPath(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the folder %s does not exist: create it (mkdir -p %s) or choose another -db path", dir, dir)
	case err != nil:
		return fmt.Errorf("the folder %s of -db %s cannot be read (%w): check its permissions or choose another -db path", dir, path, err)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder, so -db %s cannot be created in it: choose another -db path", dir, path)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("-db %s is a folder: give a file in it, e.g. -db %s", path, filepath.Join(path, "freezerd.db"))
	}
	probe, err := os.CreateTemp(dir, ".freezerd-check-*")
	if err != nil {
		return fmt.Errorf("freezerd cannot create files in the folder %s (%w): let this user write there or choose another -db path", dir, err)
	}
	_ = probe.Close()
	_ = os.Remove(probe.Name())
	return nil
}

// loadCertificate loads the -tls-cert and -tls-key pair, when given, into
// the TLS configuration freezerd serves with, so that a missing or wrong
// file stops it before it listens, and the files are read once: the
// certificate checked is the certificate served. No files: nil.
func loadCertificate(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	for _, f := range []struct{ flag, what, path string }{{"-tls-cert", "certificate", certFile}, {"-tls-key", "private key", keyFile}} {
		if _, err := os.Stat(f.path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("the %s file %s (%s) does not exist: %s", f.what, f.path, f.flag, certificateHelp)
		}
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert %s and -tls-key %s are not a certificate and its private key in PEM (%w): %s", certFile, keyFile, err, certificateHelp)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// warnCertificate logs a certificate that clients will refuse because of
// its dates. freezerd still starts: a renewal may be on its way, and
// clients that do not check keep working.
func warnCertificate(logger *slog.Logger, cfg *tls.Config, now time.Time) {
	if cfg == nil || len(cfg.Certificates) == 0 || cfg.Certificates[0].Leaf == nil {
		return
	}
	leaf := cfg.Certificates[0].Leaf
	switch {
	case now.After(leaf.NotAfter):
		logger.Warn("the TLS certificate has expired: clients will refuse it; renew it", "not_after", leaf.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(leaf.NotBefore):
		logger.Warn("the TLS certificate is not valid yet: clients will refuse it until then", "not_before", leaf.NotBefore.UTC().Format(time.RFC3339))
	}
}

// listenError says why freezerd cannot listen on addr and what to do.
func listenError(addr string, err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("listen on %s: the address is in use (another freezerd?): stop that program or choose another -addr: %w", addr, err)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("listen on %s: this user may not use that port (ports below 1024 need privileges): choose another -addr, e.g. :8443: %w", addr, err)
	}
	return fmt.Errorf("listen on %s: %w: check -addr (host:port, e.g. 127.0.0.1:8080)", addr, err)
}
