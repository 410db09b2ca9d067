package protocol

import (
	"encoding/json"
	"testing"

	"freezer/domain"
)

func TestFormatAndParseSkip(t *testing.T) {
	for _, c := range []struct {
		seqs   []int64
		cursor int64
		want   string
	}{
		{nil, 0, ""},
		{[]int64{5}, 0, "5"},
		{[]int64{7, 5, 6, 9, 12, 11}, 0, "5-7,9,11-12"},
		{[]int64{7, 5, 6, 9, 12, 11}, 6, "7,9,11-12"},
		{[]int64{3, 3, 4}, 0, "3-4"},
		{[]int64{1, 2}, 2, ""},
	} {
		got := FormatSkip(c.seqs, c.cursor)
		if got != c.want {
			t.Errorf("FormatSkip(%v, %d) = %q, want %q", c.seqs, c.cursor, got, c.want)
			continue
		}
		ranges, err := ParseSkip(got)
		if err != nil {
			t.Errorf("ParseSkip(%q) = %v", got, err)
		}
		for _, s := range c.seqs {
			if want := s > c.cursor; Skipped(ranges, s) != want {
				t.Errorf("Skipped(ParseSkip(%q), %d) = %t, want %t", got, s, !want, want)
			}
		}
	}
	many := make([]int64, 0, 2*MaxSkipRanges)
	for i := range int64(2 * MaxSkipRanges) {
		many = append(many, 2*i+1) // no two adjacent: one range each
	}
	if ranges, err := ParseSkip(FormatSkip(many, 0)); err != nil || len(ranges) != MaxSkipRanges {
		t.Errorf("FormatSkip of %d ranges keeps %d (%v), want the first %d", len(many), len(ranges), err, MaxSkipRanges)
	}
	for _, bad := range []string{"x", "3-1", "0", "-4", "1,,2", "2-"} {
		if _, err := ParseSkip(bad); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("ParseSkip(%q) = %v, want an invalid error", bad, err)
		}
	}
}

func TestAsSent(t *testing.T) {
	ts := func(w int64) domain.Timestamp { return domain.Timestamp{Wall: w, Node: "dev"} }
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	before := Change{Fields: map[string]json.RawMessage{"name": raw(`"a"`), "boxes": raw(`3`)}, Stamp: ts(1)}
	mu := Mutation{Fields: map[string]json.RawMessage{"name": raw(`"b"`), "boxes": raw(`2`)}, Stamp: ts(2),
		Stamps: map[string]domain.Timestamp{"boxes": ts(0)}} // boxes loses
	for _, c := range []struct {
		name  string
		after Change
		want  bool
	}{
		{"winners applied", Change{Fields: map[string]json.RawMessage{"name": raw(`"b"`), "boxes": raw(` 3`)}, Stamp: ts(1),
			Stamps: map[string]domain.Timestamp{"name": ts(2)}}, true},
		{"loser applied", Change{Fields: map[string]json.RawMessage{"name": raw(`"b"`), "boxes": raw(`2`)}, Stamp: ts(2)}, false},
		{"other stamp", Change{Fields: map[string]json.RawMessage{"name": raw(`"b"`), "boxes": raw(`3`)}, Stamp: ts(1),
			Stamps: map[string]domain.Timestamp{"name": ts(3)}}, false},
		{"field added", Change{Fields: map[string]json.RawMessage{"name": raw(`"b"`), "boxes": raw(`3`), "deleted": raw(`true`)}, Stamp: ts(1),
			Stamps: map[string]domain.Timestamp{"name": ts(2)}}, false},
		{"flag set", Change{Fields: map[string]json.RawMessage{"name": raw(`"b"`), "boxes": raw(`3`)}, Stamp: ts(1),
			Stamps: map[string]domain.Timestamp{"name": ts(2)}, Moved: true}, false},
	} {
		if got := asSent(mu, before, c.after); got != c.want {
			t.Errorf("%s: asSent = %t, want %t", c.name, got, c.want)
		}
	}
}
