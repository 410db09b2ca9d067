#!/usr/bin/env bash
# Benchmarks freezerd on SQLite and on PostgreSQL side by side, in one run,
# as docs/BENCHMARKS.md ("SQLite and PostgreSQL") reports it. Every run
# measures, one after the other, interleaved so that the machine's load
# drifts over every configuration alike:
#   limit      a server answering the same bytes from memory (limit.go),
#              freezerd's headers included
#   limitb     the same with the body only (Content-Type, Content-Length)
#   sqlite     one freezerd on a SQLite file
#   pg1        one freezerd on PostgreSQL
#   pg2        two freezerd on the same PostgreSQL database, loaded at once
#              by two wrk processes, each with half the connections and
#              threads; their req/s are summed, the worse p99 is kept
# on these routes (rate limits off; the account of server/bench/run.sh):
#   GET /freezers/<token>, GET /get_product/all/0/<token>: keep-alive, close
#   GET /api/v1/sync/pull?cursor=<last>: an idle device's sync (nothing new)
#   PATCH /api/v1/products/<id>: a write, spread over $WRITERS accounts (8)
# and, for each wrk run, the CPU time freezerd and PostgreSQL used per
# request. At the end, the medians over the runs and the ratio of each
# configuration's req/s to SQLite's.
#
# PostgreSQL: FREEZER_BENCH_POSTGRES=postgres://ROLE@HOST:PORT/DB names a
# server whose role may create databases (no CPU figures for it then);
# otherwise the script starts a throwaway cluster in a temporary folder with
# the server's default durability (fsync on, synchronous_commit on,
# full_page_writes on), as root through the postgres user, and deletes it at
# the end. Then it runs the sync round benchmark (sync/synctest) on the same
# cluster: SQLite, PostgreSQL with one instance, with two.
#
# usage: server/bench/compare.sh [duration (10s)] [connections (32)] [runs (3)] [wrk threads (2)]
# needs: go, curl, wrk, python3 (scripts/deps.sh wrk python3), and the
# distribution's PostgreSQL server package unless FREEZER_BENCH_POSTGRES is set.
# BASE_FREEZERD=PATH adds the configuration "base": that freezerd binary (another commit's,
# built with CGO_ENABLED=0 -tags migrated_fynedo) on a SQLite file of its own, measured right
# after "sqlite" on every route, for a before and after in one run.
# SKIP_SYNC=1 skips the Go sync round benchmark; ROUTES="write" (any of
# freezers get_product pull write add_product v1_add) measures only those routes (add_product:
# compat POST /add_product with Connection: close; v1_add: POST /api/v1/products, keep-alive;
# both add new products into the writers' freezers; the default leaves them out).
set -euo pipefail

DURATION=${1:-10s}
CONNS=${2:-32}
RUNS=${3:-3}
THREADS=${4:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
chmod 755 "$WORK"
PIDS=()
PGBIN= PGDATA_DIR= PGAS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -n "$PGDATA_DIR" ]; then "${PGAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "compare.sh: line $LINENO: \"$BASH_COMMAND\" failed (exit status $?)" >&2' ERR

for tool in wrk curl python3 go; do
	command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/deps.sh $tool" >&2; exit 1; }
done
PY=$(python3 -c 'import sys; print(sys.executable)') # not a version manager's shim: it starts slowly
# shellcheck source=server/bench/compare_lib.sh
. "$ROOT/server/bench/compare_lib.sh"

(cd "$ROOT" && CGO_ENABLED=0 go build -tags migrated_fynedo -o "$WORK/freezerd" ./cmd/freezerd)
(cd "$ROOT" && go build -o "$WORK/limit" server/bench/limit.go)

# CONFIGS="limit sqlite" (any of limit limitb sqlite pg1 pg1l pg2) measures only those; without a pg
# configuration no PostgreSQL is started and the sync round is skipped.
PG=1 PGVERSION="PostgreSQL not started"
case " ${CONFIGS:-pg} " in *" pg"*) ;; *) PG= SKIP_SYNC=1 ;; esac
if [ -n "$PG" ]; then
	if [ -n "${FREEZER_BENCH_POSTGRES:-}" ]; then
		ADMIN_URL=$FREEZER_BENCH_POSTGRES
	else
		start_cluster
	fi
	PSQL=psql
	[ -n "$PGBIN" ] && [ -x "$PGBIN/psql" ] && PSQL=$PGBIN/psql
	PGVERSION=$("$PSQL" -tA "$ADMIN_URL" -c "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')")
	for db in bench_pg1 bench_pg2; do
		PGOPTIONS=--client-min-messages=warning "$PSQL" -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
	done
fi
start_freezerd SQLITE "$WORK/bench.db"
fill SQLITE
BASE=
if [ -n "${BASE_FREEZERD:-}" ]; then
	FREEZERD_BIN=$BASE_FREEZERD start_freezerd BASE "$WORK/base.db"
	fill BASE
	BASE=base
fi
if [ -n "$PG" ]; then
	start_freezerd PG1 "$(db_url bench_pg1)"
	start_freezerd PG1L "$(db_url bench_pg1)" -migrate=false -rate-minute 1000000000 -rate-day 1000000000 -client-ip-header X-Forwarded-For
	start_freezerd PG2A "$(db_url bench_pg2)"
	start_freezerd PG2B "$(db_url bench_pg2)" -migrate=false
	for c in PG1 PG2A; do fill "$c"; done
fi
echo "set up in ${SECONDS}s" >&2
if [ -n "$PG" ]; then
	PG2B_TOKEN=$PG2A_TOKEN PG2B_CURSOR=$PG2A_CURSOR PG1L_TOKEN=$PG1_TOKEN PG1L_CURSOR=$PG1_CURSOR
	cp "$WORK/PG2A.writes" "$WORK/PG2B.writes"
	cp "$WORK/PG1.writes" "$WORK/PG1L.writes"
fi
curl -sf -D "$WORK/freezers.head" "http://$SQLITE_ADDR/freezers/$SQLITE_TOKEN" >"$WORK/freezers.json"
curl -sf -D "$WORK/products.head" "http://$SQLITE_ADDR/get_product/all/0/$SQLITE_TOKEN" >"$WORK/products.json"
# Two ceilings: limit answers freezerd's bytes, its headers too; limitb the
# body with Content-Type and Content-Length only (the ceiling before issue 15's end).
"$WORK/limit" 127.0.0.1:0 freezers="$WORK/freezers.json,$WORK/freezers.head" get_product="$WORK/products.json,$WORK/products.head" >"$WORK/limit.addr" &
LIMIT_PID=$!
PIDS+=("$LIMIT_PID")
"$WORK/limit" 127.0.0.1:0 freezers="$WORK/freezers.json" get_product="$WORK/products.json" >"$WORK/limitb.addr" &
LIMITB_PID=$!
PIDS+=("$LIMITB_PID")
for _ in $(seq 100); do [ -s "$WORK/limit.addr" ] && [ -s "$WORK/limitb.addr" ] && break; sleep 0.05; done
LIMITB_ADDR=$(cat "$WORK/limitb.addr") LIMITB_TOKEN=x
LIMIT_ADDR=$(cat "$WORK/limit.addr") LIMIT_TOKEN=x

echo "freezerd $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) CPUs ($(uname -sm)), $(go version | cut -d' ' -f3), $PGVERSION"
echo "/freezers: $(wc -c <"$WORK/freezers.json") bytes; /get_product: $(wc -c <"$WORK/products.json") bytes"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $RUNS runs, rate limits off, writes over ${WRITERS:-8} accounts; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-3s %-30s %-10s %-6s %10s %9s %9s %9s\n' run route connection config "req/s" p99 "fzd ms" "pg ms"
for run in $(seq "$RUNS"); do
	for route in ${ROUTES:-freezers get_product pull write}; do
		modes="keep-alive close"
		case $route in pull | write | v1_add) modes=keep-alive ;; add_product) modes=close ;; esac
		for mode in $modes; do
			configs="limit limitb sqlite $BASE pg1 pg2"
			case $route in pull | write | add_product | v1_add) configs="sqlite $BASE pg1 pg2" ;; esac
			[ "$mode" = keep-alive ] && configs="$configs pg1l"
			for config in $configs; do
				case " ${CONFIGS:-$configs} " in *" $config "*) ;; *) continue ;; esac
				measure "$run" "$route" "$mode" "$config"
			done
		done
	done
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/server/bench/summary.py" "$WORK/results.tsv"

if [ "${SKIP_SYNC:-}" != 1 ]; then
	PGOPTIONS=--client-min-messages=warning "$PSQL" -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS bench_sync" -c "CREATE DATABASE bench_sync" >/dev/null
	echo
	echo "sync round (sync/synctest BenchmarkSyncRoundStores, -benchtime 50x -count $RUNS):"
	(cd "$ROOT" && FREEZER_TEST_BACKENDS=sqlite FREEZER_BENCH_POSTGRES=$(db_url bench_sync) go test -tags migrated_fynedo ./sync/synctest \
		-run '^$' -bench '^BenchmarkSyncRoundStores$' -benchtime 50x -count "$RUNS") | grep -E '^Benchmark|^ok|FAIL'
fi
