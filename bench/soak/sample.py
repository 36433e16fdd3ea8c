#!/usr/bin/env python3
"""Samples a running Relay every INTERVAL seconds into a CSV until told to stop (SIGTERM), then prints a summary.

Columns: elapsed seconds; heap used now; heap live after the last GC (Actuator jvm.gc.live.data.size: the old
generation after reclamation); old generation used; Hikari active / idle / pending; live platform threads; RSS.
Usage: sample.py BASE ADMIN_TOKEN PID CSV [INTERVAL]
"""
import csv, json, signal, sys, time, urllib.request

base, token, pid, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def metric(name, tag=None):
    url = f"{base}/actuator/metrics/{name}" + (f"?tag={tag}" if tag else "")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = json.load(response)
    return next(m["value"] for m in body["measurements"] if m["statistic"] in ("VALUE", "COUNT"))


def rss_mb():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


MB = 1024 * 1024
columns = ["elapsed_s", "heap_used_mb", "heap_live_after_gc_mb", "old_gen_used_mb", "hikari_active", "hikari_idle",
           "hikari_pending", "threads_live", "rss_mb"]
rows = []
start = time.time()
with open(out, "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(columns)
    while running:
        try:
            row = [round(time.time() - start),
                   round(metric("jvm.memory.used", "area:heap") / MB, 1),
                   round(metric("jvm.gc.live.data.size") / MB, 1),
                   round(metric("jvm.memory.used", "id:G1%20Old%20Gen") / MB, 1),
                   int(metric("hikaricp.connections.active")),
                   int(metric("hikaricp.connections.idle")),
                   int(metric("hikaricp.connections.pending")),
                   int(metric("jvm.threads.live")),
                   round(rss_mb(), 1)]
            writer.writerow(row)
            f.flush()
            rows.append(row)
        except Exception as failure:  # a missed sample is reported, not fatal
            print(f"sample failed: {failure}", file=sys.stderr)
        deadline = time.time() + interval
        while running and time.time() < deadline:
            time.sleep(0.2)

if rows:
    print(f"samples: {len(rows)} over {rows[-1][0]} s")
    for i, name in enumerate(columns[1:], start=1):
        values = [r[i] for r in rows]
        print(f"{name}: start {values[0]} end {values[-1]} min {min(values)} max {max(values)}")
