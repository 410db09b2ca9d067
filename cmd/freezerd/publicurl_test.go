package main

import (
	"io"
	"strings"
	"testing"
)

// TestPublicURLFlag: -public-url takes an http(s) address; anything else
// is refused before the server starts.
func TestPublicURLFlag(t *testing.T) {
	o, err := parseServeFlags([]string{"-public-url", "https://freezer.example/"}, io.Discard)
	if err != nil || o.publicURL != "https://freezer.example/" {
		t.Fatalf("parseServeFlags(-public-url https://freezer.example/) = %q, %v", o.publicURL, err)
	}
	for _, bad := range []string{"freezer.example", "ftp://freezer.example", "https://"} {
		if _, err := parseServeFlags([]string{"-public-url", bad}, io.Discard); err == nil || !strings.Contains(err.Error(), "-public-url") {
			t.Errorf("parseServeFlags(-public-url %s) = %v, want an error naming the flag", bad, err)
		}
	}
}
