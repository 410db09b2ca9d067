# Freezer: the commands a newcomer needs are `make run` and `make test`.
GO      ?= go
# FyneApp.toml opts into Fyne's fyneDo migration; plain go builds must say so too.
TAGS    := migrated_fynedo
GOFLAGS_TAGS := -tags $(TAGS)
ARGS    ?=
BENCH_COUNT ?= 5
# The race pass's per-package timeout: the ui package takes about 6 minutes on 2 idle cores, past
# go test's default 10 on a loaded machine.
RACE_TIMEOUT ?= 20m
FYNE    ?= $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
# The version release builds carry (-version prints it): FyneApp.toml's.
VERSION ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
# Where make install puts Freezer (bin/, share/applications/, share/icons/).
PREFIX  ?= $(HOME)/.local
# staticcheck at a pinned version, fetched and built by the Go toolchain (cached after the first run).
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all deps run test test-docs test-postgres lint fmt test-nocgo soak bench bench-server bench-ui build screenshots labels package icon clean
.PHONY: dist test-dist test-windows install uninstall

all: build

## deps: install what is missing (Debian/Ubuntu: gcc and the X11/OpenGL headers Fyne needs; make test-postgres adds
## the PostgreSQL server)
deps:
	@scripts/deps.sh

## run: start the desktop app on its embedded SQLite database (ARGS="-db FILE" to choose one)
run: deps
	$(GO) run $(GOFLAGS_TAGS) ./cmd/freezer $(ARGS)

## test: the style gates (lint), every test with the race detector on SQLite, the docs' shell blocks (test-docs),
## the cgo-free packages without cgo on SQLite (test-nocgo), then PGTEST_PKGS' tests once more on PostgreSQL
## (test-postgres). FREEZER_TEST_BACKENDS (sqlite, postgres, or both, the default of a plain go test) picks the
## passes of the packages whose TestMain calls internal/pgtest's Main
test: deps lint
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || scripts/deps.sh chromium
	FREEZER_REQUIRE_CHROMIUM=1 FREEZER_TEST_BACKENDS=sqlite $(GO) test -race -timeout $(RACE_TIMEOUT) $(GOFLAGS_TAGS) ./...
	$(MAKE) --no-print-directory test-docs
	$(MAKE) --no-print-directory test-nocgo
	$(MAKE) --no-print-directory test-postgres

# The packages whose TestMain runs their tests on each backend (pgtest.Main): the PostgreSQL pass runs only these.
PGTEST_PKGS ?= ./internal/pgtest/ ./server/... ./sync/synctest/ ./cmd/freezerd/

## test-postgres: the PostgreSQL pass of PGTEST_PKGS, once (no race detector, cgo as usual). Each test binary starts
## a throwaway cluster in a temporary folder and deletes it at the end; FREEZER_TEST_POSTGRES=postgres://... names
## an existing server instead (its role must be allowed to create databases). The distribution's postgresql
## package is installed when missing and no server is named
test-postgres:
	@[ -n "$$FREEZER_TEST_POSTGRES" ] || scripts/deps.sh postgresql
	FREEZER_TEST_BACKENDS=postgres $(GO) test $(GOFLAGS_TAGS) $(PGTEST_PKGS)

## test-docs: every shell block of README.md and docs/*.md runs, in order, against a real freezerd
## (internal/doctest; curl, python3 and openssl are installed when missing)
test-docs:
	@command -v curl >/dev/null 2>&1 || scripts/deps.sh curl
	@command -v python3 >/dev/null 2>&1 || scripts/deps.sh python3
	@command -v openssl >/dev/null 2>&1 || scripts/deps.sh openssl
	$(GO) test -tags '$(TAGS) doctest' -count=1 ./internal/doctest

## lint: fail on an unformatted file, a staticcheck finding (staticcheck.conf), a vet finding, an import that
## docs/ARCHITECTURE.md's package table forbids, or a function over 80 lines or a file over 600 (internal/archtest)
lint: deps
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then \
		echo "lint: these files are not gofmt-formatted; run 'make fmt' (gofmt -w) and commit the result:"; \
		echo "$$unformatted" | sed 's/^/  /'; exit 1; \
	fi
	$(STATICCHECK) $(GOFLAGS_TAGS) ./...
	$(GO) vet $(GOFLAGS_TAGS) ./...
	$(GO) test -count=1 ./internal/archtest

## fmt: format every Go file in place
fmt:
	gofmt -w .

## test-nocgo: the store, the server, the syncer, the CLI and the UI build and pass without cgo (on SQLite)
test-nocgo:
	CGO_ENABLED=0 FREEZER_TEST_BACKENDS=sqlite $(GO) test $(GOFLAGS_TAGS) $$($(GO) list $(GOFLAGS_TAGS) ./... | grep -v '/cmd/freezer$$')

## soak: the convergence test with fresh random seeds for SOAK (default 10m, e.g. SOAK=30m make soak); every failure
## prints its seed and the command that replays it (make test keeps the fixed seed)
SOAK ?= 10m
soak:
	$(GO) test $(GOFLAGS_TAGS) -count=1 -timeout 0 -v -run '^TestConvergenceSoak$$' ./sync/synctest/ -soak=$(SOAK) -rapid.nofailfile

## bench: the benchmarks recorded in docs/BENCHMARKS.md, then AddProduct's median over the durable-commit floor's
## (BenchmarkDurableCommitFloor: one INSERT per transaction, the store's pragmas) in the same run
bench:
	@out=$$(mktemp); trap 'rm -f "$$out" "$$out.rc"' EXIT; \
	{ $(GO) test $(GOFLAGS_TAGS) -run '^$$' -bench . -benchtime 2s -count $(BENCH_COUNT) ./storage/; echo $$? >"$$out.rc"; } \
		| tee "$$out"; \
	[ "$$(cat "$$out.rc")" = 0 ] && awk -f scripts/benchratio.awk "$$out"

## bench-server: freezerd on SQLite and on PostgreSQL (one and two instances) side by side with wrk, and the sync
## round, as docs/BENCHMARKS.md records them (server/bench/compare.sh; about 30 minutes)
bench-server:
	@command -v wrk >/dev/null 2>&1 || scripts/deps.sh wrk
	server/bench/compare.sh

## bench-ui: the desktop benchmarks recorded in docs/BENCHMARKS.md
bench-ui:
	CGO_ENABLED=0 $(GO) test $(GOFLAGS_TAGS) -run '^$$' -bench . -benchtime 2s -count $(BENCH_COUNT) -benchmem ./ui/

## screenshots: docs/screenshots/*.png from the sample household under Xvfb, and the moments a window cannot be
## started in (the undo bar, the date picker) rendered by Fyne's test driver; unchanged pictures are left as they are
screenshots: deps
	scripts/deps.sh xvfb x11-apps imagemagick curl chromium
	scripts/screenshots.sh
	CGO_ENABLED=0 $(GO) test -tags '$(TAGS) screenshots' -count=1 -run '^TestShots(Devices)?$$' ./ui/ -shots $(CURDIR)/docs/screenshots
	CGO_ENABLED=0 $(GO) test -tags '$(TAGS) screenshots' -count=1 -run '^TestShots$$' ./server/web/ -shots $(CURDIR)/docs/screenshots

## labels: docs/labels/: the sample household's labels as PDF (box labels of a freezer, a product sheet in French, a
## 62 mm label) made by freezerctl label, each page rendered to PNG by pdftoppm (scripts/labels.sh)
labels: deps
	scripts/labels.sh

## package: a Linux package (dist/Freezer.tar.xz) made by fyne package from a stripped build, in a temporary
## folder (FyneApp.toml is left as it is; make dist makes every archive)
package: deps
	@mkdir -p dist; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; set -e; \
	$(GO) build -trimpath $(GOFLAGS_TAGS) -ldflags "-s -w -X main.version=$(VERSION)" -o "$$tmp/freezer" ./cmd/freezer; \
	mkdir -p "$$tmp/icons"; cp FyneApp.toml "$$tmp/"; cp icons/icon.png "$$tmp/icons/"; \
	printf 'package main\n' >"$$tmp/placeholder.go"; \
	(cd "$$tmp" && $(FYNE) package --target linux --exe freezer --release); \
	mv "$$tmp/Freezer.tar.xz" dist/; echo "package: dist/Freezer.tar.xz"

## dist: the release archives, into dist/ with SHA256SUMS (scripts/dist.sh says what each holds): the Linux
## desktop package (fyne package), freezerctl and freezerd for Linux (amd64, arm64) and macOS (amd64, arm64), and
## Windows' zip with Freezer.exe (cgo through MinGW-w64, installed when missing), all stripped, with VERSION
dist: deps
	@scripts/deps.sh gcc-mingw-w64-x86-64 imagemagick zip xz-utils
	VERSION=$(VERSION) scripts/dist.sh

## test-dist: make dist, then the archives' contents are listed and checked (PE amd64 for Windows, Mach-O for
## each Mac, stripped ELF for Linux, -version, the checksums), and make install into a temporary PREFIX gives a
## desktop entry that desktop-file-validate accepts, and make uninstall takes it away
test-dist: dist
	@command -v desktop-file-validate >/dev/null 2>&1 || scripts/deps.sh desktop-file-utils
	$(GO) test -tags '$(TAGS) disttest' -count=1 -v ./internal/disttest -dist $(CURDIR)/dist

## test-windows: make dist, then freezerctl.exe, freezerd.exe and Freezer.exe run under Wine (wine64, installed when
## missing) in a throwaway prefix, against loopback, with a test-only bcryptprimitives.dll that Wine 8 lacks
## (internal/disttest/testdata/wineshim); WINE_SHOT=FILE keeps the screenshot of Freezer.exe's first window
WINE_SHOT ?=
test-windows: dist
	@scripts/deps.sh wine64 gcc-mingw-w64-x86-64 xvfb x11-apps x11-utils imagemagick
	$(GO) test -tags '$(TAGS) winetest' -count=1 -v -timeout 20m -run '^TestWine' ./internal/disttest \
		-dist $(CURDIR)/dist -shot '$(WINE_SHOT)'

## install: freezer, freezerctl and freezerd into $(PREFIX)/bin (~/.local/bin unless PREFIX=...), with the desktop
## entry and the icon (Linux); uninstall removes them and keeps the database and the preferences
install: deps
	scripts/install.sh install '$(PREFIX)'

uninstall:
	scripts/install.sh uninstall '$(PREFIX)'

## icon: redraw icons/icon.png and the window's smaller icons/window.png
icon:
	$(GO) run ./icons/gen

## build: build the binaries into bin/
build: deps
	$(GO) build $(GOFLAGS_TAGS) -o bin/ ./cmd/...

clean:
	rm -rf bin/ dist/
