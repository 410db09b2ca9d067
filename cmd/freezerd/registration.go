package main

import (
	"fmt"
	"net"
	"strings"
)

// registrationClosed reads the -registration flag: "open", "closed", or
// "" for the default, open only when freezerd listens on loopback (a
// server reachable from the network makes its accounts with "freezerd
// users add" unless told otherwise).
func registrationClosed(flagValue, addr string) (bool, error) {
	switch flagValue {
	case "open":
		return false, nil
	case "closed":
		return true, nil
	case "":
		return !loopbackOnly(addr), nil
	}
	return false, fmt.Errorf("-registration %q: give open or closed", flagValue)
}

// loopbackOnly reports whether addr (host:port) listens on loopback only.
func loopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
