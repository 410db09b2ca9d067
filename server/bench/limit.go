//go:build ignore

// limit is the ceiling server/bench/compare.sh measures freezerd against:
// a server answering every GET with the bytes of a file held in memory,
// chosen by the path's first segment (no token lookup, no database, no
// JSON encoding). With a second file, a response's header block as
// `curl -D` saved it, it also sends freezerd's headers (security headers,
// Cache-Control, CORS), so that the response is freezerd's byte for byte
// but for the Date. It prints the address it listens on, then serves until
// it is stopped.
//
// usage: go run server/bench/limit.go ADDR SEGMENT=FILE[,HEADERS]...
//
//	go run server/bench/limit.go 127.0.0.1:0 freezers=freezers.json,freezers.head get_product=products.json
package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "limit: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: go run server/bench/limit.go ADDR SEGMENT=FILE...")
	}
	type answer struct {
		body   []byte
		header http.Header
	}
	answers := map[string]answer{}
	for _, a := range args[1:] {
		seg, files, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q: write SEGMENT=FILE[,HEADERS], e.g. freezers=freezers.json", a)
		}
		bodyFile, headFile, _ := strings.Cut(files, ",")
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return fmt.Errorf("read the answer for /%s: %w", seg, err)
		}
		h := http.Header{"Content-Type": {"application/json"}}
		if headFile != "" {
			if h, err = readHeader(headFile); err != nil {
				return fmt.Errorf("read the headers for /%s: %w", seg, err)
			}
		}
		h["Content-Length"] = []string{strconv.Itoa(len(b))}
		answers[seg] = answer{b, h}
	}
	ln, err := net.Listen("tcp", args[0])
	if err != nil {
		return fmt.Errorf("listen on %s: %w", args[0], err)
	}
	fmt.Println(ln.Addr())
	return http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		a, ok := answers[seg]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range a.header {
			h[k] = v
		}
		_, _ = w.Write(a.body)
	}))
}

// readHeader reads the header block curl -D saved (a status line, then
// "Name: value" lines), without the headers net/http writes itself.
func readHeader(file string) (http.Header, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tp := textproto.NewReader(bufio.NewReader(f))
	if _, err := tp.ReadLine(); err != nil { // HTTP/1.1 200 OK
		return nil, err
	}
	m, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, err
	}
	h := http.Header(m)
	for _, k := range []string{"Date", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive"} {
		h.Del(k) // net/http writes these for each answer
	}
	return h, nil
}
