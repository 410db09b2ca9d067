package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// superuser is the role initdb creates in a throwaway cluster.
const superuser = "pgtest"

// startTimeout bounds the wait for a new server to accept connections.
const startTimeout = 30 * time.Second

// errPortInUse says the server could not listen on its port: another
// process took it between our probe and the server's bind.
var errPortInUse = errors.New("port already in use")

// cluster is a throwaway PostgreSQL cluster: its data, log and socket live
// in dir, which stop deletes.
type cluster struct {
	dir       string
	binDir    string   // holds initdb and postgres
	owner     *account // the user the server runs as; nil for the current one
	port      int
	startTime time.Duration // initdb and start, for the pass's header line

	cmd     *exec.Cmd
	done    chan struct{} // closed when the server process has exited
	waitErr error         // the server's exit status, once done is closed
}

// startCluster creates a cluster in a new temporary folder and starts its
// server. initdb refuses to run as root, so as root both run as the
// system's postgres user, which owns the folder.
func startCluster() (*cluster, error) {
	began := time.Now()
	sweepStale()
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	owner, err := serverAccount()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("create the cluster's temporary folder: %w", err)
	}
	c := &cluster{dir: dir, binDir: binDir, owner: owner}
	if owner != nil {
		if err := os.Chown(dir, owner.uid, owner.gid); err != nil {
			_ = c.removeDir() // the chown error is the one to report
			return nil, fmt.Errorf("give the cluster's folder to the %s user: %w", owner.name, err)
		}
	}
	if err := c.initdb(); err != nil {
		_ = c.removeDir() // the initdb error is the one to report
		return nil, err
	}
	err = c.start()
	if errors.Is(err, errPortInUse) {
		err = c.start() // once more, on another free port
	}
	if err != nil {
		_ = c.stop() // the start error is the one to report
		return nil, err
	}
	c.startTime = time.Since(began)
	return c, nil
}

// adminURL is the URL of the cluster's maintenance database, as superuser.
func (c *cluster) adminURL() *url.URL {
	return &url.URL{
		Scheme:   "postgres",
		User:     url.User(superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/postgres",
		RawQuery: "sslmode=disable",
	}
}

// command prepares one of the cluster's programs, run as the cluster's
// owner, in its folder (the test's working folder may be closed to that
// user), with English messages (start looks for one).
func (c *cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.binDir, name), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = procAttr(c.owner)
	return cmd
}

// initdb creates the cluster's data folder: trust authentication (it
// listens on the loopback only), UTF-8, the C locale, no fsync.
func (c *cluster) initdb() error {
	cmd := c.command("initdb", "-D", filepath.Join(c.dir, "data"), "-U", superuser,
		"--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")
	out, err := cmd.CombinedOutput()
	denied := errors.Is(err, os.ErrPermission) || strings.Contains(string(out), "Permission denied")
	if err != nil && c.owner != nil && denied {
		return fmt.Errorf("initdb as the %s user: %w\n%s\nthat user must reach the temporary folder %s: point TMPDIR at a folder open to it",
			c.owner.name, err, tail(out), c.dir)
	}
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, tail(out))
	}
	return nil
}

// start runs the server on a free loopback port and a socket in the
// cluster's folder, and waits until it accepts connections. Durability is
// off: the cluster is deleted at the end anyway.
func (c *cluster) start() error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	logPath := filepath.Join(c.dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("create the server's log: %w", err)
	}
	defer logFile.Close() // the server holds its own copy of the descriptor
	cmd := c.command("postgres", "-D", filepath.Join(c.dir, "data"),
		"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-k", c.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=500", "-c", "shared_buffers=32MB",
		"-c", "max_wal_size=1GB", "-c", "checkpoint_timeout=1h")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := c.run(cmd); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	if err := c.waitReady(); err != nil {
		log, _ := os.ReadFile(logPath) // best effort: the error says enough without it
		if strings.Contains(string(log), "Address already in use") {
			return fmt.Errorf("postgres on port %d: %w", port, errPortInUse)
		}
		return fmt.Errorf("%w\nthe server's log ends with:\n%s", err, tail(log))
	}
	return nil
}

// run starts the server from a goroutine locked to its thread, and waits
// for its exit there. procAttr asks Linux to interrupt the server when the
// thread that started it ends (the test binary died without stopping it);
// the lock keeps that thread alive as long as the server runs.
func (c *cluster) run(cmd *exec.Cmd) error {
	started := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.waitErr = cmd.Wait()
		close(done)
	}()
	if err := <-started; err != nil {
		return err
	}
	c.cmd, c.done = cmd, done
	return nil
}

// waitReady polls until the server accepts a connection, or fails when it
// exits or startTimeout passes.
func (c *cluster) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, c.adminURL().String())
		if err == nil {
			err = conn.Close(ctx)
			cancel()
			return err
		}
		cancel()
		select {
		case <-c.done:
			c.cmd, c.done = nil, nil
			return fmt.Errorf("postgres exited while starting: %v", c.waitErr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within %v: %w", startTimeout, err)
		}
	}
}

// stop shuts the server down (fast: connections are cut, nothing is
// flushed) and deletes the cluster's folder.
func (c *cluster) stop() error {
	if c.cmd != nil {
		if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
			_ = c.cmd.Process.Kill() // already gone, or Interrupt unsupported: either way, make sure
		}
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			_ = c.cmd.Process.Kill() // hung: the folder is deleted next anyway
			<-c.done
		}
		c.cmd, c.done = nil, nil
	}
	return c.removeDir()
}

// removeDir deletes the cluster's folder.
func (c *cluster) removeDir() error {
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("delete the throwaway cluster's folder: %w", err)
	}
	return nil
}

// freePort returns a loopback TCP port nobody listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	return port, nil
}

// tail returns the end of a program's output, enough to show its error.
func tail(out []byte) string {
	const limit = 2000
	s := strings.TrimSpace(string(out))
	if s == "" {
		return "(no output)"
	}
	if len(s) > limit {
		s = "..." + s[len(s)-limit:]
	}
	return s
}
