//go:build ignore

// limit is the ceiling server/bench/compare.sh measures freezerd against:
// a server answering every GET with the bytes of a file held in memory,
// chosen by the path's first segment (no token lookup, no database, no
// JSON encoding). It prints the address it listens on, then serves until
// it is stopped.
//
// usage: go run server/bench/limit.go ADDR SEGMENT=FILE...
//
//	go run server/bench/limit.go 127.0.0.1:0 freezers=freezers.json get_product=products.json
package main

import (
	"fmt"
	"net"
	"net/http"
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
	bodies := map[string][]byte{}
	for _, a := range args[1:] {
		seg, file, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q: write SEGMENT=FILE, e.g. freezers=freezers.json", a)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read the answer for /%s: %w", seg, err)
		}
		bodies[seg] = b
	}
	ln, err := net.Listen("tcp", args[0])
	if err != nil {
		return fmt.Errorf("listen on %s: %w", args[0], err)
	}
	fmt.Println(ln.Addr())
	return http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		b, ok := bodies[seg]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	}))
}
