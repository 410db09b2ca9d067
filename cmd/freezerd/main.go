// Command freezerd is Freezer's server: the original Freezer Manager API
// and /api/v1 over an embedded SQLite database (a household), or over
// PostgreSQL shared by several instances (a hosted service).
//
//	freezerd [-addr 127.0.0.1:8080] [-db freezerd.db | -db postgres://...] [flags]
//	freezerd users add|list|reset-token|delete ...
//	freezerd types list|add|rename ...
//	freezerd migrate [-db freezerd.db]
//	freezerd restore-done [-db freezerd.db]
//
// Run "freezerd -h" for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/server/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "freezerd:", err)
		}
		os.Exit(2)
	}
}

// run dispatches to the server or to an admin subcommand.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-version", "--version":
			fmt.Fprintln(stdout, "freezerd", versionString())
			return nil
		case "users", "types":
			return admin(ctx, args, stdin, stdout, stderr)
		case "migrate", "restore-done":
			return maintenance(ctx, args, stdout, stderr)
		}
	}
	return serve(ctx, args, stderr)
}

// serveOptions are the flags of the server.
type serveOptions struct {
	addr, dbPath      string
	limits            server.Limits
	ipHeader          string
	cors              string // comma-separated origins
	certFile, keyFile string
	logLevel          slog.Level
	shutdownGrace     time.Duration
	maxEntities       int // freezers and products per account
	// registrationClosed refuses POST /api/v1/register (-registration).
	registrationClosed     bool
	registrationsPerMinute int
	// noMigrate refuses a database that misses migrations (-migrate=false).
	noMigrate bool
	// cacheBytes bounds the compat response cache (-cache-mb; negative:
	// no cache, as server.Config reads it).
	cacheBytes int64
	// publicURL is the address in the pairing links and feed URLs
	// (-public-url; empty: each request's).
	publicURL string
}

// serve runs the server until ctx is done, then shuts it down gracefully.
func serve(ctx context.Context, args []string, stderr io.Writer) error {
	opts, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: opts.logLevel}))
	tuneGC(opts.cacheBytes)

	tlsConfig, err := loadCertificate(opts.certFile, opts.keyFile)
	if err != nil {
		return err
	}
	offset, err := domain.ParseClockOffset(os.Getenv(domain.EnvClockOffset))
	if err != nil {
		return fmt.Errorf("%s: %w", domain.EnvClockOffset, err)
	}
	now := func() time.Time { return time.Now().Add(offset) }
	store, err := openStoreWith(ctx, opts.dbPath, sqlstore.Options{Now: now, Logger: logger, NoMigrate: opts.noMigrate})
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	store.MaxEntities = opts.maxEntities
	if offset != 0 {
		logger.Warn("the clock is shifted (tests, screenshots)", "offset", domain.FormatClockOffset(offset), "env", domain.EnvClockOffset, "now", now().UTC().Format(time.RFC3339))
	}

	// On PostgreSQL the instances sharing the database count the rate
	// limits and the login throttle there; on SQLite, in this process.
	counter, throttle, shared := store.SharedLimits()
	srv := server.New(server.Config{
		Now:            now,
		Store:          store,
		Logger:         logger,
		Limits:         opts.limits,
		ClientIPHeader: opts.ipHeader,
		CORSOrigins:    corsOrigins(opts.cors),

		RegistrationClosed:     opts.registrationClosed,
		RegistrationsPerMinute: opts.registrationsPerMinute,
		CacheBytes:             opts.cacheBytes,
		PublicURL:              opts.publicURL,
		RateCounter:            counter,
		LoginThrottle:          throttle,
	})
	// The household page, under /app/ (GET / stays the original's answer).
	web.Mount(web.Config{Server: srv, Store: store, Logger: logger, Now: now})
	hs := srv.HTTPServer(opts.addr)
	hs.TLSConfig = tlsConfig
	warnCertificate(logger, tlsConfig, time.Now())
	ln, err := server.Listen(ctx, opts.addr)
	if err != nil {
		return listenError(opts.addr, err)
	}
	scheme := "http"
	if opts.certFile != "" {
		scheme = "https"
	}
	logger.Info("freezerd listening", "addr", ln.Addr().String(), "scheme", scheme, "db", sqlstore.Redact(opts.dbPath), "rate_limits", !opts.limits.Disabled, "limits", map[bool]string{false: "process", true: "postgres"}[shared], "registration", map[bool]string{false: "open", true: "closed"}[opts.registrationClosed])
	return serveUntilDone(ctx, srv, hs, ln, opts.shutdownGrace, logger)
}

// parseServeFlags reads and checks the server's flags.
func parseServeFlags(args []string, stderr io.Writer) (serveOptions, error) {
	var o serveOptions
	fs := flag.NewFlagSet("freezerd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	dbPath := dbFlag(fs)
	fs.IntVar(&o.limits.PerMinute, "rate-minute", server.DefaultLimits.PerMinute, "requests per minute per client IP and route")
	fs.IntVar(&o.limits.PerDay, "rate-day", server.DefaultLimits.PerDay, "requests per UTC day per client IP and route")
	fs.BoolVar(&o.limits.Disabled, "no-rate-limit", false, "turn the rate limits off (benchmarks)")
	fs.StringVar(&o.ipHeader, "client-ip-header", "", "header a trusted reverse proxy sets to the client address (e.g. X-Forwarded-For, X-Real-IP); empty: the connection's address")
	fs.StringVar(&o.publicURL, "public-url", "", "the server's address as devices and calendar apps reach it (https://freezer.example), put in pairing links and calendar feed URLs; empty: the address each request was sent to")
	fs.StringVar(&o.cors, "cors", "*", `comma-separated origins allowed by CORS ("*" for any, "" to turn CORS off)`)
	fs.StringVar(&o.certFile, "tls-cert", "", "TLS certificate file (serve HTTPS with -tls-key)")
	fs.StringVar(&o.keyFile, "tls-key", "", "TLS private key file")
	fs.IntVar(&o.maxEntities, "max-entities", sqlstore.DefaultMaxEntities, "most freezers and products one account may hold (deleted ones included)")
	fs.DurationVar(&o.shutdownGrace, "shutdown-grace", 10*time.Second, "at SIGTERM or SIGINT, how long requests in flight may take to finish before they are cut")
	registration := fs.String("registration", "", `who may create accounts: "open" (anyone, through POST /api/v1/register) or "closed" (only "freezerd users add"); default: open when listening on loopback only, closed otherwise`)
	fs.IntVar(&o.registrationsPerMinute, "registration-rate", server.DefaultRegistrationsPerMinute, "most new accounts per minute over every address (negative: no bound)")
	migrate := fs.Bool("migrate", true, `apply the database's pending migrations at start; with -migrate=false freezerd refuses to start on a database that needs one (run "freezerd migrate" first)`)
	logLevel := fs.String("log-level", "info", "log level: debug (one line per request), info, warn, error")
	showVersion := fs.Bool("version", false, "print freezerd's version and exit (alone, as the first argument)")
	cacheMB := fs.Int("cache-mb", server.DefaultCacheBytes>>20, "megabytes of memory the cache of the compat API's freezer and product lists may hold (0 turns it off)")
	if err := fs.Parse(args); err != nil {
		return serveOptions{}, err
	}
	o.dbPath = *dbPath
	if u, err := url.Parse(o.publicURL); o.publicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return serveOptions{}, fmt.Errorf("-public-url %q is not an address: give it like https://freezer.example", o.publicURL)
	}
	if *showVersion {
		return serveOptions{}, errors.New("-version goes alone: freezerd -version")
	}
	if fs.NArg() > 0 {
		return serveOptions{}, fmt.Errorf("unexpected argument %q (subcommands: users, types, migrate, restore-done)", fs.Arg(0))
	}
	if (o.certFile == "") != (o.keyFile == "") {
		return serveOptions{}, errors.New("-tls-cert and -tls-key go together")
	}
	if err := o.logLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return serveOptions{}, fmt.Errorf("-log-level: %w", err)
	}
	closed, err := registrationClosed(*registration, o.addr)
	if err != nil {
		return serveOptions{}, err
	}
	o.registrationClosed = closed
	o.noMigrate = !*migrate
	if *cacheMB < 0 {
		return serveOptions{}, fmt.Errorf("-cache-mb %d is negative: give a size in megabytes, or 0 to turn the cache off", *cacheMB)
	}
	o.cacheBytes = int64(*cacheMB) << 20
	if o.cacheBytes == 0 {
		o.cacheBytes = -1 // server.Config's "no cache"
	}
	if o.shutdownGrace < 0 {
		return serveOptions{}, fmt.Errorf("-shutdown-grace %s is negative: give a duration such as 10s", o.shutdownGrace)
	}
	return o, nil
}

// corsOrigins splits the -cors flag into origins, dropping empty ones.
func corsOrigins(flagValue string) []string {
	var origins []string
	for o := range strings.SplitSeq(flagValue, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	return origins
}

// serveUntilDone serves hs on ln (TLS when hs.TLSConfig is set) until ctx
// is done, then shuts it down: requests in flight get grace to finish, and
// those still running after it are cut and counted in the log. A shutdown
// that cuts requests is still a clean stop (status 0): it is what was asked.
func serveUntilDone(ctx context.Context, srv *server.Server, hs *http.Server, ln net.Listener, grace time.Duration, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() {
		if hs.TLSConfig != nil {
			errc <- hs.ServeTLS(ln, "", "") // the certificate is in TLSConfig
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "in_flight", srv.InFlight(), "grace", grace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		cut := srv.InFlight()
		err = hs.Close()
		logger.Warn("the shutdown grace period ended: requests still running were cut", "cut", cut, "grace", grace.String())
		waitHandlers(srv, 2*time.Second)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// waitHandlers gives the handlers of cut requests up to limit to return
// before the store closes under them: their connections are closed, so
// they fail their next read or write at once.
func waitHandlers(srv *server.Server, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for srv.InFlight() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}
