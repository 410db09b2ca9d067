package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// opTimeout bounds each administrative statement (create, copy, drop).
const opTimeout = 30 * time.Second

// srv is the server of the PostgreSQL pass; nil before it starts. Main sets
// it before running the tests, so tests read it without a lock.
var srv *server

// server is a PostgreSQL server the tests may create databases on, through
// one administrative connection.
type server struct {
	admin   *url.URL // the maintenance database, as the administrative role
	cluster *cluster // the throwaway cluster; nil for a server from EnvPostgres

	mu       sync.Mutex // guards conn: a pgx.Conn serves one statement at a time
	conn     *pgx.Conn
	strategy string // appended to CREATE DATABASE; see connect
}

// openServer sets srv, from EnvPostgres or by starting a throwaway cluster,
// and returns a description for the pass's header line (never a password).
func openServer() (string, error) {
	if srv != nil {
		return srv.describe(), nil
	}
	s := &server{}
	if raw := os.Getenv(EnvPostgres); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			// The URL may hold a password: say what is wrong without repeating it.
			return "", fmt.Errorf("%s is not a postgres:// URL: set it to postgres://USER@HOST:PORT/DATABASE, or unset it to use a throwaway cluster", EnvPostgres)
		}
		s.admin = u
	} else {
		c, err := startCluster()
		if err != nil {
			return "", err
		}
		s.cluster, s.admin = c, c.adminURL()
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.connect(ctx); err != nil {
		s.close()
		if s.cluster == nil {
			return "", fmt.Errorf("connect to the server in %s: %w; check that it runs and that its role may create databases, or unset it to use a throwaway cluster", EnvPostgres, err)
		}
		return "", fmt.Errorf("connect to the throwaway cluster: %w", err)
	}
	srv = s
	return s.describe(), nil
}

// closeServer stops what openServer started; errors go to stderr because
// the tests have already reported.
func closeServer() {
	if srv == nil {
		return
	}
	if err := srv.close(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
	}
	srv = nil
}

// describe names the server without its URL, which may hold a password.
func (s *server) describe() string {
	if s.cluster == nil {
		return "server from " + EnvPostgres
	}
	return fmt.Sprintf("throwaway cluster on 127.0.0.1:%d, started in %v", s.cluster.port, s.cluster.startTime.Round(time.Millisecond))
}

// close closes the administrative connection and stops a throwaway cluster.
func (s *server) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.conn.Close(ctx) // the cluster stops next, or the server outlives us: nothing to report
		cancel()
		s.conn = nil
	}
	if s.cluster != nil {
		return s.cluster.stop()
	}
	return nil
}

// connect opens the administrative connection and picks the CREATE
// DATABASE strategy: since PostgreSQL 15 the default (WAL_LOG) writes the
// whole template to the WAL, while FILE_COPY copies its files, which is
// several times faster for the small databases of tests.
func (s *server) connect(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(s.admin.String())
	if err != nil {
		return fmt.Errorf("parse the administrative URL: %w", err)
	}
	// The simple protocol: statements run once each, nothing worth preparing.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	var version int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		_ = conn.Close(ctx) // the query's error is the one to report
		return fmt.Errorf("read the server version: %w", err)
	}
	if version < 130000 {
		_ = conn.Close(ctx)
		return fmt.Errorf("the server runs PostgreSQL %d.%d; the tests need 13 or newer (DROP DATABASE ... WITH (FORCE))", version/10000, version%10000)
	}
	s.strategy = ""
	if version >= 150000 {
		s.strategy = " STRATEGY = FILE_COPY"
	}
	s.conn = conn
	return nil
}

// exec runs one administrative statement, reconnecting first when the
// connection was lost.
func (s *server) exec(ctx context.Context, sql string, args ...any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil || s.conn.IsClosed() {
		if err := s.connect(ctx); err != nil {
			return fmt.Errorf("reconnect to the server: %w", err)
		}
	}
	_, err := s.conn.Exec(ctx, sql, args...)
	return err
}

// createDatabase creates name, empty or as a copy of template. PostgreSQL
// refuses to copy a database others are connected to, so a copy first cuts
// the template's connections, and retries for a few seconds in case a pool
// connects again in between.
func (s *server) createDatabase(ctx context.Context, name, template string) error {
	sql := "CREATE DATABASE " + ident(name)
	if template == "" {
		return s.exec(ctx, sql+s.strategy)
	}
	sql += " TEMPLATE " + ident(template) + s.strategy
	for attempt := 1; ; attempt++ {
		if err := s.terminate(ctx, template); err != nil {
			return err
		}
		err := s.exec(ctx, sql)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || attempt == 500 {
			return err
		}
		select { // 55006 object_in_use: someone connected to the template again
		case <-ctx.Done():
			return fmt.Errorf("%w (while waiting for the connections to %s to close)", err, template)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// terminate ends every other connection to the database name.
func (s *server) terminate(ctx context.Context, name string) error {
	err := s.exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
	if err != nil {
		return fmt.Errorf("end the connections to %s: %w", name, err)
	}
	return nil
}

// dropDatabase drops name, cutting its connections (PostgreSQL 13+).
func (s *server) dropDatabase(ctx context.Context, name string) error {
	return s.exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)")
}

// databaseURL is the URL of the database name on the server: the
// administrative URL with another path.
func (s *server) databaseURL(name string) string {
	u := *s.admin
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// databaseName returns the database a URL names.
func databaseName(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("not a postgres:// URL from pgtest.NewDatabase or pgtest.Clone")
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || strings.Contains(name, "/") {
		return "", errors.New("the URL names no database: pass a URL from pgtest.NewDatabase or pgtest.Clone")
	}
	return name, nil
}

// ident quotes a database name for SQL.
func ident(name string) string {
	return pgx.Identifier{name}.Sanitize()
}
