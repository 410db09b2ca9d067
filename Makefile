# Freezer: the commands a newcomer needs are `make run` and `make test`.
GO      ?= go
# FyneApp.toml opts into Fyne's fyneDo migration; plain go builds must say so too.
TAGS    := migrated_fynedo
GOFLAGS_TAGS := -tags $(TAGS)
ARGS    ?=
BENCH_COUNT ?= 5
FYNE    ?= $(GO) run fyne.io/tools/cmd/fyne@v1.7.4

.PHONY: all deps run test test-nocgo bench bench-ui build screenshots package icon clean

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

## bench-ui: the desktop benchmarks recorded in docs/BENCHMARKS.md
bench-ui:
	CGO_ENABLED=0 $(GO) test $(GOFLAGS_TAGS) -run '^$$' -bench . -benchtime 2s -count $(BENCH_COUNT) -benchmem ./ui/

## screenshots: docs/screenshots/*.png from the sample household under Xvfb
screenshots: deps
	scripts/deps.sh xvfb x11-apps imagemagick curl
	scripts/screenshots.sh

## package: a Linux package (dist/Freezer.tar.xz) made by fyne package; FyneApp.toml is restored (fyne bumps its build number)
package: deps
	mkdir -p dist
	$(GO) build $(GOFLAGS_TAGS) -o dist/freezer ./cmd/freezer
	cp FyneApp.toml dist/FyneApp.toml.orig
	$(FYNE) package --target linux --exe dist/freezer --release; status=$$?; \
		cp dist/FyneApp.toml.orig FyneApp.toml; rm -f dist/FyneApp.toml.orig; exit $$status
	mv Freezer.tar.xz dist/

## icon: redraw icons/icon.png
icon:
	$(GO) run ./icons/gen

## build: build the binaries into bin/
build: deps
	$(GO) build $(GOFLAGS_TAGS) -o bin/ ./cmd/...

clean:
	rm -rf bin/ dist/
