-- wrk: GET one quiet thread's newest message as bench2, to see whether other requests still get served while a
-- burst of posts hammers one hot thread.
local token = os.getenv("TOKEN")

request = function()
  return wrk.format("GET", "/thread/00000000-0000-4000-8000-000000000002?limit=1",
    { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors_status=%d errors_other=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
