package app

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"freezer/sync/client"
	"freezer/ui"
)

// Pair implements ui.Sync: it redeems a pairing code (or, with server "",
// the pairing link in code) for a token of this device's own, keeps it as
// a sign-in does and points the syncer at the server. No password is
// involved.
func (s *Sync) Pair(ctx context.Context, server, code, deviceName string) error {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	code = strings.TrimSpace(code)
	if server == "" {
		var err error
		if server, code, err = client.ParsePairLink(code); err != nil {
			return &ui.SyncErr{Kind: ui.SyncErrPairCode, Message: err.Error()}
		}
		server = strings.TrimRight(server, "/")
	}
	token, err := client.Pair(ctx, s.cfg.HTTPClient, server, code, deviceName, s.appVersion)
	if err != nil {
		return pairErr(err)
	}
	return s.keep(ctx, server, token)
}

// credentials returns the server and token calls to the household's
// account use, or a "not signed in" error.
func (s *Sync) credentials() (server, token string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.signedIn || s.token == "" {
		return "", "", &ui.SyncErr{Kind: ui.SyncErrNotSignedIn, Message: "This device is not signed in."}
	}
	return s.server, s.token, nil
}

// Devices implements ui.Sync.
func (s *Sync) Devices(ctx context.Context) ([]ui.Device, error) {
	server, token, err := s.credentials()
	if err != nil {
		return nil, err
	}
	list, err := client.Devices(ctx, s.cfg.HTTPClient, server, token)
	if err != nil {
		return nil, roundErr(err)
	}
	out := make([]ui.Device, len(list))
	for i, d := range list {
		out[i] = ui.Device{ID: d.ID, Name: d.Name, AppVersion: d.AppVersion, Created: d.Created, LastSync: d.LastSync, Current: d.Current}
	}
	return out, nil
}

// RevokeDevice implements ui.Sync.
func (s *Sync) RevokeDevice(ctx context.Context, id int64) error {
	server, token, err := s.credentials()
	if err != nil {
		return err
	}
	if err := client.RevokeDevice(ctx, s.cfg.HTTPClient, server, token, id); err != nil {
		return roundErr(err)
	}
	return nil
}

// RenameDevice implements ui.Sync.
func (s *Sync) RenameDevice(ctx context.Context, id int64, name string) error {
	server, token, err := s.credentials()
	if err != nil {
		return err
	}
	if err := client.RenameDevice(ctx, s.cfg.HTTPClient, server, token, id, name); err != nil {
		return roundErr(err)
	}
	return nil
}

// NewPairingCode implements ui.Sync.
func (s *Sync) NewPairingCode(ctx context.Context) (ui.PairingCode, error) {
	server, token, err := s.credentials()
	if err != nil {
		return ui.PairingCode{}, err
	}
	pc, err := client.NewPairingCode(ctx, s.cfg.HTTPClient, server, token)
	if err != nil {
		return ui.PairingCode{}, roundErr(err)
	}
	return ui.PairingCode{Code: pc.Code, Link: pc.Link, Expires: pc.Expires}, nil
}

// CalendarFeed implements ui.Sync.
func (s *Sync) CalendarFeed(ctx context.Context) (ui.Feed, error) {
	server, token, err := s.credentials()
	if err != nil {
		return ui.Feed{}, err
	}
	f, err := client.CalendarFeed(ctx, s.cfg.HTTPClient, server, token)
	if err != nil {
		return ui.Feed{}, roundErr(err)
	}
	return ui.Feed{CalendarURL: f.CalendarURL, SummaryURL: f.SummaryURL, AlarmDays: f.AlarmDays}, nil
}

// pairErr classifies a pairing failure: too many tries asks to wait and
// make a new code; the rest are as any call's (a wrong, used or expired
// code, too many devices with the one to remove named, offline...).
func pairErr(err error) error {
	var e *client.Error
	if errors.As(err, &e) && e.Status == http.StatusTooManyRequests {
		return &ui.SyncErr{Kind: ui.SyncErrPairBusy, Message: e.Message}
	}
	return roundErr(err)
}
