// Package blackbox tests sync with the real binaries: freezerd on loopback
// and two freezerctl replicas, each with its own -db.
package blackbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// build compiles a command of the module into dir; freezerctl without cgo,
// as it ships.
func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, "freezer/"+pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// startServer runs freezerd on a free loopback port and returns its URL.
func startServer(t *testing.T, bin, dir string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "freezerd.db"))
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	addr := regexp.MustCompile(`freezerd listening"? addr=(\S+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := addr.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case a := <-found:
		return "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatal("freezerd did not start")
	}
	return ""
}

// replica is one freezerctl database.
type replica struct {
	t   *testing.T
	bin string
	db  string
}

func (r replica) run(stdin string, args ...string) (string, error) {
	cmd := exec.Command(r.bin, append([]string{"-db", r.db}, args...)...)
	cmd.Env = append(os.Environ(), "FREEZER_TOKEN_STORE=file")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("freezerctl %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

func (r replica) must(args ...string) string {
	r.t.Helper()
	out, err := r.run("", args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

func TestTwoReplicasConvergeThroughFreezerd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binaries")
	}
	dir := t.TempDir()
	freezerd := build(t, dir, "cmd/freezerd")
	ctl := build(t, dir, "cmd/freezerctl")
	url := startServer(t, freezerd, dir)

	// An account, made through the API.
	resp, err := http.Post(url+"/api/v1/register", "application/json",
		strings.NewReader(`{"email": "ann@example.org", "password": "correct horse battery"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`"token":\s*"([0-9a-f]{64})"`).FindStringSubmatch(string(body))
	if resp.StatusCode != http.StatusCreated || token == nil {
		t.Fatalf("register = %d %s", resp.StatusCode, body)
	}

	a := replica{t, ctl, filepath.Join(dir, "a", "freezer.db")}
	b := replica{t, ctl, filepath.Join(dir, "b", "freezer.db")}
	// A signs in with email and password (on stdin), B with the token.
	if out, err := a.run("correct horse battery\n", "login", "-server", url, "-email", "ann@example.org"); err != nil || !strings.Contains(out, "Signed in") {
		t.Fatalf("login: %q, %v", out, err)
	}
	a.must("demo")
	a.must("sync")
	if out := b.must("sync", "-server", url, "-token", token[1]); !strings.Contains(out, "pulled 35 changes") {
		t.Fatalf("B's first sync:\n%s", out)
	}

	// Apart: both edit, both fill slot 1 of box 1 of "frigo 2".
	ids := strings.Fields(a.must("list"))
	var first string
	for _, f := range ids {
		if len(f) == 36 && strings.Count(f, "-") == 4 {
			first = f
			break
		}
	}
	if first == "" {
		t.Fatalf("no product id in the list")
	}
	a.must("product", "edit", first, "-name", "renamed on A")
	b.must("product", "edit", first, "-quantity", "5")
	a.must("product", "add", "-freezer", "frigo 2", "-box", "1", "-name", "peas", "-type", "43", "-period", "6", "-in", "2026-01-02")
	b.must("product", "add", "-freezer", "frigo 2", "-box", "1", "-name", "beans", "-type", "43", "-period", "6", "-in", "2026-01-03")
	b.must("freezer", "add", "-name", "chest", "-boxes", "2")

	a.must("sync")
	if out := b.must("sync"); !strings.Contains(out, `moved: "beans"`) {
		t.Fatalf("B's sync should move beans to the next slot:\n%s", out)
	}
	a.must("sync")

	for _, format := range []string{"json", "csv"} {
		ea, eb := a.must("export", "-format", format), b.must("export", "-format", format)
		if ea != eb {
			t.Fatalf("%s exports differ:\nA:\n%s\nB:\n%s", format, ea, eb)
		}
		if format == "json" && (!strings.Contains(ea, `"renamed on A"`) || !strings.Contains(ea, `"quantity": 5`) || !strings.Contains(ea, `"chest"`)) {
			t.Fatalf("export lacks an edit:\n%s", ea)
		}
	}
	if st := b.must("status"); strings.Contains(st, token[1]) || !strings.Contains(st, "pending:      0") {
		t.Fatalf("status:\n%s", st)
	}
}
