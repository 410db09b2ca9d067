#!/usr/bin/env bash
# Benchmarks freezerd as docs/BENCHMARKS.md reports it: wrk, 32 connections
# on loopback, rate limits off, keep-alive and Connection: close, on
#   GET /freezers/<token>           (5 freezers)
#   GET /get_product/all/0/<token>  (48 products, about 16 KB of JSON)
# The account is the seed's sample household replicated to 5 freezers and
# 48 products.
#
# usage: server/bench/run.sh [duration (default 10s)] [connections (default 32)] [wrk threads (default 2)]
# needs: go, curl, wrk (apt-get install -y wrk)
set -euo pipefail

DURATION=${1:-10s}
CONNS=${2:-32}
THREADS=${3:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
PID=
cleanup() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/freezerd" ./cmd/freezerd)
"$WORK/freezerd" -addr 127.0.0.1:0 -db "$WORK/bench.db" -no-rate-limit -log-level warn 2>"$WORK/log" &
PID=$!
# -log-level warn hides the "listening" line: find the port from the process.
ADDR=
for _ in $(seq 100); do
	ADDR=$(ss -ltnpH 2>/dev/null | awk -v pid="pid=$PID," '$0 ~ pid {print $4; exit}')
	[ -n "$ADDR" ] && break
	sleep 0.05
done
[ -n "$ADDR" ] || { echo "freezerd did not start" >&2; cat "$WORK/log" >&2; exit 1; }
BASE="http://$ADDR"

TOKEN=$(curl -sf -X POST "$BASE/api/v1/register" -H 'Content-Type: application/json' \
	-d '{"email": "bench@example.com", "password": "benchmark password"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')

post() { curl -sf -X POST "$BASE/$1/$TOKEN" -H 'Content-Type: application/json' -d "$2" >/dev/null; }

# The seed's sample household (seed-api.md): box slot date_in period name persons description type.
SAMPLE=$(cat <<'ROWS'
1|4|2017-12-26|6|Soupe de Noël|4|Soupe à base de tomates, brocoli et poisson|1
1|5|2018-02-01|1|soupe champignons|1|soupe aux champignons et noix|1
1|6|2018-01-29|12|glace cookies|2|glace vanille aux cookies dough|24
2|2|2017-07-23|12|glace moka|3|glace moka|24
1|2|2017-07-23|12|glace vanille|3|glace à la vanille de Madagascar|24
2|1|2017-05-23|24|filet de dinde|1|filet de dinde cuit|7
3|1|2017-06-17|24|porc|3|porc|7
4|1|2017-11-30|12|filet de veau|3|filet de veau|7
4|2|2017-09-02|12|cabillaud|2|cabillaud premium|13
3|2|2017-09-16|12|cabillaud|2|cabillaud premium|13
ROWS
)
for f in 1 2 3 4 5; do
	post freezers "{\"num_boxes\": 4, \"name\": \"frigo $f\"}"
done
n=0
for f in 1 2 3 4 5; do
	while IFS='|' read -r box slot din period name persons descr type; do
		[ "$n" -ge 48 ] && break
		post add_product "{\"product_name\": \"$name\", \"text_descr\": \"$descr\", \"freezer_id\": $f, \"type_id\": $type,
			\"date_in\": \"$din\", \"period\": $period, \"box_num\": $box, \"prod_num\": $slot, \"quantity\": $persons}"
		n=$((n + 1))
	done <<<"$SAMPLE"
done

FREEZERS="$BASE/freezers/$TOKEN"
PRODUCTS="$BASE/get_product/all/0/$TOKEN"
echo "freezerd $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) CPUs ($(uname -sm)), $(go version | cut -d' ' -f3)"
echo "/freezers: $(curl -sf "$FREEZERS" | wc -c) bytes, $(curl -sf "$FREEZERS" | grep -o freezer_id | wc -l) freezers;" \
	"/get_product: $(curl -sf "$PRODUCTS" | wc -c) bytes, $(curl -sf "$PRODUCTS" | grep -o descr_id | wc -l) products"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, rate limits off"
echo
printf '%-34s %-12s %12s %10s\n' route connection "req/s" p99
for route in freezers get_product; do
	url=$FREEZERS
	[ "$route" = get_product ] && url=$PRODUCTS
	for mode in keep-alive close; do
		hdr=()
		[ "$mode" = close ] && hdr=(-H 'Connection: close')
		wrk -t"$THREADS" -c"$CONNS" -d1s "${hdr[@]}" "$url" >/dev/null # warm up
		out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${hdr[@]}" "$url")
		rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
		p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
		errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' || true)
		label="GET /freezers/<token>"
		[ "$route" = get_product ] && label="GET /get_product/all/0/<token>"
		printf '%-34s %-12s %12s %10s %s\n' "$label" "$mode" "$rps" "$p99" "$errors"
	done
done
