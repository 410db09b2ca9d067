package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"freezer/domain"
	"freezer/server"
)

// Devices: the account's signed-in devices with revoke, a pairing code
// with its QR code, and the page a pairing link opens.

type devicesData struct {
	Devices []server.Device
	Pairing *pairingData
}

type pairingData struct {
	Code, Link string
	QR         template.URL // a data: URI of the PNG
	Expires    time.Time
	Minutes    int
}

func (h *Handler) listDevices(rq *request) ([]server.Device, bool) {
	ds, err := h.srv.Devices(rq.r.Context(), rq.sess.AccountID, 0)
	if err != nil {
		rq.internal("list devices", err)
		return nil, false
	}
	return ds, true
}

func (h *Handler) handleDevices(rq *request) {
	ds, ok := h.listDevices(rq)
	if !ok {
		return
	}
	rq.render(http.StatusOK, "devices", "devices.title", "devices", devicesData{Devices: ds})
}

func (h *Handler) handleRevokeDevice(rq *request) {
	id, ok := rq.pathID("id")
	if !ok {
		rq.fail(http.StatusNotFound, "err.gone")
		return
	}
	err := h.srv.RevokeDevice(rq.r.Context(), rq.sess.AccountID, id)
	switch domain.ErrorCode(err) {
	case "":
		rq.done("/app/devices", "revoked")
	case domain.ENotFound:
		rq.fail(http.StatusNotFound, "err.gone")
	default:
		rq.internal("revoke device", err)
	}
}

// handlePairing makes a pairing code and shows it with its QR code,
// which holds the pairing link.
func (h *Handler) handlePairing(rq *request) {
	p, err := h.srv.NewPairing(rq.r.Context(), rq.sess.AccountID)
	if err != nil {
		rq.internal("new pairing", err)
		return
	}
	link := server.PairingLink(h.srv.BaseURL(rq.r), p.Code)
	png, err := qrcode.Encode(link, qrcode.Medium, 320)
	if err != nil {
		rq.internal("pairing QR code", err)
		return
	}
	ds, ok := h.listDevices(rq)
	if !ok {
		return
	}
	pd := &pairingData{Code: p.Code, Link: link, Expires: p.Expires,
		Minutes: max(1, int(p.Expires.Sub(h.now()).Round(time.Minute)/time.Minute)),
		QR:      template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	rq.render(http.StatusOK, "devices", "devices.title", "devices", devicesData{Devices: ds, Pairing: pd})
}

// handlePairPage tells the person holding a pairing link what to do with
// it. It never redeems the code: only the app joining does.
func (h *Handler) handlePairPage(rq *request) {
	code := strings.ToUpper(strings.TrimSpace(rq.r.PathValue("code")))
	if !plausibleCode(code) {
		rq.fail(http.StatusNotFound, "err.pair_code")
		return
	}
	rq.render(http.StatusOK, "pair", "pair.title", "", struct{ Code, Server string }{code, h.srv.BaseURL(rq.r)})
}

// plausibleCode reports whether s looks like a pairing code (8 characters
// of the code alphabet, with or without a dash): anything else is not
// shown back.
func plausibleCode(s string) bool {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 8 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("23456789ABCDEFGHJKMNPQRSTUVWXYZ", r) {
			return false
		}
	}
	return true
}
