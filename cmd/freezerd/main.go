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

	"freezer/server"
	"freezer/server/sqlstore"
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

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("freezerd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", "freezerd.db", "SQLite database file (created and migrated at start)")
	perMinute := fs.Int("rate-minute", server.DefaultLimits.PerMinute, "requests per minute per client IP and route")
	perDay := fs.Int("rate-day", server.DefaultLimits.PerDay, "requests per UTC day per client IP and route")
	noLimits := fs.Bool("no-rate-limit", false, "turn the rate limits off (benchmarks)")
	ipHeader := fs.String("client-ip-header", "", "header a trusted reverse proxy sets to the client address (e.g. X-Forwarded-For, X-Real-IP); empty: the connection's address")
	cors := fs.String("cors", "*", `comma-separated origins allowed by CORS ("*" for any, "" to turn CORS off)`)
	certFile := fs.String("tls-cert", "", "TLS certificate file (serve HTTPS with -tls-key)")
	keyFile := fs.String("tls-key", "", "TLS private key file")
	logLevel := fs.String("log-level", "info", "log level: debug (one line per request), info, warn, error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (subcommands: users, types)", fs.Arg(0))
	}
	if (*certFile == "") != (*keyFile == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	store, err := sqlstore.Open(ctx, *dbPath, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()

	var origins []string
	for o := range strings.SplitSeq(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	srv := server.New(server.Config{
		Store:          store,
		Logger:         logger,
		Limits:         server.Limits{PerMinute: *perMinute, PerDay: *perDay, Disabled: *noLimits},
		ClientIPHeader: *ipHeader,
		CORSOrigins:    origins,
	})
	hs := srv.HTTPServer(*addr)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if *certFile != "" {
		scheme = "https"
	}
	logger.Info("freezerd listening", "addr", ln.Addr().String(), "scheme", scheme, "db", *dbPath, "rate_limits", !*noLimits)

	errc := make(chan error, 1)
	go func() {
		if *certFile != "" {
			errc <- hs.ServeTLS(ln, *certFile, *keyFile)
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
