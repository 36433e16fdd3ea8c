-- wrk: a steady mix of requests over every module. Each connection waits DELAY_MS between its requests, so the
-- rate is about CONNECTIONS * 1000 / DELAY_MS per second as long as Relay keeps up (wrk itself is closed-loop).
-- Env: SALES_TOKEN, AGENT_TOKEN (username soak1, participant of every thread in THREADS), ADMIN_TOKEN, EMPLOYEE,
-- THREADS (comma-separated thread ids), DELAY_MS.
local sales = "Bearer " .. os.getenv("SALES_TOKEN")
local agent = "Bearer " .. os.getenv("AGENT_TOKEN")
local admin = "Bearer " .. os.getenv("ADMIN_TOKEN")
local employee = os.getenv("EMPLOYEE")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "100")
local threads = {}
for id in string.gmatch(os.getenv("THREADS"), "[^,]+") do threads[#threads + 1] = id end
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("prefix", string.format("%d-%d-", os.time(), counter))
end

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

delay = function()
  return delay_ms
end

local n = 0
local json = { ["Content-Type"] = "application/json" }

local function get(path, token)
  return wrk.format("GET", path, { ["Authorization"] = token })
end

local function post(path, token, body)
  return wrk.format("POST", path, { ["Authorization"] = token, ["Content-Type"] = "application/json" }, body)
end

request = function()
  n = n + 1
  local r = math.random(100)
  local thread = threads[math.random(#threads)]
  if r <= 20 then
    return get("/leads?limit=50&status=Qualified", sales)
  elseif r <= 28 then
    local id = (prefix or "") .. n .. "-" .. math.random(1e9)
    return post("/leads", sales, string.format(
      '{"name":"soak %s","contact_email":"soak%s@soak.test","assigned_to":%s,"expected_revenue":12.50}', id, id, employee))
  elseif r <= 33 then
    return get("/customers?limit=20", sales)
  elseif r <= 48 then
    return post("/thread/" .. thread .. "/soak1", agent, '{"message":"steady soak message"}')
  elseif r <= 58 then
    return get("/thread/" .. thread .. "?limit=50", agent)
  elseif r <= 63 then
    return get("/users/soak1/threads?limit=20", agent)
  elseif r <= 68 then
    return post("/api/v1/atendimento", agent, string.format(
      '{"id_cliente": %d, "angel": "Soak Angel %d", "polo": "SP - SANTOS", "data_limite": "2021-06-30 15:30",'
      .. ' "data_de_atendimento": "2021-06-29 10:00"}', math.random(1, 5000), math.random(1, 20)))
  elseif r <= 73 then
    return get("/api/v1/indicators/sla/angel?start_date=2021-06-01&end_date=2021-07-31", agent)
  elseif r <= 78 then
    return get("/api/v1/atendimento/angel_productivity?at_most=10", agent)
  elseif r <= 90 then
    -- the merged developer profile: built from the fakes once, then served from Relay's cache
    return post("/api/v1/aggregate", sales, '{"username":"soak"}')
  elseif r <= 95 then
    return get("/api/v1/github/watched-users", sales)
  else
    return get("/api/v1/tokens/me/usage", sales)
  end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f "
    .. "errors_status=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
