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
	if hc == nil {
		hc = &http.Client{}
	}
	server = strings.TrimRight(server, "/")
	c := &Client{cfg: Config{Server: server}.withDefaults()}
	rc := resty.NewWithClient(hc).SetTimeout(DefaultTimeout)
	rc.SetLogger(quietLogger{})
	resp, err := rc.R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetBody(protocol.Credentials{Email: email, Password: password}).
		Post(server + protocol.LoginPath)
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
