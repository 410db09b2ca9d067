#!/usr/bin/env bash
# install.sh install|uninstall PREFIX: Freezer for the current user on Linux (make
# install, make uninstall; PREFIX is ~/.local unless given).
#
# install builds freezer, freezerctl and freezerd (stripped, with their version) into
# PREFIX/bin, and adds the desktop entry (PREFIX/share/applications/
# org.freezer.desktop.desktop) and the icon (PREFIX/share/icons/hicolor/512x512/apps/
# org.freezer.desktop.png), so that the desktop's menu shows Freezer. uninstall removes
# exactly those files; the database and the preferences stay (README: "Uninstall").
set -euo pipefail

cd "$(dirname "$0")/.."
action=${1:-}
prefix=${2:-$HOME/.local}
GO=${GO:-go}
id=$(sed -n 's/^ID *= *"\(.*\)"/\1/p' FyneApp.toml)
name=$(sed -n 's/^Name *= *"\(.*\)"/\1/p' FyneApp.toml)
version=${VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
entry="$prefix/share/applications/$id.desktop"
icon="$prefix/share/icons/hicolor/512x512/apps/$id.png"
programs=(freezer freezerctl freezerd)

case $action in
install)
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	$GO build -trimpath -tags migrated_fynedo -ldflags "-s -w -X main.version=$version" -o "$work/" \
		./cmd/freezer ./cmd/freezerctl ./cmd/freezerd
	for p in "${programs[@]}"; do
		install -Dm755 "$work/$p" "$prefix/bin/$p"
	done
	install -Dm644 icons/icon.png "$icon"
	# Exec's path in double quotes (it may hold spaces), with " ` $ \ escaped as the
	# desktop entry specification asks (a backslash, written \\ in the file).
	exec_path=$(printf '%s' "$prefix/bin/freezer" | sed 's/[\\"`$]/\\\\&/g')
	mkdir -p "$(dirname "$entry")"
	cat >"$entry" <<ENTRY
[Desktop Entry]
Type=Application
Name=$name
GenericName=Freezer inventory
GenericName[fr]=Inventaire du congélateur
Comment=Offline-first freezer inventory for households
Comment[fr]=L'inventaire de vos congélateurs, même hors ligne
Exec="$exec_path"
Icon=$id
Terminal=false
Categories=Utility;
Keywords=freezer;inventory;food;
Keywords[fr]=congélateur;inventaire;nourriture;
ENTRY
	chmod 644 "$entry"
	if command -v update-desktop-database >/dev/null 2>&1; then
		update-desktop-database -q "$prefix/share/applications" || true
	fi
	echo "install: $name $version in $prefix/bin; the desktop entry is $entry"
	case ":$PATH:" in
	*":$prefix/bin:"*) ;;
	*) echo "install: $prefix/bin is not on your PATH: add it (e.g. in ~/.profile) to run freezerctl and freezerd by name" ;;
	esac
	;;
uninstall)
	for p in "${programs[@]}"; do
		rm -f "$prefix/bin/$p"
	done
	rm -f "$entry" "$icon"
	echo "uninstall: removed $name from $prefix (your database and preferences are kept: see the README)"
	;;
*)
	echo "usage: scripts/install.sh install|uninstall [PREFIX]" >&2
	exit 2
	;;
esac
