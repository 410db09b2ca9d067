package client

// Sync failures: transport errors and error statuses become an *Error
// with a kind and a sentence a person can act on.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"freezer/domain"
	"freezer/sync/protocol"
)

// Kinds of sync failure. A program (the desktop app) shows its own
// translated sentence for each; Message is the English one.
const (
	KindOffline       = "offline"        // the server cannot be reached
	KindTimeout       = "timeout"        // the server did not answer in time
	KindWrongPassword = "wrong_password" // sign-in refused
	KindToken         = "token"          // the token was refused: sign in again
	KindBusy          = "busy"           // too many requests
	KindServer        = "server"         // the server had a problem (5xx)
	KindNotSync       = "not_sync"       // the address is not a Freezer server
	KindNoServer      = "no_server"      // no server is set up
	KindIdentity      = "identity"       // the server's database keeps changing identity
	KindUpdate        = "update"         // this app is too old for the server, or cannot read what it sent: update the app
	KindRetry         = "retry"          // the answer was cut or acknowledged nothing
	KindRefused       = "refused"        // the server refused the request (other 4xx)
)

// Error is a sync failure with a sentence a person can act on.
type Error struct {
	Code       string // a domain error code
	Kind       string // one of the Kind constants
	Message    string
	Status     int           // HTTP status, 0 when no answer came
	RetryAfter time.Duration // the server asked to wait this long (429, 503)
	err        error
}

func (e *Error) Error() string { return e.Message }

// Unwrap gives the domain error (so domain.ErrorCode and ErrorMessage work)
// and the transport's error, when there is one.
func (e *Error) Unwrap() []error {
	errs := []error{&domain.Error{Code: e.Code, Message: e.Message}}
	if e.Kind == KindRemoved {
		errs = append(errs, ErrDeviceRemoved)
	}
	if e.err != nil {
		errs = append(errs, e.err)
	}
	return errs
}

// Offline reports whether err means the server could not be reached.
func Offline(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == domain.EUnavailable && e.Status == 0
}

// check turns a transport failure or an error status into an *Error.
func (c *Client) check(resp *resty.Response, err error) error {
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		host := c.cfg.Server
		if u, perr := url.Parse(c.cfg.Server); perr == nil && u.Host != "" {
			host = u.Host
		}
		e := &Error{Code: domain.EUnavailable, Kind: KindOffline, err: err,
			Message: fmt.Sprintf("The server %s cannot be reached: check the network connection; the app will retry.", host)}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			e.Kind, e.Message = KindTimeout, fmt.Sprintf("The server %s did not answer in time; the app will retry.", host)
		}
		return e
	}
	status := resp.StatusCode()
	if status >= 200 && status < 300 {
		return nil
	}
	var er protocol.ErrorResponse
	_ = json.Unmarshal(resp.Body(), &er)
	e := &Error{Status: status, RetryAfter: retryAfter(resp.Header().Get("Retry-After"), c.cfg.Now())}
	switch {
	case status == http.StatusUnauthorized && er.Code == codeDeviceRemoved:
		// Revoked on another device: the words say so and how to join
		// again; the outbox and the local data stay.
		e.Code, e.Kind, e.Message = domain.EUnauthorized, KindRemoved, cmp.Or(er.Detail, msgDeviceRemoved)
	case status == http.StatusUnauthorized:
		e.Code, e.Kind, e.Message = domain.EUnauthorized, KindToken, "The server refused this device's token: sign in again."
	case status == http.StatusTooManyRequests:
		e.Code, e.Kind, e.Message = domain.ERateLimited, KindBusy, "The server is busy with too many requests; the app will retry later."
	case status >= 500:
		e.Code, e.Kind, e.Message = domain.EUnavailable, KindServer, fmt.Sprintf("The server had a problem (status %d); the app will retry.", status)
	case status == http.StatusNotFound:
		e.Code, e.Kind, e.Message = domain.EInvalid, KindNotSync, "This server does not offer sync: check the server's address."
	case status == http.StatusUpgradeRequired || er.Code == protocol.CodeUpdate:
		// The server no longer serves this app's protocol version. Nothing
		// was acknowledged: the outbox keeps every change until the update.
		e.Code, e.Kind = domain.EInvalid, KindUpdate
		e.Message = cmp.Or(er.Detail, "This app is too old for the server: update the app. Changes made on this device are kept and sent once it is updated.")
	default:
		e.Code, e.Kind = domain.EInvalid, KindRefused
		e.Message = "The server refused the request"
		if er.Detail != "" {
			e.Message += ": " + er.Detail
		}
		if !strings.HasSuffix(e.Message, ".") {
			e.Message += "."
		}
		e.Message += " Update the app if this keeps happening."
	}
	return e
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}
