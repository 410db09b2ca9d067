package domain

import (
	"encoding/json"
	"strings"
	"time"
)

// CleanNode returns node made a valid clock node (ValidNode): only its
// letters, digits and '-', at most MaxNodeLength of them, "x" when none is
// left. A valid node is returned as it is.
func CleanNode(node string) string {
	if ValidNode(node) {
		return node
	}
	node = strings.Map(func(r rune) rune {
		if r < 0x80 && ValidNode(string(r)) {
			return r
		}
		return -1
	}, node)
	if len(node) > MaxNodeLength {
		node = node[:MaxNodeLength]
	}
	if node == "" {
		node = "x"
	}
	return node
}

// CleanStamp returns the text of a stored stamp that ParseTimestamp
// refuses only for its node (stored before nodes were bounded), with the
// node made valid: its base through CleanNode, and at most MaxRepairs of
// its repair marks. The wall time and the counter are kept, so the stamp
// orders where it did against every stamp of another time. ok is false
// when s is not a stamp at all.
func CleanStamp(s string) (clean string, ok bool) {
	if _, err := ParseTimestamp(s); err == nil {
		return s, true
	}
	parts := strings.SplitN(s, "-", 3)
	if len(parts) != 3 || len(parts[0]) != wallDigits || len(parts[1]) != 5 || !allDigits(parts[0]) || !allDigits(parts[1]) {
		return "", false
	}
	node := parts[2]
	marks := 0
	for strings.HasSuffix(node, repairMark) {
		node, marks = strings.TrimSuffix(node, repairMark), marks+1
	}
	node = CleanNode(node) + strings.Repeat(repairMark, min(marks, MaxRepairs))
	clean = parts[0] + "-" + parts[1] + "-" + node
	if _, err := ParseTimestamp(clean); err != nil {
		return "", false
	}
	return clean, true
}

// CleanStoredColumn returns the cleaned value of a stored column (a name,
// a description, a relabel notice, or, when stamp is set, a clock stamp)
// and whether it differs. The cleaning migrations of both stores use it.
func CleanStoredColumn(col, v string, stamp bool) (string, bool) {
	var clean string
	switch {
	case stamp:
		if v == "" {
			return v, false
		}
		var ok bool
		if clean, ok = CleanStamp(v); !ok {
			return v, false // not a stamp: left for the store's reads to report
		}
	case col == "name":
		clean = CleanName(v)
	case col == "description":
		clean = CleanDescription(v)
	case col == "relabel":
		clean = CleanRelabelValue(v)
	default:
		return v, false
	}
	return clean, clean != v
}

// CleanRelabelValue returns a stored relabel notice whose device is made a
// valid node.
func CleanRelabelValue(v string) string {
	if v == "" || v == "null" {
		return v
	}
	var w struct {
		PutAt WireLocation `json:"put_at"`
		By    string       `json:"by"`
		At    time.Time    `json:"at"`
	}
	if err := json.Unmarshal([]byte(v), &w); err != nil || w.By == "" || ValidNode(w.By) {
		return v
	}
	return string(RelabelValue(&Relabel{PutAt: Location(w.PutAt), By: CleanNode(w.By), At: w.At}))
}
