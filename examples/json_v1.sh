#!/usr/bin/env bash
# A walk through every json_v1 endpoint against the running demo (scripts/demo.sh).
set -u
BASE=${BASE:-http://127.0.0.1:8080}
AUTH=(-H "Authorization: Bearer demo-admin-token" -H "Accept: application/json")
show() { echo; echo "\$ $*"; "$@" -s -w '\n-> HTTP %{http_code}\n'; }

show curl "${AUTH[@]}" "$BASE/api/v1/clients"
show curl "${AUTH[@]}" "$BASE/api/v1/clients?company_id=1&per_page=5&page=2"
show curl "${AUTH[@]}" "$BASE/api/v1/clients?title=acme"
show curl "${AUTH[@]}" "$BASE/api/v1/clients/1"
created=$(curl -s "${AUTH[@]}" -H "Content-Type: application/json" \
  -d '{"title":"New Client Corp","company_id":1}' "$BASE/api/v1/clients")
echo; echo "POST /api/v1/clients -> $created"
id=$(echo "$created" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
show curl "${AUTH[@]}" -X PUT -H "Content-Type: application/json" -d '{"title":"Acme Corporation Ltd"}' "$BASE/api/v1/clients/$id"
show curl "${AUTH[@]}" -X DELETE "$BASE/api/v1/clients/$id"
echo; echo "# errors"
show curl -H "Accept: application/json" "$BASE/api/v1/clients"
show curl "${AUTH[@]}" "$BASE/api/v1/clients/999999"
show curl "${AUTH[@]}" "$BASE/api/v1/clients?per_page=0"
show curl "${AUTH[@]}" -H "Content-Type: application/json" -d '{"title":' "$BASE/api/v1/clients"
show curl "${AUTH[@]}" -H "Content-Type: application/json" -d '{"title":"X","company_id":999}' "$BASE/api/v1/clients"
show curl "${AUTH[@]}" -X PATCH "$BASE/api/v1/clients"
show curl -H "Authorization: Bearer demo-other-token" "$BASE/api/v1/clients/1"
