#!/usr/bin/env python3
"""Fills a clientgate SQLite store with generated clients for the search benchmark.

gen_search_db.py DB CLIENTS
DB must already hold the schema, company 1 and the bench user (`clientgate import` of a
dataset with no clients, see bench/run.sh): a million clients go straight into SQLite in a
few seconds, where a JSON import of that size takes minutes and gigabytes of memory.

Names are "<surname> <trade> <suffix>" from fixed lists, so that needles have known
frequencies: "son" is in about a third of the names (Johnson, Anderson, ...), and one name in
a hundred starts with one of 1,000 rare made-up words ("zorvik17"), each in about ten names.
Every client has one contact (first and last name, email, phone).
"""
import random
import sqlite3
import sys

db, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(14)
son = ["Johnson", "Anderson", "Wilson", "Jackson", "Robertson", "Thompson", "Harrison",
       "Richardson", "Peterson", "Nelson"]
other = ["Smith", "Brown", "Miller", "Davis", "Garcia", "Martinez", "Lopez", "Moore", "Taylor",
         "White", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott",
         "Green", "Baker", "Adams", "Hill", "Campbell", "Mitchell", "Carter", "Roberts",
         "Müller", "Østergård", "Ibáñez", "Schröder"]
trades = ["Plumbing", "Bakery", "Consulting", "Logistics", "Dental", "Roofing", "Catering",
          "Design", "Legal", "Motors", "Printing", "Studio", "Farms", "Electric", "Florist"]
suffixes = ["Ltd", "LLC", "Inc", "GmbH", "& Sons", "Group", "Co.", "100% Organic", "S_A"]
firsts = ["Anna", "Ben", "Carla", "Dmitri", "Eve", "Farid", "Grace", "Hugo", "Ines", "Jon"]
rare = ["zorvik%d" % i for i in range(1000)]

con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=OFF")
# The trigram index's segments are merged as rows arrive: with SQLite's default 2 MiB cache a
# transaction of a million rows writes the same pages to the WAL again and again.
con.execute("PRAGMA cache_size=-262144")
start = con.execute("SELECT coalesce(max(id), 0) FROM clients").fetchone()[0]
now = 1704067200000000
batch_clients, batch_contacts = [], []


def flush():
    con.executemany(
        "INSERT INTO clients (id, company_id, name, uuid, number, localid, active, is_deleted,"
        " balance, paid_to_date, credit_balance, created_at, updated_at, client_hash, email,"
        " id_number, custom_value1) VALUES (?,1,?,?,?,?,?,0,0,0,0,?,?,?,?,?,?)", batch_clients)
    con.executemany(
        "INSERT INTO contacts (client_id, first_name, last_name, email, phone, is_primary,"
        " send_email, contact_key, created_at, updated_at) VALUES (?,?,?,?,?,1,1,?,?,?)",
        batch_contacts)
    batch_clients.clear()
    batch_contacts.clear()


for i in range(start + 1, start + count + 1):
    surname = rng.choice(son) if rng.random() < 0.3 else rng.choice(other)
    name = f"{surname} {rng.choice(trades)} {rng.choice(suffixes)}"
    if rng.random() < 0.01:
        name = rng.choice(rare).capitalize() + " " + name
    first = rng.choice(firsts)
    last = rng.choice(son + other)
    batch_clients.append((i, name, "00000000-0000-4000-8000-%012d" % i, "%07d" % i, i,
                          0 if i % 10 == 0 else 1, now, now, "h%039d" % i,
                          f"client{i}@example.com", "ID-%06d" % (i * 7 % 999983),
                          rng.choice(trades)))
    batch_contacts.append((i, first, last, f"{first.lower()}.{i}@example.com",
                           "+1 555 %07d" % i, "k%039d" % i, now, now))
    if len(batch_clients) == 10000:
        flush()
        if i % 100000 == 0:
            con.commit()
flush()
con.commit()
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
