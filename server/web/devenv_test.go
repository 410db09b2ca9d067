package web_test

import (
	"freezer/server"
)

// mustDevice signs a device in to the account (a token of its own, as a
// login or a pairing gives) and returns its id.
func (e *env) mustDevice(account int64, name string) int64 {
	e.t.Helper()
	_, hash := server.NewToken()
	d, err := e.store.AddDevice(t0(), account, hash, server.NewDevice{Name: name, AppVersion: "1.4.0"})
	if err != nil {
		e.t.Fatalf("AddDevice(%s) error = %v", name, err)
	}
	return d.ID
}

// deviceNames lists the names of the account's live devices.
func (e *env) deviceNames(account int64) []string {
	e.t.Helper()
	ds, err := e.srv.Devices(t0(), account, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}
