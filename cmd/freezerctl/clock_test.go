package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"freezer/domain"
	"freezer/storage"
)

const day = 24 * time.Hour

// TestClockOffset: FREEZER_CLOCK_OFFSET and -clock-offset shift the
// store's clock: "today" (a product's default date in) and the change
// stamps both move; the run says so on stderr.
func TestClockOffset(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	tests := []struct {
		name   string
		env    string
		args   []string
		offset time.Duration
		says   string
	}{
		{"env", "+400d", nil, 400 * day, "the clock is shifted by +400d (FREEZER_CLOCK_OFFSET)"},
		{"flag over env", "+400d", []string{"-clock-offset", "-3d"}, -3 * day, "the clock is shifted by -3d (-clock-offset)"},
		{"hours", "+1h30m", nil, 90 * time.Minute, "the clock is shifted by +1h30m0s (FREEZER_CLOCK_OFFSET)"},
		{"none", "", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A database of its own: the clock never goes back past its
			// last stamp.
			db := filepath.Join(t.TempDir(), "a.db")
			t.Setenv(domain.EnvClockOffset, tt.env)
			mustCtl(t, append(append([]string{"-db", db}, tt.args...), "freezer", "add", "-name", "garage", "-boxes", "1")...)
			before := time.Now().Add(tt.offset)
			args := append(append([]string{"-db", db}, tt.args...), "product", "add", "-freezer", "garage", "-box", "1",
				"-name", "soup "+tt.name, "-type", "1", "-period", "6")
			code, out, errs := ctl(t, "", args...)
			after := time.Now().Add(tt.offset)
			if code != 0 {
				t.Fatalf("product add: exit %d, %s", code, errs)
			}
			if tt.says == "" && errs != "" || !strings.Contains(errs, tt.says) {
				t.Errorf("stderr = %q, want %q", errs, tt.says)
			}
			p := findProductJSON(t, db, strings.TrimSpace(out))
			if p.DateIn != domain.DateOf(before).String() && p.DateIn != domain.DateOf(after).String() {
				t.Errorf("date in = %s, want %s (today shifted by %v)", p.DateIn, domain.DateOf(before), tt.offset)
			}
			stamps := outboxStamps(t, db)
			if len(stamps) != 2 { // the freezer, then the product
				t.Fatalf("outbox holds %d mutations, want 2", len(stamps))
			}
			if wall := time.UnixMilli(stamps[1].Wall); wall.Before(before.Add(-time.Second)) || wall.After(after.Add(time.Second)) {
				t.Errorf("the product's stamp is at %s, want between %s and %s", wall.UTC(), before.UTC(), after.UTC())
			}
		})
	}
	db := filepath.Join(t.TempDir(), "b.db")
	for _, tt := range []struct{ env, flag, want string }{
		{"soon", "", `freezerctl: FREEZER_CLOCK_OFFSET: "soon" is not a clock offset: write it like +400d`},
		{"", "400", `freezerctl: -clock-offset: "400" is not a clock offset`},
		{"+99999d", "", `FREEZER_CLOCK_OFFSET: "+99999d" is more than a century`},
	} {
		t.Setenv(domain.EnvClockOffset, tt.env)
		args := []string{"-db", db, "list"}
		if tt.flag != "" {
			args = append([]string{"-clock-offset", tt.flag}, args...)
		}
		code, out, errs := ctl(t, "", args...)
		if code != 2 || out != "" || !strings.Contains(errs, tt.want) || !strings.Contains(errs, "+400d") {
			t.Errorf("freezerctl %v with %s=%q: exit %d, stderr %q; want exit 2 and %q", args, domain.EnvClockOffset, tt.env, code, errs, tt.want)
		}
	}
}

// outboxStamps returns the latest stamp of each queued mutation, oldest
// mutation first.
func outboxStamps(t *testing.T, path string) []domain.Timestamp {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	batch, err := db.OutboxBatch(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Timestamp
	for _, m := range batch {
		var last domain.Timestamp
		for _, s := range m.Stamps {
			if s.After(last) {
				last = s
			}
		}
		out = append(out, last)
	}
	return out
}

// TestClockSkewAgainstServer: a device 400 days ahead syncs with freezerd;
// the server's clock wins, and status -json shows the correction the
// device measured.
func TestClockSkewAgainstServer(t *testing.T) {
	t.Setenv("FREEZER_TOKEN_STORE", "file")
	h, token := mustRealServer(t)
	ts := httptest.NewServer(h)
	defer ts.Close()
	db := filepath.Join(t.TempDir(), "a.db")
	t.Setenv(domain.EnvClockOffset, "+400d")
	// Dated by the server's calendar: a date in the server's future is
	// refused (see TestClockOffset for the shifted default).
	today := domain.DateOf(time.Now()).String()
	mustCtl(t, "-db", db, "freezer", "add", "-name", "garage", "-boxes", "1")
	mustCtl(t, "-db", db, "product", "add", "-freezer", "garage", "-box", "1", "-name", "soup", "-type", "1", "-period", "6", "-in", today)
	code, got, errs := syncJSONRun(t, db, "-server", ts.URL, "-token", token)
	if code != 0 || got.Pushed == 0 {
		t.Fatalf("sync 400 days ahead: exit %d, %+v, stderr %q", code, got, errs)
	}
	var st tStatus
	decode(t, mustCtl(t, "-db", db, "status", "-json"), &st, statusKeys)
	want := (-400 * day).Milliseconds()
	if st.ClockOffset != "+400d" || st.ServerCorrectionMS > want+60_000 || st.ServerCorrectionMS < want-60_000 {
		t.Fatalf("status -json: clock_offset %q, server_correction_ms %d; want +400d and about %d", st.ClockOffset, st.ServerCorrectionMS, want)
	}
}
