package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-resty/resty/v2"

	"freezer/domain"
	"freezer/sync/protocol"
)

// Login exchanges an email and a password for a token
// (POST /api/v1/login). The password is sent once and never kept.
func Login(ctx context.Context, hc *http.Client, server, email, password string) (string, error) {
	return LoginDevice(ctx, hc, server, email, password, "", "")
}

// loginBody is a login with the new token's device (devices.go).
type loginBody struct {
	protocol.Credentials
	Device     string `json:"device,omitempty"`
	AppVersion string `json:"app_version,omitempty"`
}

// LoginDevice is Login naming the device the token is for (deviceName
// "" lets the server name it "Device N") and its app version. A server
// older than devices refuses those keys: the login is sent again
// without them.
func LoginDevice(ctx context.Context, hc *http.Client, server, email, password, deviceName, appVersion string) (string, error) {
	if hc == nil {
		hc = &http.Client{}
	}
	server = strings.TrimRight(server, "/")
	c := &Client{cfg: Config{Server: server}.withDefaults()}
	rc := resty.NewWithClient(hc).SetTimeout(DefaultTimeout)
	rc.SetLogger(quietLogger{})
	body := loginBody{Credentials: protocol.Credentials{Email: email, Password: password}, Device: deviceName, AppVersion: appVersion}
	post := func() (*resty.Response, error) {
		return rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").SetBody(body).Post(server + protocol.LoginPath)
	}
	resp, err := post()
	if err == nil && resp.StatusCode() == http.StatusBadRequest && (body.Device != "" || body.AppVersion != "") &&
		strings.Contains(string(resp.Body()), "unknown field") {
		body.Device, body.AppVersion = "", ""
		resp, err = post()
	}
	if err == nil && resp.StatusCode() == http.StatusConflict {
		// The household is at its bound of devices: the server's sentence
		// names the one to remove first.
		var er protocol.ErrorResponse
		if json.Unmarshal(resp.Body(), &er) == nil && er.Detail != "" {
			return "", &Error{Code: domain.EConflict, Kind: KindTooManyDevices, Status: http.StatusConflict, Message: er.Detail}
		}
	}
	if resp != nil && (resp.StatusCode() == http.StatusUnauthorized || resp.StatusCode() == http.StatusForbidden) {
		return "", &Error{Code: domain.EUnauthorized, Kind: KindWrongPassword, Status: resp.StatusCode(),
			Message: "The email or the password is wrong: check them and sign in again."}
	}
	if err := c.check(resp, err); err != nil {
		return "", err
	}
	var tr protocol.TokenResponse
	if err := json.Unmarshal(resp.Body(), &tr); err != nil || tr.Token == "" {
		return "", &Error{Code: domain.EInvalid, Kind: KindNotSync, Message: "The server's answer to the sign-in has no token: check the server's address."}
	}
	return tr.Token, nil
}
