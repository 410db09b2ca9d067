//go:build unix

package server_test

import (
	"context"
	"net"
	"syscall"
	"testing"

	"freezer/server"
)

// TestListenSendsNoKeepAliveProbes: freezerd's connections have TCP
// keep-alive off (the HTTP server's timeouts close dead ones), so that
// accepting one makes no setsockopt calls for it; they keep TCP_NODELAY.
func TestListenSendsNoKeepAliveProbes(t *testing.T) {
	ln, err := server.Listen(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	raw, err := conn.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var keepAlive, noDelay int
	var optErr error
	if err := raw.Control(func(fd uintptr) {
		if keepAlive, optErr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE); optErr != nil {
			return
		}
		noDelay, optErr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_NODELAY)
	}); err != nil || optErr != nil {
		t.Fatal(err, optErr)
	}
	if keepAlive != 0 {
		t.Errorf("SO_KEEPALIVE = %d on an accepted connection, want 0", keepAlive)
	}
	if noDelay == 0 {
		t.Error("TCP_NODELAY is off on an accepted connection, want on")
	}
}
