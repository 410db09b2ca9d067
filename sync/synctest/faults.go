package synctest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Fault is a failure a FaultTransport injects into one request.
type Fault int

// Faults.
const (
	NoFault      Fault = iota
	DropRequest        // the request never reaches the server
	DropResponse       // the server handles the request, the answer is lost
	Duplicate          // the request reaches the server twice
	ServerError        // 503 without reaching the server's logic
	TooMany            // 429 with Retry-After, without reaching the server
	Delay              // the request waits a little before it goes
)

// String names a fault.
func (f Fault) String() string {
	return [...]string{"none", "drop-request", "drop-response", "duplicate", "5xx", "429", "delay"}[f]
}

// ErrInjected is the transport error of dropped requests and responses.
var ErrInjected = errors.New("injected network failure")

// FaultTransport is an http.RoundTripper that injects faults, then passes
// requests through: the queued faults one per request (Inject), and the
// planned ones on the nth request to a path (Plan), which may be any
// request of a round: the second push batch, a later pull page. It also
// counts the bytes of request and response bodies as they travel
// (compressed).
type FaultTransport struct {
	Base http.RoundTripper

	// BeforeSend, when set, is called with each request before it is sent
	// (a test makes a local edit in the middle of a sync with it).
	BeforeSend func(r *http.Request)

	mu                  sync.Mutex
	queue               []Fault
	plan                []Planned
	seen                map[string]int // requests per path since Clear
	fired               []string
	SentBytes, GotBytes int64
	Requests            int
}

// Planned is a fault for the Nth request (from 1) to Path since the last
// Clear; an empty Path counts every request.
type Planned struct {
	Path  string
	Nth   int
	Fault Fault
}

// String names a planned fault: "5xx on /api/v1/sync/pull #2".
func (p Planned) String() string {
	path := p.Path
	if path == "" {
		path = "any request"
	}
	return fmt.Sprintf("%s on %s #%d", p.Fault, path, p.Nth)
}

// Plan adds planned faults; a request matched by several takes the first.
func (t *FaultTransport) Plan(faults ...Planned) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.plan = append(t.plan, faults...)
}

// Fired returns the planned faults injected since the last Clear.
func (t *FaultTransport) Fired() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.fired)
}

// Inject queues faults for the next requests.
func (t *FaultTransport) Inject(faults ...Fault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.queue = append(t.queue, faults...)
}

// Clear drops the queued and planned faults and restarts the counts of
// requests per path.
func (t *FaultTransport) Clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.queue, t.plan, t.seen, t.fired = nil, nil, nil, nil
}

// Bytes returns the body bytes sent and received so far and resets them.
func (t *FaultTransport) Bytes() (sent, got int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	sent, got = t.SentBytes, t.GotBytes
	t.SentBytes, t.GotBytes = 0, 0
	return sent, got
}

func (t *FaultTransport) next(path string) Fault {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Requests++
	if t.seen == nil {
		t.seen = map[string]int{}
	}
	t.seen[path]++
	t.seen[""]++
	for i, p := range t.plan {
		if p.Nth == t.seen[p.Path] && (p.Path == "" || p.Path == path) {
			t.plan = slices.Delete(t.plan, i, i+1)
			t.fired = append(t.fired, p.String())
			return p.Fault
		}
	}
	if len(t.queue) == 0 {
		return NoFault
	}
	f := t.queue[0]
	t.queue = t.queue[1:]
	return f
}

// RoundTrip implements http.RoundTripper.
func (t *FaultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body.Close()
	}
	send := func() (*http.Response, error) {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		resp, err := t.Base.RoundTrip(r2)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		t.mu.Lock()
		t.SentBytes += int64(len(body))
		t.GotBytes += int64(len(b))
		t.mu.Unlock()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, nil
	}
	if t.BeforeSend != nil {
		t.BeforeSend(r)
	}
	switch t.next(r.URL.Path) {
	case DropRequest:
		return nil, ErrInjected
	case DropResponse:
		if _, err := send(); err != nil {
			return nil, err
		}
		return nil, ErrInjected
	case Duplicate:
		if _, err := send(); err != nil {
			return nil, err
		}
	case ServerError:
		return synthetic(r, http.StatusServiceUnavailable, ""), nil
	case TooMany:
		return synthetic(r, http.StatusTooManyRequests, "1"), nil
	case Delay:
		select {
		case <-time.After(5 * time.Millisecond):
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return send()
}

func synthetic(r *http.Request, status int, retryAfter string) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	body := `{"code":"unavailable","message":"injected"}`
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: h, Request: r,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
}
