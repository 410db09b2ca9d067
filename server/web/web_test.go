package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"freezer/domain"
)

// household makes Anne's account (an administrator) with a freezer, an
// overdue product, one due soon and one fine, and her kitchen tablet.
func household(e *env) (anne int64, tablet int64) {
	anne = e.mustAccount("anne@example.com", true)
	f := e.mustFreezer(anne, "Cave", 3)
	today := domain.DateOf(e.now)
	e.mustProduct(anne, f, "Soupe de Noël", 1, today.AddMonths(-7), 6)
	e.mustProduct(anne, f, "Lasagnes", 20, today.AddMonths(-3).AddDays(5), 3)
	e.mustProduct(anne, f, "Petits pois", 43, today, 12)
	return anne, e.mustDevice(anne, "Kitchen tablet")
}

func TestIndexStaysTheOriginals(t *testing.T) {
	e := mustEnv(t, envOptions{})
	req, _ := http.NewRequest(http.MethodGet, e.http.URL+"/", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body["name"] != "freezerd" {
		t.Fatalf("GET / (Accept: text/html) = %d %v (%v), want 200 and the original's JSON", resp.StatusCode, body, err)
	}
}

func TestSignedOutGoesToSignIn(t *testing.T) {
	e := mustEnv(t, envOptions{})
	for _, path := range []string{"/app/", "/app/devices", "/app/account", "/app/admin", "/app/export.csv"} {
		resp, body := e.browser().get(path)
		if resp.Request.URL.Path != "/app/signin" || !strings.Contains(body, `action="/app/signin"`) {
			t.Errorf("GET %s signed out ended at %s, want the sign-in page", path, resp.Request.URL.Path)
		}
	}
}

func TestInventoryMarksOverdue(t *testing.T) {
	e := mustEnv(t, envOptions{})
	household(e)
	b := e.browser()
	b.signIn("anne@example.com")
	_, body := b.get("/app/")
	i := strings.Index(body, `<tr class="row-overdue">`)
	if i < 0 || !strings.Contains(body[i:], "Soupe de Noël") || !strings.Contains(body[i:], `<span class="badge overdue">Overdue</span>`) {
		t.Fatalf("the inventory has no overdue row with its word:\n%s", body)
	}
	if !strings.Contains(body, `<tr class="row-due_soon">`) || !strings.Contains(body, "Petits pois") {
		t.Errorf("the inventory misses the due-soon row or the fine product")
	}
	_, body = b.get("/app/?status=overdue")
	if !strings.Contains(body, "Soupe de Noël") || strings.Contains(body, "Petits pois") || strings.Contains(body, "Lasagnes") {
		t.Errorf("the overdue filter shows more than the overdue product")
	}
}

func TestCSRFRefusedChangesNothing(t *testing.T) {
	e := mustEnv(t, envOptions{})
	anne, tablet := household(e)
	b := e.browser()
	b.signIn("anne@example.com")
	b.get("/app/admin")
	good := b.csrf()
	for _, tt := range []struct {
		name, path string
		form       url.Values
	}{
		{"rename without token", "/app/admin/types/1", url.Values{"en": {"broth"}, "fr": {"bouillon"}}},
		{"rename with another token", "/app/admin/types/1", url.Values{"en": {"broth"}, "fr": {"bouillon"}, "csrf": {good[:len(good)-2] + "xx"}}},
		{"revoke without token", "/app/devices/" + itoa(tablet) + "/revoke", url.Values{}},
		{"add a type without token", "/app/admin/types", url.Values{"en": {"broth"}, "fr": {"bouillon"}}},
		{"sign out without token", "/app/signout", url.Values{}},
		{"delete without token", "/app/account/delete", url.Values{"password": {testPassword}, "confirm": {"yes"}}},
	} {
		resp, body := b.post(tt.path, tt.form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "nothing was changed") {
			t.Errorf("%s: %d, want 403 saying nothing was changed", tt.name, resp.StatusCode)
		}
	}
	types, err := e.store.ListTypes(t0())
	if err != nil {
		t.Fatal(err)
	}
	if types[0].NameEN == "broth" || len(types) != 43 {
		t.Errorf("a refused form changed the types: %v (%d types)", types[0], len(types))
	}
	if got := e.deviceNames(anne); !slices.Contains(got, "Kitchen tablet") {
		t.Errorf("a refused form revoked the tablet: devices %v", got)
	}
	if resp, _ := b.get("/app/"); resp.Request.URL.Path != "/app/" {
		t.Errorf("a refused sign out or delete signed out: at %s", resp.Request.URL.Path)
	}
	// A sign-in posted from elsewhere, without the page's cookie and token.
	resp, _ := e.browser().post("/app/signin", url.Values{"email": {"anne@example.com"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a sign-in without the token: %d, want 403", resp.StatusCode)
	}
}

func TestOneAccountNeverSeesAnother(t *testing.T) {
	e := mustEnv(t, envOptions{})
	household(e)
	bob := e.mustAccount("bob@example.com", false)
	f := e.mustFreezer(bob, "Garage de Bob", 2)
	e.mustProduct(bob, f, "Glace de Bob", 4, domain.DateOf(e.now).AddMonths(-13), 12)
	bobPhone := e.mustDevice(bob, "Bob's phone")

	b := e.browser()
	b.signIn("anne@example.com")
	var seen strings.Builder
	for _, path := range []string{"/app/", "/app/?status=all", "/app/?freezer=" + f.String(), "/app/devices", "/app/account", "/app/export.json", "/app/export.csv"} {
		resp, body := b.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		seen.WriteString(body)
	}
	for _, secret := range []string{"Glace de Bob", "Garage de Bob", "Bob's phone", "bob@example.com"} {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("Anne's pages show Bob's %q", secret)
		}
	}
	if !strings.Contains(seen.String(), "Soupe de Noël") {
		t.Errorf("Anne's pages do not show her own product")
	}
	b.get("/app/devices")
	resp, _ := b.post("/app/devices/"+itoa(bobPhone)+"/revoke", url.Values{"csrf": {b.csrf()}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("Anne revoking Bob's phone: %d, want 404", resp.StatusCode)
	}
	if got := e.deviceNames(bob); !slices.Contains(got, "Bob's phone") {
		t.Errorf("Anne revoked Bob's phone: Bob's devices %v", got)
	}
	// Bob is no administrator: the admin page and its forms refuse him.
	bb := e.browser()
	bb.signIn("bob@example.com")
	if resp, _ := bb.get("/app/admin"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /app/admin as Bob = %d, want 403", resp.StatusCode)
	}
	if resp, _ := bb.post("/app/admin/types/1", url.Values{"csrf": {bb.csrf()}, "en": {"x"}, "fr": {"y"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("renaming a type as Bob = %d, want 403", resp.StatusCode)
	}
}

func TestCookieFlags(t *testing.T) {
	for _, tls := range []bool{false, true} {
		e := mustEnv(t, envOptions{tls: tls})
		e.mustAccount("anne@example.com", false)
		b := e.browser()
		resp, _ := b.get("/app/signin")
		pre := findCookie(resp, "freezer_pre")
		checkFlags(t, "pre-session", pre, tls)
		resp, _ = b.post("/app/signin", url.Values{"csrf": {b.csrf()}, "email": {"anne@example.com"}, "password": {testPassword}})
		var sess *http.Cookie
		for r := resp; r != nil && sess == nil; r = r.Request.Response {
			sess = findCookie(r, "freezer_session")
		}
		checkFlags(t, "session", sess, tls)
		if sess == nil {
			continue
		}
		// Only the session id's hash is in the database.
		var n int
		sum := sha256.Sum256([]byte(sess.Value))
		if err := e.queryRow(`SELECT COUNT(*) FROM web_sessions WHERE id_hash = ?`, hex.EncodeToString(sum[:])).Scan(&n); err != nil || n != 1 {
			t.Errorf("sessions with the id's hash = %d (%v), want 1", n, err)
		}
		if err := e.queryRow(`SELECT COUNT(*) FROM web_sessions WHERE id_hash = ?`, sess.Value).Scan(&n); err != nil || n != 0 {
			t.Errorf("sessions stored with the raw id = %d (%v), want 0", n, err)
		}
	}
}

func findCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func checkFlags(t *testing.T, what string, c *http.Cookie, tls bool) {
	t.Helper()
	if c == nil {
		t.Errorf("no %s cookie set", what)
		return
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tls || c.Path != "/app/" {
		t.Errorf("%s cookie (TLS %v): HttpOnly %v, SameSite %v, Secure %v, Path %q; want HttpOnly, Strict, Secure only over TLS, /app/",
			what, tls, c.HttpOnly, c.SameSite, c.Secure, c.Path)
	}
}

func TestSignOutAndExpiry(t *testing.T) {
	e := mustEnv(t, envOptions{sessionTTL: time.Hour})
	e.mustAccount("anne@example.com", false)
	b := e.browser()
	b.signIn("anne@example.com")
	b.get("/app/")
	resp, body := b.post("/app/signout", url.Values{"csrf": {b.csrf()}})
	if resp.Request.URL.Path != "/app/signin" || !strings.Contains(body, "You are signed out.") {
		t.Fatalf("sign out ended at %s", resp.Request.URL.Path)
	}
	if resp, _ := b.get("/app/"); resp.Request.URL.Path != "/app/signin" {
		t.Errorf("after signing out, GET /app/ ended at %s, want the sign-in page", resp.Request.URL.Path)
	}
	b.signIn("anne@example.com")
	e.now = e.now.Add(time.Hour + time.Second)
	if resp, _ := b.get("/app/"); resp.Request.URL.Path != "/app/signin" {
		t.Errorf("after the session ended, GET /app/ ended at %s, want the sign-in page", resp.Request.URL.Path)
	}
}

func TestSignInRefusals(t *testing.T) {
	e := mustEnv(t, envOptions{})
	e.mustAccount("anne@example.com", false)
	b := e.browser()
	b.get("/app/signin")
	resp, body := b.post("/app/signin", url.Values{"csrf": {b.csrf()}, "email": {"anne@example.com"}, "password": {"wrong password!"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "The email or the password is not right.") {
		t.Fatalf("a wrong password: %d, want 401 and the sentence", resp.StatusCode)
	}
	var last *http.Response
	for range 12 {
		last, _ = b.post("/app/signin", url.Values{"csrf": {b.csrf()}, "email": {"anne@example.com"}, "password": {"wrong password!"}})
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after many wrong passwords: %d, want 429 (the login throttle)", last.StatusCode)
	}
}

func TestLanguage(t *testing.T) {
	e := mustEnv(t, envOptions{})
	req, _ := http.NewRequest(http.MethodGet, e.http.URL+"/app/signin", nil)
	req.Header.Set("Accept-Language", "nl-BE, fr-BE;q=0.9, en;q=0.5")
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if !strings.Contains(body, `<html lang="fr">`) || !strings.Contains(body, "Mot de passe oublié ?") {
		t.Errorf("Accept-Language fr-BE did not give French")
	}
	b := e.browser() // sends Accept-Language: en
	_, body = b.get("/app/lang?to=fr&next=/app/forgot")
	if !strings.Contains(body, `<html lang="fr">`) || !strings.Contains(body, "Il y a deux façons de retrouver l") {
		t.Errorf("the language switch did not give French")
	}
	if resp, _ := b.get("/app/lang?to=fr&next=https://evil.example/"); resp.Request.URL.Host != strings.TrimPrefix(e.http.URL, "http://") {
		t.Errorf("the language switch went to %s", resp.Request.URL)
	}
}

func TestRegistration(t *testing.T) {
	closed := mustEnv(t, envOptions{closed: true})
	b := closed.browser()
	if resp, _ := b.get("/app/register"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /app/register with registration closed = %d, want 403", resp.StatusCode)
	}
	if _, body := b.get("/app/signin"); strings.Contains(body, `href="/app/register"`) {
		t.Errorf("the sign-in page links to registration while it is closed")
	}
	resp, _ := b.post("/app/register", url.Values{"csrf": {b.csrf()}, "email": {"x@example.com"}, "password": {testPassword}, "password2": {testPassword}})
	if _, err := closed.store.FindAccountByEmail(t0(), "x@example.com"); resp.StatusCode != http.StatusForbidden || err == nil {
		t.Errorf("POST /app/register with registration closed = %d (account made: %v), want 403 and none", resp.StatusCode, err == nil)
	}

	open := mustEnv(t, envOptions{})
	b = open.browser()
	b.get("/app/register")
	resp, body := b.post("/app/register", url.Values{"csrf": {b.csrf()}, "email": {"x@example.com"}, "password": {"password12"}, "password2": {"password12"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "most common") {
		t.Errorf("a common password: %d, want 400 with the rule", resp.StatusCode)
	}
	resp, _ = b.post("/app/register", url.Values{"csrf": {b.csrf()}, "email": {"x@example.com"}, "password": {testPassword}, "password2": {testPassword}})
	if resp.Request.URL.Path != "/app/" {
		t.Fatalf("registering ended at %s, want the inventory", resp.Request.URL.Path)
	}
	a, err := open.store.FindAccountByEmail(t0(), "x@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got := open.deviceNames(a.ID); len(got) != 0 {
		t.Errorf("an account made on the page has devices %v, want none", got)
	}
}

func TestPairPage(t *testing.T) {
	e := mustEnv(t, envOptions{})
	resp, body := e.browser().get("/pair/abcd-efgh")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ABCD-EFGH") || !strings.Contains(body, "Join a household") {
		t.Errorf("GET /pair/abcd-efgh = %d, want the steps with the code", resp.StatusCode)
	}
	resp, body = e.browser().get("/pair/%3Cscript%3E")
	if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "<script>") {
		t.Errorf("GET /pair/<script> = %d, want 404 without the text", resp.StatusCode)
	}
}

func TestExport(t *testing.T) {
	e := mustEnv(t, envOptions{})
	household(e)
	b := e.browser()
	b.signIn("anne@example.com")
	resp, body := b.get("/app/export.csv")
	if got := resp.Header.Get("Content-Disposition"); !strings.Contains(got, "attachment") {
		t.Errorf("CSV export Content-Disposition = %q", got)
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 4 || lines[0] != "id,name,description,type_id,type,freezer_id,freezer,freezer_boxes,box,slot,quantity,date_in,period_months,deadline,date_out,outcome" {
		t.Errorf("CSV export = %d lines, header %q", len(lines), lines[0])
	}
	_, body = b.get("/app/export.json")
	var doc struct {
		Format   string
		Products []struct{ Name string }
		Freezers []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.Format != "freezer-inventory" || len(doc.Products) != 3 || len(doc.Freezers) != 1 {
		t.Errorf("JSON export = %+v (%v)", doc, err)
	}
}

func TestDeleteAccount(t *testing.T) {
	e := mustEnv(t, envOptions{})
	anne, _ := household(e)
	b := e.browser()
	b.signIn("anne@example.com")
	b.get("/app/account/delete")
	resp, _ := b.post("/app/account/delete", url.Values{"csrf": {b.csrf()}, "password": {"not the password"}, "confirm": {"yes"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("deleting with a wrong password = %d, want 400", resp.StatusCode)
	}
	if _, err := e.store.FindAccountByEmail(t0(), "anne@example.com"); err != nil {
		t.Fatalf("a refused delete deleted the account: %v", err)
	}
	resp, body := b.post("/app/account/delete", url.Values{"csrf": {b.csrf()}, "password": {testPassword}, "confirm": {"yes"}})
	if resp.Request.URL.Path != "/app/signin" || !strings.Contains(body, "The account is deleted") {
		t.Errorf("deleting ended at %s", resp.Request.URL.Path)
	}
	if _, err := e.store.FindAccountByEmail(t0(), "anne@example.com"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("the account is still there: %v", err)
	}
	var n int
	if err := e.queryRow(`SELECT COUNT(*) FROM web_sessions WHERE account_id = ?`, anne).Scan(&n); err != nil || n != 0 {
		t.Errorf("the deleted account still has %d sessions (%v)", n, err)
	}
}

func TestChangePassword(t *testing.T) {
	e := mustEnv(t, envOptions{})
	e.mustAccount("anne@example.com", false)
	other := e.browser()
	other.signIn("anne@example.com")
	b := e.browser()
	b.signIn("anne@example.com")
	b.get("/app/account")
	const next = "another long password"
	resp, _ := b.post("/app/account/password", url.Values{"csrf": {b.csrf()}, "current": {"wrong one here"}, "new": {next}, "new2": {next}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong current password = %d, want 400", resp.StatusCode)
	}
	resp, body := b.post("/app/account/password", url.Values{"csrf": {b.csrf()}, "current": {testPassword}, "new": {next}, "new2": {next}})
	if resp.Request.URL.Path != "/app/account" || !strings.Contains(body, "Your password is changed") {
		t.Fatalf("changing the password ended at %s", resp.Request.URL.Path)
	}
	if _, err := e.srv.SignIn(t0(), "127.0.0.1", "anne@example.com", next); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	if resp, _ := other.get("/app/"); resp.Request.URL.Path != "/app/signin" {
		t.Errorf("another browser stayed signed in after the password change")
	}
	if resp, _ := b.get("/app/"); resp.Request.URL.Path != "/app/" {
		t.Errorf("the browser that changed the password was signed out")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var sb strings.Builder
	if _, err := io.Copy(&sb, resp.Body); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

var feedURLRE = regexp.MustCompile(`id="feed-url" type="text" readonly value="([^"]+)"`)

func TestCalendarLink(t *testing.T) {
	e := mustEnv(t, envOptions{})
	household(e)
	b := e.browser()
	b.signIn("anne@example.com")
	b.get("/app/account")
	_, body := b.post("/app/feed", url.Values{"csrf": {b.csrf()}})
	m := feedURLRE.FindStringSubmatch(body)
	if m == nil || !strings.HasPrefix(m[1], e.http.URL+"/api/v1/calendar/") {
		t.Fatalf("the account page shows no calendar link:\n%s", body)
	}
	link := html.UnescapeString(m[1])
	resp, ics := b.get(strings.TrimPrefix(link, e.http.URL))
	if resp.StatusCode != http.StatusOK || !strings.Contains(ics, "BEGIN:VCALENDAR") || !strings.Contains(ics, "Soupe de No") {
		t.Fatalf("GET the calendar link = %d:\n%s", resp.StatusCode, ics)
	}
	b.get("/app/account")
	resp, _ = b.post("/app/feed/revoke", url.Values{"csrf": {b.csrf()}})
	if resp.Request.URL.Path != "/app/account" {
		t.Errorf("revoking the link ended at %s", resp.Request.URL.Path)
	}
	if resp, _ := b.get(strings.TrimPrefix(link, e.http.URL)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the revoked calendar link = %d, want 404", resp.StatusCode)
	}
}

func TestFrenchSentences(t *testing.T) {
	e := mustEnv(t, envOptions{})
	e.mustAccount("anne@example.com", false)
	b := e.browser()
	b.get("/app/lang?to=fr&next=/app/register")
	resp, body := b.post("/app/register", url.Values{"csrf": {b.csrf()}, "email": {"x@example.com"}, "password": {"court"}, "password2": {"court"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "au moins 10 caractères") {
		t.Errorf("a short password in French: %d, want 400 and the French rule:\n%s", resp.StatusCode, body)
	}
	b.get("/app/signin")
	resp, body = b.post("/app/signin", url.Values{"csrf": {b.csrf()}, "email": {"anne@example.com"}, "password": {"pas le bon mot"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "mot de passe n&#39;est pas correct") {
		t.Errorf("a wrong password in French: %d, want 401 and the French sentence", resp.StatusCode)
	}
}
