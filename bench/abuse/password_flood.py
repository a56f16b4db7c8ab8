#!/usr/bin/env python3
"""Wrong passwords as fast as the server answers, for bench/abuse.sh (SCENARIO=password_flood).

password_flood.py --port PORT [--connections 16] [--seconds 14] [--email bench@example.com]
    > summary.json

Each connection is a keep-alive loop of `GET /clients.xml` (legacy_xml, Basic credentials):
every other request a random e-mail that does not exist, the others a real account with a
wrong password. Each sends its next request as soon as the previous answer is read, like the
probe of issue 19. Only 127.0.0.1 is contacted; the run lasts --seconds; every socket is
closed at the end. On stdout: the statuses counted, requests per second, and how long the
answers took.
"""
import argparse
import base64
import collections
import json
import random
import socket
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--connections", type=int, default=16)
parser.add_argument("--seconds", type=float, default=14.0)
parser.add_argument("--email", default="bench@example.com")
args = parser.parse_args()

lock = threading.Lock()
statuses = collections.Counter()
latencies = []
retry_after = collections.Counter()
reconnects = [0]
end = time.monotonic() + args.seconds


def read_response(sock, buf):
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    length = int(fields.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        rest += chunk
    return status, fields, rest[length:], fields.get("connection", "").lower() == "close"


def flood(index):
    rng = random.Random(index)
    sock, buf = None, b""
    n = 0
    while time.monotonic() < end:
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", args.port), timeout=30)
            buf = b""
        n += 1
        email = args.email if n % 2 == 0 else f"nobody-{index}-{rng.getrandbits(48):x}@example.com"
        credentials = base64.b64encode(f"{email}:wrong-{n}".encode()).decode()
        request = (f"GET /clients.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Authorization: Basic {credentials}\r\n\r\n").encode()
        started = time.monotonic()
        try:
            sock.sendall(request)
            status, fields, buf, close = read_response(sock, buf)
        except (OSError, ConnectionError):
            sock.close()
            sock = None
            with lock:
                reconnects[0] += 1
            continue
        took = time.monotonic() - started
        with lock:
            statuses[status] += 1
            latencies.append(took)
            if "retry-after" in fields:
                retry_after[fields["retry-after"]] += 1
        if close:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()


started = time.monotonic()
threads = [threading.Thread(target=flood, args=(i,)) for i in range(args.connections)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - started
latencies.sort()


def pick(q):
    return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else None


print(json.dumps({
    "connections": args.connections,
    "seconds": round(elapsed, 1),
    "requests": sum(statuses.values()),
    "rps": round(sum(statuses.values()) / elapsed, 1),
    "statuses": {str(k): v for k, v in sorted(statuses.items())},
    "retry_after": dict(retry_after.most_common(5)),
    "reconnects": reconnects[0],
    "ms": {"p50": pick(0.5), "p99": pick(0.99), "max": pick(1.0)},
}))
