#!/usr/bin/env bash
# screenshots.sh: build the desktop app and capture its main screens from the
# sample household under a virtual X server (Xvfb), into docs/screenshots/:
# overview, products, box map, trends and settings at 1280x800 in light and
# dark, and at 800x1280 in tablet mode; the overview in French and the
# product form.
#
# Needs: go, a C compiler with the X11/GL headers, Xvfb, xwd and ImageMagick
# (Debian: apt-get install -y xvfb x11-apps imagemagick). The app runs with its
# own temporary configuration folder, so your settings are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
wait_s=${WAIT:-5}
mkdir -p "$out"
tmp=$(mktemp -d)
xpid=""
cleanup() {
  [ -n "$xpid" ] && kill "$xpid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for tool in Xvfb xwd convert; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install -y xvfb x11-apps imagemagick)" >&2; exit 1; }
done

go build -tags migrated_fynedo -o "$tmp/freezer" ./cmd/freezer
export XDG_CONFIG_HOME="$tmp/config" LANG=en_US.UTF-8 LC_ALL=
db="$tmp/sample.db"

start_x() { # start_x WIDTHxHEIGHT
  for n in $(seq 90 130); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
      export DISPLAY=":$n"
      Xvfb "$DISPLAY" -screen 0 "${1}x24" -nolisten tcp >/dev/null 2>&1 &
      xpid=$!
      sleep 1
      return
    fi
  done
  echo "screenshots: no free X display" >&2
  exit 1
}

stop_x() {
  kill "$xpid" 2>/dev/null || true
  wait "$xpid" 2>/dev/null || true
  xpid=""
}

shot() { # shot NAME SIZE ARGS...
  local name=$1 size=$2
  shift 2
  "$tmp/freezer" -db "$db" -sample -size "$size" "$@" >"$tmp/$name.log" 2>&1 &
  local app=$!
  sleep "$wait_s"
  if ! kill -0 "$app" 2>/dev/null; then
    echo "screenshots: the app exited early for $name:" >&2
    tail -20 "$tmp/$name.log" >&2
    exit 1
  fi
  # Capture; a frame not painted yet is one flat colour: wait and retry.
  for try in 1 2 3; do
    xwd -root -silent | convert xwd:- -crop "$size+0+0" +repage "$out/$name.png"
    [ "$(convert "$out/$name.png" -format %k info:)" -gt 16 ] && break
    sleep 3
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  echo "saved $out/$name.png"
}

screens="overview products boxmap trends settings"
start_x 1280x800
for theme in light dark; do
  for s in $screens; do
    shot "$s-$theme" 1280x800 -screen "$s" -theme "$theme" -lang en
  done
done
shot "overview-fr-light" 1280x800 -screen overview -theme light -lang fr
shot "products-fr-light" 1280x800 -screen products -theme light -lang fr
shot "add-form-light" 1280x800 -screen add -theme light -lang en
stop_x

start_x 800x1280
for s in $screens add; do
  shot "$s-tablet" 800x1280 -screen "$s" -theme light -tablet -lang en
done
stop_x
