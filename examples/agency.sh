#!/usr/bin/env bash
# A walk through every agency endpoint against the running demo (scripts/demo.sh).
# demo-admin-token acts for both demo companies; a create goes to its first, Design Studio.
set -u
BASE=${BASE:-http://127.0.0.1:8080}
AUTH=(-H "Authorization: Bearer demo-admin-token")
JSON=(-H "Content-Type: application/json")
show() { echo; echo "\$ $*"; "$@" -s -w '\n-> HTTP %{http_code}\n'; }

# Acme Corporation is demo client 1.
ACME=00000001-e89b-42d3-a456-426614174001

show curl "${AUTH[@]}" "$BASE/clients"
show curl "${AUTH[@]}" "$BASE/clients/$ACME"
created=$(curl -s "${AUTH[@]}" "${JSON[@]}" -d '{"name":"  New Client Inc  "}' "$BASE/clients")
echo; echo "POST /clients -> $created"
id=$(echo "$created" | sed -n 's/^{"id":"\([0-9a-f-]*\)".*/\1/p')
show curl "${AUTH[@]}" "$BASE/clients/$id"
show curl "${AUTH[@]}" -X PUT "${JSON[@]}" -d '{"name":"New Client Incorporated"}' "$BASE/clients/$id"
show curl "${AUTH[@]}" -X DELETE "$BASE/clients/$id"

echo; echo "# errors"
show curl "$BASE/clients"                                                       # 401
show curl -H "Authorization: Bearer wrong" "$BASE/clients"                      # 401
show curl "${AUTH[@]}" "$BASE/clients/$id"                                      # 404: deleted
show curl -H "Authorization: Bearer demo-other-token" "$BASE/clients/$ACME"     # 404: other company
show curl "${AUTH[@]}" "$BASE/clients/0000000e-e89b-42d3-a456-426614174014"     # 404: soft-deleted
show curl "${AUTH[@]}" "$BASE/clients/42"                                       # 400: not a UUID
show curl "${AUTH[@]}" "${JSON[@]}" -d '{"name":"  ab "}' "$BASE/clients"       # 400: too short
show curl "${AUTH[@]}" "${JSON[@]}" -d '{"name":7}' "$BASE/clients"             # 400: not a string
show curl "${AUTH[@]}" "${JSON[@]}" -d '{"name":' "$BASE/clients"               # 400: malformed
show curl "${AUTH[@]}" "${JSON[@]}" -d '{"name":"Acme Corporation"}' "$BASE/clients"  # 409
show curl "${AUTH[@]}" -X PUT "${JSON[@]}" -d '{"name":"Beta Industries"}' "$BASE/clients/$ACME"  # 409
show curl "${AUTH[@]}" -X PATCH "$BASE/clients" -D -                            # 405 + Allow
