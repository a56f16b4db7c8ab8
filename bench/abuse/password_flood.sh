# The password flood (issue 19, item 1), sourced by bench/abuse.sh when SCENARIO=password_flood,
# after the build and with its cleanup trap set (it uses $work, $server_pid, $attack_pid).
#
#   SCENARIO=password_flood bench/abuse.sh
#   SCENARIO=password_flood FLOOD=16 DURATION=8 bench/abuse.sh
#   SCENARIO=password_flood FAILURES_PER_ADDRESS=0 FAILURES_PER_ACCOUNT=0 bench/abuse.sh
#
# 1. normal traffic alone (wrk, json_v1 GET of one client by a random id, keep-alive, with a
#    token: nothing to hash), DURATION s;
# 2. the same while FLOOD connections loop `GET /clients.xml` with Basic credentials, every
#    other one an unknown e-mail, the others bench@example.com with a wrong password
#    (bench/abuse/password_flood.py);
# 3. normal traffic alone again; the baseline is the mean of 1 and 3.
# Prints the ratio (target >= 0.80), what the flood was answered (statuses, how many hashes
# it caused: its 401s), and the server's peak RSS. Exit 1 when the ratio is under 0.80 or
# normal traffic saw errors.

password_flood_scenario() {
  local flood=${FLOOD:-16}
  echo "generating and importing $CLIENTS clients (bench@example.com has a password)..."
  python3 bench/gen_dataset.py "$CLIENTS" --password "bench-pass" >"$work/data.json"
  "$bin" import --db "$work/flood.db" "$work/data.json" >/dev/null
  # The defaults, written out so the run documents what it measured. FAILURES_PER_ADDRESS=0
  # FAILURES_PER_ACCOUNT=0 turn the throttle off: every attempt then costs a hash, as from a
  # flood spread over many addresses, and only the password pool stands between it and
  # normal traffic.
  cat >"$work/flood.toml" <<TOML
[auth]
password_threads = ${PASSWORD_THREADS:-0}
password_queue = 64
failures_per_address = ${FAILURES_PER_ADDRESS:-20}
failures_per_account = ${FAILURES_PER_ACCOUNT:-10}
failure_window_ms = 60000
throttle_entries = 100000
throttled_answer_delay_ms = 1000
TOML
  bench_start_server "$work/flood.db" "$work" --config "$work/flood.toml"
  local port=${base##*:}
  cat bench/wrk/report.lua bench/wrk/get_one.lua >"$work/get_one.lua"
  run_normal() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" -s "$work/get_one.lua" "$base" | grep '^RESULT' ||
      { echo "wrk failed" >&2; exit 2; }
  }
  value() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }

  echo "server: $base (threads: one per core, $(nproc)); $(grep -v '^\[' "$work/flood.toml" | tr '\n' ' ')"
  run_normal "$WARMUP" >/dev/null
  echo "1. normal traffic alone, ${DURATION}s..."
  local alone attacked alone_again
  alone=$(run_normal "$DURATION")
  echo "2. the same while $flood connections flood wrong passwords..."
  python3 bench/abuse/password_flood.py --port "$port" --connections "$flood" \
    --seconds $((RAMP + DURATION + 1)) >"$work/flood.json" 2>"$work/flood.err" &
  attack_pid=$!
  sleep "$RAMP"
  attacked=$(run_normal "$DURATION")
  wait "$attack_pid" || { echo "flood failed:" >&2; cat "$work/flood.err" >&2; exit 2; }
  attack_pid=""
  local peak_rss
  peak_rss=$(awk '$1 == "VmHWM:" {print $2}' "/proc/$server_pid/status")
  echo "3. normal traffic alone again, ${DURATION}s..."
  alone_again=$(run_normal "$DURATION")

  local rps_alone rps_attacked ratio
  rps_alone=$((($(value rps "$alone") + $(value rps "$alone_again")) / 2))
  rps_attacked=$(value rps "$attacked")
  ratio=$(printf "%.3f" "$(echo "$rps_attacked / $rps_alone" | bc -l)")
  echo
  printf '%-26s %10s %10s %10s %8s\n' "normal traffic" "req/s" "p50 ms" "p99 ms" "err/non2xx"
  local name line
  for name in alone attacked alone_again; do
    line=${!name}
    printf '%-26s %10s %10s %10s %8s\n' "$name" "$(value rps "$line")" \
      "$(printf '%.3f' "$(echo "$(value p50_us "$line")/1000" | bc -l)")" \
      "$(printf '%.3f' "$(echo "$(value p99_us "$line")/1000" | bc -l)")" \
      "$(value errors "$line")/$(value non2xx "$line")"
  done
  echo "throughput kept under the password flood: $ratio of the mean alone ($rps_attacked / $rps_alone; target >= 0.80)"
  python3 - "$work/flood.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
st = s["statuses"]
print(f"flood: {s['connections']} connections, {s['seconds']} s, {s['requests']} requests "
      f"({s['rps']}/s), answered {st}; Retry-After {s['retry_after']}; "
      f"answer time p50/p99/max {s['ms']['p50']}/{s['ms']['p99']}/{s['ms']['max']} ms; "
      f"hashes caused (401s): {st.get('401', 0)}")
PY
  echo "server: peak RSS $((peak_rss / 1024)) MiB ($peak_rss KiB)"

  local ok=1
  [ "$(echo "$ratio >= 0.80" | bc -l)" = 1 ] || { echo "FAIL: normal traffic kept $ratio of its throughput"; ok=0; }
  [ "$(value errors "$attacked")" = 0 ] && [ "$(value non2xx "$attacked")" = 0 ] ||
    { echo "FAIL: normal traffic saw errors under the flood"; ok=0; }
  [ "$ok" = 1 ] && echo "OK: normal traffic was not starved by the password flood"
  [ "$ok" = 1 ]
}
