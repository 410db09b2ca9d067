package domain

import "strings"

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
