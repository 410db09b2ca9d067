// Command freezerd is Freezer's server: the original Freezer Manager API
// and /api/v1 over an embedded SQLite database.
//
//	freezerd [-addr 127.0.0.1:8080] [-db freezerd.db] [flags]
//	freezerd users add|list|reset-token|delete ...
//	freezerd types list|add|rename ...
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
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"freezer/domain"
	"freezer/server"
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
		case "users", "types":
			return admin(ctx, args, stdin, stdout, stderr)
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
}

// serve runs the server until ctx is done, then shuts it down gracefully.
func serve(ctx context.Context, args []string, stderr io.Writer) error {
	opts, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: opts.logLevel}))

	if err := checkCertificate(opts.certFile, opts.keyFile); err != nil {
		return err
	}
	offset, err := domain.ParseClockOffset(os.Getenv(domain.EnvClockOffset))
	if err != nil {
		return fmt.Errorf("%s: %w", domain.EnvClockOffset, err)
	}
	now := func() time.Time { return time.Now().Add(offset) }
	store, err := openStore(ctx, opts.dbPath, now)
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	if offset != 0 {
		logger.Warn("the clock is shifted (tests, screenshots)", "offset", domain.FormatClockOffset(offset), "env", domain.EnvClockOffset, "now", now().UTC().Format(time.RFC3339))
	}

	srv := server.New(server.Config{
		Now:            now,
		Store:          store,
		Logger:         logger,
		Limits:         opts.limits,
		ClientIPHeader: opts.ipHeader,
		CORSOrigins:    corsOrigins(opts.cors),
	})
	hs := srv.HTTPServer(opts.addr)
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return listenError(opts.addr, err)
	}
	scheme := "http"
	if opts.certFile != "" {
		scheme = "https"
	}
	logger.Info("freezerd listening", "addr", ln.Addr().String(), "scheme", scheme, "db", opts.dbPath, "rate_limits", !opts.limits.Disabled)
	return serveUntilDone(ctx, hs, ln, opts.certFile, opts.keyFile, logger)
}

// parseServeFlags reads and checks the server's flags.
func parseServeFlags(args []string, stderr io.Writer) (serveOptions, error) {
	var o serveOptions
	fs := flag.NewFlagSet("freezerd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&o.dbPath, "db", "freezerd.db", "SQLite database file (created and migrated at start)")
	fs.IntVar(&o.limits.PerMinute, "rate-minute", server.DefaultLimits.PerMinute, "requests per minute per client IP and route")
	fs.IntVar(&o.limits.PerDay, "rate-day", server.DefaultLimits.PerDay, "requests per UTC day per client IP and route")
	fs.BoolVar(&o.limits.Disabled, "no-rate-limit", false, "turn the rate limits off (benchmarks)")
	fs.StringVar(&o.ipHeader, "client-ip-header", "", "header a trusted reverse proxy sets to the client address (e.g. X-Forwarded-For, X-Real-IP); empty: the connection's address")
	fs.StringVar(&o.cors, "cors", "*", `comma-separated origins allowed by CORS ("*" for any, "" to turn CORS off)`)
	fs.StringVar(&o.certFile, "tls-cert", "", "TLS certificate file (serve HTTPS with -tls-key)")
	fs.StringVar(&o.keyFile, "tls-key", "", "TLS private key file")
	logLevel := fs.String("log-level", "info", "log level: debug (one line per request), info, warn, error")
	if err := fs.Parse(args); err != nil {
		return serveOptions{}, err
	}
	if fs.NArg() > 0 {
		return serveOptions{}, fmt.Errorf("unexpected argument %q (subcommands: users, types)", fs.Arg(0))
	}
	if (o.certFile == "") != (o.keyFile == "") {
		return serveOptions{}, errors.New("-tls-cert and -tls-key go together")
	}
	if err := o.logLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return serveOptions{}, fmt.Errorf("-log-level: %w", err)
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

// serveUntilDone serves hs on ln (TLS when certFile is set) until ctx is
// done, then shuts it down, giving requests in flight 10 seconds.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener, certFile, keyFile string, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}
