package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"freezer/server"
	"freezer/server/sqlstore"
)

// isAdmin reads whether the account may administer the household page,
// through a session of it (the page reads the flag with the session).
func isAdmin(t *testing.T, db, email string) bool {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a, err := store.FindAccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	_, hash := server.NewToken()
	if err := store.CreateSession(ctx, a.ID, hash, a.Created.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	s, err := store.FindSession(ctx, hash, a.Created)
	if err != nil {
		t.Fatal(err)
	}
	return s.Admin
}

func TestAdminOfThePage(t *testing.T) {
	db := testDB(t, "admin.db")
	if out, err := runAdmin(t, "a long password\n", "users", "add", "-admin", "-email", "anne@example.com", "-db", db); err != nil {
		t.Fatalf("users add -admin = %q, %v", out, err)
	}
	if out, err := runAdmin(t, "another long password\n", "users", "add", "-email", "bob@example.com", "-db", db); err != nil {
		t.Fatalf("users add = %q, %v", out, err)
	}
	if !isAdmin(t, db, "anne@example.com") || isAdmin(t, db, "bob@example.com") {
		t.Fatalf("after users add: Anne admin %v, Bob admin %v; want Anne only", isAdmin(t, db, "anne@example.com"), isAdmin(t, db, "bob@example.com"))
	}
	if out, err := runAdmin(t, "", "users", "admin", "-email", "BOB@example.com", "-db", db); err != nil || !strings.Contains(out, "is an administrator") {
		t.Errorf("users admin = %q, %v", out, err)
	}
	if out, err := runAdmin(t, "", "users", "admin", "-off", "-email", "anne@example.com", "-db", db); err != nil || !strings.Contains(out, "no longer") {
		t.Errorf("users admin -off = %q, %v", out, err)
	}
	if isAdmin(t, db, "anne@example.com") || !isAdmin(t, db, "bob@example.com") {
		t.Errorf("after users admin: Anne admin %v, Bob %v; want Bob only", isAdmin(t, db, "anne@example.com"), isAdmin(t, db, "bob@example.com"))
	}
	if _, err := runAdmin(t, "", "users", "admin", "-email", "nobody@example.com", "-db", db); err == nil {
		t.Errorf("users admin of an unknown email: no error")
	}
}

func TestUsersPassword(t *testing.T) {
	db := testDB(t, "admin.db")
	if out, err := runAdmin(t, "a long password\n", "users", "add", "-email", "anne@example.com", "-db", db); err != nil {
		t.Fatalf("users add = %q, %v", out, err)
	}
	if _, err := runAdmin(t, "short\n", "users", "password", "-email", "anne@example.com", "-db", db); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("users password with a short one: %v, want the rule", err)
	}
	if _, err := runAdmin(t, "a new long password\n", "users", "password", "-email", "nobody@example.com", "-db", db); err == nil {
		t.Errorf("users password of an unknown email: no error")
	}
	if out, err := runAdmin(t, "a new long password\n", "users", "password", "-email", "anne@example.com", "-db", db); err != nil || !strings.Contains(out, "new password") {
		t.Fatalf("users password = %q, %v", out, err)
	}
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv := server.New(server.Config{Store: store})
	if _, err := srv.SignIn(ctx, "127.0.0.1", "anne@example.com", "a new long password"); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	if _, err := srv.SignIn(ctx, "127.0.0.1", "anne@example.com", "a long password"); err == nil {
		t.Errorf("the old password still signs in")
	}
}

// TestBinaryServesThePage: freezerd serves the household page under
// /app/ and keeps GET / as the original answered it.
func TestBinaryServesThePage(t *testing.T) {
	bin := buildBinary(t)
	d := startDaemon(t, bin, "-addr", "127.0.0.1:0", "-db", testDB(t, "page.db"))
	defer d.stop(t)
	status, body := call(t, http.MethodGet, d.base+"/", "")
	if status != http.StatusOK || !strings.Contains(body, `"freezerd"`) {
		t.Errorf("GET / = %d %q, want the original's JSON", status, body)
	}
	status, body = call(t, http.MethodGet, d.base+"/app/signin", "", "Accept-Language: fr-BE")
	if status != http.StatusOK || !strings.Contains(body, `<html lang="fr">`) || !strings.Contains(body, `name="csrf"`) {
		t.Errorf("GET /app/signin = %d, want the French sign-in form:\n%s", status, body)
	}
	if status, _ := call(t, http.MethodPost, d.base+"/app/signin", "email=a&password=b", "Content-Type: application/x-www-form-urlencoded"); status != http.StatusForbidden {
		t.Errorf("POST /app/signin without the CSRF token = %d, want 403", status)
	}
}
