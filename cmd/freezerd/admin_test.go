package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// admin runs one admin command and returns its output.
func runAdmin(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

func TestAdminCommands(t *testing.T) {
	db := testDB(t, "admin.db")
	out, err := runAdmin(t, "a long password\n", "users", "add", "-email", "anne@example.com", "-db", db)
	if err != nil || len(strings.TrimSpace(out)) != 64 {
		t.Fatalf("users add = %q, %v", out, err)
	}
	if out, err := runAdmin(t, "another password\n", "users", "add", "-email", "ANNE@example.com", "-db", db); err == nil {
		t.Errorf("users add of a taken email = %q, want an error", out)
	}
	if out, err := runAdmin(t, "short\n", "users", "add", "-email", "bob@example.com", "-db", db); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("users add with a short password = %q, %v", out, err)
	}
	if _, err := runAdmin(t, "", "users", "add", "-db", db); err == nil {
		t.Errorf("users add without -email: no error")
	}
	out, err = runAdmin(t, "", "users", "list", "-db", db)
	if err != nil || !strings.Contains(out, "anne@example.com") || strings.Contains(out, "bob@") {
		t.Errorf("users list = %q, %v", out, err)
	}
	if strings.Contains(out, "a long password") {
		t.Errorf("users list shows the password")
	}
	out, err = runAdmin(t, "", "users", "reset-token", "-email", "Anne@Example.com", "-db", db)
	if err != nil || len(strings.TrimSpace(out)) != 64 {
		t.Errorf("users reset-token = %q, %v", out, err)
	}
	out, err = runAdmin(t, "", "types", "list", "-db", db)
	if err != nil || !strings.Contains(out, "vegetable") || strings.Count(out, "\n") != 44 {
		t.Errorf("types list = %q, %v (want a header and 43 types)", out, err)
	}
	out, err = runAdmin(t, "", "types", "add", "-en", "smoothies", "-fr", "smoothies", "-db", db)
	if err != nil || !strings.HasPrefix(out, "44\tsmoothies") {
		t.Errorf("types add = %q, %v", out, err)
	}
	out, err = runAdmin(t, "", "types", "rename", "44", "-en", "smoothie", "-fr", "smoothie", "-db", db)
	if err != nil || !strings.HasPrefix(out, "44\tsmoothie\t") {
		t.Errorf("types rename = %q, %v", out, err)
	}
	if _, err := runAdmin(t, "", "types", "rename", "99", "-en", "x", "-fr", "x", "-db", db); err == nil {
		t.Errorf("types rename of an unknown type: no error")
	}
	if _, err := runAdmin(t, "", "types", "add", "-en", "", "-fr", "x", "-db", db); err == nil {
		t.Errorf("types add without an English name: no error")
	}
	out, err = runAdmin(t, "", "users", "delete", "-email", "anne@example.com", "-db", db)
	if err != nil || !strings.Contains(out, "deleted") {
		t.Errorf("users delete = %q, %v", out, err)
	}
	if out, _ := runAdmin(t, "", "users", "list", "-db", db); strings.Contains(out, "anne") {
		t.Errorf("after delete, users list = %q", out)
	}
	if _, err := runAdmin(t, "", "users", "frobnicate", "-db", db); err == nil {
		t.Errorf("unknown subcommand: no error")
	}
}
