#!/usr/bin/env bash
# screenshots.sh: build the desktop app and capture its main screens from the
# sample household under a virtual X server (Xvfb), into docs/screenshots/:
# overview, products, box map, trends and settings at 1280x800 in light and
# dark, and at 800x1280 in tablet mode; the overview and products in French,
# the overview, settings and products in French at 600x900 (half a laptop
# screen), the products in French in tablet portrait, the product form;
# settings signed out.
#
# The sync state is real: the script starts its own freezerd on loopback (a
# free port, a temporary database), registers an account, signs the
# desktop's database in with freezerctl (the token goes to the private file
# beside the database: FREEZER_TOKEN_STORE=file), and has a second device
# fill the slot this one fills too, so that the server moves one and a
# "Relabel" line shows. freezerd is stopped by its process id on exit.
#
# Needs: go, a C compiler with the X11/GL headers, Xvfb, xwd, ImageMagick
# (Debian: apt-get install -y xvfb x11-apps imagemagick) and curl. The app
# runs with its own temporary configuration folder, so your settings are
# left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
wait_s=${WAIT:-5}
mkdir -p "$out"
tmp=$(mktemp -d)
xpid="" spid=""
cleanup() {
  if [ -n "$xpid" ]; then kill "$xpid" 2>/dev/null || true; fi
  if [ -n "$spid" ]; then
    kill "$spid" 2>/dev/null || true
    wait "$spid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

for tool in Xvfb xwd convert curl; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install -y xvfb x11-apps imagemagick curl)" >&2; exit 1; }
done

go build -tags migrated_fynedo -o "$tmp/freezer" ./cmd/freezer
go build -tags migrated_fynedo -o "$tmp/freezerd" ./cmd/freezerd
go build -tags migrated_fynedo -o "$tmp/freezerctl" ./cmd/freezerctl
export XDG_CONFIG_HOME="$tmp/config" LANG=en_US.UTF-8 LC_ALL= FREEZER_TOKEN_STORE=file TZ=UTC

# The pictures are stable from run to run: every device's clock is pinned
# to the same instant (FREEZER_CLOCK_OFFSET, set again before each command,
# so a run drifts by seconds only), the data is the sample household made
# at that instant, and a picture replaces the committed one only when
# its pixels changed (below).
pinned_epoch=$(date -u -d "${SCREENSHOT_TIME:-2026-11-16T10:00:00Z}" +%s)
pin_clock() {
  local d=$((pinned_epoch - $(date +%s)))
  if [ "$d" -ge 0 ]; then FREEZER_CLOCK_OFFSET="+${d}s"; else FREEZER_CLOCK_OFFSET="-$((-d))s"; fi
  export FREEZER_CLOCK_OFFSET
}
# Each device has its own folder: the token store is beside the database.
mkdir -p "$tmp/in" "$tmp/out" "$tmp/other" "$tmp/server"
# Each device's folder is the app's home folder, and its database sits
# where the app keeps it by default, so Settings shows ~/.config/freezer/...
home_db=.config/freezer/freezer.db
db="$tmp/in/$home_db"       # signed in: most shots
db_out="$tmp/out/$home_db"  # never signed in
db_other="$tmp/other/$home_db" # the second device
mkdir -p "$(dirname "$db")" "$(dirname "$db_out")" "$(dirname "$db_other")"
ctl() { pin_clock; "$tmp/freezerctl" "$@"; }

# The server, on loopback. The first start takes its port (read back from
# its log, for port 0); the restarts before each shot keep it, since the
# device's database and token name the server's address.
server_start() { # server_start ADDR
  pin_clock # the server's time too: devices set their clocks by it
  "$tmp/freezerd" -addr "$1" -db "$tmp/server/freezerd.db" -no-rate-limit >"$tmp/freezerd.log" 2>&1 &
  spid=$!
  addr=""
  for _ in $(seq 100); do
    addr=$(sed -n 's/.*msg="freezerd listening" addr=\([0-9.:]*\).*/\1/p' "$tmp/freezerd.log" | head -1)
    [ -n "$addr" ] && return
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  echo "screenshots: freezerd did not start:" >&2
  cat "$tmp/freezerd.log" >&2
  exit 1
}
server_stop() {
  [ -n "$spid" ] || return 0
  kill "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  spid=""
}
# A fixed port when it is free (Settings shows the server's address: the
# same address keeps the pictures the same), else any free one.
port=${SCREENSHOT_PORT:-47913}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then port=0; fi
server_start "127.0.0.1:$port"
server="http://$addr"
email=anne@example.org password="correct horse battery"

# The account; the desktop's database is signed in with the token it gets.
reply=$(curl -sS --fail-with-body -X POST "$server/api/v1/register" -H 'Content-Type: application/json' \
  -d "{\"email\": \"$email\", \"password\": \"$password\"}")
token=$(printf '%s' "$reply" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "screenshots: register answered: $reply" >&2; exit 1; }
ctl -db "$db" demo >/dev/null
ctl -db "$db" sync -server "$server" -token "$token" >/dev/null

# A second device signs in, pulls the household and fills the next free
# slot of box 2; this device, not synced since, fills the same slot: at
# the app's first sync the server moves one, and the app shows the label
# to change. The app shows the moves of its own syncs only, so the server
# and this device are kept as they are now and put back before each shot:
# every signed-in shot shows the same relabel line.
printf '%s\n' "$password" | ctl -db "$db_other" login -server "$server" -email "$email" -name "Kitchen tablet" >/dev/null
ctl -db "$db_other" sync >/dev/null
ctl -db "$db_other" product add -freezer "frigo 1" -box 2 -name "petits pois" -type 43 -period 6 >/dev/null
ctl -db "$db_other" sync >/dev/null
ctl -db "$db" product add -freezer "frigo 1" -box 2 -name "sorbet citron" -type 24 -period 6 >/dev/null
server_stop
cp -a "$tmp/server" "$tmp/server.saved"
cp -a "$tmp/in" "$tmp/in.saved"
restore() {
  server_stop
  rm -rf "$tmp/server" "$tmp/in"
  cp -a "$tmp/server.saved" "$tmp/server"
  cp -a "$tmp/in.saved" "$tmp/in"
  server_start "$addr"
}

start_x() { # start_x WIDTHxHEIGHT
  # The screen is twice the window's size: the window sits at its top left
  # corner and the pointer, put at the screen's centre, stays off it (no
  # hover highlight in the shots).
  local w=${1%x*} h=${1#*x}
  for n in $(seq 90 130); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
      export DISPLAY=":$n"
      Xvfb "$DISPLAY" -screen 0 "$((2 * w))x$((2 * h))x24" -nolisten tcp >/dev/null 2>&1 &
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

shot() { # shot NAME DB SIZE ARGS...
  local name=$1 dbfile=$2 size=$3
  shift 3
  if [ "$dbfile" = "$db" ]; then restore; fi
  pin_clock
  HOME="${dbfile%/"$home_db"}" "$tmp/freezer" -db "$dbfile" -sample -size "$size" "$@" >"$tmp/$name.log" 2>&1 &
  local app=$!
  sleep "$wait_s"
  if ! kill -0 "$app" 2>/dev/null; then
    echo "screenshots: the app exited early for $name:" >&2
    tail -20 "$tmp/$name.log" >&2
    exit 1
  fi
  # Capture; a frame not painted yet is one flat colour: wait and retry.
  for try in 1 2 3; do
    xwd -root -silent | convert xwd:- -crop "$size+0+0" +repage -strip "$tmp/$name.png"
    [ "$(convert "$tmp/$name.png" -format %k info:)" -gt 16 ] && break
    sleep 3
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  if [ "$dbfile" = "$db" ] && ! ctl -db "$db" status | grep -q '^relabel:'; then
    echo "screenshots: $name: the app did not sync the slot collision in time (try WAIT=10):" >&2
    ctl -db "$db" status >&2
    tail -20 "$tmp/$name.log" >&2
    exit 1
  fi
  keep_or_replace "$name"
}

# keep_or_replace NAME: the new capture replaces docs/screenshots/NAME.png
# only when more than a text cursor's worth of pixels (64) differ by more
# than 2%: an unchanged screen leaves the committed file byte for byte.
keep_or_replace() {
  local name=$1 diff
  if [ -f "$out/$name.png" ]; then
    diff=$(compare -metric AE -fuzz 2% "$out/$name.png" "$tmp/$name.png" null: 2>&1 || true)
    if [[ "$diff" =~ ^[0-9]+$ ]] && [ "$diff" -le 64 ]; then
      echo "unchanged $out/$name.png"
      return
    fi
  fi
  cp "$tmp/$name.png" "$out/$name.png"
  echo "saved $out/$name.png"
}

screens="overview products boxmap trends settings"
start_x 1280x800
for theme in light dark; do
  for s in $screens; do
    shot "$s-$theme" "$db" 1280x800 -screen "$s" -theme "$theme" -lang en
  done
done
shot "overview-fr-light" "$db" 1280x800 -screen overview -theme light -lang fr
shot "products-fr-light" "$db" 1280x800 -screen products -theme light -lang fr
shot "add-form-light" "$db" 1280x800 -screen add -theme light -lang en
shot "settings-signed-out-light" "$db_out" 1280x800 -screen settings -theme light -lang en
stop_x

start_x 800x1280
for s in $screens add; do
  shot "$s-tablet" "$db" 800x1280 -screen "$s" -theme light -tablet -lang en
done
shot "settings-signed-out-tablet" "$db_out" 800x1280 -screen settings -theme light -tablet -lang en
shot "products-fr-tablet" "$db" 800x1280 -screen products -theme light -tablet -lang fr
stop_x

# Half a laptop screen, in French (the longest strings).
start_x 600x900
shot "overview-fr-narrow" "$db" 600x900 -screen overview -theme light -lang fr
shot "settings-fr-narrow" "$db" 600x900 -screen settings -theme light -lang fr
shot "products-fr-narrow" "$db" 600x900 -screen products -theme light -lang fr
stop_x
