package domain_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"freezer/domain"
)

// manualTime is a physical clock the test moves by hand.
type manualTime struct {
	mu sync.Mutex
	ms int64
}

func (m *manualTime) now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return time.UnixMilli(m.ms)
}

func (m *manualTime) set(ms int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ms = ms
}

// mustClock returns a clock for node whose physical time starts at ms.
func mustClock(t *testing.T, node string, ms int64) (*domain.Clock, *manualTime) {
	t.Helper()
	pt := &manualTime{ms: ms}
	c := domain.NewClock(node, pt.now)
	if got := c.Node(); got != node {
		t.Fatalf("Node() = %q, want %q", got, node)
	}
	if !c.Last().IsZero() {
		t.Fatalf("Last() of a new clock = %v, want the zero Timestamp", c.Last())
	}
	return c, pt
}

func TestClockNowIncreasing(t *testing.T) {
	c := domain.NewClock("dev-a", nil) // the real clock
	prev := c.Now()
	for range 20000 {
		ts := c.Now()
		if !ts.After(prev) {
			t.Fatalf("Now() = %v after %v, want strictly later", ts, prev)
		}
		if ts.String() <= prev.String() {
			t.Fatalf("Now().String() = %q after %q, want strictly greater text", ts, prev)
		}
		if ts.Node != "dev-a" {
			t.Fatalf("Now().Node = %q, want %q", ts.Node, "dev-a")
		}
		prev = ts
	}
	if got := c.Last(); got != prev {
		t.Errorf("Last() = %v, want the last stamp made %v", got, prev)
	}
}

func TestClockNowPhysicalTime(t *testing.T) {
	type stamp struct {
		wall    int64
		counter uint32
	}
	for _, tt := range []struct {
		name     string
		physical []int64 // physical time at each Now
		want     []stamp
	}{
		{"moving forward", []int64{1000, 1001, 1005}, []stamp{{1000, 0}, {1001, 0}, {1005, 0}}},
		{"standing still", []int64{1000, 1000, 1000}, []stamp{{1000, 0}, {1000, 1}, {1000, 2}}},
		{"going back a little", []int64{1000, 999, 500, 1001}, []stamp{{1000, 0}, {1000, 1}, {1000, 2}, {1001, 0}}},
		{"going back a lot", []int64{5000, 1000, 1000, 4999, 6000}, []stamp{{5000, 0}, {5000, 1}, {5000, 2}, {5000, 3}, {6000, 0}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, pt := mustClock(t, "dev-a", 0)
			var prev domain.Timestamp
			for i, ms := range tt.physical {
				pt.set(ms)
				ts := c.Now()
				if got, want := (stamp{ts.Wall, ts.Counter}), tt.want[i]; got != want {
					t.Errorf("Now() #%d at physical %d = %+v, want %+v", i, ms, got, want)
				}
				if !ts.After(prev) {
					t.Errorf("Now() #%d = %v, not after %v", i, ts, prev)
				}
				prev = ts
			}
		})
	}
}

func TestClockConcurrentNow(t *testing.T) {
	c, _ := mustClock(t, "dev-a", 1000) // physical time stands still: only counters move
	const workers, each = 8, 2000
	stamps := make([][]domain.Timestamp, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				stamps[w] = append(stamps[w], c.Now())
			}
		})
	}
	wg.Wait()
	seen := map[domain.Timestamp]bool{}
	for w, list := range stamps {
		for i, ts := range list {
			if seen[ts] {
				t.Fatalf("Now() = %v twice", ts)
			}
			seen[ts] = true
			if i > 0 && !ts.After(list[i-1]) {
				t.Fatalf("worker %d: Now() = %v after %v, want strictly later", w, ts, list[i-1])
			}
		}
	}
	if got, want := len(seen), workers*each; got != want {
		t.Errorf("distinct stamps = %d, want %d", got, want)
	}
}

func TestClockCounterOverflow(t *testing.T) {
	c, _ := mustClock(t, "dev-a", 500) // physical time behind the clock
	c.Observe(domain.Timestamp{Wall: 1000, Counter: 99998, Node: "dev-b"})
	want := []domain.Timestamp{
		{Wall: 1000, Counter: 99999, Node: "dev-a"},
		{Wall: 1001, Counter: 0, Node: "dev-a"}, // carried into the wall time
		{Wall: 1001, Counter: 1, Node: "dev-a"},
	}
	width := len(want[0].String())
	for i, w := range want {
		got := c.Now()
		if got != w {
			t.Errorf("Now() #%d = %+v, want %+v", i, got, w)
		}
		if len(got.String()) != width {
			t.Errorf("len(Now() #%d .String()) = %d, want %d (fixed width)", i, len(got.String()), width)
		}
	}
}

func TestClockReceive(t *testing.T) {
	for _, tt := range []struct {
		name     string
		physical int64
		last     domain.Timestamp // observed before receiving; zero for none
		remote   domain.Timestamp
		want     domain.Timestamp
	}{
		{"remote ahead",
			10_000, domain.Timestamp{Wall: 10_000, Node: "dev-a"},
			domain.Timestamp{Wall: 20_000, Counter: 5, Node: "dev-b"},
			domain.Timestamp{Wall: 20_000, Counter: 6, Node: "dev-a"}},
		{"remote ahead of a new clock",
			10_000, domain.Timestamp{},
			domain.Timestamp{Wall: 20_000, Counter: 0, Node: "dev-b"},
			domain.Timestamp{Wall: 20_000, Counter: 1, Node: "dev-a"}},
		{"remote behind",
			10_000, domain.Timestamp{Wall: 10_000, Counter: 3, Node: "dev-a"},
			domain.Timestamp{Wall: 5_000, Counter: 9, Node: "dev-b"},
			domain.Timestamp{Wall: 10_000, Counter: 4, Node: "dev-a"}},
		{"same wall, remote counter higher",
			10_000, domain.Timestamp{Wall: 10_000, Counter: 3, Node: "dev-a"},
			domain.Timestamp{Wall: 10_000, Counter: 7, Node: "dev-b"},
			domain.Timestamp{Wall: 10_000, Counter: 8, Node: "dev-a"}},
		{"same wall, local counter higher",
			10_000, domain.Timestamp{Wall: 10_000, Counter: 9, Node: "dev-a"},
			domain.Timestamp{Wall: 10_000, Counter: 7, Node: "dev-b"},
			domain.Timestamp{Wall: 10_000, Counter: 10, Node: "dev-a"}},
		{"physical time ahead of both",
			30_000, domain.Timestamp{Wall: 10_000, Counter: 3, Node: "dev-a"},
			domain.Timestamp{Wall: 20_000, Counter: 7, Node: "dev-b"},
			domain.Timestamp{Wall: 30_000, Counter: 0, Node: "dev-a"}},
		{"remote counter full",
			10_000, domain.Timestamp{Wall: 10_000, Node: "dev-a"},
			domain.Timestamp{Wall: 10_000, Counter: 99999, Node: "dev-b"},
			domain.Timestamp{Wall: 10_001, Counter: 0, Node: "dev-a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustClock(t, "dev-a", tt.physical)
			if !tt.last.IsZero() {
				c.Observe(tt.last)
			}
			if err := c.Receive(tt.remote); err != nil {
				t.Fatalf("Receive(%v) error = %v", tt.remote, err)
			}
			if got := c.Last(); got != tt.want {
				t.Errorf("Last() after Receive(%v) = %+v, want %+v", tt.remote, got, tt.want)
			}
			if !c.Last().After(tt.remote) {
				t.Errorf("Last() = %v, not after the received %v", c.Last(), tt.remote)
			}
			if next := c.Now(); !next.After(tt.want) || !next.After(tt.remote) {
				t.Errorf("Now() after Receive = %v, want after %v and %v", next, tt.want, tt.remote)
			}
		})
	}
}

func TestClockReceiveMaxAhead(t *testing.T) {
	const physical = 1_700_000_000_000
	for _, tt := range []struct {
		name     string
		maxAhead time.Duration
		ahead    int64 // ms the remote stamp is ahead of physical time
		wantErr  bool
	}{
		{"within the bound", time.Minute, 59_999, false},
		{"at the bound", time.Minute, 60_000, false},
		{"1 ms beyond the bound", time.Minute, 60_001, true},
		{"a year ahead", time.Hour, 365 * 24 * 3600 * 1000, true},
		{"no bound", 0, 365 * 24 * 3600 * 1000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustClock(t, "dev-a", physical)
			c.MaxAhead = tt.maxAhead
			before := c.Now()
			remote := domain.Timestamp{Wall: physical + tt.ahead, Counter: 2, Node: "dev-b"}
			err := c.Receive(remote)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Receive() error = %v, want nil", err)
				}
				if !c.Last().After(remote) {
					t.Errorf("Last() = %v, want after %v", c.Last(), remote)
				}
				return
			}
			if err == nil {
				t.Fatalf("Receive() of a stamp %d ms ahead = nil, want an error", tt.ahead)
			}
			if got, want := domain.ErrorCode(err), domain.EInvalid; got != want {
				t.Errorf("ErrorCode(Receive()) = %q, want %q", got, want)
			}
			if got := c.Last(); got != before {
				t.Errorf("Last() after a refused Receive = %v, want unchanged %v", got, before)
			}
			if next := c.Now(); next != (domain.Timestamp{Wall: before.Wall, Counter: before.Counter + 1, Node: "dev-a"}) {
				t.Errorf("Now() after a refused Receive = %v, want the stamp right after %v", next, before)
			}
		})
	}
}

func TestClockObserve(t *testing.T) {
	c, _ := mustClock(t, "dev-a", 1000)
	c.Observe(domain.Timestamp{Wall: 5000, Counter: 4, Node: "dev-a"})
	c.Observe(domain.Timestamp{Wall: 3000, Counter: 9, Node: "dev-z"}) // older: ignored
	if got, want := c.Last(), (domain.Timestamp{Wall: 5000, Counter: 4, Node: "dev-a"}); got != want {
		t.Errorf("Last() = %v, want %v", got, want)
	}
	if got, want := c.Now(), (domain.Timestamp{Wall: 5000, Counter: 5, Node: "dev-a"}); got != want {
		t.Errorf("Now() = %v, want %v", got, want)
	}
}

func TestTimestampTies(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b domain.Timestamp
		want int
	}{
		{"equal", domain.Timestamp{Wall: 1, Counter: 1, Node: "a"}, domain.Timestamp{Wall: 1, Counter: 1, Node: "a"}, 0},
		{"node breaks the tie", domain.Timestamp{Wall: 1, Counter: 1, Node: "a"}, domain.Timestamp{Wall: 1, Counter: 1, Node: "b"}, -1},
		{"node prefix first", domain.Timestamp{Wall: 1, Counter: 1, Node: "dev"}, domain.Timestamp{Wall: 1, Counter: 1, Node: "dev-2"}, -1},
		{"counter before node", domain.Timestamp{Wall: 1, Counter: 2, Node: "a"}, domain.Timestamp{Wall: 1, Counter: 1, Node: "b"}, 1},
		{"wall before counter", domain.Timestamp{Wall: 2, Counter: 0, Node: "a"}, domain.Timestamp{Wall: 1, Counter: 99999, Node: "z"}, 1},
		{"zero first", domain.Timestamp{}, domain.Timestamp{Wall: 0, Counter: 0, Node: "a"}, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Compare(tt.b); got != tt.want {
				t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := tt.b.Compare(tt.a); got != -tt.want {
				t.Errorf("%v.Compare(%v) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
			if got := strings.Compare(tt.a.String(), tt.b.String()); got != tt.want {
				t.Errorf("strings.Compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}

	// Two devices whose physical clocks agree never make equal stamps.
	a, _ := mustClock(t, "dev-a", 1000)
	b, _ := mustClock(t, "dev-b", 1000)
	for range 100 {
		sa, sb := a.Now(), b.Now()
		if sa == sb || sa.Compare(sb) != -1 {
			t.Fatalf("%v.Compare(%v) = %d, want -1 (dev-a < dev-b)", sa, sb, sa.Compare(sb))
		}
	}
}

func TestTimestampStringOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "-0Aaz~é_."
	randomStamp := func() domain.Timestamp {
		var ts domain.Timestamp
		switch r.IntN(3) { // small walls make ties likely, large ones cover the width
		case 0:
			ts.Wall = r.Int64N(3)
		case 1:
			ts.Wall = 1_700_000_000_000 + r.Int64N(3)
		default:
			ts.Wall = r.Int64N(1_000_000_000_000_000)
		}
		if r.IntN(2) == 0 {
			ts.Counter = uint32(r.IntN(3))
		} else {
			ts.Counter = uint32(r.IntN(100_000))
		}
		runes := []rune(alphabet)
		var node strings.Builder
		for range 1 + r.IntN(4) {
			node.WriteRune(runes[r.IntN(len(runes))])
		}
		ts.Node = node.String()
		return ts
	}
	stamps := []domain.Timestamp{{}}
	for range 2000 {
		stamps = append(stamps, randomStamp())
	}
	for i := range 200_000 {
		a, b := stamps[r.IntN(len(stamps))], stamps[r.IntN(len(stamps))]
		if i < len(stamps) {
			a, b = stamps[i], stamps[(i+1)%len(stamps)]
		}
		if got, want := strings.Compare(a.String(), b.String()), a.Compare(b); got != want {
			t.Fatalf("strings.Compare(%q, %q) = %d, want %d like %+v.Compare(%+v)", a, b, got, want, a, b)
		}
	}
	byText := slices.Clone(stamps)
	slices.SortFunc(byText, func(a, b domain.Timestamp) int { return strings.Compare(a.String(), b.String()) })
	byClock := slices.Clone(stamps)
	slices.SortFunc(byClock, domain.Timestamp.Compare)
	if !slices.Equal(byText, byClock) {
		t.Errorf("sorting by String() and by Compare give different orders")
	}
}

// parseTimestampTests seeds FuzzParseTimestamp too.
var parseTimestampTests = []struct {
	in      string
	want    domain.Timestamp
	wantErr bool
}{
	{in: "", want: domain.Timestamp{}},
	{in: "000000000001000-00000-a", want: domain.Timestamp{Wall: 1000, Node: "a"}},
	{in: "001700000000000-00042-dev-a", want: domain.Timestamp{Wall: 1_700_000_000_000, Counter: 42, Node: "dev-a"}},
	{in: "000000000000000-00000-0190a000-0000-7000-8000-000000000001",
		want: domain.Timestamp{Node: "0190a000-0000-7000-8000-000000000001"}},
	{in: "999999999999999-99999-z", want: domain.Timestamp{Wall: 999_999_999_999_999, Counter: 99999, Node: "z"}},
	{in: "000000000001000-00000-é", wantErr: true},
	{in: "x", wantErr: true},
	{in: "-", wantErr: true},
	{in: "--", wantErr: true},
	{in: "1000-00000-a", wantErr: true},
	{in: "0000000000001000-00000-a", wantErr: true},
	{in: "000000000001000-0000-a", wantErr: true},
	{in: "000000000001000-000000-a", wantErr: true},
	{in: "000000000001000-00000-", wantErr: true},
	{in: "000000000001000-00000", wantErr: true},
	{in: "000000000001000", wantErr: true},
	{in: "00000000000100a-00000-a", wantErr: true},
	{in: "000000000001000-0000a-a", wantErr: true},
	{in: "000000000001000--0000-a", wantErr: true},
	{in: "000000000001000-+0000-a", wantErr: true},
	{in: "+00000000000100-00000-a", wantErr: true},
	{in: "-00000000000100-00000-a", wantErr: true},
	{in: "-00000000000000-00000-a", wantErr: true},
	{in: " 00000000000100-00000-a", wantErr: true},
	{in: "0000000000_1000-00000-a", wantErr: true},
	{in: "0x0000000001000-00000-a", wantErr: true},
	{in: "000000000001000 00000 a", wantErr: true},
}

func TestParseTimestamp(t *testing.T) {
	for _, tt := range parseTimestampTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseTimestamp(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseTimestamp(%q) = %+v, nil; want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTimestamp(%q) error = %v, want nil", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseTimestamp(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("ParseTimestamp(%q).String() = %q, want the input back", tt.in, s)
			}
		})
	}
}

func TestTimestampText(t *testing.T) {
	ts := domain.Timestamp{Wall: 1_704_067_200_000, Counter: 7, Node: "dev-a"}
	if got, want := ts.Time(), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Time() = %v, want %v", got, want)
	}
	type row struct {
		At   domain.Timestamp `json:"at"`
		Zero domain.Timestamp `json:"zero"`
	}
	b, err := json.Marshal(row{At: ts})
	if err != nil {
		t.Fatalf("json.Marshal() error = %v", err)
	}
	if got, want := string(b), `{"at":"001704067200000-00007-dev-a","zero":""}`; got != want {
		t.Errorf("json.Marshal() = %s, want %s", got, want)
	}
	var back row
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s) error = %v", b, err)
	}
	if back.At != ts || !back.Zero.IsZero() {
		t.Errorf("JSON round trip = %+v, want {At:%+v Zero:zero}", back, ts)
	}
	if err := json.Unmarshal([]byte(`{"at":"garbage"}`), &back); err == nil {
		t.Errorf("json.Unmarshal of a malformed stamp error = nil, want an error")
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, tt := range parseTimestampTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := domain.ParseTimestamp(s)
		if err != nil {
			return
		}
		if got := ts.String(); got != s {
			t.Fatalf("ParseTimestamp(%q).String() = %q, want the input back (only the canonical form parses)", s, got)
		}
		back, err := domain.ParseTimestamp(ts.String())
		if err != nil {
			t.Fatalf("ParseTimestamp(%q) error = %v, want nil", ts.String(), err)
		}
		if back != ts {
			t.Fatalf("ParseTimestamp(%q) = %+v, want %+v", ts.String(), back, ts)
		}
		if ts.Wall < 0 || ts.Counter > 99999 {
			t.Fatalf("ParseTimestamp(%q) = %+v, out of range", s, ts)
		}
	})
}

func TestTimestampRepair(t *testing.T) {
	base := domain.Timestamp{Wall: 1_704_067_200_000, Counter: 3, Node: "a1b2c3d4e5f60718"}
	rep := base.Repair()
	later := []domain.Timestamp{
		{Wall: base.Wall + 1, Node: "0000000000000000"},
		{Wall: base.Wall, Counter: base.Counter + 1, Node: "0000000000000000"},
		{Wall: base.Wall, Counter: base.Counter, Node: "a1b2c3d4e5f60719"},
		{Wall: base.Wall, Counter: base.Counter, Node: "server"},
		{Wall: base.Wall, Counter: base.Counter, Node: base.Node + "-2"}, // a node that extends base's
		{Wall: base.Wall, Counter: base.Counter, Node: base.Node + "0"},
	}
	if !rep.After(base) {
		t.Fatalf("%v.Repair() = %v, want it after %v", base, rep, base)
	}
	if again := rep.Repair(); !again.After(rep) || !later[2].After(again) {
		t.Fatalf("repair of a repair %v, want it between %v and %v", again, rep, later[2])
	}
	for _, l := range later {
		if !l.After(rep) {
			t.Errorf("%v orders before the repair %v of %v, want after", l, rep, base)
		}
		if strings.Compare(l.String(), rep.String()) != 1 {
			t.Errorf("text %q orders before %q, want after", l, rep)
		}
	}
	back, err := domain.ParseTimestamp(rep.String())
	if err != nil || back != rep {
		t.Fatalf("ParseTimestamp(%q) = %v, %v; want %v", rep, back, err, rep)
	}
}
