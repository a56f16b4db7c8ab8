#!/usr/bin/env bash
# The agency list target: GET /clients over 10,000 clients, 50,000 campaigns and 500,000 links
# (plus another company's clients and campaigns that must stay out of the answer), one
# connection. Target: p50 under 50 ms, with every count right.
#
#   bench/agency_list.sh
#   CLIENTS=20000 CAMPAIGNS=100000 LINKS=1000000 DURATION=10 bench/agency_list.sh
#   BUILD_DIR=build-agency bench/agency_list.sh      # an existing Release build directory
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-10000}
CAMPAIGNS=${CAMPAIGNS:-50000}
LINKS=${LINKS:-500000}
DURATION=${DURATION:-10}

source bench/lib.sh
bench_build

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "generating $CLIENTS clients, $CAMPAIGNS campaigns, $LINKS links..."
python3 bench/agency_list_dataset.py "$work/data.json" "$work/expected.json" \
  --clients "$CLIENTS" --campaigns "$CAMPAIGNS" --links "$LINKS"
"$bin" import --db "$work/bench.db" "$work/data.json"

bench_start_server "$work/bench.db" "$work"
url="$base/clients"
auth="Authorization: Bearer bench-token"

# The counts first: a fast wrong answer is no result.
status=$(curl -s -o "$work/body.json" -w '%{http_code}' -H "$auth" "$url")
[ "$status" = 200 ] || { echo "GET /clients answered $status" >&2; exit 1; }
python3 bench/agency_list_verify.py "$work/body.json" "$work/expected.json"
echo "body: $(wc -c <"$work/body.json") bytes"

# Latency at one connection: curl one request at a time (each on a kept-alive connection
# of its own invocation) and, when installed, wrk -c1 -t1 for the percentiles.
for _ in $(seq 5); do curl -s -o /dev/null -H "$auth" "$url"; done  # warm-up
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
: >"$work/times"
ticks_before=$(cpu_ticks)
for _ in $(seq 100); do
  curl -s -o /dev/null -H "$auth" -w '%{time_total}\n' "$url" >>"$work/times"
done
ticks_after=$(cpu_ticks)
# CPU time the server spent per request: what the latency would be on an idle machine, give
# or take the transfer; a busy machine inflates wall times but hardly this.
echo "server CPU per request: $(( (ticks_after - ticks_before) * 1000 / $(getconf CLK_TCK) / 100 )) ms"
sort -n "$work/times" | awk '{t[NR]=$1*1000} END {
  printf "curl, 100 sequential requests: p50 %.1f ms, p90 %.1f ms, max %.1f ms\n",
    t[int(NR*0.5+0.5)], t[int(NR*0.9+0.5)], t[NR]}'

if command -v wrk >/dev/null; then
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "$auth" "$url" >"$work/wrk.txt"
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  rps=$(awk '$1 == "Requests/sec:" {print $2}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  echo "wrk -t1 -c1 ${DURATION}s: p50 $p50, p99 $p99, $rps req/s${non2xx:+, NON-2XX: $non2xx}"
fi
echo "target: p50 under 50 ms"
