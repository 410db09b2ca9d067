package synctest

// Hosted freezerd: the real binary, several instances on one PostgreSQL
// database, started, stopped and killed by the tests; and what the tests
// read back from that database.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"

	"freezer/domain"
	"freezer/server"
	"freezer/server/sqlstore"
	"freezer/sync/protocol"
)

// freezerdBuild is the binary built once per test binary.
var freezerdBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// FreezerdBinary builds ./cmd/freezerd without cgo, as it ships, the first
// time it is called in the test binary, and returns its path. The binary
// lives in a temporary folder that RemoveFreezerdBinary deletes: a
// package's TestMain calls it once the tests have run.
func FreezerdBinary() (string, error) {
	b := &freezerdBuild
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "freezerd-build-")
		if err != nil {
			b.err = fmt.Errorf("create a folder for the freezerd binary: %w", err)
			return
		}
		b.dir = dir
		out := filepath.Join(dir, "freezerd")
		cmd := exec.Command("go", "build", "-o", out, "freezer/cmd/freezerd")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build freezer/cmd/freezerd: %w\n%s", err, msg)
			return
		}
		b.path = out
	})
	return b.path, b.err
}

// RemoveFreezerdBinary deletes the folder of the binary FreezerdBinary
// built, if it built one.
func RemoveFreezerdBinary() {
	if d := freezerdBuild.dir; d != "" {
		_ = os.RemoveAll(d) // a temporary folder: nothing to report
	}
}

// startTimeout bounds the wait for an instance's "freezerd listening".
const startTimeout = 30 * time.Second

// listening finds the address in freezerd's "freezerd listening" log line.
var listening = regexp.MustCompile(`freezerd listening"? addr=(\S+)`)

// Instance is one freezerd process on loopback. Its database URL goes in
// FREEZERD_DB, as a deployment keeps a password off the command line.
type Instance struct {
	// Name tells the instances apart in messages ("A", "B").
	Name  string
	bin   string
	dbURL string
	flags []string

	mu   sync.Mutex
	addr string // host:port; a restart listens there again
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	log  strings.Builder
	// ended is set when Kill or Stop signals the running process; a run
	// that listened and exits without it crashed, and its exit is kept in
	// crashes (one that exits before it listens is start's error).
	ended   bool
	crashes []string
}

// StartInstance runs bin with -addr 127.0.0.1:0 and flags on the database
// at dbURL, and returns once it listens.
func StartInstance(name, bin, dbURL string, flags ...string) (*Instance, error) {
	in := &Instance{Name: name, bin: bin, dbURL: dbURL, flags: flags}
	if err := in.start("127.0.0.1:0"); err != nil {
		return nil, err
	}
	return in, nil
}

// URL is the instance's base URL (http://127.0.0.1:port).
func (in *Instance) URL() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return "http://" + in.addr
}

// Addr is the instance's host:port.
func (in *Instance) Addr() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.addr
}

// Log returns what the instance has logged, over all its runs.
func (in *Instance) Log() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.log.String()
}

// start runs the binary listening on addr and waits for its listening line.
func (in *Instance) start(addr string) error {
	args := append([]string{"-addr", addr}, in.flags...)
	cmd := exec.Command(in.bin, args...)
	cmd.Env = append(os.Environ(), "FREEZERD_DB="+in.dbURL)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("instance %s: %w", in.Name, err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start instance %s: %w", in.Name, err)
	}
	found, done := make(chan string, 1), make(chan struct{})
	in.mu.Lock()
	in.cmd, in.done, in.ended = cmd, done, false
	in.mu.Unlock()
	go func() {
		listened := in.readLog(stderr, found)
		err := cmd.Wait()
		in.mu.Lock()
		if listened && !in.ended {
			in.crashes = append(in.crashes, fmt.Sprintf("instance %s exited by itself: %v", in.Name, err))
		}
		in.mu.Unlock()
		close(done)
	}()
	select {
	case a := <-found:
		in.mu.Lock()
		in.addr = a
		in.mu.Unlock()
		return nil
	case <-done:
		return fmt.Errorf("instance %s exited before it listened; its log:\n%s", in.Name, in.Log())
	case <-time.After(startTimeout):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("instance %s did not listen within %v; its log:\n%s", in.Name, startTimeout, in.Log())
	}
}

// readLog copies the instance's log lines into in.log and sends the
// address of its listening line to found; it reports whether there was
// one.
func (in *Instance) readLog(r io.Reader, found chan<- string) (listened bool) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		in.mu.Lock()
		in.log.WriteString(line + "\n")
		in.mu.Unlock()
		if m := listening.FindStringSubmatch(line); m != nil {
			listened = true
			select {
			case found <- m[1]:
			default:
			}
		}
	}
	return listened
}

// Running reports whether the instance's process is running.
func (in *Instance) Running() bool {
	in.mu.Lock()
	done := in.done
	in.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Kill ends the instance with SIGKILL, as a crash of its machine would,
// and waits for it to exit. Killing an instance that Kill or Stop ended
// does nothing; one that exited by itself is an error (it crashed).
func (in *Instance) Kill() error {
	if c := in.Crashes(); len(c) > 0 {
		return fmt.Errorf("kill instance %s: %s; its log:\n%s", in.Name, c[len(c)-1], in.Log())
	}
	return in.end(syscall.SIGKILL, 10*time.Second)
}

// Crashes lists the runs of the instance that exited without Kill or
// Stop, with their exit status.
func (in *Instance) Crashes() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.crashes...)
}

// Stop asks the instance to shut down (SIGTERM) and waits for it to exit;
// after a grace period it kills it.
func (in *Instance) Stop() error {
	err := in.end(syscall.SIGTERM, 20*time.Second)
	if err != nil {
		_ = in.Kill() // the error to report is why it did not stop
	}
	return err
}

func (in *Instance) end(sig syscall.Signal, wait time.Duration) error {
	in.mu.Lock()
	cmd, done := in.cmd, in.done
	in.mu.Unlock()
	if cmd == nil || !in.Running() {
		return nil
	}
	in.mu.Lock()
	in.ended = true
	in.mu.Unlock()
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal instance %s: %w", in.Name, err)
	}
	select {
	case <-done:
		return nil
	case <-time.After(wait):
		return fmt.Errorf("instance %s did not exit within %v of %v", in.Name, wait, sig)
	}
}

// Restart starts a stopped or killed instance again, on its address if
// that is still free, else on another port (URL tells which).
func (in *Instance) Restart() error {
	if in.Running() {
		return fmt.Errorf("restart instance %s: it is still running", in.Name)
	}
	if err := in.start(in.Addr()); err != nil {
		if !strings.Contains(in.Log(), "address already in use") {
			return err
		}
		return in.start("127.0.0.1:0")
	}
	return nil
}

// AccountState is an account's inventory as stored, read with the store's
// own pull: every freezer and product (tombstones too) with its stamps,
// and the sequence number of each, in pull order.
type AccountState struct {
	Freezers []protocol.FreezerState
	Products []protocol.ProductState
	Seqs     []int64
}

// ReadAccounts opens the store at dbURL beside the running instances and
// reads the state of the account of each token.
func ReadAccounts(ctx context.Context, dbURL string, tokens ...string) ([]AccountState, error) {
	db, err := sqlstore.Open(ctx, dbURL, sqlstore.Options{Conns: 2})
	if err != nil {
		return nil, fmt.Errorf("open the store at %s: %w", sqlstore.Redact(dbURL), err)
	}
	defer db.Close()
	out := make([]AccountState, 0, len(tokens))
	for i, token := range tokens {
		a, err := db.FindAccountByToken(ctx, server.HashToken(token))
		if err != nil {
			return nil, fmt.Errorf("find the account of token %d: %w", i, err)
		}
		st, err := readAccount(ctx, db, a.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func readAccount(ctx context.Context, db *sqlstore.DB, account int64) (AccountState, error) {
	var st AccountState
	for cursor := int64(0); ; {
		page, err := db.Pull(ctx, account, cursor, protocol.MaxPullPage, "", nil)
		if err != nil {
			return AccountState{}, fmt.Errorf("read account %d: %w", account, err)
		}
		for _, c := range page.Changes {
			st.Seqs = append(st.Seqs, c.Seq)
			if c.Entity == domain.EntityBarcode {
				continue // checked by the barcode tests (barcodes_test.go)
			}
			if c.Entity == domain.EntityFreezer {
				f, err := protocol.DecodeFreezer(c)
				if err != nil {
					return AccountState{}, fmt.Errorf("read account %d: %w", account, err)
				}
				st.Freezers = append(st.Freezers, f)
				continue
			}
			p, err := protocol.DecodeProduct(c)
			if err != nil {
				return AccountState{}, fmt.Errorf("read account %d: %w", account, err)
			}
			st.Products = append(st.Products, p)
		}
		cursor = page.Cursor
		if !page.More {
			return st, nil
		}
	}
}

// Ledger gathers, over every device of a test, the writes the instances
// acknowledged in pushes (for LostWrites) and what was wrong with the
// pulled pages.
type Ledger struct {
	mu                           sync.Mutex
	written, refused, restamped  []Write
	problems                     []string
	pushes, pulls, changesPulled int
	history                      map[uuid.UUID][]string // what each push said of an entity
}

// History lists what the pushes of an entity were answered, in order.
func (l *Ledger) History(id uuid.UUID) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.history[id])
}

// LostWrites returns the acknowledged writes the state lost.
func (l *Ledger) LostWrites(freezers []protocol.FreezerState, products []protocol.ProductState) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return lostWrites(l.written, l.refused, l.restamped, freezers, products)
}

// Problems returns what was wrong with the pulled pages: sequences out of
// order, a cursor that went back.
func (l *Ledger) Problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.problems)
}

// Counts returns how many pushes and pulls were answered 200, and how many
// changes the pulls carried.
func (l *Ledger) Counts() (pushes, pulls, changes int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pushes, l.pulls, l.changesPulled
}

// Router is a device's transport to a hosted service: it sends each
// request to the instance chosen last (Use), records in its Ledger the
// writes the instance acknowledged, and checks every pulled page: its
// changes come in increasing sequence after the request's cursor, and the
// device's cursor never goes back.
type Router struct {
	Base   http.RoundTripper
	Ledger *Ledger
	Device string // names the device in problems

	mu     sync.Mutex
	to     *Instance
	cursor int64 // the largest cursor a pull gave the device
}

// Use sends the next requests to in.
func (r *Router) Use(in *Instance) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.to = in
}

// RoundTrip implements http.RoundTripper.
func (r *Router) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	to := r.to
	r.mu.Unlock()
	if to == nil {
		return nil, fmt.Errorf("router of %s: no instance chosen", r.Device)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = "http", to.Addr(), ""
	var sent []byte
	if req.Body != nil && req.URL.Path == protocol.PushPath {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("router of %s: read the push: %w", r.Device, err)
		}
		sent = b
		out.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := r.Base.RoundTrip(out)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("router of %s: read the answer of %s: %w", r.Device, to.Name, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(got))
	switch req.URL.Path {
	case protocol.PushPath:
		r.Ledger.recordPush(r.Device+" through "+to.Name, sent, got)
	case protocol.PullPath:
		r.checkPull(to.Name, req.URL.Query().Get(protocol.QueryCursor), got)
	}
	return resp, nil
}

// checkPull checks one pulled page.
func (r *Router) checkPull(instance, cursorParam string, body []byte) {
	var page protocol.PullResponse
	if err := json.Unmarshal(gunzip(body), &page); err != nil {
		r.Ledger.problem("%s: a pull from %s is not a page: %v", r.Device, instance, err)
		return
	}
	from, _ := strconv.ParseInt(cursorParam, 10, 64) // absent: 0
	r.mu.Lock()
	if from != 0 && from < r.cursor {
		r.Ledger.problem("%s pulled from %s at cursor %d, behind the cursor %d it was given", r.Device, instance, from, r.cursor)
	}
	r.cursor = max(r.cursor, page.Cursor)
	r.mu.Unlock()
	last := from
	for _, c := range page.Changes {
		if c.Seq <= last {
			r.Ledger.problem("%s pulled from %s at cursor %d: %s %s at seq %d after seq %d", r.Device, instance, from, c.Entity, c.ID, c.Seq, last)
		}
		last = max(last, c.Seq)
	}
	if page.Cursor < last || page.Cursor < from {
		r.Ledger.problem("%s pulled from %s at cursor %d: the page ends at seq %d but gives cursor %d", r.Device, instance, from, last, page.Cursor)
	}
	r.Ledger.mu.Lock()
	r.Ledger.pulls++
	r.Ledger.changesPulled += len(page.Changes)
	r.Ledger.mu.Unlock()
}

func (l *Ledger) problem(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
}

// recordPush records the writes an answered push acknowledged, as
// RealServer does.
func (l *Ledger) recordPush(who string, sent, got []byte) {
	var req protocol.PushRequest
	var resp protocol.PushResponse
	if err := json.Unmarshal(gunzip(sent), &req); err != nil {
		l.problem("a push the device sent is not a push: %v", err)
		return
	}
	if err := json.Unmarshal(gunzip(got), &resp); err != nil {
		l.problem("a push was answered 200 with something else than results: %v", err)
		return
	}
	byID := map[string]protocol.Mutation{}
	for _, m := range req.Mutations {
		byID[m.ID] = m
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pushes++
	for _, res := range resp.Results {
		mu, ok := byID[res.ID]
		if !ok {
			continue
		}
		if l.history == nil {
			l.history = map[uuid.UUID][]string{}
		}
		l.history[mu.EntityID] = append(l.history[mu.EntityID], fmt.Sprintf("%s: %s %s stamped %s: %s%s restamped %v seq %d",
			who, mu.Op, slices.Sorted(maps.Keys(mu.Fields)), mu.Stamp, res.Status, res.Reason, res.Restamped, res.Seq))
		for f := range mu.Fields {
			w := Write{mu.Entity, mu.EntityID, f, mu.StampOf(f)}
			switch {
			case res.Status == protocol.StatusRejected:
				l.refused = append(l.refused, w)
			case res.Status != protocol.StatusApplied && res.Status != protocol.StatusMoved:
			case slices.Contains(res.Restamped, f):
				l.restamped = append(l.restamped, w)
			default:
				l.written = append(l.written, w)
			}
		}
	}
}
