#!/usr/bin/env bash
# The ninja dialect (Invoice Ninja v5 clients API) against the demo server, endpoint by
# endpoint. Start the server with scripts/demo.sh, then run this script.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
TOKEN=${TOKEN:-demo-ninja-token}   # company token of admin@example.com, Design Studio Inc
H=(-H "X-API-TOKEN: $TOKEN" -H "X-Requested-With: XMLHttpRequest")
show() { echo; echo "# $*"; }

show "List (paged, with meta.pagination)"
curl -s "${H[@]}" "$BASE/api/v1/clients?per_page=2&page=1"; echo

show "Filters: balance (op:value or value:op), name, status, sort"
curl -s "${H[@]}" "$BASE/api/v1/clients?balance=0:gt&sort=name%7Cdesc"; echo
curl -s "${H[@]}" "$BASE/api/v1/clients?status=archived,deleted"; echo

show "Create as the official PHP SDK does (form, bracket notation)"
created=$(curl -s "${H[@]}" -X POST "$BASE/api/v1/clients" \
  --data-urlencode "name=Example Ninja Client" \
  --data-urlencode "contacts[0][first_name]=Ada" \
  --data-urlencode "contacts[0][email]=ada@example.net" \
  --data-urlencode "contacts[0][send_email]=1")
echo "$created"
id=$(echo "$created" | sed -E 's/^\{"data":\{"id":"([^"]+)".*/\1/')

show "Show / edit"
curl -s "${H[@]}" "$BASE/api/v1/clients/$id"; echo
curl -s "${H[@]}" "$BASE/v1/api/clients/$id/edit" -o /dev/null -w "typo path: %{http_code}\n"

show "Partial update (JSON)"
curl -s "${H[@]}" -X PUT -H "Content-Type: application/json" \
  -d '{"city":"Lisbon","settings":{"currency_id":"2"}}' "$BASE/api/v1/clients/$id"; echo

show "Upload a document, then download it"
printf 'hello from clientgate\n' > /tmp/ninja-example.txt
up=$(curl -s "${H[@]}" -X POST -F "_method=PUT" -F "documents[]=@/tmp/ninja-example.txt" \
  "$BASE/api/v1/clients/$id/upload")
echo "$up"
doc=$(echo "$up" | sed -E 's/.*"documents":\[\{"id":"([^"]+)".*/\1/')
curl -s "${H[@]}" "$BASE/api/v1/documents/$doc/download"; echo

show "Bulk archive, restore (form, as the SDK) and delete (JSON, action in the query)"
curl -s "${H[@]}" -X POST -d "action=archive&ids[]=$id" "$BASE/api/v1/clients/bulk" \
  -o /dev/null -w "archive: %{http_code}\n"
curl -s "${H[@]}" -X POST -d "action=restore&ids[]=$id" "$BASE/api/v1/clients/bulk" \
  -o /dev/null -w "restore: %{http_code}\n"
curl -s "${H[@]}" -X POST -H "Content-Type: application/json" -d "{\"ids\":[\"$id\"]}" \
  "$BASE/api/v1/clients/bulk?action=delete" -o /dev/null -w "delete: %{http_code}\n"

show "Soft delete with DELETE, then PUT on it is refused"
curl -s "${H[@]}" -X DELETE "$BASE/api/v1/clients/$id" -o /dev/null -w "%{http_code}\n"
curl -s "${H[@]}" -X PUT -d "name=x" "$BASE/api/v1/clients/$id"; echo

show "Errors"
curl -s -H "X-API-TOKEN: wrong" "$BASE/api/v1/clients"; echo
curl -s "${H[@]}" "$BASE/api/v1/clients/not-a-hashid"; echo
curl -s "${H[@]}" "$BASE/api/v1/clients/12"; echo
curl -s "${H[@]}" "$BASE/api/v1/clients?include=ledger"; echo
curl -s -H "X-API-TOKEN: demo-executive-token" -X POST -d "name=x" "$BASE/api/v1/clients"; echo
curl -s "${H[@]}" -X PATCH "$BASE/api/v1/clients"; echo
