package doctest

import (
	"fmt"
	"regexp"
	"strings"
)

// Block is one fenced block of a markdown file.
type Block struct {
	Line         int    // line number of the block's first line (after the fence)
	Lang         string // the fence's info word: "sh", "json", "" ...
	Text         string // the lines between the fences, each ending in "\n"
	Illustration string // why it does not run; "" for a runnable block
	Expect       []string
	HasExpect    bool // Expect was stated (it may hold one empty line)
}

// Shell reports whether b is a shell block.
func (b Block) Shell() bool {
	switch b.Lang {
	case "sh", "bash", "shell":
		return true
	}
	return false
}

// Runs reports whether the test runs b.
func (b Block) Runs() bool { return b.Shell() && b.Illustration == "" }

// FirstLine returns b's first non-empty line, for reports.
func (b Block) FirstLine() string {
	for l := range strings.Lines(b.Text) {
		if s := strings.TrimSpace(l); s != "" {
			return s
		}
	}
	return ""
}

var (
	fenceRE        = regexp.MustCompile("^ {0,3}(```+|~~~+)[ \t]*([^ \t`]*)")
	illustrationRE = regexp.MustCompile(`^<!--\s*illustration:(.*?)-->\s*$`)
	expectRE       = regexp.MustCompile(`(?:^|\s)# expect:(?: ?(.*))?$`)
)

// Parse returns the fenced blocks of a markdown document. It fails on an
// illustration marker without a reason or without a shell block right
// after it, and on a fence that is never closed.
func Parse(doc string) ([]Block, error) {
	lines := strings.Split(doc, "\n")
	var blocks []Block
	for i := 0; i < len(lines); i++ {
		if m := illustrationRE.FindStringSubmatch(lines[i]); m != nil {
			why := strings.TrimSpace(m[1])
			if why == "" {
				return nil, fmt.Errorf("line %d: say why the block is an illustration: <!-- illustration: needs a display -->", i+1)
			}
			if i+1 >= len(lines) || !isShellFence(lines[i+1]) {
				return nil, fmt.Errorf("line %d: an illustration marker must be on the line right before a ```sh fence", i+1)
			}
			continue
		}
		m := fenceRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := Block{Line: i + 2, Lang: strings.ToLower(m[2])}
		if i > 0 {
			if im := illustrationRE.FindStringSubmatch(lines[i-1]); im != nil {
				b.Illustration = strings.TrimSpace(im[1])
			}
		}
		end := closingFence(lines, i+1, strings.TrimSpace(m[1]))
		if end < 0 {
			return nil, fmt.Errorf("line %d: the fence %s is never closed", i+1, m[1])
		}
		var text strings.Builder
		for _, l := range lines[i+1 : end] {
			text.WriteString(l + "\n")
			if em := expectRE.FindStringSubmatch(l); em != nil {
				b.Expect = append(b.Expect, strings.TrimRight(em[1], " \t"))
				b.HasExpect = true
			}
		}
		b.Text = text.String()
		blocks = append(blocks, b)
		i = end
	}
	return blocks, nil
}

func isShellFence(line string) bool {
	m := fenceRE.FindStringSubmatch(line)
	return m != nil && Block{Lang: strings.ToLower(m[2])}.Shell()
}

// closingFence returns the index of the line closing a fence opened with
// open, searching from line from; -1 when there is none.
func closingFence(lines []string, from int, open string) int {
	for j := from; j < len(lines); j++ {
		s := strings.TrimSpace(lines[j])
		if strings.HasPrefix(s, open[:3]) && strings.Trim(s, open[:1]) == "" && len(s) >= len(open) {
			return j
		}
	}
	return -1
}

// MatchOutput reports whether got, a block's standard output, is what its
// expect lines state: the same lines, trailing spaces aside, where "..."
// matches any text, line breaks included.
func MatchOutput(expect []string, got string) bool {
	want := normalize(strings.Join(expect, "\n"))
	parts := strings.Split(want, "...")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile(`^` + strings.Join(parts, `(?s:.*?)`) + `$`)
	if err != nil {
		return false
	}
	return re.MatchString(normalize(got))
}

// Differences names the lines of got that differ from expect, when both
// have the same number of lines (with fewer or more lines, "..." spanning
// lines makes a line-by-line answer a guess, so it returns nil).
func Differences(expect []string, got string) []string {
	lines := strings.Split(normalize(got), "\n")
	if len(lines) != len(expect) {
		return nil
	}
	var diffs []string
	for i, want := range expect {
		if !MatchOutput([]string{want}, lines[i]) {
			diffs = append(diffs, fmt.Sprintf("line %d: want %q, got %q", i+1, normalize(want), lines[i]))
		}
	}
	return diffs
}

// normalize drops trailing spaces of each line and trailing line breaks.
func normalize(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

var (
	curlRE       = regexp.MustCompile(`(?:^|[\s;&|(])curl\s`)
	failFlagRE   = regexp.MustCompile(`\s(?:-[a-zA-Z]*f[a-zA-Z]*|--fail(?:-with-body)?)(?:\s|$)`)
	httpCodeFlag = "%{http_code}"
)

// UncheckedCurls returns the curl commands of b that do not check the HTTP
// status: neither -f nor -w '%{http_code}' with an expect line in b.
func UncheckedCurls(b Block) []string {
	var bad []string
	text := strings.ReplaceAll(b.Text, "\\\n", " ")
	for line := range strings.Lines(text) {
		if i := strings.Index(line, " # "); i >= 0 {
			line = line[:i]
		}
		for _, loc := range curlRE.FindAllStringIndex(line, -1) {
			cmd := line[loc[1]-len("curl "):] // from the word curl
			if j := strings.Index(cmd, "|"); j >= 0 {
				cmd = cmd[:j] // the pipe's next command is not curl's
			}
			cmd = strings.TrimSpace(cmd)
			switch {
			case failFlagRE.MatchString(cmd):
			case strings.Contains(cmd, httpCodeFlag) && b.HasExpect:
			default:
				bad = append(bad, cmd)
			}
		}
	}
	return bad
}
