# Sourced by the bench scripts (from the repository's top folder): the Release build and a
# server on a free loopback port.

# Builds clientgate in Release into $BUILD_DIR (default build) and sets $bin; with
# CLIENTGATE_BIN set, measures that executable instead (another commit's build, same scenarios).
bench_build() {
  if [ -n "${CLIENTGATE_BIN:-}" ]; then
    bin=$CLIENTGATE_BIN
    return
  fi
  scripts/setup.sh --bench
  BUILD_DIR=${BUILD_DIR:-build}
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target clientgate >/dev/null
  bin="$BUILD_DIR/bin/clientgate"
}

# bench_start_server DB WORKDIR [serve arguments...]: starts `clientgate serve` on a free
# loopback port; sets $server_pid and $base (http://127.0.0.1:PORT). Output goes to
# WORKDIR/serve.out and WORKDIR/serve.log.
bench_start_server() {
  local db=$1 dir=$2
  shift 2
  "$bin" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$dir/serve.out" 2>"$dir/serve.log" &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q "listening on" "$dir/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  base=$(sed -n 's/^clientgate listening on //p' "$dir/serve.out")
  [ -n "$base" ] || { echo "server did not start" >&2; cat "$dir/serve.log" >&2; exit 2; }
}
