#!/usr/bin/env bash
# Builds clientgate and starts it on ./clientgate.db, loading the demo dataset when the
# database is new. Extra arguments go to `clientgate serve` (e.g. --listen 127.0.0.1:9090).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target clientgate

db=${CLIENTGATE_DB:-./clientgate.db}
if [ ! -e "$db" ]; then
  build/bin/clientgate import --db "$db" examples/demo-dataset.json
  cat <<'MSG'
Loaded examples/demo-dataset.json. Demo credentials (user: token / e-mail / password):
  administrator, both companies  demo-admin-token      admin@example.com     demo-admin-pass
  manager, Design Studio         demo-manager-token    manager@example.com   demo-manager-pass
  resource, Design Studio        demo-resource-token   resource@example.com  demo-resource-pass
  executive, Design Studio       demo-executive-token  executive@example.com demo-executive-pass
  administrator, Northwind       demo-other-token      other@example.com     demo-other-pass
  company token (Design Studio)  demo-ninja-token
MSG
fi
echo "Try:  curl -H 'Authorization: Bearer demo-admin-token' http://127.0.0.1:8080/api/v1/clients"
exec build/bin/clientgate serve --db "$db" "$@"
