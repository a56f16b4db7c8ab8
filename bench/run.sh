#!/usr/bin/env bash
# The clientgate benchmark: Release build, 100,000 generated clients, wrk with 50 connections
# for 10 s after a 3 s warm-up, and nginx serving one client's JSON as a static file as the
# ceiling (measured before and after clientgate, the mean of the two). Prints req/s, p50, p99
# and the ratio to nginx per scenario, and peak RSS. Every dialect's GET one and list of 25
# (agency: its whole list, a company of 25) are measured with their own ratio.
#
#   bench/run.sh                  # everything
#   CLIENTS=20000 DURATION=5 bench/run.sh
#   SCENARIOS=memberships bench/run.sh   # only these groups (comma-separated): json_v1,
#                                        # memberships, legacy_xml, dialects (ninja, agency
#                                        # and intervals reads)
#
# memberships: json_v1 GET one and a list of 25 by callers that are administrators of M
# companies (MEMBERSHIPS, default 1,100,10000), every client in the first one: the same
# answers, so any difference is what the caller's memberships cost. ROUNDS=N repeats them.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-100000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
SCENARIOS=${SCENARIOS:-all}
MEMBERSHIPS=${MEMBERSHIPS:-1,100,10000}
ROUNDS=${ROUNDS:-1}
export CLIENTS
want() { [ "$SCENARIOS" = all ] || [[ ",$SCENARIOS," == *",$1,"* ]]; }

source bench/lib.sh
bench_build

work=$(mktemp -d)
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "generating and importing $CLIENTS clients..."
python3 bench/gen_dataset.py "$CLIENTS" --password bench-pass --members-of "$MEMBERSHIPS" \
  >"$work/data.json"
/usr/bin/time -f "import: %e s, peak RSS %M KiB" "$bin" import --db "$work/bench.db" "$work/data.json"

run_wrk() {  # name url script [connections] [ids file: a GET-one script's ids, see wrk/ids.lua]
  local c=${4:-$CONNECTIONS} t=$THREADS
  [ "$c" -lt "$t" ] && t=$c
  cat bench/wrk/report.lua ${5:+bench/wrk/ids.lua} "bench/wrk/$3" >"$work/script.lua"
  export IDS_FILE=${5:-}
  wrk -t"$t" -c"$c" -d"${WARMUP}s" -s "$work/script.lua" "$2" >/dev/null
  local line
  line=$(wrk -t"$t" -c"$c" -d"${DURATION}s" -s "$work/script.lua" "$2" | grep '^RESULT')
  echo "$1 $line" >>"$work/results"
}

# nginx's ceiling: the same machine, a static file with one client's JSON. Measured before
# and after the clientgate scenarios (the machine's speed drifts over minutes); the ceiling is
# the mean of the two.
nginx_setup() {
  mkdir -p "$work/nginx/www" "$work/nginx/tmp"
  chmod 755 "$work" "$work/nginx" "$work/nginx/www"
  printf '%s' '{"id":123,"title":"Acme Corporation","created_at":"2023-01-01T12:00:00.000000Z","updated_at":"2023-01-01T12:00:00.000000Z"}' >"$work/nginx/www/client.json"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  default_type application/json;
  server { listen 127.0.0.1:18089; root $work/nginx/www; }
}
CONF
}
run_nginx() {  # name
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  nginx_pid=$!
  sleep 0.5
  run_wrk "$1" "http://127.0.0.1:18089" static.lua
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
}

nginx_setup
run_nginx nginx_static_before

# The ids a dialect makes up (hashids, UUIDs), one per line, read from a server of their own
# (the whole lists it answers would count in the measured server's peak RSS).
bench_start_server "$work/bench.db" "$work"
ids_of() {  # file url header
  curl -s -H "$3" "$2" | python3 -c 'import json, sys
d = json.load(sys.stdin)
for c in (d["data"] if isinstance(d, dict) else d): print(c["id"])' >>"$1"
}
for page in 1 7 13 20; do
  ids_of "$work/ninja_ids" "$base/api/v1/clients?per_page=5000&page=$page" "X-API-TOKEN: bench-token"
done
ids_of "$work/agency_ids" "$base/clients" "Authorization: Bearer bench-token"

kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

bench_start_server "$work/bench.db" "$work"
rss_kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$server_pid/status"; }

started=$(rss_kib VmRSS)
if want json_v1; then
  run_wrk "json_v1_get_one" "$base" get_one.lua
  run_wrk "json_v1_list_25" "$base" list.lua
  run_wrk "json_v1_list_25_deep" "$base" list_deep.lua
fi
if want memberships; then
  for round in $(seq "$ROUNDS"); do  # rounds interleave the Ms: the machine drifts over minutes
    suffix=""
    [ "$round" -gt 1 ] && suffix="_r$round"
    for m in ${MEMBERSHIPS//,/ }; do
      export TOKEN="bench-token-m$m"
      run_wrk "members_${m}_get_one$suffix" "$base" get_one.lua
      run_wrk "members_${m}_list_25$suffix" "$base" list.lua
    done
  done
  unset TOKEN
fi
peak_rss=$(rss_kib VmHWM)  # json_v1 under load: no password is ever hashed

# legacy_xml: HTTP Basic. The first request pays one Argon2id verification (19 MiB for a
# moment, by design); the stream is measured against the server as it is after that, with
# the peak reset (clear_refs 5) so that only the stream's own memory counts.
xml_note="legacy_xml not measured"
if want legacy_xml && [ "$(curl -s -o /dev/null -w '%{http_code}' -u bench@example.com:bench-pass "$base/clients.xml?start=1&end=1")" = 200 ]; then
  echo 5 >"/proc/$server_pid/clear_refs"
  idle=$(rss_kib VmRSS)
  timing=$(curl -s -o "$work/all.xml" -w '%{time_starttransfer} %{time_total}' -u bench@example.com:bench-pass "$base/clients.xml")
  peak=$(rss_kib VmHWM)
  rows=$(grep -c '<client>' "$work/all.xml" || true)
  xml_note=$(printf 'GET /clients.xml: %s clients, first byte %ss of %ss, peak RSS %d KiB above the warm idle server (%d KiB)' \
    "$rows" ${timing% *} ${timing#* } $((peak - idle)) "$idle")
  run_wrk "legacy_xml_get_one" "$base" legacy_get_one.lua
  run_wrk "legacy_xml_list_25" "$base" legacy_list.lua
fi
echo 5 >"/proc/$server_pid/clear_refs"  # the other dialects' reads: their own peak
if want dialects; then
  run_wrk "ninja_get_one" "$base" ninja_get_one.lua "" "$work/ninja_ids"
  run_wrk "ninja_list_25" "$base" ninja_list.lua
  run_wrk "agency_get_one" "$base" agency_get_one.lua "" "$work/agency_ids"
  run_wrk "agency_list_25" "$base" agency_list.lua
  run_wrk "intervals_get_one" "$base" intervals_get_one.lua
  run_wrk "intervals_list_25" "$base" intervals_list.lua
fi
reads_peak_rss=$(rss_kib VmHWM)  # ninja, agency and intervals reads
if want json_v1; then
  run_wrk "json_v1_create" "$base" create.lua  # last: it adds clients
  # Write latency: one connection (p99 against p50: nothing but the request's own commit).
  run_wrk "json_v1_create_c1" "$base" create.lua 1
fi
wal_mib=$(( $(stat -c %s "$work/bench.db-wal" 2>/dev/null || echo 0) / 1048576 ))
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

# durability = "power_loss": every commit fsynced before its answer; group commit carries it.
printf '[storage]\ndurability = "power_loss"\n' >"$work/power_loss.toml"
bench_start_server "$work/bench.db" "$work" --config "$work/power_loss.toml"
run_wrk "create_power_loss" "$base" create.lua
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
run_nginx nginx_static_after

ceiling=$(awk '$1 ~ /^nginx_static/ {sub("rps=", "", $3); sum += $3; n++} END {printf "%.0f", sum / n}' "$work/results")
echo
printf '%-25s %10s %10s %10s %8s %8s\n' scenario "req/s" "p50 ms" "p99 ms" "x nginx" errors
while read -r name _ rps p50 p99 errors non2xx; do
  rps=${rps#rps=}; p50=${p50#p50_us=}; p99=${p99#p99_us=}
  printf '%-25s %10s %10.3f %10.3f %8.2f %8s\n' "$name" "$rps" "$(echo "$p50/1000" | bc -l)" \
    "$(echo "$p99/1000" | bc -l)" "$(echo "$rps/$ceiling" | bc -l)" "${errors#errors=}/${non2xx#non2xx=}"
done <"$work/results"
echo
echo "clientgate peak RSS under json_v1 load with $CLIENTS clients: $((peak_rss / 1024)) MiB ($peak_rss KiB); after start: $((started / 1024)) MiB"
echo "peak RSS under ninja, agency and intervals reads: $((reads_peak_rss / 1024)) MiB ($reads_peak_rss KiB)"
echo "$xml_note"
echo "WAL file after the json_v1 scenarios: $wal_mib MiB (bound: [storage] wal_bound_pages, 64 MiB)"

# Substring search at a million clients: a store and a server of its own (bench/search.sh).
# SEARCH_CLIENTS=0 leaves it out.
if [ "${SEARCH_CLIENTS:-1000000}" != 0 ]; then
  echo
  bin="$bin" bench/search.sh
fi
