package main

import (
	"io"
	"strings"
	"testing"

	"freezer/server"
)

// TestCacheFlag: -cache-mb sets the compat cache's bound in megabytes; 0
// turns the cache off (server.Config reads a negative bound so), and a
// negative size is refused.
func TestCacheFlag(t *testing.T) {
	tests := []struct {
		args    []string
		want    int64
		wantErr string
	}{
		{nil, server.DefaultCacheBytes, ""},
		{[]string{"-cache-mb", "8"}, 8 << 20, ""},
		{[]string{"-cache-mb", "0"}, -1, ""},
		{[]string{"-cache-mb", "-3"}, 0, "-cache-mb -3 is negative: give a size in megabytes, or 0 to turn the cache off"},
	}
	for _, tc := range tests {
		o, err := parseServeFlags(tc.args, io.Discard)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseServeFlags(%q) error = %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil || o.cacheBytes != tc.want {
			t.Errorf("parseServeFlags(%q) cacheBytes = %d, %v; want %d", tc.args, o.cacheBytes, err, tc.want)
		}
	}
}
