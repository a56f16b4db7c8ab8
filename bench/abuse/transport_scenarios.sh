# Sourced by bench/abuse.sh (issue 19): the transport scenarios, each measured against the
# same server as the rest of the script. Uses abuse.sh's $bin, $work, $port, $server_pid,
# run_wrk, field, rss_kib and $DURATION. Each prints normal traffic's throughput alone and
# under the abuse, their ratio, the server's peak RSS during the abuse, and what the abusers
# saw; each returns 1 when normal traffic kept less than TRANSPORT_TARGET (default 0.80).
#
#   IDLE=10000 IDLE_SOURCES=10    idle sockets, from 127.0.0.2..127.0.0.11
#   CHUNKERS=16 CHUNK_RATE=4194304 endless chunk extensions, bytes a second each

IDLE=${IDLE:-10000}
IDLE_SOURCES=${IDLE_SOURCES:-10}
CHUNKERS=${CHUNKERS:-16}
CHUNK_RATE=${CHUNK_RATE:-4194304}
TRANSPORT_TARGET=${TRANSPORT_TARGET:-0.80}

# The peak RSS from now on (VmHWM is reset where the kernel allows it).
transport_reset_peak() { echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || true; }

# transport_scenario NAME ATTACKER-ARGS...: wrk alone, then wrk while the attacker runs.
transport_scenario() {
  local name=$1
  shift
  local ramp=3 seconds=$((DURATION + 4))
  echo
  echo "== $name: normal traffic alone, ${DURATION}s..."
  local alone attacked
  alone=$(run_wrk "$DURATION")
  transport_reset_peak
  local rss_before
  rss_before=$(rss_kib VmRSS)
  echo "== $name: the same while the abuse runs ($*)..."
  python3 bench/abuse/transport_attackers.py --port "$port" --seconds "$seconds" "$@" \
    >"$work/$name.json" 2>"$work/$name.err" &
  local attacker=$!
  sleep "$ramp"
  attacked=$(run_wrk "$DURATION")
  wait "$attacker" || { echo "$name attacker failed:" >&2; cat "$work/$name.err" >&2; return 2; }
  local peak
  peak=$(rss_kib VmHWM)
  local ratio
  ratio=$(printf "%.3f" "$(echo "$(field rps "$attacked") / $(field rps "$alone")" | bc -l)")
  echo "$name: normal traffic $(field rps "$alone") req/s alone, $(field rps "$attacked") under" \
    "abuse (errors/non2xx $(field errors "$attacked")/$(field non2xx "$attacked")): ratio $ratio;" \
    "server RSS $((rss_before / 1024)) MiB before, peak $((peak / 1024)) MiB during"
  echo "$name abusers: $(cat "$work/$name.json")"
  [ "$(echo "$ratio >= $TRANSPORT_TARGET" | bc -l)" = 1 ] ||
    { echo "FAIL: $name: normal traffic kept $ratio of its throughput"; return 1; }
}

# 10,000 sockets that never send a byte, from other addresses than wrk's: the per-address
# cap and the oldest-idle-first closing must keep wrk's new connections served.
transport_idle_sockets() {
  transport_scenario idle_sockets --mode idle --count "$IDLE" --sources "$IDLE_SOURCES"
}

# Connections sending one endless chunk extension as fast as CHUNK_RATE: each must be cut at
# the header limit (400), with no growth of the server's memory.
transport_chunk_extensions() {
  transport_scenario chunk_extensions --mode chunk --count "$CHUNKERS" --rate "$CHUNK_RATE"
}
