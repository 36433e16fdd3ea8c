#!/usr/bin/env python3
"""Baselines against the same fake: a bare client with N requests in flight (no database, no parsing beyond the
status), and the seed's way (one user after another, no ETag) on a sample. Prints JSON."""
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

base, users, concurrency, sample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def fetch(i):
    started = time.monotonic()
    with urllib.request.urlopen("%s/users/u%05d/gists?per_page=100" % (base, i)) as response:
        response.read()
    return (time.monotonic() - started) * 1000


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


started = time.monotonic()
with ThreadPoolExecutor(concurrency) as pool:
    bounded = list(pool.map(fetch, range(1, users + 1)))
bounded_s = time.monotonic() - started

started = time.monotonic()
sequential = [fetch(i) for i in range(1, sample + 1)]
sequential_s = time.monotonic() - started

print(json.dumps({
    "bounded_client_s": round(bounded_s, 2), "bounded_p50_ms": round(pct(bounded, 50), 1),
    "bounded_p99_ms": round(pct(bounded, 99), 1),
    "sequential_sample_users": sample, "sequential_sample_s": round(sequential_s, 2),
    "sequential_extrapolated_s": round(sequential_s * users / sample, 1),
}))
