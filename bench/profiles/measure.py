#!/usr/bin/env python3
"""Side by side, in one run: each provider's own chain walked by a minimal client (the baseline) and Relay's
cold aggregate (refresh: true). Prints the figures as Markdown."""
import json, statistics, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

relay, token, name, gh, bb, rounds, concurrency = (sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
                                                    int(sys.argv[6]), int(sys.argv[7]))


def get(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "bench"})) as r:
        return r.headers, json.loads(r.read())


def github_pages():
    url, pages = f"{gh}/users/{name}/repos?per_page=100&type=owner", 0
    while url:
        headers, _ = get(url)
        pages += 1
        url = None
        for part in (headers.get("Link") or "").split(","):
            if 'rel="next"' in part:
                url = part[part.index("<") + 1:part.index(">")]
    return pages


def bitbucket_pages(with_watchers):
    url, pages, futures = f"{bb}/repositories/{name}?pagelen=100", 0, []
    with ThreadPoolExecutor(concurrency) as pool:
        while url:
            _, body = get(url)
            pages += 1
            if with_watchers:
                futures += [pool.submit(get, v["links"]["watchers"]["href"] + "?pagelen=100") for v in body["values"]]
            url = body.get("next")
        for f in futures:
            f.result()
    return pages


def aggregate():
    req = urllib.request.Request(f"{relay}/api/v1/aggregate", method="POST",
                                 data=json.dumps({"username": name, "refresh": True}).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        body = json.loads(r.read())
        assert body["sources"]["github"]["status"] == "ok" and body["sources"]["bitbucket"]["status"] == "ok", body
        return body


def timed(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


series = {"github_pages": [], "bitbucket_pages": [], "bitbucket_with_watchers": [], "aggregate_cold": []}
aggregate()  # warm-up (JIT, connections)
for _ in range(rounds):
    series["github_pages"].append(timed(github_pages))
    series["bitbucket_pages"].append(timed(lambda: bitbucket_pages(False)))
    series["bitbucket_with_watchers"].append(timed(lambda: bitbucket_pages(True)))
    series["aggregate_cold"].append(timed(aggregate))

print(f"| series ({rounds} rounds) | p50 ms | p99 ms | min ms |")
print("|---|---|---|---|")
for key, values in series.items():
    print(f"| {key} | {statistics.median(values):.0f} | {pct(values, 99):.0f} | {min(values):.0f} |")
chain = max(statistics.median(series["github_pages"]), statistics.median(series["bitbucket_pages"]))
alone = max(statistics.median(series["github_pages"]), statistics.median(series["bitbucket_with_watchers"]))
cold = statistics.median(series["aggregate_cold"])
print()
print(f"ratio aggregate_cold p50 / slower provider's page chain p50 = {cold / chain:.2f}")
print(f"ratio aggregate_cold p50 / slower provider's full fetch alone (Bitbucket incl. watchers, "
      f"concurrency {concurrency}) p50 = {cold / alone:.2f}")
