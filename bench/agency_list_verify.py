#!/usr/bin/env python3
"""Checks a GET /clients body against agency_list_dataset.py's expected counts.

agency_list_verify.py BODY.json EXPECTED.json   (exit 1 and a reason when anything differs)
"""
import json
import sys

body = json.load(open(sys.argv[1]))
expected = json.load(open(sys.argv[2]))
problems = []
if len(body) != len(expected):
    problems.append(f"{len(body)} clients listed, {len(expected)} expected")
names = [c["name"] for c in body]
if names != sorted(names, key=lambda s: s.encode()):
    problems.append("not ordered by name")
campaigns = links = 0
for c in body:
    want = expected.get(c["id"])
    if want is None:
        problems.append(f"unexpected client {c['id']}")
    elif [c["campaignsCount"], c["linksCount"]] != want:
        problems.append(f"{c['id']}: {c['campaignsCount']}/{c['linksCount']}, want {want}")
    if set(c) != {"id", "name", "campaignsCount", "linksCount", "createdAt"}:
        problems.append(f"{c['id']}: keys {sorted(c)}")
    campaigns += c["campaignsCount"]
    links += c["linksCount"]
if problems:
    print("counts WRONG:", "; ".join(problems[:10]), file=sys.stderr)
    sys.exit(1)
print(f"counts verified: {len(body)} clients, {campaigns} campaigns, {links} links")
