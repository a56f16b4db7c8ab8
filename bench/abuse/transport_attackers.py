#!/usr/bin/env python3
"""Transport abusers for bench/abuse.sh (issue 19), one single-threaded process.

transport_attackers.py --port PORT --mode idle  [--count 10000] [--sources 10] --seconds S
transport_attackers.py --port PORT --mode chunk [--count 16] [--rate 4194304] --seconds S

- "idle": opens --count connections that never send a byte, spread over --sources loopback
  addresses (127.0.0.2, 127.0.0.3, ...: other clients than wrk's 127.0.0.1), and reopens any
  the server closes, so the server stays at its connection limits the whole run. Before the
  fix, 10,000 of them locked every new client out until the idle timeout.
- "chunk": each connection sends a chunked POST whose first chunk-size line never ends: one
  chunk extension, --rate bytes a second per connection. Before the fix the server buffered
  it all (RSS grew by what was sent) until the read timeout.

Only 127.0.0.x is contacted. Bounded: the run lasts --seconds, at most --max-connects
connections are opened, every socket is closed at the end. On stdout: one JSON document.
"""
import argparse
import errno
import json
import os
import resource
import selectors
import socket
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--mode", choices=["idle", "chunk"], required=True)
parser.add_argument("--count", type=int, default=10000)
parser.add_argument("--sources", type=int, default=10)
parser.add_argument("--rate", type=int, default=4 << 20, help="chunk: bytes a second each")
parser.add_argument("--seconds", type=float, default=10.0)
parser.add_argument("--max-connects", type=int, default=100000)
args = parser.parse_args()

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

CHUNK_START = (b"POST /clients.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Type: application/xml\r\n\r\n1;ext=")
PIECE = b"e" * 65536

sel = selectors.DefaultSelector()
start = time.monotonic()
stats = {"mode": args.mode, "target": args.count, "opened": 0, "closed_by_server": 0,
         "connect_failures": 0, "answers": {}, "bytes_sent": 0, "open_max": 0}
open_socks = {}  # sock -> [opened_at, source, answered]


def source_of(i):
    return "127.0.0.%d" % (2 + i % max(1, args.sources)) if args.mode == "idle" else "127.0.0.1"


def open_one(i):
    if stats["opened"] >= args.max_connects:
        return
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.bind((source_of(i), 0))
        err = s.connect_ex(("127.0.0.1", args.port))
    except OSError:
        s.close()
        stats["connect_failures"] += 1
        return
    if err not in (0, errno.EINPROGRESS):
        s.close()
        stats["connect_failures"] += 1
        return
    stats["opened"] += 1
    open_socks[s] = [time.monotonic(), i, False]
    sel.register(s, selectors.EVENT_READ)
    if args.mode == "chunk":
        open_socks[s].append(CHUNK_START)  # what is left to send of the start


def drop(s, by_server):
    sel.unregister(s)
    s.close()
    info = open_socks.pop(s)
    if by_server:
        stats["closed_by_server"] += 1
    if time.monotonic() - start < args.seconds:
        open_one(info[1])


for i in range(args.count):
    open_one(i)



def send_chunk_pieces(elapsed):
    """Each chunk connection sends what its rate allows for `elapsed` seconds (non-blocking)."""
    for s, info in list(open_socks.items()):
        allowed = int(args.rate * elapsed)
        while allowed > 0 and s in open_socks:
            out = (info[3] if info[3] else PIECE)[:allowed]
            try:
                n = s.send(out)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                drop(s, True)
                break
            stats["bytes_sent"] += n
            allowed -= n
            if info[3]:
                info[3] = info[3][n:]


last_tick = time.monotonic()
while time.monotonic() - start < args.seconds:
    now = time.monotonic()
    if args.mode == "chunk" and now - last_tick >= 0.05:
        send_chunk_pieces(now - last_tick)
        last_tick = now
    stats["open_max"] = max(stats["open_max"], len(open_socks))
    for key, mask in sel.select(timeout=0.05):
        s = key.fileobj
        if s not in open_socks:
            continue
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if data:
            info = open_socks[s]
            if not info[2] and data.startswith(b"HTTP/1.1 "):
                info[2] = True
                status = data[9:12].decode()
                stats["answers"][status] = stats["answers"].get(status, 0) + 1
                stats.setdefault("answered_after_s", []).append(round(now - info[0], 2))
            continue
        drop(s, True)

for s in list(open_socks):
    sel.unregister(s)
    s.close()
after = stats.pop("answered_after_s", [])
if after:
    after.sort()
    stats["answered_after_s"] = {"min": after[0], "p50": after[len(after) // 2], "max": after[-1]}
stats["seconds"] = args.seconds
# The attackers share the machine's cores with the server and wrk: what they burn themselves
# is taken from normal traffic too, and says how much of a low ratio is theirs.
stats["attacker_cpu_seconds"] = round(sum(os.times()[:2]), 2)
print(json.dumps(stats))
