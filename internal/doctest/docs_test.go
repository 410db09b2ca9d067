//go:build doctest && unix

// The docs test: see doc.go for the conventions the documents follow.
// make test-docs runs it:
//
//	go test -tags 'migrated_fynedo doctest' -count=1 ./internal/doctest

package doctest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fileTimeout bounds one document's session; make test-docs stays under a
// minute in all.
const fileTimeout = 45 * time.Second

func TestDocs(t *testing.T) {
	root := moduleRoot(t)
	for _, tool := range []string{"bash", "curl", "python3", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the documents' examples need %s: install it (on Debian/Ubuntu: scripts/deps.sh %s)", tool, tool)
		}
	}
	bin := buildCommands(t, root)
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		rel, _ := filepath.Rel(root, path)
		t.Run(rel, func(t *testing.T) { runDocument(t, rel, path, bin) })
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: no go.mod in %s: %v", root, err)
	}
	return root
}

// buildCommands builds freezerd and freezerctl, without cgo as they ship,
// into a folder that goes first on the documents' PATH.
func buildCommands(t *testing.T, root string) string {
	t.Helper()
	bin := t.TempDir()
	cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin+string(filepath.Separator), "./cmd/freezerd", "./cmd/freezerctl")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build freezerd freezerctl: %v\n%s", err, out)
	}
	return bin
}

// runDocument runs the shell blocks of one document in one bash session
// and reports each block that fails or prints something else than stated.
func runDocument(t *testing.T, rel, path, bin string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := Parse(string(raw))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	var run []Block
	for _, b := range blocks {
		switch {
		case b.Runs():
			run = append(run, b)
			for _, c := range UncheckedCurls(b) {
				t.Errorf("%s:%d: this curl does not check the HTTP status: add -f, or -w '%%{http_code}' with an `# expect:` line:\n    %s", rel, b.Line, c)
			}
		case b.Shell():
			t.Logf("%s:%d: illustration (%s): %s", rel, b.Line, b.Illustration, b.FirstLine())
		}
	}
	if len(run) == 0 || t.Failed() {
		return
	}
	s := newSession(t, bin)
	status, ran, err := s.run(run)
	for i, b := range run[:ran] {
		if got := s.output(i, "out"); b.HasExpect && !MatchOutput(b.Expect, got) {
			diffs := strings.Join(Differences(b.Expect, got), "\n")
			if diffs == "" {
				diffs = "(not line by line: the output has more or fewer lines than stated)"
			}
			t.Errorf("%s:%d: the block's output differs from its `# expect:` lines\n%s\n  want:\n%s\n  got:\n%s\n  differences:\n%s",
				rel, b.Line, indent(b.Text), indent(strings.Join(b.Expect, "\n")), indent(got), indent(diffs))
		}
	}
	if err != nil || ran < len(run) {
		b, i := run[min(ran, len(run)-1)], min(ran, len(run)-1)
		why := fmt.Sprintf("exit status %d", status)
		if err != nil {
			why = err.Error()
		}
		t.Errorf("%s:%d: the block failed (%s)\n%s\n  stdout:\n%s\n  stderr:\n%s\n  session stderr:\n%s",
			rel, b.Line, why, indent(b.Text), indent(s.output(i, "out")), indent(s.output(i, "err")), indent(s.sessionErr()))
	}
}

// session is one bash process running a document's blocks.
type session struct {
	t                 *testing.T
	bin, work, outDir string
	env               []string
}

func newSession(t *testing.T, bin string) *session {
	home, tmp := t.TempDir(), t.TempDir()
	s := &session{t: t, bin: bin, work: t.TempDir(), outDir: t.TempDir()}
	port := freePort(t)
	drop := map[string]bool{"HOME": true, "PATH": true, "TMPDIR": true, "PORT": true, "FREEZER_URL": true,
		"FREEZER_TOKEN_STORE": true, "DISPLAY": true, "WAYLAND_DISPLAY": true, "DBUS_SESSION_BUS_ADDRESS": true,
		"BASH_ENV": true, "ENV": true, "CDPATH": true, "CURL_HOME": true, "LC_ALL": true, "NO_PROXY": true, "no_proxy": true}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] && !strings.HasPrefix(k, "XDG_") {
			s.env = append(s.env, kv)
		}
	}
	s.env = append(s.env,
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "TMPDIR="+tmp,
		"PORT="+strconv.Itoa(port), "FREEZER_URL=http://127.0.0.1:"+strconv.Itoa(port),
		"FREEZER_TOKEN_STORE=file", "LC_ALL=C.UTF-8",
		"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
	return s
}

// freePort returns a loopback port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// run runs the blocks and returns bash's exit status and how many blocks
// completed. Each block's stdout and stderr go to their own files.
func (s *session) run(blocks []Block) (status, ran int, err error) {
	var script strings.Builder
	script.WriteString("set -euo pipefail\nexec </dev/null\n")
	for i, b := range blocks {
		fmt.Fprintf(&script, "echo %d >%s\n{\n%s} >%s 2>%s\n", i, s.file("current"), b.Text, s.file(fmt.Sprint(i)+".out"), s.file(fmt.Sprint(i)+".err"))
	}
	fmt.Fprintf(&script, "echo %d >%s\n", len(blocks), s.file("current"))
	scriptPath := filepath.Join(s.outDir, "script.sh")
	if err := os.WriteFile(scriptPath, []byte(script.String()), 0o600); err != nil {
		s.t.Fatal(err)
	}
	stderr, err := os.Create(filepath.Join(s.outDir, "session.err"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer stderr.Close()
	ctx, cancel := context.WithTimeout(context.Background(), fileTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", scriptPath)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.work, s.env, stderr, stderr
	// Its own process group, so that a server a block left running in the
	// background stops with the session.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	ran, _ = strconv.Atoi(strings.TrimSpace(s.output(-1, "current")))
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return -1, ran, fmt.Errorf("timed out after %s", fileTimeout)
	case errors.As(runErr, &exit):
		return exit.ExitCode(), ran, nil
	case runErr != nil:
		return -1, ran, runErr
	}
	return 0, ran, nil
}

// file returns the shell-quoted path of one of the session's files.
func (s *session) file(name string) string {
	return "'" + filepath.Join(s.outDir, name) + "'"
}

// output returns what block i wrote to "out" or "err"; i < 0 reads name.
func (s *session) output(i int, name string) string {
	if i >= 0 {
		name = fmt.Sprintf("%d.%s", i, name)
	}
	b, _ := os.ReadFile(filepath.Join(s.outDir, name))
	return string(b)
}

func (s *session) sessionErr() string { return s.output(-1, "session.err") }

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
