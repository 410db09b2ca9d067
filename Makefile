# Freezer: the commands a newcomer needs are `make run` and `make test`.
GO      ?= go
# FyneApp.toml opts into Fyne's fyneDo migration; plain go builds must say so too.
TAGS    := migrated_fynedo
GOFLAGS_TAGS := -tags $(TAGS)
ARGS    ?=
BENCH_COUNT ?= 5

.PHONY: all deps run test test-nocgo vet bench build clean

all: build

## deps: install what is missing (Debian/Ubuntu: gcc and the X11/OpenGL headers Fyne needs)
deps:
	@scripts/deps.sh

## run: start the desktop app on its embedded SQLite database (ARGS="-db FILE" to choose one)
run: deps
	$(GO) run $(GOFLAGS_TAGS) ./cmd/freezer $(ARGS)

## test: vet and run every test with the race detector, then the cgo-free packages without cgo
test: deps
	$(GO) vet $(GOFLAGS_TAGS) ./...
	$(GO) test -race $(GOFLAGS_TAGS) ./...
	$(MAKE) --no-print-directory test-nocgo

## test-nocgo: the store, the server, the syncer, the CLI and the UI build and pass without cgo
test-nocgo:
	CGO_ENABLED=0 $(GO) test $(GOFLAGS_TAGS) $$($(GO) list $(GOFLAGS_TAGS) ./... | grep -v '/cmd/freezer$$')

## bench: the benchmarks recorded in docs/BENCHMARKS.md
bench:
	$(GO) test $(GOFLAGS_TAGS) -run '^$$' -bench . -benchtime 2s -count $(BENCH_COUNT) ./storage/

## build: build the binaries into bin/
build: deps
	$(GO) build $(GOFLAGS_TAGS) -o bin/ ./cmd/...

clean:
	rm -rf bin/
