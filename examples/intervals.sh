#!/usr/bin/env bash
# A walk through every intervals endpoint (the Intervals "client" resource) against the
# running demo (scripts/demo.sh). The API token is the Basic user name; the password is
# ignored. Accept chooses JSON or XML; Content-Type says what the body is.
set -u
BASE=${BASE:-http://127.0.0.1:8080}
ADMIN=(-u demo-admin-token:X)
JSON=(-H "Accept: application/json")
XML=(-H "Accept: application/xml")
show() { echo; echo "\$ $*"; "$@" -s -w '\n-> HTTP %{http_code}\n'; }

echo "# the collection (10 per page by default, listcount = all that match)"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/"
show curl "${ADMIN[@]}" "${XML[@]}" "$BASE/client/?limit=2"
echo; echo "# filters, sorting, paging"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/?localid=1,2,3"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/?active=f"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/?search=acme,globex"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/?projectsonly=t&sortfield=name&sortdir=desc"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/?sortfield=datecreated&offset=5&limit=3"

echo; echo "# one client (an array of one), JSON and XML, with or without the trailing slash"
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/1/"
show curl "${ADMIN[@]}" "${XML[@]}" "$BASE/client/1"
echo; echo "# a manager sees no administrator-only fields"
show curl -u demo-manager-token:X "${JSON[@]}" "$BASE/client/1/"

echo; echo "# create (POST or PUT without an id): 201 Created"
created=$(curl -s "${ADMIN[@]}" "${JSON[@]}" -H "Content-Type: application/json" \
  -d '{"name":"Intervals Demo Co","email":"hello@demo.test","address":"1 Demo Way\nSpringfield","description":"<p onclick=\"x()\">Notes<script>alert(1)</script></p>"}' \
  "$BASE/client/")
echo; echo "POST /client/ -> $created"
id=$(echo "$created" | sed -n 's/.*"client":\[{"id":"\([0-9]*\)".*/\1/p')
show curl "${ADMIN[@]}" "${XML[@]}" -X PUT -H "Content-Type: application/xml" \
  -d '<client><name>Created from XML</name><phone>555-0100</phone></client>' "$BASE/client/"
echo; echo "# update (PUT or POST with an id): 202 Accepted, only the fields sent change"
show curl "${ADMIN[@]}" "${JSON[@]}" -X PUT -H "Content-Type: application/json" \
  -d '{"phone":"555-0199","active":"f"}' "$BASE/client/$id/"
show curl "${ADMIN[@]}" "${XML[@]}" -X POST -H "Content-Type: application/xml" \
  -d '<client><fax>555-0198</fax></client>' "$BASE/client/$id/"
echo; echo "# delete: 200 OK, no client key"
show curl "${ADMIN[@]}" "${JSON[@]}" -X DELETE "$BASE/client/$id/"

echo; echo "# errors: the same envelope with an error object (code, message, verbose)"
show curl "${JSON[@]}" "$BASE/client/"                                        # 401, code 9
show curl -u demo-manager-token:X "${JSON[@]}" -H "Content-Type: application/json" \
  -d '{"name":"Nope"}' "$BASE/client/"                                        # 403, code 10
show curl "${ADMIN[@]}" "${XML[@]}" "$BASE/client/999999/"                    # 404, code 14
show curl -u demo-other-token:X "${JSON[@]}" "$BASE/client/1/"                # 404: another company's
show curl "${ADMIN[@]}" "${JSON[@]}" -X DELETE "$BASE/client/"                # 400, code 16
show curl "${ADMIN[@]}" "${JSON[@]}" "$BASE/client/?statusid=1"               # 400, code 17
show curl "${ADMIN[@]}" "${XML[@]}" "$BASE/client/?limit=abc"                 # 400, code 18
show curl "${ADMIN[@]}" "${JSON[@]}" -H "Content-Type: application/xml" \
  -d '{"name":"JSON sent as XML"}' "$BASE/client/"                            # 400, code 18
show curl "${ADMIN[@]}" "${JSON[@]}" -H "Content-Type: application/json" \
  -d '[{"name":"an array"}]' "$BASE/client/"                                  # 400, code 18
show curl "${ADMIN[@]}" "${JSON[@]}" -X DELETE "$BASE/client/1/"              # 400, code 18: time entries
