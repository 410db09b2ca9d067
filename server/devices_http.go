package server

import (
	"net/http"
	"time"

	"freezer/domain"
)

// The /api/v1 routes of devices and pairing.

// deviceJSON is a device on the wire.
type deviceJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Created    time.Time  `json:"created"`
	LastSync   *time.Time `json:"last_sync"` // null: never synced
	AppVersion string     `json:"app_version"`
	Current    bool       `json:"current"`
}

func toDeviceJSON(d Device) deviceJSON {
	j := deviceJSON{ID: d.ID, Name: d.Name, Created: d.Created.UTC(), AppVersion: d.AppVersion, Current: d.Current}
	if !d.LastSync.IsZero() {
		t := d.LastSync.UTC()
		j.LastSync = &t
	}
	return j
}

// newDeviceOf validates the name and app version a new device sends.
func newDeviceOf(name, appVersion string) (NewDevice, error) {
	n, err := CheckDeviceName(name)
	if err != nil {
		return NewDevice{}, domain.FieldErrorf("device", "%s", domain.ErrorMessage(err))
	}
	v, err := checkAppVersion(appVersion)
	if err != nil {
		return NewDevice{}, err
	}
	return NewDevice{Name: n, AppVersion: v}, nil
}

// v1Sync is v1 for the sync routes: it also records the device's last
// sync (at most once a minute, Server.touchDevice).
func (s *Server) v1Sync(h func(http.ResponseWriter, *http.Request, Account)) http.HandlerFunc {
	return s.v1(func(w http.ResponseWriter, r *http.Request, a Account) {
		s.touchDevice(r.Context(), a)
		h(w, r, a)
	})
}

// handlePair redeems a pairing code for a new device's token: POST
// /api/v1/pair {code, device, app_version}.
func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Code       string `json:"code"`
		Device     string `json:"device"`
		AppVersion string `json:"app_version"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	nd, err := newDeviceOf(body.Device, body.AppVersion)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	res, wait, err := s.redeemPairing(r.Context(), body.Code, s.clientIP(r), nd)
	if err != nil {
		if wait > 0 {
			setRetryAfter(w, wait)
		}
		s.v1Error(w, r, err)
		return
	}
	account := map[string]any{"id": res.accountID}
	if a, err := s.store.FindAccountByToken(r.Context(), HashToken(res.token)); err == nil {
		account["email"] = a.Email
	}
	res.device.Current = true
	writeJSON(w, http.StatusCreated, map[string]any{"token": res.token, "account": account, "device": toDeviceJSON(res.device)})
}

// handleNewPairing makes a pairing code: POST /api/v1/pairing.
func (s *Server) handleNewPairing(w http.ResponseWriter, r *http.Request, a Account) {
	p, err := s.NewPairing(r.Context(), a.ID)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"code": p.Code, "link": PairingLink(s.BaseURL(r), p.Code), "expires": p.Expires.UTC()})
}

func (s *Server) handleListDevices(w http.ResponseWriter, r *http.Request, a Account) {
	ds, err := s.Devices(r.Context(), a.ID, a.DeviceID)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	out := make([]deviceJSON, 0, len(ds))
	for _, d := range ds {
		out = append(out, toDeviceJSON(d))
	}
	writeJSON(w, http.StatusOK, out)
}

// deviceID parses the {id} path segment; on failure it has answered 404.
func (s *Server) deviceID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := parseIntSegment(r.PathValue("id"))
	if !ok || id <= 0 {
		s.problem(w, r, http.StatusNotFound, domain.ENotFound, "There is no such device in this household: list the devices again.")
		return 0, false
	}
	return id, true
}

// handleRenameDevice renames a device: PATCH /api/v1/devices/{id} {name}.
func (s *Server) handleRenameDevice(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.deviceID(w, r)
	if !ok {
		return
	}
	var body struct {
		Name *string `json:"name"`
	}
	if !s.decodeV1(w, r, &body) {
		return
	}
	if body.Name == nil {
		s.v1Error(w, r, domain.FieldErrorf("name", "Send the device's new name: {\"name\": \"Kitchen tablet\"}."))
		return
	}
	if err := s.RenameDevice(r.Context(), a.ID, id, *body.Name); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleRevokeDevice revokes another device of the household: DELETE
// /api/v1/devices/{id}. The device making the request cannot revoke
// itself this way (it would lock itself out mid-request): another
// device, the household page or signing out does it.
func (s *Server) handleRevokeDevice(w http.ResponseWriter, r *http.Request, a Account) {
	id, ok := s.deviceID(w, r)
	if !ok {
		return
	}
	if id == a.DeviceID {
		s.v1Error(w, r, domain.Errorf(domain.EConflict, "This is the device you are using: remove it from another signed-in device or from the household page."))
		return
	}
	if err := s.RevokeDevice(r.Context(), a.ID, id); err != nil {
		s.v1Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
