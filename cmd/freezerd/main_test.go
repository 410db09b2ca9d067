package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"freezer/internal/pgtest"
)

// TestMain runs every test on each backend: SQLite, then PostgreSQL
// (internal/pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testDB returns the -db of a test's freezerd: a new SQLite file named
// name, or a new PostgreSQL database in the PostgreSQL pass.
func testDB(t *testing.T, name string) string {
	t.Helper()
	if pgtest.Postgres() {
		return pgtest.NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), name)
}

// buildBinary builds freezerd without cgo into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "freezerd")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// daemon is a running freezerd.
type daemon struct {
	cmd  *exec.Cmd
	base string
	mu   sync.Mutex
	logs bytes.Buffer
	done chan error
}

var listening = regexp.MustCompile(`msg="freezerd listening" addr=(\S+)`)

func startDaemon(t *testing.T, bin string, args ...string) *daemon {
	t.Helper()
	d := &daemon{cmd: exec.Command(bin, args...), done: make(chan error, 1)}
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start freezerd: %v", err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			d.mu.Lock()
			d.logs.WriteString(line + "\n")
			d.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		d.done <- d.cmd.Wait()
	}()
	select {
	case a := <-addr:
		d.base = "http://" + a
	case <-time.After(20 * time.Second):
		_ = d.cmd.Process.Kill()
		t.Fatalf("freezerd did not start:\n%s", d.log())
	}
	t.Cleanup(func() {
		if d.cmd.ProcessState == nil {
			_ = d.cmd.Process.Kill()
			<-d.done
		}
	})
	return d
}

func (d *daemon) log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.logs.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("freezerd exited with %v:\n%s", err, d.log())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("freezerd did not stop on SIGTERM")
	}
	if !strings.Contains(d.log(), `msg=stopped`) {
		t.Errorf("no graceful stop in the log:\n%s", d.log())
	}
}

// call makes a request as a person would: with curl when it is installed,
// with net/http otherwise. It returns the status and the body.
func call(t *testing.T, method, url, body string, header ...string) (int, string) {
	t.Helper()
	if curl, err := exec.LookPath("curl"); err == nil {
		args := []string{"-s", "-X", method, "-o", "-", "-w", "\n%{http_code}"}
		for _, h := range header {
			args = append(args, "-H", h)
		}
		if body != "" {
			args = append(args, "-d", body)
		}
		out, err := exec.Command(curl, append(args, url)...).Output()
		if err != nil {
			t.Fatalf("curl %s %s: %v", method, url, err)
		}
		s := string(out)
		i := strings.LastIndexByte(s, '\n')
		var code int
		_, _ = fmt.Sscan(s[i+1:], &code)
		return code, s[:i]
	}
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for _, h := range header {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func mustCall(t *testing.T, want int, method, url, body string, header ...string) string {
	t.Helper()
	code, out := call(t, method, url, body, header...)
	if code != want {
		t.Fatalf("%s %s = %d %s, want %d", method, url, code, out, want)
	}
	return out
}

const jsonCT = "Content-Type: application/json"

func TestBinaryEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	db := testDB(t, "data.db")
	d := startDaemon(t, bin, "-addr", "127.0.0.1:0", "-db", db)

	const password = "s3cret-pass-word"
	out := mustCall(t, 201, "POST", d.base+"/api/v1/register", `{"email": "Anne@Example.com", "password": "`+password+`"}`, jsonCT)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(out), &tok); err != nil || len(tok.Token) != 64 {
		t.Fatalf("register answered %q", out)
	}
	token := tok.Token
	mustCall(t, 409, "POST", d.base+"/api/v1/register", `{"email": "anne@example.com", "password": "another password"}`, jsonCT)
	mustCall(t, 200, "GET", d.base+"/check_token/"+token, "")
	mustCall(t, 200, "POST", d.base+"/freezers/"+token, `{"num_boxes": 4, "name": "frigo 1"}`, jsonCT)
	mustCall(t, 200, "POST", d.base+"/add_product/"+token, `{"product_name": "Soupe de Noël", "text_descr": "Soupe à base de tomates, brocoli et poisson",
		"freezer_id": 1, "type_id": 1, "date_in": "2017-12-26", "period": 6, "box_num": 1, "prod_num": 4, "quantity": 4}`, jsonCT)

	read := func(d *daemon, token string) {
		t.Helper()
		auth := "Authorization: Bearer " + token
		var freezers []struct {
			ID, Name string
			Boxes    int
			CompatID int `json:"compat_id"`
		}
		if err := json.Unmarshal([]byte(mustCall(t, 200, "GET", d.base+"/api/v1/freezers", "", auth)), &freezers); err != nil {
			t.Fatal(err)
		}
		if len(freezers) != 1 || freezers[0].Name != "frigo 1" || freezers[0].Boxes != 4 || freezers[0].CompatID != 1 {
			t.Fatalf("/api/v1/freezers = %+v", freezers)
		}
		var products []struct {
			Name     string
			Location struct {
				FreezerID string `json:"freezer_id"`
				Box, Slot int
			}
			DateIn string `json:"date_in"`
			Status string
		}
		if err := json.Unmarshal([]byte(mustCall(t, 200, "GET", d.base+"/api/v1/products", "", auth)), &products); err != nil {
			t.Fatal(err)
		}
		if len(products) != 1 || products[0].Name != "Soupe de Noël" || products[0].Location.FreezerID != freezers[0].ID ||
			products[0].Location.Box != 1 || products[0].Location.Slot != 4 || products[0].DateIn != "2017-12-26" || products[0].Status != "overdue" {
			t.Fatalf("/api/v1/products = %+v", products)
		}
		compat := mustCall(t, 200, "GET", d.base+"/get_product/all/0/"+token, "")
		if !strings.Contains(compat, `"product_name":"Soupe de Noël"`) {
			t.Fatalf("get_product = %s", compat)
		}
	}
	read(d, token)
	d.stop(t)

	// The data survives a restart.
	d2 := startDaemon(t, bin, "-addr", "127.0.0.1:0", "-db", db)
	read(d2, token)
	login := mustCall(t, 200, "POST", d2.base+"/api/v1/login", `{"email": "anne@EXAMPLE.com", "password": "`+password+`"}`, jsonCT)
	if err := json.Unmarshal([]byte(login), &tok); err != nil || len(tok.Token) != 64 {
		t.Fatalf("login answered %q", login)
	}
	read(d2, tok.Token)

	// The admin commands work on the same file while the server runs.
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"users", "list", "-db", db}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("users list: %v %s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Anne@Example.com") {
		t.Errorf("users list = %q", stdout.String())
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"users", "reset-token", "-email", "anne@example.com", "-db", db}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("users reset-token: %v %s", err, stderr.String())
	}
	newToken := strings.TrimSpace(stdout.String())
	mustCall(t, 400, "GET", d2.base+"/check_token/"+token, "")
	mustCall(t, 200, "GET", d2.base+"/check_token/"+newToken, "")
	d2.stop(t)

	for _, secret := range []string{token, tok.Token, newToken, password} {
		if strings.Contains(d.log()+d2.log(), secret) {
			t.Errorf("the log contains a secret %q", secret)
		}
	}
}
