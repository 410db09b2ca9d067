#!/usr/bin/env bash
# dist.sh: the release archives, into dist/ (DIST), with SHA256SUMS (make dist).
#
#   freezer-V-linux-amd64.tar.xz          the desktop app, packaged by fyne package
#                                         (binary, icon, desktop entry, a Makefile)
#   freezer-tools-V-linux-amd64.tar.gz    freezerctl and freezerd
#   freezer-tools-V-linux-arm64.tar.gz
#   freezer-V-windows-amd64.zip           Freezer.exe (icon and version resources),
#                                         freezerctl.exe, freezerd.exe
#   freezer-tools-V-darwin-amd64.tar.gz   freezerctl and freezerd (the desktop app is
#   freezer-tools-V-darwin-arm64.tar.gz   built on a Mac: README, .github/workflows/macos.yml)
#
# V is FyneApp.toml's Version (VERSION overrides it). Every binary is built with
# -trimpath and -ldflags "-s -w -X main.version=V": stripped, and -version prints V.
# Freezer.exe is cross-compiled with cgo through MinGW-w64 (x86_64-w64-mingw32-gcc);
# its icon, version and manifest resources are an object file made by goversioninfo
# (the module fyne package uses) that MinGW's linker adds (-extldflags), so the source
# tree is left as it is (fyne package -os windows writes a .syso into it, and needs
# Windows for the cgo build). Needs: go, gcc and Fyne's headers, x86_64-w64-mingw32-gcc, ImageMagick's
# convert, zip, xz, sha256sum (make dist installs them on Debian and Ubuntu).
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
FYNE=${FYNE:-"$GO run fyne.io/tools/cmd/fyne@v1.7.4"}
GOVERSIONINFO=${GOVERSIONINFO:-"$GO run github.com/josephspurrier/goversioninfo/cmd/goversioninfo@v1.7.0"}
DIST=${DIST:-dist}
TAGS=migrated_fynedo
version=${VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
name=$(sed -n 's/^Name *= *"\(.*\)"/\1/p' FyneApp.toml)
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
	echo "dist: the version \"$version\" is not MAJOR.MINOR.PATCH: set Version in FyneApp.toml (or VERSION)." >&2
	exit 1
fi
# Archives hold the last commit's time, so a rebuild of one commit gives the same bytes.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
ldflags="-s -w -X main.version=$version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
rm -f "$DIST"/freezer-*"$version"-* "$DIST/SHA256SUMS"

step() { printf 'dist: %s (%ds)\n' "$1" "$SECONDS"; }

gobuild() { # GOOS GOARCH CGO OUT PACKAGE... (more -ldflags in $extra_ldflags)
	local goos=$1 goarch=$2 cgo=$3 out=$4
	shift 4
	GOOS=$goos GOARCH=$goarch CGO_ENABLED=$cgo $GO build -trimpath -tags "$TAGS" \
		-ldflags "$ldflags ${extra_ldflags:-}" -o "$out" "$@"
}

# pack DIR ARCHIVE: DIR's files in a folder named like the archive, owned by root, dated $epoch.
pack() {
	local dir=$1 archive=$2 top
	top=$(basename "$archive" | sed 's/\.tar\.gz$//; s/\.zip$//')
	mv "$dir" "$work/$top"
	find "$work/$top" -exec touch -h -d "@$epoch" {} +
	case $archive in
	*.zip) (cd "$work" && rm -f "$archive" && zip -q -X -r "$archive" "$top") ;;
	*) tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - "$top" |
		gzip -n -9 >"$archive" ;;
	esac
}

# Windows first (make test-windows waits for its zip): freezerctl.exe and freezerd.exe,
# then Freezer.exe with its resources (icon, version, manifest), cgo through MinGW-w64.
step "freezerctl and freezerd for windows/amd64"
mkdir -p "$work/windows-amd64"
gobuild windows amd64 0 "$work/windows-amd64/" ./cmd/freezerctl ./cmd/freezerd
step "the desktop app for windows/amd64 (cgo through MinGW-w64)"
res="$work/winres"
mkdir -p "$res"
convert icons/icon.png -define icon:auto-resize=256,128,64,48,32,16 "$res/icon.ico"
IFS=. read -r major minor patch <<<"${version%%[-+]*}"
cat >"$res/Freezer.exe.manifest" <<MANIFEST
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0" xmlns:asmv3="urn:schemas-microsoft-com:asm.v3">
  <assemblyIdentity version="$major.$minor.$patch.0" processorArchitecture="*" name="$name" type="win32"/>
  <asmv3:application>
    <asmv3:windowsSettings xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">
      <dpiAware>true</dpiAware>
    </asmv3:windowsSettings>
  </asmv3:application>
</assembly>
MANIFEST
cat >"$res/versioninfo.json" <<JSON
{
  "FixedFileInfo": {
    "FileVersion": {"Major": $major, "Minor": $minor, "Patch": $patch, "Build": 0},
    "ProductVersion": {"Major": $major, "Minor": $minor, "Patch": $patch, "Build": 0},
    "FileFlagsMask": "3f", "FileFlags ": "00", "FileOS": "040004", "FileType": "01", "FileSubType": "00"
  },
  "StringFileInfo": {
    "FileDescription": "$name: a freezer inventory for households",
    "FileVersion": "$version",
    "InternalName": "freezer",
    "OriginalFilename": "$name.exe",
    "ProductName": "$name",
    "ProductVersion": "$version"
  },
  "VarFileInfo": {"Translation": {"LangID": "0409", "CharsetID": "04B0"}}
}
JSON
(cd "$res" && $GOVERSIONINFO -64 -icon icon.ico -manifest Freezer.exe.manifest -o rsrc_windows_amd64.syso versioninfo.json)
# The host linker (MinGW's ld, as cgo links externally) takes the .syso as an object file.
CC=${WINDOWS_CC:-x86_64-w64-mingw32-gcc} extra_ldflags="-H windowsgui -extldflags $res/rsrc_windows_amd64.syso" \
	gobuild windows amd64 1 "$work/windows-amd64/$name.exe" ./cmd/freezer
pack "$work/windows-amd64" "$DIST/freezer-$version-windows-amd64.zip"

# Linux: the desktop app, packaged by fyne package from a copy of FyneApp.toml and
# the icon (fyne package bumps the copy's build number, not the repository's).
step "the desktop app for linux/amd64"
mkdir -p "$work/linux-desktop/icons"
gobuild linux amd64 1 "$work/linux-desktop/freezer" ./cmd/freezer
cp FyneApp.toml "$work/linux-desktop/"
cp icons/icon.png "$work/linux-desktop/icons/"
# fyne package wants Go code beside FyneApp.toml, even with --exe: a placeholder.
printf 'package main\n' >"$work/linux-desktop/placeholder.go"
step "fyne package --target linux"
(cd "$work/linux-desktop" && $FYNE package --target linux --exe freezer --release >/dev/null)
mv "$work/linux-desktop/$name.tar.xz" "$DIST/freezer-$version-linux-amd64.tar.xz"

# The pure-Go programs, for every system.
for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do
	os=${target%/*} arch=${target#*/}
	step "freezerctl and freezerd for $os/$arch"
	mkdir -p "$work/$os-$arch"
	gobuild "$os" "$arch" 0 "$work/$os-$arch/" ./cmd/freezerctl ./cmd/freezerd
done
for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do
	os=${target%/*} arch=${target#*/}
	pack "$work/$os-$arch" "$DIST/freezer-tools-$version-$os-$arch.tar.gz"
done

(cd "$DIST" && sha256sum freezer-*"$version"-* >SHA256SUMS)
step "done: $DIST/"
(cd "$DIST" && ls -l freezer-*"$version"-* SHA256SUMS | awk '{printf "  %10d  %s\n", $5, $9}')
