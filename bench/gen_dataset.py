#!/usr/bin/env python3
"""Writes a clientgate-dataset/1 document for benchmarks.

gen_dataset.py CLIENTS [--campaigns-per-client N] [--links-per-campaign N]
               [--members-of M,M,...] > data.json
The user `bench@example.com` has the token `bench-token` (no password: nothing slow to hash).
Every client is in company 1. With --members-of, for each M one more user, `bench-mM@example.com`
with the token `bench-token-mM`, is an administrator of companies 1..M (company 1 first, so
it sees exactly the clients `bench-token` sees); companies 2..max(M) are created empty.
One more company, after those, holds 25 more clients (ids CLIENTS+1..CLIENTS+25), seen only by
the user `agency@example.com` with the token `bench-agency-token`: the agency dialect lists
every client in scope at once, and this is its list of 25.
"""
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("clients", type=int)
parser.add_argument("--campaigns-per-client", type=int, default=0)
parser.add_argument("--links-per-campaign", type=int, default=0)
parser.add_argument("--password", default=None, help="give the bench user this password")
parser.add_argument("--members-of", default="",
                    help="comma-separated membership counts, one more user for each")
args = parser.parse_args()
member_counts = [int(m) for m in args.members_of.split(",") if m]
company_count = max([1] + member_counts)

user = {"id": 1, "name": "Bench", "email": "bench@example.com",
        "memberships": [{"company_id": 1, "role": "administrator", "client_manager": True}],
        "tokens": [{"token": "bench-token"}]}
if args.password:
    user["password"] = args.password

agency_company = company_count + 1
agency_user = {"id": 2 + len(member_counts), "name": "Agency", "email": "agency@example.com",
               "memberships": [{"company_id": agency_company, "role": "administrator",
                                "client_manager": True}],
               "tokens": [{"token": "bench-agency-token"}]}

out = sys.stdout
out.write('{"format":"clientgate-dataset/1",')
out.write('"companies":[{"id":1,"title":"Bench Company","slug":"bench"}')
for c in range(2, company_count + 1):
    out.write(f',{{"id":{c},"title":"Bench Company {c}","slug":"bench-{c}"}}')
out.write(f',{{"id":{agency_company},"title":"Agency Company","slug":"agency"}}')
out.write('],"users":[' + json.dumps(user))
for n, m in enumerate(member_counts):
    out.write("," + json.dumps({
        "id": 2 + n, "name": f"Bench M{m}", "email": f"bench-m{m}@example.com",
        "memberships": [{"company_id": c, "role": "administrator", "client_manager": True}
                        for c in range(1, m + 1)],
        "tokens": [{"token": f"bench-token-m{m}"}]}))
out.write("," + json.dumps(agency_user) + '],"clients":[')
for i in range(1, args.clients + 26):
    if i > 1:
        out.write(",")
    out.write(json.dumps({
        "id": i, "company_id": 1 if i <= args.clients else agency_company, "name": f"Client {i:07d}",
        "email": f"client{i}@example.com",
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}))
out.write('],"campaigns":[')
first = True
for i in range(1, args.clients + 1):
    for k in range(args.campaigns_per_client):
        if not first:
            out.write(",")
        first = False
        out.write(json.dumps({"id": f"00000000-0000-4000-8000-{i:06d}{k:06d}", "client_id": i,
                              "name": f"Campaign {k}", "links": args.links_per_campaign}))
out.write("]}\n")
