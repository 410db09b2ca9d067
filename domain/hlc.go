package domain

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Timestamp is a hybrid logical clock reading: physical time in
// milliseconds, a counter that orders events within one millisecond (or
// while the physical clock stands still or goes back), and the id of the
// device that made it, which breaks every remaining tie. Two timestamps made
// by different devices are never equal, so last-writer-wins has a total
// order.
type Timestamp struct {
	Wall    int64  // Unix milliseconds
	Counter uint32 // at most maxCounter
	Node    string // device id; must not be empty for a real stamp
}

const (
	maxCounter = 99999 // the text form has 5 digits for the counter
	wallDigits = 15
)

// IsZero reports whether t is the zero Timestamp (older than any stamp).
func (t Timestamp) IsZero() bool { return t == Timestamp{} }

// Compare orders timestamps by wall time, then counter, then node.
func (t Timestamp) Compare(u Timestamp) int {
	if c := cmp.Compare(t.Wall, u.Wall); c != 0 {
		return c
	}
	if c := cmp.Compare(t.Counter, u.Counter); c != 0 {
		return c
	}
	return strings.Compare(t.Node, u.Node)
}

// After reports whether t orders after u.
func (t Timestamp) After(u Timestamp) bool { return t.Compare(u) > 0 }

// repairMark ends the node of a repair stamp. Its first byte, '!', sorts
// before every byte of a clock's node (device ids are hex digits, the
// server's node is "server"; nodes are letters, digits and '-').
const repairMark = "!r"

// Bounds of a stamp's node: the clock's node (MaxNodeLength bytes of
// letters, digits and '-') followed by at most MaxRepairs repair marks.
// Stamps are stored once per field and carried by every pull: an unbounded
// node would let one push fill the server's disk.
const (
	MaxNodeLength = 64
	MaxRepairs    = 8
)

// ValidNode reports whether node is a clock's node: 1 to MaxNodeLength
// bytes of ASCII letters, digits and '-'.
func ValidNode(node string) bool {
	if node == "" || len(node) > MaxNodeLength {
		return false
	}
	for i := 0; i < len(node); i++ {
		c := node[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validStampNode reports whether node is a clock's node followed by at
// most MaxRepairs repair marks.
func validStampNode(node string) bool {
	for range MaxRepairs {
		n, ok := strings.CutSuffix(node, repairMark)
		if !ok {
			break
		}
		node = n
	}
	return ValidNode(node)
}

// repairs returns how many repair marks end node.
func repairs(node string) int {
	n := 0
	for strings.HasSuffix(node, repairMark) {
		node, n = strings.TrimSuffix(node, repairMark), n+1
	}
	return n
}

// Repair returns the stamp of a correction of the value stamped t (the
// server's slot repair): t with a mark appended to its node. It orders
// after t and before every other stamp that orders after t: one with a
// larger wall time or counter, or at the same wall time and counter a
// larger node (a node that orders after t's orders after t's node with the
// mark too, as the mark's '!' sorts before the bytes nodes are made of).
// So a correction settles the value it corrects and nothing else: a later
// write still wins over it. The repair of a repair orders after both, up
// to MaxRepairs marks: the repair of a stamp that already carries them is
// the stamp itself, which the merge keeps too (a field changes only for a
// stamp that orders strictly after its own, so neither the colliding write
// sent again nor a device's pulled copy wins over it; see docs/SYNC.md).
func (t Timestamp) Repair() Timestamp {
	if repairs(t.Node) >= MaxRepairs {
		return t
	}
	return Timestamp{Wall: t.Wall, Counter: t.Counter, Node: t.Node + repairMark}
}

// Time returns the physical part of t.
func (t Timestamp) Time() time.Time { return time.UnixMilli(t.Wall).UTC() }

// String returns a text form whose byte order is the timestamps' order:
// zero-padded wall milliseconds, zero-padded counter, node. The zero
// Timestamp gives "".
func (t Timestamp) String() string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%0*d-%05d-%s", wallDigits, t.Wall, t.Counter, t.Node)
}

// ParseTimestamp parses the text form made by Timestamp.String ("" gives
// the zero Timestamp).
func ParseTimestamp(s string) (Timestamp, error) {
	if s == "" {
		return Timestamp{}, nil
	}
	parts := strings.SplitN(s, "-", 3)
	// Only the canonical form parses (digits only, no sign): stamps are
	// compared as text, so "+0…" must not pass for the same stamp.
	if len(parts) != 3 || len(parts[0]) != wallDigits || len(parts[1]) != 5 || parts[2] == "" ||
		!allDigits(parts[0]) || !allDigits(parts[1]) {
		return Timestamp{}, fmt.Errorf("clock stamp %q is malformed", clip(s))
	}
	if !validStampNode(parts[2]) {
		return Timestamp{}, fmt.Errorf("clock stamp %q has a bad device id: at most %d letters, digits or '-', and at most %d repair marks",
			clip(s), MaxNodeLength, MaxRepairs)
	}
	wall, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || wall < 0 {
		return Timestamp{}, fmt.Errorf("clock stamp %q has a bad time", clip(s))
	}
	counter, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return Timestamp{}, fmt.Errorf("clock stamp %q has a bad counter", clip(s))
	}
	return Timestamp{Wall: wall, Counter: uint32(counter), Node: parts[2]}, nil
}

// MarshalText implements encoding.TextMarshaler.
func (t Timestamp) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *Timestamp) UnmarshalText(b []byte) error {
	v, err := ParseTimestamp(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Clock is a hybrid logical clock. Its readings never go backwards, even
// when the physical clock does. It is safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	node string
	now  func() time.Time
	last Timestamp
	// MaxAhead bounds how far ahead of this clock's physical time a received
	// stamp may be; Receive refuses stamps beyond it. Zero means no bound.
	MaxAhead time.Duration
}

// NewClock returns a clock for device node reading physical time from now
// (time.Now when nil).
func NewClock(node string, now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{node: node, now: now}
}

// Node returns the clock's device id.
func (c *Clock) Node() string { return c.node }

// Now returns a new stamp for a local event, after every stamp the clock
// has made or received.
func (c *Clock) Now() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := c.now().UnixMilli()
	if pt > c.last.Wall {
		c.last = Timestamp{Wall: pt, Node: c.node}
	} else {
		c.last = c.tick(c.last.Wall, c.last.Counter)
	}
	return c.last
}

// Receive merges a stamp received from another device or the server, so
// that the next local stamp orders after it. It refuses a stamp more than
// MaxAhead ahead of the physical clock, leaving the clock unchanged.
func (c *Clock) Receive(remote Timestamp) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := c.now().UnixMilli()
	if c.MaxAhead > 0 && remote.Wall-pt > c.MaxAhead.Milliseconds() {
		return Errorf(EInvalid, "A clock stamp is %s ahead of this clock (at most %s is allowed): check the device's date and time.",
			(time.Duration(remote.Wall-pt) * time.Millisecond).Round(time.Second), c.MaxAhead)
	}
	wall := max(pt, c.last.Wall, remote.Wall)
	switch {
	case wall == c.last.Wall && wall == remote.Wall:
		c.last = c.tick(wall, max(c.last.Counter, remote.Counter))
	case wall == c.last.Wall:
		c.last = c.tick(wall, c.last.Counter)
	case wall == remote.Wall:
		c.last = c.tick(wall, remote.Counter)
	default:
		c.last = Timestamp{Wall: wall, Node: c.node}
	}
	return nil
}

// Observe moves the clock past t without any check, for stamps read back
// from the clock's own storage at start.
func (c *Clock) Observe(t Timestamp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Compare(c.last) > 0 {
		c.last = Timestamp{Wall: t.Wall, Counter: t.Counter, Node: c.node}
	}
}

// Last returns the latest stamp made or received.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// tick returns the stamp after (wall, counter) for this node; a full
// counter carries into the wall time so the text form keeps its width.
func (c *Clock) tick(wall int64, counter uint32) Timestamp {
	if counter >= maxCounter {
		return Timestamp{Wall: wall + 1, Node: c.node}
	}
	return Timestamp{Wall: wall, Counter: counter + 1, Node: c.node}
}

// clip shortens a stamp quoted in an error, which may be megabytes long.
func clip(s string) string {
	const most = 100
	if len(s) <= most {
		return s
	}
	return s[:most] + "…"
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseStamps parses the stamp texts of fields, in the same order: the
// per-field stamps as both stores keep them, one text column per field.
func ParseStamps(fields []string, texts []string) (map[string]Timestamp, error) {
	out := make(map[string]Timestamp, len(fields))
	for i, f := range fields {
		ts, err := ParseTimestamp(texts[i])
		if err != nil {
			return nil, fmt.Errorf("stamp of %s: %w", f, err)
		}
		out[f] = ts
	}
	return out, nil
}
