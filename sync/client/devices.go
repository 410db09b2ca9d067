package client

// The household's devices, pairing and calendar feed: one call each,
// outside of sync rounds (the desktop app's Settings → Devices, the first
// start's "Join a household", freezerctl pair and devices).

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"freezer/domain"
	"freezer/sync/protocol"
)

// More kinds of failure, for the calls of this file.
const (
	// KindRemoved: this device was removed from its household (its token
	// revoked). Its data stays; it joins again with a pairing code.
	KindRemoved = "device_removed"
	// KindPairCode: the pairing code is wrong, used or expired (the server
	// does not say which), or not the shape of a code.
	KindPairCode = "pair_code"
	// KindTooManyDevices: the household is at its bound of devices; the
	// message names the device to remove first.
	KindTooManyDevices = "too_many_devices"
)

// ErrDeviceRemoved is matched (errors.Is) by the error of any call or
// sync round the server answered with device_removed: this device was
// removed from its household.
var ErrDeviceRemoved = errors.New("this device was removed from the household")

// codeDeviceRemoved is the server's problem code for a removed device.
const codeDeviceRemoved = "device_removed"

// msgDeviceRemoved is said when the server's answer has no words.
const msgDeviceRemoved = "This device was removed from the household. Its data stays on it. To join again, make a pairing code on a signed-in device and choose Join a household."

// Routes.
const (
	pairPath    = "/api/v1/pair"
	pairingPath = "/api/v1/pairing"
	devicesPath = "/api/v1/devices"
	feedPath    = "/api/v1/feed"
)

// Device is a device signed in to the household.
type Device struct {
	ID         int64
	Name       string
	AppVersion string
	Created    time.Time
	LastSync   time.Time // zero: never synced
	Current    bool      // the device making the call
}

// PairingCode is a one-time code for a new device: Code as shown
// (ABCD-EFGH), Link what its QR code holds.
type PairingCode struct {
	Code, Link string
	Expires    time.Time
}

// Feed is the household's calendar feed: the calendar (iCalendar) and
// summary (JSON) addresses, and the days before a deadline its alarms
// fire.
type Feed struct {
	CalendarURL, SummaryURL string
	AlarmDays               int
}

// call is one request of this file's API to server.
type call struct {
	c  *Client
	rc *resty.Client
}

func newCall(hc *http.Client, server string) call {
	if hc == nil {
		hc = &http.Client{}
	}
	c := &Client{cfg: Config{Server: strings.TrimRight(server, "/")}.withDefaults()}
	rc := resty.NewWithClient(hc).SetTimeout(DefaultTimeout).SetHeader("Accept", "application/json")
	rc.SetLogger(quietLogger{})
	return call{c: c, rc: rc}
}

// do sends the request and turns a failure into an *Error: the server's
// own sentence for the answers it explains (400, 404, 409), the usual
// ones (check) for the rest.
func (k call) do(ctx context.Context, method, path, token string, body, out any) error {
	req := k.rc.R().SetContext(ctx)
	if token != "" {
		req.SetAuthToken(token)
	}
	if body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	resp, err := req.Execute(method, k.c.cfg.Server+path)
	if err == nil && resp.StatusCode() >= 400 {
		var er protocol.ErrorResponse
		_ = json.Unmarshal(resp.Body(), &er)
		switch s := resp.StatusCode(); {
		case s == http.StatusNotFound && er.Code == domain.ENotFound && strings.HasPrefix(er.Detail, "There is no such route"):
			return &Error{Code: domain.EInvalid, Kind: KindRefused, Status: s,
				Message: "This server does not offer devices and pairing yet: its administrator needs to update freezerd."}
		case (s == http.StatusBadRequest || s == http.StatusNotFound || s == http.StatusConflict) && er.Detail != "":
			kind := KindRefused
			if s == http.StatusConflict && er.Field == "device" {
				kind = KindTooManyDevices
			}
			return &Error{Code: cmp.Or(er.Code, domain.EInvalid), Kind: kind, Status: s, Message: er.Detail}
		case s == http.StatusTooManyRequests && er.Detail != "":
			return &Error{Code: domain.ERateLimited, Kind: KindBusy, Status: s, Message: er.Detail,
				RetryAfter: retryAfter(resp.Header().Get("Retry-After"), k.c.cfg.Now())}
		}
	}
	if err := k.c.check(resp, err); err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body(), out); err != nil {
			return &Error{Code: domain.EInvalid, Kind: KindNotSync, Message: "The server's answer could not be read: check the server's address."}
		}
	}
	return nil
}

// Pair redeems a pairing code (in any case, with or without its dash) for
// a token of this device's own, named deviceName ("" lets the server name
// it). Nobody types a password.
func Pair(ctx context.Context, hc *http.Client, server, code, deviceName, appVersion string) (string, error) {
	if strings.TrimSpace(server) == "" {
		return "", &Error{Code: domain.EInvalid, Kind: KindNoServer, Message: "Give the server's address, like https://freezer.example."}
	}
	var out protocol.TokenResponse
	err := newCall(hc, server).do(ctx, http.MethodPost, pairPath, "",
		map[string]string{"code": code, "device": deviceName, "app_version": appVersion}, &out)
	var e *Error
	if errors.As(err, &e) && e.Status == http.StatusBadRequest {
		e.Kind = KindPairCode
	}
	if err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", &Error{Code: domain.EInvalid, Kind: KindNotSync, Message: "The server's answer to the pairing has no token: check the server's address."}
	}
	return out.Token, nil
}

// ParsePairLink reads a pairing link (<server>/pair/<code>, what the QR
// code holds) into the server's address and the code.
func ParsePairLink(s string) (server, code string, err error) {
	s = strings.TrimSpace(s)
	u, perr := url.Parse(s)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("%q is not a pairing link: a link looks like https://freezer.example/pair/ABCD-EFGH", s)
	}
	prefix, code, ok := strings.Cut(u.Path, "/pair/")
	if !ok || code == "" || strings.Contains(code, "/") {
		return "", "", fmt.Errorf("%q is not a pairing link: a link looks like https://freezer.example/pair/ABCD-EFGH", s)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(prefix, "/"), code, nil
}

// deviceJSON is a device on the wire.
type deviceJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Created    time.Time  `json:"created"`
	LastSync   *time.Time `json:"last_sync"`
	AppVersion string     `json:"app_version"`
	Current    bool       `json:"current"`
}

// Devices lists the household's devices, oldest first.
func Devices(ctx context.Context, hc *http.Client, server, token string) ([]Device, error) {
	var list []deviceJSON
	if err := newCall(hc, server).do(ctx, http.MethodGet, devicesPath, token, nil, &list); err != nil {
		return nil, err
	}
	out := make([]Device, len(list))
	for i, d := range list {
		out[i] = Device{ID: d.ID, Name: d.Name, AppVersion: d.AppVersion, Created: d.Created, Current: d.Current}
		if d.LastSync != nil {
			out[i].LastSync = *d.LastSync
		}
	}
	return out, nil
}

// RevokeDevice removes another device from the household: its next sync
// tells it so; its data stays on it.
func RevokeDevice(ctx context.Context, hc *http.Client, server, token string, id int64) error {
	return newCall(hc, server).do(ctx, http.MethodDelete, devicesPath+"/"+strconv.FormatInt(id, 10), token, nil, nil)
}

// RenameDevice renames a device of the household.
func RenameDevice(ctx context.Context, hc *http.Client, server, token string, id int64, name string) error {
	return newCall(hc, server).do(ctx, http.MethodPatch, devicesPath+"/"+strconv.FormatInt(id, 10), token, map[string]string{"name": name}, nil)
}

// NewPairingCode asks the server for a pairing code for a new device.
func NewPairingCode(ctx context.Context, hc *http.Client, server, token string) (PairingCode, error) {
	var out struct {
		Code    string    `json:"code"`
		Link    string    `json:"link"`
		Expires time.Time `json:"expires"`
	}
	if err := newCall(hc, server).do(ctx, http.MethodPost, pairingPath, token, nil, &out); err != nil {
		return PairingCode{}, err
	}
	return PairingCode{Code: out.Code, Link: out.Link, Expires: out.Expires}, nil
}

// CalendarFeed returns the household's calendar feed (the server makes it
// at the first call).
func CalendarFeed(ctx context.Context, hc *http.Client, server, token string) (Feed, error) {
	var out struct {
		CalendarURL string `json:"calendar_url"`
		SummaryURL  string `json:"summary_url"`
		AlarmDays   int    `json:"alarm_days"`
	}
	if err := newCall(hc, server).do(ctx, http.MethodGet, feedPath, token, nil, &out); err != nil {
		return Feed{}, err
	}
	return Feed{CalendarURL: out.CalendarURL, SummaryURL: out.SummaryURL, AlarmDays: out.AlarmDays}, nil
}
