-- wrk: POST /thread/{id}/bench1 to a random benchmark thread (THREADS of them), as the bench1 token.
local threads = tonumber(os.getenv("THREADS") or "100")
local token = os.getenv("TOKEN")
local body = '{"message":"hello from wrk"}'

math.randomseed(os.time())

request = function()
  local id = string.format("00000000-0000-4000-8000-%012d", math.random(1, threads))
  return wrk.format("POST", "/thread/" .. id .. "/bench1",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f errors_status=%d errors_other=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
