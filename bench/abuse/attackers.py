#!/usr/bin/env python3
"""Abusive clients for bench/abuse.sh, all in one cheap single-threaded process.

attackers.py --port PORT [--slow 500] [--headers 100] [--seconds 14] > summary.json

- "slow": sends a valid request one byte per second (slowloris). The server must cut it
  with its read timeout (408), not wait for the request to end.
- "headers": sends a request line, then header lines forever (a line every
  --header-interval seconds). The server must refuse it once the header limit is passed
  (431), not when the header ends (it never does).

Like a real attacker, neither reads what the server says to stop: each goes on sending
after the answer and after the server's FIN, until a send fails because the server closed
the socket. So both are measured: when the server answered (408/431) and when it really let
go of the connection (after its linger). A connection that was closed is replaced at once,
so the attack keeps its size for the whole run. Only 127.0.0.1 is ever contacted. Everything is bounded: the run lasts --seconds, at
most --max-connects connections are opened, and every socket is closed at the end.
On stdout: one JSON document with what happened (how many were cut, by what, after how long).
"""
import argparse
import collections
import heapq
import json
import random
import resource
import selectors
import socket
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--slow", type=int, default=500, help="connections sending a byte a second")
parser.add_argument("--headers", type=int, default=100, help="connections sending endless headers")
parser.add_argument("--seconds", type=float, default=14.0, help="how long the attack lasts")
parser.add_argument("--byte-interval", type=float, default=1.0)
parser.add_argument("--header-interval", type=float, default=0.1)
parser.add_argument("--header-line-bytes", type=int, default=200)
parser.add_argument("--max-connects", type=int, default=20000)
parser.add_argument("--sample-from", type=float, default=0.0,
                    help="seconds after the start from which the open-connection count is sampled")
args = parser.parse_args()

HOST = "127.0.0.1"  # never anything else
REQUEST = (b"GET /api/v1/clients/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Authorization: Bearer bench-token\r\nAccept: application/json\r\n\r\n")
HEADER_START = b"GET /api/v1/clients/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Attacker:
    __slots__ = ("kind", "sock", "opened", "sent", "lines", "reply", "closed", "status", "answered",
                 "eof")

    def __init__(self, kind, sock, opened):
        self.kind = kind
        self.sock = sock
        self.opened = opened
        self.sent = 0       # bytes of REQUEST sent (slow)
        self.lines = 0      # header lines sent (headers)
        self.reply = b""
        self.closed = False
        self.status = None    # what the server answered, once it did
        self.answered = None  # seconds from connect to the answer
        self.eof = False      # the server shut its side: nothing more to read

    def next_piece(self):
        if self.kind == "slow":
            # After the whole request (never within a run at a byte a second) keep trickling.
            return REQUEST[self.sent:self.sent + 1] if self.sent < len(REQUEST) else b"x"
        if self.lines == 0:
            return HEADER_START
        name = b"X-Filler-%06d: " % self.lines
        return name + b"a" * max(1, args.header_line_bytes - len(name) - 2) + b"\r\n"

    def advance(self, n):
        if self.kind == "slow":
            self.sent += n
        else:
            self.lines += 1


stats = {kind: {"opened": 0, "connect_failures": 0, "answers": [], "closes": [],
                "outcomes": collections.Counter()} for kind in ("slow", "headers")}
selector = selectors.DefaultSelector()
due = []  # heap of (time, sequence, attacker): the next piece to send
sequence = 0
live = {"slow": set(), "headers": set()}
open_samples = []
connects = 0


def interval(kind, eof=False):
    every = args.byte_interval if kind == "slow" else args.header_interval
    # Once the server shut its side, probe more often so its close is seen within 0.5 s.
    return min(every, 0.25) if eof else every


def open_one(kind, now):
    global sequence, connects
    connects += 1
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(2.0)
    try:
        sock.connect((HOST, args.port))
    except OSError:
        stats[kind]["connect_failures"] += 1
        sock.close()
        return
    sock.setblocking(False)
    attacker = Attacker(kind, sock, time.monotonic())
    stats[kind]["opened"] += 1
    live[kind].add(attacker)
    selector.register(sock, selectors.EVENT_READ, attacker)
    sequence += 1
    # Spread the sends over the interval so the server sees a steady trickle, not bursts.
    heapq.heappush(due, (now + random.random() * interval(kind), sequence, attacker))


def finish(attacker, now):
    """The server closed this connection: a send failed."""
    if attacker.closed:
        return
    attacker.closed = True
    if attacker.answered is not None:
        stats[attacker.kind]["answers"].append(attacker.answered)
    stats[attacker.kind]["closes"].append(now - attacker.opened)
    stats[attacker.kind]["outcomes"][attacker.status or "no answer"] += 1
    close(attacker)


def stop_reading(attacker):
    attacker.eof = True
    try:
        selector.unregister(attacker.sock)
    except (KeyError, ValueError):
        pass


def close(attacker):
    attacker.closed = True
    live[attacker.kind].discard(attacker)
    if not attacker.eof:
        stop_reading(attacker)
    attacker.sock.close()


def on_readable(attacker, now):
    try:
        data = attacker.sock.recv(4096)
    except BlockingIOError:
        return
    except OSError:
        return finish(attacker, now)
    if not data:
        return stop_reading(attacker)  # half closed: go on sending until a send fails
    if attacker.status is not None:
        return
    attacker.reply += data
    if b"\r\n" in attacker.reply or len(attacker.reply) > 64:
        line = attacker.reply.split(b"\r\n", 1)[0].split()
        attacker.status = line[1].decode() if len(line) > 1 and line[1].isdigit() else "garbage"
        attacker.answered = now - attacker.opened


def send_due(now):
    global sequence
    while due and due[0][0] <= now:
        _, _, attacker = heapq.heappop(due)
        if attacker.closed:
            continue
        piece = attacker.next_piece()
        if attacker.eof and attacker.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
            finish(attacker, now)  # the reset that answered the previous piece
            continue
        try:
            n = attacker.sock.send(piece)
            if n == len(piece):
                attacker.advance(n)
            elif attacker.kind == "slow":
                attacker.advance(n)
        except BlockingIOError:
            pass  # the server does not read: try again next time
        except OSError:
            finish(attacker, now)
            continue
        sequence += 1
        heapq.heappush(due, (now + interval(attacker.kind, attacker.eof), sequence, attacker))


start = time.monotonic()
end = start + args.seconds
next_sample = start + args.sample_from
while True:
    now = time.monotonic()
    if now >= end:
        break
    # Keep the attack at full size: replace what was cut (a bounded number per turn).
    for kind, want in (("slow", args.slow), ("headers", args.headers)):
        missing = min(want - len(live[kind]), 200)
        for _ in range(max(0, missing)):
            if connects >= args.max_connects or time.monotonic() >= end:
                break
            open_one(kind, time.monotonic())
    now = time.monotonic()
    if now >= next_sample:
        open_samples.append(len(live["slow"]) + len(live["headers"]))
        next_sample += 0.5
    send_due(now)
    wait = 0.05
    if due:
        wait = min(wait, max(0.0, due[0][0] - time.monotonic()))
    for key, _ in selector.select(timeout=wait):
        on_readable(key.data, time.monotonic())

now = time.monotonic()
summary = {"seconds": round(now - start, 2), "connects": connects,
           "open_attackers_min": min(open_samples, default=0),
           "open_attackers_max": max(open_samples, default=0)}
for kind in ("slow", "headers"):
    answers = sorted(stats[kind]["answers"])
    closes = sorted(stats[kind]["closes"])
    ages = sorted(now - a.opened for a in live[kind])

    def pick(values, q):
        return round(values[min(len(values) - 1, int(q * len(values)))], 2) if values else None

    summary[kind] = {
        "target": args.slow if kind == "slow" else args.headers,
        "opened": stats[kind]["opened"],
        "connect_failures": stats[kind]["connect_failures"],
        "cut": len(closes),
        "cut_by": dict(stats[kind]["outcomes"]),
        "answered_after_s": {"min": pick(answers, 0), "p50": pick(answers, 0.5),
                             "max": pick(answers, 1.0)},
        "closed_after_s": {"min": pick(closes, 0), "p50": pick(closes, 0.5),
                           "max": pick(closes, 1.0)},
        "answered_not_yet_closed": sum(1 for a in live[kind] if a.status is not None),
        "open_at_end": len(ages),
        "oldest_open_at_end_s": round(ages[-1], 2) if ages else None,
    }
    for attacker in list(live[kind]):
        close(attacker)
json.dump(summary, sys.stdout, indent=1)
sys.stdout.write("\n")
