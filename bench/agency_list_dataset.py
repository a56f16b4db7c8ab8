#!/usr/bin/env python3
"""Writes the agency list benchmark's dataset and the counts it expects.

agency_list_dataset.py OUT.json EXPECTED.json [--clients N] [--campaigns N] [--links N]

Campaigns are spread unevenly over the clients (some have none, some many) and links unevenly
over the campaigns, so a wrong join or a count of the wrong rows shows. The totals are exact.
The user `bench@example.com` has the token `bench-token`. A second company with its own
clients checks that the list stays in scope.
"""
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("expected")
parser.add_argument("--clients", type=int, default=10_000)
parser.add_argument("--campaigns", type=int, default=50_000)
parser.add_argument("--links", type=int, default=500_000)
parser.add_argument("--other-clients", type=int, default=500,
                    help="clients of a second company the bench user cannot see")
args = parser.parse_args()

n = args.clients
clients = []
for i in range(1, n + 1):
    clients.append({
        "id": i, "company_id": 1,
        # Names in an order that is not the id order.
        "name": f"Client {(i * 7919) % n:06d}-{i}",
        "uuid": f"{i:08x}-0000-4000-8000-{i:012x}",
        "created_at": "2026-01-15T08:00:00.123456Z", "updated_at": "2026-01-15T08:00:00Z"})
for k in range(1, args.other_clients + 1):
    i = n + k
    clients.append({"id": i, "company_id": 2, "name": f"Other {k:06d}",
                    "uuid": f"{i:08x}-0000-4000-9000-{i:012x}",
                    "created_at": "2026-01-15T08:00:00Z", "updated_at": "2026-01-15T08:00:00Z"})

campaigns = []
expected = {c["uuid"]: [0, 0] for c in clients if c["company_id"] == 1}
by_id = {c["id"]: c["uuid"] for c in clients}
links_left = args.links
for j in range(args.campaigns):
    # Quadratic residues: uneven, with many clients left without campaigns.
    owner = (j * j + 3 * j) % n + 1
    links = j % 21 if j < args.campaigns - 1 else 0
    links = min(links, links_left)
    if j == args.campaigns - 1:
        links = links_left  # the last campaign takes the rest: the total is exact
    links_left -= links
    campaigns.append({"id": f"c{j:07x}-0000-4000-8000-{j:012x}", "client_id": owner,
                      "name": f"Campaign {j}", "links": links})
    expected[by_id[owner]][0] += 1
    expected[by_id[owner]][1] += links
# Campaigns of the other company's clients must not be counted for anyone in scope.
for k in range(1, args.other_clients + 1):
    campaigns.append({"id": f"d{k:07x}-0000-4000-8000-{k:012x}", "client_id": n + k,
                      "name": "Other campaign", "links": 1000})

doc = {
    "format": "clientgate-dataset/1",
    "companies": [{"id": 1, "title": "Bench Agency", "slug": "bench"},
                  {"id": 2, "title": "Other Agency", "slug": "other"}],
    "users": [{"id": 1, "name": "Bench", "email": "bench@example.com",
               "memberships": [{"company_id": 1, "role": "resource"}],
               "tokens": [{"token": "bench-token"}]}],
    "clients": clients,
    "campaigns": campaigns,
}
with open(args.out, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
with open(args.expected, "w") as f:
    json.dump(expected, f)
