#!/usr/bin/env bash
# Substring search at a million clients: json_v1 `title`, ninja `name` and `filter`, intervals
# `search`, each with rare, common and short (two-character) needles, wrk with one connection
# (a caller's latency; SEARCH_CONNECTIONS=50 measures throughput, where p50 is mostly the
# queue) for 10 s after a 3 s warm-up. Prints p50/p99 per scenario, the store's size and its index's,
# the time to fill it, the first (uncached) latency of common needles, and peak RSS.
#
#   bench/search.sh                       # a million clients
#   SEARCH_CLIENTS=100000 DURATION=5 bench/search.sh
#   SEARCH_DB=/path/store.db bench/search.sh  # a store filled before (it gets a few creates)
#
# The clients go straight into SQLite (bench/gen_search_db.py, through the same triggers that
# keep the index in step on every write): a JSON import of a million clients needs the whole
# document in memory.
set -euo pipefail
cd "$(dirname "$0")/.."
SEARCH_CLIENTS=${SEARCH_CLIENTS:-1000000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNECTIONS=${SEARCH_CONNECTIONS:-1}
THREADS=${THREADS:-1}

source bench/lib.sh
[ -n "${bin:-}" ] || bench_build

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/search.db"
fill_note="filled in"
if [ -n "${SEARCH_DB:-}" ]; then
  db=$SEARCH_DB
  fill_note="(store given, not filled:"
  fill_s="?)"
else
  echo "search: filling a store with $SEARCH_CLIENTS clients..."
  python3 bench/gen_dataset.py 0 --password bench-pass >"$work/empty.json"
  "$bin" import --db "$db" "$work/empty.json" >/dev/null
  start=$(date +%s.%N)
  python3 bench/gen_search_db.py "$db" "$SEARCH_CLIENTS"
  fill_s="$(echo "$(date +%s.%N) - $start" | bc | cut -d. -f1) s"
fi
sizes=$(python3 - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
mib = lambda where: con.execute(
    "SELECT coalesce(sum(pgsize), 0) / 1048576.0 FROM dbstat WHERE " + where).fetchone()[0]
print("store %.0f MiB, of which the trigram index %.0f MiB (clients %.0f MiB, contacts %.0f MiB)" % (
    mib("1"), mib("name LIKE 'client_search%'"), mib("name = 'clients'"), mib("name = 'contacts'")))
PY
)

bench_start_server "$db" "$work"
rss_kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$server_pid/status"; }

# The first answer to a common needle counts its matches; later ones of the same data find
# the count remembered. Measured here uncached: a create before each search changes the data.
cold=$(for needle in son johnson plumbing ltd group anderson consulting inc son ltd; do
  curl -s -o /dev/null -H 'Authorization: Bearer bench-token' -H 'Content-Type: application/json' \
    -d '{"title":"Cold Cache"}' "$base/api/v1/clients"
  curl -s -o /dev/null -w '%{time_total}\n' -H 'X-API-TOKEN: bench-token' \
    "$base/api/v1/clients?filter=$needle"
done | sort -n | awk '{t[NR] = $1 * 1000} END {printf "p50 %.1f ms, max %.1f ms", t[int((NR + 1) / 2)], t[NR]}')

: >"$work/results"
for dialect in json_v1 ninja_name ninja_filter intervals; do
  for kind in rare common short; do
    cat bench/wrk/report.lua bench/wrk/search.lua >"$work/script.lua"
    export SEARCH_DIALECT=$dialect SEARCH_KIND=$kind
    wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 10s -d"${WARMUP}s" -s "$work/script.lua" "$base" >/dev/null
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 10s -d"${DURATION}s" -s "$work/script.lua" "$base" | grep '^RESULT')
    echo "search_${dialect}_$kind $line" >>"$work/results"
  done
done
peak_rss=$(rss_kib VmHWM)

echo
printf '%-28s %10s %10s %10s %8s\n' scenario "req/s" "p50 ms" "p99 ms" errors
while read -r name _ rps p50 p99 errors non2xx; do
  rps=${rps#rps=}; p50=${p50#p50_us=}; p99=${p99#p99_us=}
  printf '%-28s %10s %10.3f %10.3f %8s\n' "$name" "$rps" "$(echo "$p50/1000" | bc -l)" \
    "$(echo "$p99/1000" | bc -l)" "${errors#errors=}/${non2xx#non2xx=}"
done <"$work/results"
echo
echo "search: $SEARCH_CLIENTS clients $fill_note $fill_s; $sizes; wrk: $CONNECTIONS connection(s)"
echo "search: ninja filter, common needle, first answer after a write (count not remembered): $cold"
echo "search: clientgate peak RSS: $((peak_rss / 1024)) MiB ($peak_rss KiB)"
