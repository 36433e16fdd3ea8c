#!/usr/bin/env python3
"""A local fake of GitHub's gist listing for the gistwatch benchmark.

GET /users/<login>/gists answers after a fixed delay (default 50 ms) with one gist per user and an ETag;
If-None-Match with that ETag gets 304. GET /__stats returns counters (requests, 200s, 304s, the highest number of
requests in flight at once, upstream handling time percentiles); POST /__reset clears them.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DELAY = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.05
lock = threading.Lock()
stats = {"requests": 0, "ok": 0, "not_modified": 0, "in_flight": 0, "max_in_flight": 0, "durations": []}


def reset():
    with lock:
        stats.update(requests=0, ok=0, not_modified=0, max_in_flight=0, durations=[])


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_POST(self):
        if self.path == "/__reset":
            reset()
            self.send(204)
        else:
            self.send(404)

    def do_GET(self):
        if self.path == "/__stats":
            with lock:
                durations = list(stats["durations"])
                body = {k: v for k, v in stats.items() if k != "durations"}
            body["p50_ms"] = percentile(durations, 50)
            body["p99_ms"] = percentile(durations, 99)
            self.send(200, json.dumps(body).encode(), [("Content-Type", "application/json")])
            return
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) != 3 or parts[0] != "users" or parts[2] != "gists":
            self.send(404, b'{"message":"Not Found"}', [("Content-Type", "application/json")])
            return
        started = time.monotonic()
        with lock:
            stats["requests"] += 1
            stats["in_flight"] += 1
            stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
        try:
            time.sleep(DELAY)
            login = parts[1]
            etag = '"%s-v1"' % login
            limits = [("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", "4999"),
                      ("x-ratelimit-reset", str(int(time.time()) + 3600)), ("x-ratelimit-resource", "core"),
                      ("ETag", etag)]
            if self.headers.get("If-None-Match") == etag:
                with lock:
                    stats["not_modified"] += 1
                self.send(304, b"", limits)
            else:
                gist = {"id": "g" + login, "html_url": "https://gist.github.com/%s/g%s" % (login, login),
                        "description": "bench gist of " + login, "public": True,
                        "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:05Z",
                        "files": {"a.txt": {"filename": "a.txt", "language": "Text", "size": 1, "raw_url": "x"}},
                        "owner": {"login": login}}
                with lock:
                    stats["ok"] += 1
                self.send(200, json.dumps([gist]).encode(), [("Content-Type", "application/json")] + limits)
        finally:
            with lock:
                stats["in_flight"] -= 1
                stats["durations"].append((time.monotonic() - started) * 1000)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 18081), Handler)
    server.daemon_threads = True
    server.serve_forever()
