package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const devToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// apiServer answers each "METHOD /path" with handle; it fails the test
// on any other request and on a missing bearer token where one is due.
func apiServer(t *testing.T, handle map[string]func(w http.ResponseWriter, body map[string]any)) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := handle[r.Method+" "+r.URL.Path]
		if !ok {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		if r.URL.Path != pairPath && r.URL.Path != "/api/v1/login" && r.Header.Get("Authorization") != "Bearer "+devToken {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		var body map[string]any
		if raw, _ := io.ReadAll(r.Body); len(raw) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Errorf("%s %s: body %q: %v", r.Method, r.URL.Path, raw, err)
			}
		}
		h(w, body)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func problemReply(w http.ResponseWriter, status int, code, field, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "code": code, "field": field, "detail": detail})
}

func TestRenameDeviceAndCalendarFeed(t *testing.T) {
	ctx := context.Background()
	url := apiServer(t, map[string]func(http.ResponseWriter, map[string]any){
		"PATCH /api/v1/devices/7": func(w http.ResponseWriter, body map[string]any) {
			if body["name"] != "Tablette cuisine" {
				t.Errorf("rename body = %v", body)
			}
			w.WriteHeader(http.StatusNoContent)
		},
		"PATCH /api/v1/devices/8": func(w http.ResponseWriter, _ map[string]any) {
			problemReply(w, 404, "not_found", "", "There is no device 8 in this household: list the devices again.")
		},
		"GET /api/v1/feed": func(w http.ResponseWriter, _ map[string]any) {
			_, _ = io.WriteString(w, `{"key":"k","calendar_url":"https://f.example/api/v1/calendar/k.ics","summary_url":"https://f.example/api/v1/summary/k","alarm_days":7,"lang":"fr"}`)
		},
		"GET /api/v1/devices": func(w http.ResponseWriter, _ map[string]any) {
			problemReply(w, 401, codeDeviceRemoved, "", "This device was removed from the household.")
		},
	})
	if err := RenameDevice(ctx, nil, url, devToken, 7, "Tablette cuisine"); err != nil {
		t.Fatalf("RenameDevice() error = %v", err)
	}
	var e *Error
	if err := RenameDevice(ctx, nil, url, devToken, 8, "x"); !errors.As(err, &e) || e.Status != 404 || !strings.HasPrefix(e.Message, "There is no device 8") {
		t.Fatalf("RenameDevice() of a gone device = %v, want the server's sentence", err)
	}
	f, err := CalendarFeed(ctx, nil, url, devToken)
	if err != nil || f.CalendarURL != "https://f.example/api/v1/calendar/k.ics" || f.SummaryURL != "https://f.example/api/v1/summary/k" || f.AlarmDays != 7 {
		t.Fatalf("CalendarFeed() = %+v, %v", f, err)
	}
	_, err = Devices(ctx, nil, url, devToken)
	if !errors.Is(err, ErrDeviceRemoved) || !errors.As(err, &e) || e.Kind != KindRemoved || e.Message != "This device was removed from the household." {
		t.Fatalf("Devices() of a removed device = %v, want ErrDeviceRemoved with the server's words", err)
	}
}

func TestPairErrors(t *testing.T) {
	ctx := context.Background()
	url := apiServer(t, map[string]func(http.ResponseWriter, map[string]any){
		"POST /api/v1/pair": func(w http.ResponseWriter, body map[string]any) {
			switch body["code"] {
			case "WRONG":
				problemReply(w, 400, "invalid", "code", "This pairing code does not work.")
			case "FULL":
				problemReply(w, 409, "conflict", "device", `remove "Old phone" first`)
			case "BUSY":
				w.Header().Set("Retry-After", "8")
				problemReply(w, 429, "rate_limited", "", "Too many wrong pairing codes from your address.")
			default:
				if body["device"] != "Kitchen tablet" || body["app_version"] != "1.0" {
					t.Errorf("pair body = %v", body)
				}
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, `{"token":"`+devToken+`"}`)
			}
		},
	})
	if tok, err := Pair(ctx, nil, url, "ABCD-EFGH", "Kitchen tablet", "1.0"); err != nil || tok != devToken {
		t.Fatalf("Pair() = %q, %v", tok, err)
	}
	for _, c := range []struct {
		code, kind string
		status     int
	}{{"WRONG", KindPairCode, 400}, {"FULL", KindTooManyDevices, 409}, {"BUSY", KindBusy, 429}} {
		_, err := Pair(ctx, nil, url, c.code, "Kitchen tablet", "1.0")
		var e *Error
		if !errors.As(err, &e) || e.Kind != c.kind || e.Status != c.status || e.Message == "" {
			t.Errorf("Pair(%s) = %v, want kind %s", c.code, err, c.kind)
		}
		if c.code == "BUSY" && e.RetryAfter.Seconds() != 8 {
			t.Errorf("Pair(BUSY) retry after = %v, want 8s", e.RetryAfter)
		}
	}
	if _, err := Pair(ctx, nil, "", "ABCD-EFGH", "", ""); err == nil {
		t.Error("Pair() without a server: no error")
	}
	old := apiServer(t, map[string]func(http.ResponseWriter, map[string]any){
		"POST /api/v1/pair": func(w http.ResponseWriter, _ map[string]any) {
			problemReply(w, 404, "not_found", "", "There is no such route: see /api/v1/openapi.json.")
		},
	})
	if _, err := Pair(ctx, nil, old, "ABCD-EFGH", "", ""); err == nil || !strings.Contains(err.Error(), "needs to update freezerd") {
		t.Errorf("Pair() on an older server = %v, want it to say so", err)
	}
}

func TestParsePairLink(t *testing.T) {
	for _, c := range []struct{ in, server, code string }{
		{"https://freezer.example/pair/ABCD-EFGH", "https://freezer.example", "ABCD-EFGH"},
		{" http://192.168.1.5:8080/pair/abcdefgh ", "http://192.168.1.5:8080", "abcdefgh"},
		{"https://example.org/freezer/pair/ABCD-EFGH", "https://example.org/freezer", "ABCD-EFGH"},
	} {
		server, code, err := ParsePairLink(c.in)
		if err != nil || server != c.server || code != c.code {
			t.Errorf("ParsePairLink(%q) = %q, %q, %v; want %q, %q", c.in, server, code, err, c.server, c.code)
		}
	}
	for _, bad := range []string{"ABCD-EFGH", "ftp://x/pair/ABCD", "https://x/pair/", "https://x/other/ABCD", "https:///pair/ABCD", "https://x/pair/A/B"} {
		if _, _, err := ParsePairLink(bad); err == nil {
			t.Errorf("ParsePairLink(%q): no error", bad)
		}
	}
}

func TestLoginDevice(t *testing.T) {
	ctx := context.Background()
	var bodies []map[string]any
	old := apiServer(t, map[string]func(http.ResponseWriter, map[string]any){
		"POST /api/v1/login": func(w http.ResponseWriter, body map[string]any) {
			bodies = append(bodies, body)
			if _, named := body["device"]; named {
				problemReply(w, 400, "invalid", "", `The body is not valid JSON for this route: unknown field "device".`)
				return
			}
			_, _ = io.WriteString(w, `{"token":"`+devToken+`"}`)
		},
	})
	if tok, err := LoginDevice(ctx, nil, old, "a@example.com", "pw", "Laptop", "1.0"); err != nil || tok != devToken || len(bodies) != 2 {
		t.Fatalf("LoginDevice() on a server without devices = %q, %v after %d tries; want the token after 2", tok, err, len(bodies))
	}
	if bodies[0]["device"] != "Laptop" || bodies[0]["app_version"] != "1.0" || bodies[1]["email"] != "a@example.com" {
		t.Fatalf("login bodies = %v", bodies)
	}
	full := apiServer(t, map[string]func(http.ResponseWriter, map[string]any){
		"POST /api/v1/login": func(w http.ResponseWriter, _ map[string]any) {
			problemReply(w, 409, "conflict", "device", `This household already has 32 devices signed in: remove "Old phone" first.`)
		},
	})
	_, err := LoginDevice(ctx, nil, full, "a@example.com", "pw", "", "")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTooManyDevices || !strings.Contains(e.Message, "Old phone") {
		t.Fatalf("LoginDevice() at the bound = %v, want the device named", err)
	}
}
