package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-resty/resty/v2"

	"freezer/domain"
)

// GeneralTrendPath is the server's products-per-type over every account.
const GeneralTrendPath = "/api/v1/trends/general"

// TypeTrend is one product type's count over every household, with the
// type's names (the server's list may hold types the device lacks).
type TypeTrend struct {
	TypeID int    `json:"type_id"`
	Count  int    `json:"count"`
	NameEN string `json:"name_en"`
	NameFR string `json:"name_fr"`
}

// GeneralTrend fetches the general tendency (GET /api/v1/trends/general)
// with the device's token. A refused token is an EUnauthorized *Error, an
// unreachable server an offline one (see Offline).
func GeneralTrend(ctx context.Context, hc *http.Client, server, token string) ([]TypeTrend, error) {
	if hc == nil {
		hc = &http.Client{}
	}
	server = strings.TrimRight(server, "/")
	c := &Client{cfg: Config{Server: server}.withDefaults()}
	rc := resty.NewWithClient(hc).SetTimeout(DefaultTimeout)
	rc.SetLogger(quietLogger{})
	resp, err := rc.R().SetContext(ctx).
		SetAuthToken(token).
		SetHeader("Accept", "application/json").
		Get(server + GeneralTrendPath)
	if resp != nil && resp.StatusCode() == http.StatusNotFound {
		return nil, &Error{Code: domain.EInvalid, Kind: KindNotSync, Status: http.StatusNotFound,
			Message: "This server does not offer the general tendency: check the server's address."}
	}
	if err := c.check(resp, err); err != nil {
		return nil, err
	}
	var out []TypeTrend
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return nil, &Error{Code: domain.EUnavailable, Kind: KindRetry, Status: resp.StatusCode(),
			Message: "The server's answer was cut or malformed; try again later.", err: err}
	}
	return out, nil
}
