#!/usr/bin/env bash
# deps.sh: installs what Freezer needs to build and test and is missing.
# On Debian/Ubuntu it installs the C toolchain and the X11/OpenGL headers that
# Fyne's cgo build needs, with apt-get (through sudo when not root). Elsewhere
# it says what to install. Extra Debian packages can be named as arguments
# (make test-postgres names postgresql: the tests run initdb and postgres
# from it to start throwaway clusters).
set -euo pipefail

if ! command -v go >/dev/null 2>&1; then
	echo "deps: Go is missing: install Go 1.26 or newer (https://go.dev/dl/), then run make again." >&2
	exit 1
fi

# poppler-utils: pdftoppm and pdftotext, with which the label tests read the PDFs they make;
# zbar-tools: zbarimg, the second QR decoder that reads them back.
packages=(gcc libgl1-mesa-dev xorg-dev libxkbcommon-dev poppler-utils zbar-tools "$@")

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
	echo "deps: this is not a Debian-like system; make sure these (or your system's equivalents) are installed:"
	echo "      a C compiler, OpenGL and X11 development headers, xkbcommon headers (Fyne's build needs them)."
	echo "      See https://docs.fyne.io/started/ for your platform."
	echo "      The label tests need poppler's pdftoppm and pdftotext (poppler-utils, or poppler) and zbarimg (zbar-tools, or zbar)."
	case " $* " in
	*" postgresql "*) echo "      The tests also need the PostgreSQL server (initdb and postgres), or FREEZER_TEST_POSTGRES=postgres://... naming one." ;;
	esac
	case " $* " in
	*" chromium "*) echo "      The household page's browser test also needs Chromium (chromium on the PATH)." ;;
	esac
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	# dpkg -s also succeeds for a package removed but not purged (its
	# status then reads "deinstall ok config-files"): ask for "installed".
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps: not root and no sudo: ask an administrator to run: apt-get install ${missing[*]}" >&2
		exit 1
	fi
	sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
