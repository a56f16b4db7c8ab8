#!/usr/bin/env bash
# A walk through every legacy_xml (LiveTimer XML) endpoint against the running demo
# (scripts/demo.sh). HTTP Basic with the user's e-mail and password.
set -u
BASE=${BASE:-http://127.0.0.1:8080}
ADMIN=(-u "admin@example.com:demo-admin-pass")          # client manager in both companies
RESOURCE=(-u "resource@example.com:demo-resource-pass")  # assigned to projects of clients 1-3
XML=(-H "Content-Type: application/xml")
show() { echo; echo "\$ $*"; "$@" -s -D - -o /dev/stdout -w '\n-> HTTP %{http_code}\n' | grep -v -i '^\(date\|connection\|server\):'; }

echo "# lists"
show curl "${ADMIN[@]}" "$BASE/clients.xml"
show curl "${ADMIN[@]}" "$BASE/clients.xml?start=1&end=4"
show curl "${ADMIN[@]}" "$BASE/clients/active.xml?start=3"
show curl "${ADMIN[@]}" "$BASE/clients/inactive.xml"
show curl "${RESOURCE[@]}" "$BASE/clients/my_assignments.xml"
show curl "${RESOURCE[@]}" "$BASE/clients/my_active_assignments.xml"
show curl "${RESOURCE[@]}" "$BASE/clients/my_inactive_assignments.xml"
show curl "${RESOURCE[@]}" "$BASE/clients.xml"  # a resource sees only clients of its projects

echo; echo "# one client, with projects and tasks"
show curl "${ADMIN[@]}" "$BASE/clients/3.xml"
show curl "${ADMIN[@]}" "$BASE/clients/1.xml?include=projects"
show curl "${ADMIN[@]}" "$BASE/clients/1.xml?include=projects,tasks"

echo; echo "# the account named by the Host (first label = company slug)"
show curl "${ADMIN[@]}" -H "Host: northwind.example.com" "$BASE/clients.xml?end=2"

echo; echo "# create, update, delete"
created=$(curl -s -D /tmp/legacy_xml_headers "${ADMIN[@]}" "${XML[@]}" \
  -d '<client><name>ABC Corp</name><active>true</active><code>12345</code><description>One of our best clients</description><url>http://abc.com</url></client>' \
  "$BASE/clients.xml")
echo; echo "POST /clients.xml ->"; grep -i '^location:' /tmp/legacy_xml_headers; echo "$created"
id=$(echo "$created" | sed -n 's/.*<id type="integer">\([0-9]*\)<\/id>.*/\1/p' | head -1)
show curl "${ADMIN[@]}" -X PUT "${XML[@]}" -d '<client><name>ABC Corp &amp; Partners</name><active>false</active></client>' "$BASE/clients/$id.xml"
show curl "${ADMIN[@]}" "$BASE/clients/$id.xml"
show curl "${ADMIN[@]}" -X DELETE "$BASE/clients/$id.xml"

echo; echo "# errors"
show curl "$BASE/clients.xml"                                              # 401
show curl -u "admin@example.com:wrong" "$BASE/clients/1.xml"               # 401
show curl "${ADMIN[@]}" "$BASE/clients/999999.xml"                         # 404
show curl -u "other@example.com:demo-other-pass" "$BASE/clients/1.xml"     # 404: another company's
show curl "${ADMIN[@]}" "$BASE/clients/14.xml"                             # 404: soft-deleted
show curl "${ADMIN[@]}" "$BASE/clients.xml?start=0"                        # 400
show curl "${ADMIN[@]}" "$BASE/clients.xml?include=contacts"               # 400
show curl "${ADMIN[@]}" "${XML[@]}" -d '<client><name></name></client>' "$BASE/clients.xml"   # 422
show curl "${ADMIN[@]}" "${XML[@]}" -d '<client><name>x</nam>' "$BASE/clients.xml"            # 400
show curl "${ADMIN[@]}" "${XML[@]}" -d '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><client><name>&e;</name></client>' "$BASE/clients.xml"  # 400
show curl "${ADMIN[@]}" -H "Content-Type: application/json" -d '{"name":"x"}' "$BASE/clients.xml"  # 415
show curl "${RESOURCE[@]}" "${XML[@]}" -d '<client><name>x</name></client>' "$BASE/clients.xml"  # 403
show curl "${ADMIN[@]}" -X DELETE "$BASE/clients/1.xml"                    # 422: time entries
show curl "${ADMIN[@]}" -X PATCH "$BASE/clients/1.xml"                     # 405 + Allow
