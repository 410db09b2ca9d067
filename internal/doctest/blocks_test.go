package doctest

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	doc := strings.Join([]string{
		"# Title",                                // 1
		"",                                       // 2
		"```sh",                                  // 3
		"echo hi   # expect: hi",                 // 4
		"```",                                    // 5
		"<!-- illustration: needs a display -->", // 6
		"```sh",                                  // 7
		"make run",                               // 8
		"```",                                    // 9
		"```json",                                // 10
		`{"a": 1}`,                               // 11
		"```",                                    // 12
		"````bash",                               // 13
		"cat <<'EOF'",                            // 14
		"```",                                    // 15
		"EOF",                                    // 16
		"# expect:",                              // 17
		"# expect: ```",                          // 18
		"````",                                   // 19
	}, "\n")
	blocks, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 4 {
		t.Fatalf("Parse() = %d blocks, want 4: %+v", len(blocks), blocks)
	}
	tests := []struct {
		got, want any
	}{
		{blocks[0].Line, 4},
		{blocks[0].Runs(), true},
		{slices.Equal(blocks[0].Expect, []string{"hi"}), true},
		{blocks[1].Illustration, "needs a display"},
		{blocks[1].Runs(), false},
		{blocks[1].HasExpect, false},
		{blocks[2].Shell(), false},
		{blocks[3].Lang, "bash"},
		{blocks[3].Line, 14},
		{slices.Equal(blocks[3].Expect, []string{"", "```"}), true},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("check %d: got %v, want %v", i, tt.got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"no reason", "<!-- illustration: -->\n```sh\nls\n```\n", "say why"},
		{"not before a shell fence", "<!-- illustration: slow -->\n\n```sh\nls\n```\n", "right before"},
		{"before a text fence", "<!-- illustration: slow -->\n```text\nls\n```\n", "right before"},
		{"unclosed", "```sh\nls\n", "never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.doc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestMatchOutput(t *testing.T) {
	tests := []struct {
		expect []string
		got    string
		want   bool
	}{
		{[]string{"201"}, "201\n", true},
		{[]string{"201"}, "409\n", false},
		{[]string{"201"}, "201\n201\n", false},
		{[]string{"a  ", "b"}, "a\nb  \n\n", true},
		{[]string{`{"id":"...","name":"garage"}`}, `{"id":"0190-ab","name":"garage"}`, true},
		{[]string{`{"id":"...","name":"garage"}`}, `{"id":"0190-ab","name":"cellar"}`, false},
		{[]string{"head", "...", "tail"}, "head\n1\n2\ntail\n", true},
		{[]string{"head", "...", "tail"}, "head\ntail\n", false}, // "..." stands between two line breaks here
		{[]string{"head...", "tail"}, "head\ntail\n", true},
		{[]string{"a.b(c)*"}, "a.b(c)*", true},
		{[]string{"a.b(c)*"}, "axb(c)", false},
		{[]string{""}, "", true},
	}
	for _, tt := range tests {
		if got := MatchOutput(tt.expect, tt.got); got != tt.want {
			t.Errorf("MatchOutput(%q, %q) = %v, want %v", tt.expect, tt.got, got, tt.want)
		}
	}
}

func TestUncheckedCurls(t *testing.T) {
	tests := []struct {
		text      string
		hasExpect bool
		want      int
	}{
		{"curl -fsS $FREEZER_URL/\n", false, 0},
		{"curl -sf $FREEZER_URL/\n", false, 0},
		{"curl --fail -s $FREEZER_URL/\n", false, 0},
		{"curl -s $FREEZER_URL/   # -f is missing\n", false, 1},
		{"curl -s -o /dev/null -w '%{http_code}\\n' $FREEZER_URL/   # expect: 200\n", true, 0},
		{"curl -s -o /dev/null -w '%{http_code}\\n' $FREEZER_URL/\n", false, 1},
		{"TOKEN=$(curl -s -X POST $U -d '{}' | field token)\n", false, 1},
		{"TOKEN=$(curl -fsS -X POST $U \\\n  -d '{}' | field token)\n", false, 0},
		{"curl -s --cacert cert.pem --retry-connrefused https://x/\n", false, 1},
		{"echo curling; mycurl -s x\n", false, 0},
	}
	for _, tt := range tests {
		b := Block{Lang: "sh", Text: tt.text, HasExpect: tt.hasExpect}
		if got := UncheckedCurls(b); len(got) != tt.want {
			t.Errorf("UncheckedCurls(%q) = %q, want %d", tt.text, got, tt.want)
		}
	}
}

func TestDifferences(t *testing.T) {
	tests := []struct {
		expect []string
		got    string
		want   []string
	}{
		{[]string{"{...}", "200"}, "{\"a\":1}\n204\n", []string{`line 2: want "200", got "204"`}},
		{[]string{"{...}", "200"}, "{\"a\":1}\n200\n", nil},
		{[]string{"200"}, "204\n204\n", nil}, // not the same number of lines
	}
	for _, tt := range tests {
		if got := Differences(tt.expect, tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("Differences(%q, %q) = %q, want %q", tt.expect, tt.got, got, tt.want)
		}
	}
}
