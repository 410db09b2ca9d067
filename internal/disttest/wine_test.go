//go:build winetest

package disttest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var shot = flag.String("shot", "", "where to keep the screenshot of Freezer.exe under Wine (default: the test's temporary folder)")

// wine is a throwaway Wine prefix with the Windows zip unpacked beside it.
type wine struct {
	loader, server string // wine64 and wineserver
	prefix, dir    string // the prefix; the folder the programs run in
	env            []string
}

// TestWine runs the Windows programs of the zip under Wine: freezerctl.exe
// (demo, add, list, export, login and sync), freezerd.exe (start, register,
// a compat request, the sync, stop), then Freezer.exe under Xvfb long
// enough to take a screenshot of its first window.
func TestWine(t *testing.T) {
	start := time.Now()
	w := newWine(t)
	t.Logf("Wine prefix ready in %s", time.Since(start).Round(time.Second))
	ctl := func(stdin string, args ...string) string {
		t.Helper()
		out, err := w.run(t, stdin, "freezerctl.exe", append([]string{"-db", "ctl.db"}, args...)...)
		if err != nil {
			t.Fatalf("freezerctl.exe %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	v := version(t)
	if got := strings.TrimSpace(ctl("", "-version")); got != "freezerctl "+v {
		t.Errorf("freezerctl.exe -version = %q, want %q", got, "freezerctl "+v)
	}
	if got := ctl("", "demo"); !strings.Contains(got, "added the sample household") {
		t.Errorf("freezerctl.exe demo = %q", got)
	}
	ctl("", "product", "add", "-freezer", "frigo 1", "-box", "1", "-name", "soupe de Noël", "-type", "1", "-period", "6")
	if got := ctl("", "list", "-q", "noel"); !strings.Contains(got, "soupe de Noël") {
		t.Errorf("freezerctl.exe list -q noel lacks the soup:\n%s", got)
	}
	csv := ctl("", "export", "-format", "csv")
	if !strings.HasPrefix(csv, "id,name,") || strings.Count(csv, "\r\n") != strings.Count(csv, "\n") {
		t.Errorf("freezerctl.exe export -format csv: want Windows line endings (\\r\\n) throughout:\n%q", csv[:min(len(csv), 200)])
	}
	if _, err := os.Stat(filepath.Join(w.dir, "ctl.db")); err != nil {
		t.Errorf("freezerctl.exe made no ctl.db in its folder: %v", err)
	}
	t.Logf("freezerctl.exe: demo, add, list, export done at %s", time.Since(start).Round(time.Second))

	url := w.startServer(t)
	token := register(t, url)
	checkCompat(t, url, token, http.StatusOK, "")
	login := ctl("a long password\n", "login", "-server", url, "-email", "anne@example.com")
	if !strings.Contains(login, "Signed in to "+url) {
		t.Errorf("freezerctl.exe login = %q", login)
	}
	t.Logf("freezerctl.exe login: %s", strings.TrimSpace(login))
	if got := ctl("", "sync"); !strings.Contains(got, "pushed") {
		t.Errorf("freezerctl.exe sync = %q", got)
	}
	checkCompat(t, url, token, http.StatusOK, "frigo 1") // what freezerctl.exe pushed
	w.stopServer(t)
	t.Logf("freezerd.exe: start, register, compat, sync, stop done at %s", time.Since(start).Round(time.Second))

	w.desktop(t)
	t.Logf("all done in %s", time.Since(start).Round(time.Second))
}

// newWine makes the prefix, adds the test-only bcryptprimitives.dll, and
// unpacks the zip.
func newWine(t *testing.T) *wine {
	t.Helper()
	w := &wine{loader: lookWine(t, "wine64"), server: lookWine(t, "wineserver")}
	tmp := t.TempDir()
	w.prefix = filepath.Join(tmp, "prefix")
	w.env = append(os.Environ(), "WINEPREFIX="+w.prefix, "WINEARCH=win64", "WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY=", "FREEZER_TOKEN_STORE=", "LC_ALL=C.UTF-8")
	t.Cleanup(func() {
		cmd := exec.Command(w.server, "-k")
		cmd.Env = w.env
		_ = cmd.Run()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	boot := exec.CommandContext(ctx, w.loader, "wineboot", "-i")
	boot.Env = w.env
	if out, err := boot.CombinedOutput(); err != nil {
		t.Fatalf("wineboot -i: %v\n%s", err, out)
	}
	wait := exec.CommandContext(ctx, w.server, "-w")
	wait.Env = w.env
	_ = wait.Run()
	dll := filepath.Join(w.prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	cc := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", dll,
		filepath.Join("testdata", "wineshim", "bcryptprimitives.c"), "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("building the bcryptprimitives.dll shim: %v\n%s", err, out)
	}
	w.dir = filepath.Join(tmp, "app")
	unzip(t, archive(t, "freezer-"+version(t)+"-windows-amd64.zip"), w.dir)
	return w
}

func lookWine(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join("/usr/lib/wine", name); fileExists(p) { // Debian's wine64 package
		return p
	}
	t.Fatalf("%s is missing: make test-windows installs it (wine64)", name)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// unzip puts the zip's files, without their top folder, into dir.
func unzip(t *testing.T, path, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		_, rel, _ := strings.Cut(f.Name, "/")
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err == nil {
			err = os.WriteFile(dst, b, 0o755)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// command is exe under Wine, in the programs' folder.
func (w *wine) command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, w.loader, append([]string{filepath.Join(w.dir, exe)}, args...)...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	return cmd
}

// run runs exe to its end (two minutes at most) and returns its stdout
// and stderr, merged.
func (w *wine) run(t *testing.T, stdin, exe string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := w.command(ctx, exe, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

var serverCmd *exec.Cmd
var serverLog bytes.Buffer

// startServer starts freezerd.exe on a free loopback port and waits until
// it answers.
func (w *wine) startServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serverCmd = w.command(context.Background(), "freezerd.exe", "-addr", addr, "-db", "freezerd.db")
	serverCmd.Stdout, serverCmd.Stderr = &serverLog, &serverLog
	if err := serverCmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = serverCmd.Process.Kill() })
	url := "http://" + addr
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(url + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("freezerd.exe: GET / = %d", resp.StatusCode)
			}
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("freezerd.exe did not answer on %s within 90 s: %v\n%s", addr, err, serverLog.String())
		}
	}
}

// stopServer stops freezerd.exe: Ctrl+C, which Wine gives the console
// program as CTRL_C_EVENT (os.Interrupt in Go), then it must exit.
func (w *wine) stopServer(t *testing.T) {
	t.Helper()
	if err := serverCmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serverCmd.Wait() }()
	select {
	case err := <-done:
		t.Logf("freezerd.exe stopped on Ctrl+C (%v); its log:\n%s", err, serverLog.String())
		for _, want := range []string{"freezerd listening", `msg="shutting down"`, "msg=stopped"} {
			if !strings.Contains(serverLog.String(), want) {
				t.Errorf("freezerd.exe's log lacks %s: it did not shut down gracefully", want)
			}
		}
		if err != nil {
			t.Errorf("freezerd.exe exited with %v after Ctrl+C, want status 0", err)
		}
	case <-time.After(30 * time.Second):
		_ = serverCmd.Process.Kill()
		t.Errorf("freezerd.exe did not stop within 30 s of Ctrl+C; its log:\n%s", serverLog.String())
	}
}

// register makes Anne's account through /api/v1/register and returns its token.
func register(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Post(url+"/api/v1/register", "application/json",
		strings.NewReader(`{"email": "anne@example.com", "password": "a long password"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode/100 != 2 || r.Token == "" {
		t.Fatalf("POST /api/v1/register = %d, %v", resp.StatusCode, err)
	}
	return r.Token
}

// checkCompat asks the original API for the account's freezers.
func checkCompat(t *testing.T, url, token string, status int, want string) {
	t.Helper()
	resp, err := http.Get(url + "/freezers/" + token)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status || !strings.Contains(string(body), want) {
		t.Errorf("GET /freezers/<token> = %d %s; want %d with %q", resp.StatusCode, body, status, want)
	}
}

// desktop starts Freezer.exe on the sample household under Xvfb, waits for
// its window and takes a screenshot of the screen.
func (w *wine) desktop(t *testing.T) {
	t.Helper()
	display := startXvfb(t)
	env := append(append([]string{}, w.env...), "DISPLAY="+display)
	// The console programs ran with no display, and Wine's desktop process
	// (explorer.exe) stays up a few seconds after them without a display
	// driver: a window made in it fails ("Failed to create helper window").
	// End that Wine session first, so the app starts one on the display.
	for _, arg := range []string{"-k", "-w"} {
		cmd := exec.Command(w.server, arg)
		cmd.Env = w.env
		_ = cmd.Run()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := w.command(ctx, "Freezer.exe", "-db", "app.db", "-sample", "-size", "1000x660")
	app.Env = env
	var log bytes.Buffer
	app.Stdout, app.Stderr = &log, &log
	start := time.Now()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() { _ = app.Process.Kill() }()
	for deadline := time.Now().Add(3 * time.Minute); !hasWindow(display, "Freezer"); time.Sleep(time.Second) {
		select {
		case err := <-exited:
			t.Fatalf("Freezer.exe exited before showing a window (%v):\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("Freezer.exe showed no window within 3 minutes:\n%s", log.String())
		}
	}
	t.Logf("Freezer.exe's window is up %s after start", time.Since(start).Round(time.Second))
	path := *shot
	if path == "" {
		path = filepath.Join(t.TempDir(), "windows-wine.png")
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(repoRoot, path)
	}
	var colours int
	for tries := 0; tries < 30; tries++ { // the first frames may be blank
		time.Sleep(2 * time.Second)
		colours = screenshot(t, display, path)
		if colours > 64 {
			break
		}
	}
	if colours <= 64 {
		t.Errorf("the screenshot has %d colours: the window drew nothing? %s\n%s", colours, path, log.String())
	}
	t.Logf("screenshot of Freezer.exe under Wine: %s (%d colours)", path, colours)
	if err := os.Remove(filepath.Join(w.dir, "app.db")); err != nil && !os.IsNotExist(err) {
		t.Logf("app.db: %v", err)
	}
}

// startXvfb starts a virtual X server on a free display and returns its name.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x700x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v (make test-windows installs xvfb)", err)
	}
	wr.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	b := make([]byte, 16)
	n, _ := r.Read(b)
	r.Close()
	num, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	if err != nil {
		t.Fatalf("Xvfb gave no display number: %q", b[:n])
	}
	return fmt.Sprintf(":%d", num)
}

// hasWindow reports whether a window titled title is on display.
func hasWindow(display, title string) bool {
	cmd := exec.Command("xwininfo", "-root", "-tree")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	return err == nil && strings.Contains(string(out), `"`+title+`"`)
}

// screenshot writes display's screen to path as a PNG and returns its number
// of colours.
func screenshot(t *testing.T, display, path string) int {
	t.Helper()
	cmd := exec.Command("sh", "-c", `xwd -root -silent | convert xwd:- -strip "$0" && convert "$0" -format %k info:`, path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xwd | convert: %v", err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}
