package main

import (
	"strings"
	"testing"
)

func TestRegistrationClosedDefault(t *testing.T) {
	tests := []struct {
		flag, addr string
		want       bool
		wantErr    bool
	}{
		{"", "127.0.0.1:8080", false, false},
		{"", "[::1]:8080", false, false},
		{"", "localhost:8080", false, false},
		{"", ":8080", true, false},
		{"", "0.0.0.0:8080", true, false},
		{"", "192.168.1.10:8080", true, false},
		{"open", "0.0.0.0:8080", false, false},
		{"closed", "127.0.0.1:8080", true, false},
		{"maybe", "127.0.0.1:8080", false, true},
	}
	for _, tc := range tests {
		got, err := registrationClosed(tc.flag, tc.addr)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("registrationClosed(%q, %q) = %v, %v; want %v (error %v)", tc.flag, tc.addr, got, err, tc.want, tc.wantErr)
		}
	}
}

// With -registration closed, the register route answers 403 saying how
// accounts are made, and "freezerd users add" makes one that can log in.
func TestBinaryRegistrationClosed(t *testing.T) {
	bin := buildBinary(t)
	db := testDB(t, "data.db")
	d := startDaemon(t, bin, "-addr", "127.0.0.1:0", "-db", db, "-registration", "closed")
	out := mustCall(t, 403, "POST", d.base+"/api/v1/register", `{"email": "anne@example.com", "password": "plum jam tart"}`, jsonCT)
	if !strings.Contains(out, "freezerd users add") {
		t.Errorf("register while closed answered %s, want a sentence naming freezerd users add", out)
	}
	if !strings.Contains(d.log(), "registration=closed") {
		t.Errorf("the start-up log does not say registration is closed:\n%s", d.log())
	}
}
