# shellcheck shell=bash
# The functions of server/bench/compare.sh (sourced; it sets WORK, PIDS,
# PGBIN, PGDATA_DIR, PGAS, CONNS, THREADS, DURATION before).

# find_pgbin prints a folder holding initdb and pg_ctl: initdb's folder when
# it is on PATH, else the newest of the distribution's folders.
find_pgbin() {
	local p d best=
	if p=$(command -v initdb 2>/dev/null) && [ -x "$(dirname "$p")/pg_ctl" ]; then
		dirname "$p"
		return
	fi
	for d in /usr/lib/postgresql/*/bin /usr/pgsql-*/bin /usr/local/pgsql/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
	done
	[ -n "$best" ] || {
		echo "PostgreSQL's initdb is neither on PATH nor in the distribution's folders: install the distribution's" \
			"PostgreSQL server package (scripts/deps.sh postgresql), or set FREEZER_BENCH_POSTGRES to a server's URL" >&2
		return 1
	}
	echo "$best"
}

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_cluster starts a throwaway PostgreSQL cluster in $WORK/pg with the
# server's default durability, and sets ADMIN_URL, PGBIN and PGDATA_DIR.
start_cluster() {
	PGBIN=$(find_pgbin)
	local dir=$WORK/pg port
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || {
			echo "as root, the cluster runs as the postgres user, which is missing: install the distribution's PostgreSQL server package" >&2
			exit 1
		}
		chown postgres "$dir"
		PGAS=(runuser -u postgres --)
	fi
	(cd "$dir" && "${PGAS[@]}" "$PGBIN/initdb" -D "$dir/data" -U bench --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1) || {
		echo "initdb failed:" >&2
		cat "$dir/initdb.log" >&2
		exit 1
	}
	port=$(free_port)
	PGDATA_DIR=$dir/data
	(cd "$dir" && "${PGAS[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null) || {
		echo "PostgreSQL did not start:" >&2
		cat "$dir/postgres.log" >&2
		exit 1
	}
	ADMIN_URL="postgres://bench@127.0.0.1:$port/postgres?sslmode=disable"
}

# db_url prints ADMIN_URL with the database $1.
db_url() { sed -E "s#(://[^/]*/)[^?]*#\1$1#" <<<"$ADMIN_URL"; }

# start_freezerd NAME TARGET [FLAGS...] starts a freezerd ($FREEZERD_BIN,
# else the tree's) on a free loopback port and sets NAME_ADDR and NAME_PID.
start_freezerd() {
	local name=$1 target=$2 pid addr=
	shift 2
	"${FREEZERD_BIN:-$WORK/freezerd}" -addr 127.0.0.1:0 -db "$target" -no-rate-limit -log-level warn "$@" 2>"$WORK/$name.log" &
	pid=$!
	PIDS+=("$pid")
	# -log-level warn hides the "listening" line: find the port from the process.
	for _ in $(seq 200); do
		addr=$(ss -ltnpH 2>/dev/null | awk -v pid="pid=$pid," '$0 ~ pid {print $4; exit}')
		[ -n "$addr" ] && break
		sleep 0.05
	done
	[ -n "$addr" ] || { echo "freezerd ($name) did not start:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
	printf -v "${name}_ADDR" %s "$addr"
	printf -v "${name}_PID" %s "$pid"
}

# The seed's sample household (seed-api.md): box slot date_in period name persons description type.
SAMPLE='1|4|2017-12-26|6|Soupe de Noël|4|Soupe à base de tomates, brocoli et poisson|1
1|5|2018-02-01|1|soupe champignons|1|soupe aux champignons et noix|1
1|6|2018-01-29|12|glace cookies|2|glace vanille aux cookies dough|24
2|2|2017-07-23|12|glace moka|3|glace moka|24
1|2|2017-07-23|12|glace vanille|3|glace à la vanille de Madagascar|24
2|1|2017-05-23|24|filet de dinde|1|filet de dinde cuit|7
3|1|2017-06-17|24|porc|3|porc|7
4|1|2017-11-30|12|filet de veau|3|filet de veau|7
4|2|2017-09-02|12|cabillaud|2|cabillaud premium|13
3|2|2017-09-16|12|cabillaud|2|cabillaud premium|13'

register() {
	curl -sf -X POST "$1/api/v1/register" -H 'Content-Type: application/json' \
		-d "{\"email\": \"$2\", \"password\": \"benchmark password\"}" | json_field token
}

# json_field NAME prints the string or number NAME of the JSON object on
# standard input (the first one: enough for these answers).
json_field() { grep -o "\"$1\":\"\?[^\",}]*" | head -1 | sed 's/^[^:]*://; s/"//g'; }

# fill NAME fills the instance NAME as server/bench/run.sh does (5 freezers,
# 48 products) and sets NAME_TOKEN and NAME_CURSOR (the idle device's pull
# cursor); it writes NAME.writes, one "product-path token" line for each of
# $WRITERS (8) more accounts holding one product, which the write route
# updates, and a freezer of 1,000 boxes (its UUID and compat id follow on
# the line), which the add routes fill.
fill() {
	local base token n=0 f i
	base="http://$(eval echo "\$${1}_ADDR")"
	token=$(register "$base" bench@example.com)
	post() { curl -sf -X POST "$base/$1/$token" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
	for f in 1 2 3 4 5; do post freezers "{\"num_boxes\": 4, \"name\": \"frigo $f\"}"; done
	for f in 1 2 3 4 5; do
		while IFS='|' read -r box slot din period name persons descr type; do
			[ "$n" -ge 48 ] && break
			post add_product "{\"product_name\": \"$name\", \"text_descr\": \"$descr\", \"freezer_id\": $f, \"type_id\": $type,
				\"date_in\": \"$din\", \"period\": $period, \"box_num\": $box, \"prod_num\": $slot, \"quantity\": $persons}"
			n=$((n + 1))
		done <<<"$SAMPLE"
	done
	printf -v "${1}_TOKEN" %s "$token"
	# What an idle device asks: its cursor (the last change), and the tag of the product types it holds.
	local pull
	pull=$(curl -sf "$base/api/v1/sync/pull?cursor=0" -H "Authorization: Bearer $token" -H 'Accept-Encoding: identity')
	printf -v "${1}_CURSOR" %s "cursor=$(json_field cursor <<<"$pull")&limit=1000&types=$(json_field types_tag <<<"$pull")"
	: >"$WORK/$1.writes"
	for i in $(seq "${WRITERS:-8}"); do
		local t fz p
		t=$(register "$base" "writer$i@example.com")
		fz=$(curl -sf -X POST "$base/api/v1/freezers" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' \
			-d '{"name": "garage", "boxes": 1000}' | json_field id)
		p=$(curl -sf -X POST "$base/api/v1/products" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' -d '{
			"name": "Soupe de Noël", "type_id": 1, "location": {"freezer_id": "'"$fz"'", "box": 1, "slot": 1},
			"quantity": 4, "date_in": "2017-12-26", "period_months": 6}' | json_field id)
		echo "/api/v1/products/$p $t $fz $(curl -sf "$base/freezers/$t" | json_field freezer_id)" >>"$WORK/$1.writes"
	done
}

# cpu_ms PID... prints the CPU milliseconds the processes and their
# children (running or reaped) have used.
cpu_ms() {
	local pid kids=() hz
	hz=$(getconf CLK_TCK)
	for pid in "$@"; do
		kids+=("$pid")
		while read -r k; do kids+=("$k"); done < <(ps -o pid= --ppid "$pid" 2>/dev/null)
	done
	printf '/proc/%s/stat\n' "${kids[@]}" | xargs cat 2>/dev/null |
		awk -v hz="$hz" '{sub(/.*\) /, ""); t += $12 + $13 + $14 + $15} END {printf "%d\n", t * 1000 / hz}'
}

# uses_pg CONFIG prints 1 when the configuration runs on the throwaway cluster.
uses_pg() {
	case $1 in pg*) [ -n "$PGDATA_DIR" ] && echo 1 && return ;; esac
	echo 0
}

pg_pids() {
	[ -n "$PGDATA_DIR" ] && head -1 "$PGDATA_DIR/postmaster.pid"
	return 0
}

# wrk_lua ROUTE NAME TOKEN writes the wrk script of a route for the instance
# NAME to a file and prints its path. For PG1L (rate limits on) each request
# comes from one of 1,000 client addresses, in X-Forwarded-For.
wrk_lua() {
	local f=$WORK/$1.$2.lua
	{
		[ "$2" = PG1L ] && printf 'local xff = true\n' || printf 'local xff = false\n'
		case $1 in
		pull) printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Accept-Encoding"] = "gzip"\n' "$3" ;;
		write | add_product | v1_add)
			local method=PATCH
			[ "$1" = write ] || method=POST
			echo >>"$WORK/adds" # one line per script: each run of an add route fills boxes of its own
			cat <<LUA
local lines = {}
for l in io.lines("$WORK/$2.writes") do lines[#lines + 1] = l end
wrk.method = "$method"
wrk.headers["Content-Type"] = "application/json"
local route = "$1"
-- Each script and wrk thread adds into 8 boxes of its own of the writers' freezers (slots 1-10,000).
local block = $(($(wc -l <"$WORK/adds") - 1)) * 4
local threads = 0
function setup(thread) thread:set("id", block + threads); threads = threads + 1 end
LUA
			;;
		esac
		cat <<'LUA'
local n = 0
if xff or lines then
  request = function()
    n = n + 1
    local h, path, body = {}, nil, nil
    for k, v in pairs(wrk.headers) do h[k] = v end
    if xff then h["X-Forwarded-For"] = "10.0." .. (n % 4) .. "." .. (n % 250 + 1) end
    if lines then
      local token, fz, num
      path, token, fz, num = lines[n % #lines + 1]:match("(%S+) (%S+) (%S+) (%S+)")
      local box, slot = (id or 0) * 8 + math.floor(n / 10000) % 8 + 1, n % 10000 + 1
      if route == "add_product" then
        path = "/add_product/" .. token
        body = '{"product_name": "soupe ' .. n .. '", "text_descr": "bench", "freezer_id": ' .. num ..
          ', "type_id": 1, "date_in": "2017-12-26", "period": 6, "box_num": ' .. box .. ', "prod_num": ' .. slot .. ', "quantity": 2}'
      elseif route == "v1_add" then
        path = "/api/v1/products"
        h["Authorization"] = "Bearer " .. token
        body = '{"name": "soupe ' .. n .. '", "type_id": 1, "location": {"freezer_id": "' .. fz .. '", "box": ' .. box ..
          ', "slot": ' .. slot .. '}, "quantity": 2, "date_in": "2017-12-26", "period_months": 6}'
      else
        h["Authorization"] = "Bearer " .. token
        body = '{"quantity": ' .. (n % 997 + 1) .. '}'
      end
    end
    return wrk.format(nil, path, h, body)
  end
end
LUA
	} >"$f"
	echo "$f"
}

# route_url CONFIGNAME ROUTE prints the URL wrk loads.
route_url() {
	local addr token cursor
	addr=$(eval echo "\$${1}_ADDR") token=$(eval echo "\$${1}_TOKEN")
	case $2 in
	freezers) echo "http://$addr/freezers/$token" ;;
	get_product) echo "http://$addr/get_product/all/0/$token" ;;
	pull)
		cursor=$(eval echo "\$${1}_CURSOR")
		echo "http://$addr/api/v1/sync/pull?$cursor"
		;;
	write | add_product | v1_add) echo "http://$addr/" ;;
	esac
}

# measure RUN ROUTE MODE CONFIG runs wrk (after a 1 s warm-up) and appends a
# line to results.tsv: run route mode config req/s p99 freezerd-ms/req postgres-ms/req.
measure() {
	local run=$1 route=$2 mode=$3 config=$4 names=() hdr=() pids=() out i c t
	case $config in
	limit) names=(LIMIT) ;;
	limitb) names=(LIMITB) ;;
	sqlite) names=(SQLITE) ;;
	base) names=(BASE) ;;
	pg1) names=(PG1) ;;
	pg1l) names=(PG1L) ;;
	pg2) names=(PG2A PG2B) ;;
	esac
	[ "$mode" = close ] && hdr=(-H 'Connection: close')
	c=$((CONNS / ${#names[@]})) t=$((THREADS / ${#names[@]}))
	[ "$t" -ge 1 ] || t=1
	for i in "${!names[@]}"; do
		local lua
		lua=$(wrk_lua "$route" "${names[$i]}" "$(eval echo "\$${names[$i]}_TOKEN")")
		wrk -t"$t" -c"$c" -d1s -s "$lua" "${hdr[@]}" "$(route_url "${names[$i]}" "$route")" >/dev/null &
	done
	wait_wrk
	for n in "${names[@]}"; do pids+=("$(eval echo "\$${n}_PID")"); done
	local fz0 pg0 fz1 pg1
	fz0=$(cpu_ms "${pids[@]}") pg0=$(cpu_ms "$(pg_pids)")
	for i in "${!names[@]}"; do
		lua=$(wrk_lua "$route" "${names[$i]}" "$(eval echo "\$${names[$i]}_TOKEN")") # add routes: fresh boxes
		wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "$lua" "${hdr[@]}" \
			"$(route_url "${names[$i]}" "$route")" >"$WORK/wrk.$i" &
	done
	wait_wrk
	fz1=$(cpu_ms "${pids[@]}") pg1=$(cpu_ms "$(pg_pids)")
	"$PY" - "$run" "$route" "$mode" "$config" "$((fz1 - fz0))" "$((pg1 - pg0))" "$(uses_pg "$config")" \
		"$WORK"/wrk.[0-9] <<'PY' | tee -a "$WORK/results.tsv" | awk -F'\t' '{printf "%-3s %-30s %-10s %-6s %10s %9s %9s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
import re, sys
run, route, mode, config, fz_ms, pg_ms, has_pg = sys.argv[1:8]
def ms(s):
    v, u = re.match(r"([\d.]+)(us|ms|s|m)", s).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps, p99, reqs, bad = 0.0, 0.0, 0, 0
for path in sys.argv[8:]:
    out = open(path).read()
    rps += float(re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M).group(1))
    p99 = max(p99, ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)))
    reqs += int(re.search(r"^\s+(\d+) requests in", out, re.M).group(1))
    for m in re.finditer(r"(Non-2xx or 3xx responses|Socket errors): (.*)", out):
        bad += 1
        print(f"wrk {config} {route}: {m.group(0)}", file=sys.stderr)
label = {"freezers": "GET /freezers/<token>", "get_product": "GET /get_product/all/0/<token>",
         "pull": "GET /api/v1/sync/pull (idle)", "write": "PATCH /api/v1/products/<id>",
         "add_product": "POST /add_product/<token>", "v1_add": "POST /api/v1/products"}[route]
per = lambda v, on: f"{int(v) / reqs:.3f}" if on and reqs else "-"
print("\t".join([run, label, mode, config, f"{rps:.0f}", f"{p99:.1f}", per(fz_ms, True), per(pg_ms, has_pg == "1")]))
PY
	rm -f "$WORK"/wrk.[0-9]
}

# wait_wrk waits for the wrk processes started in the background.
wait_wrk() {
	local j
	for j in $(jobs -rp); do
		case " ${PIDS[*]} " in *" $j "*) continue ;; esac
		wait "$j" || echo "wrk (pid $j) failed with status $?: this measurement is incomplete" >&2
	done
}
