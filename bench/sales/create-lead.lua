-- POST /leads with a unique name and e-mail per request (wrk; TOKEN and EMPLOYEE from the environment).
local token = os.getenv("TOKEN")
local employee = os.getenv("EMPLOYEE")
local run = os.getenv("RUN") or tostring(os.time())
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
request = function()
  counter = counter + 1
  -- run id + thread + counter: unique across the warm-up and measured runs, so no request is a duplicate (409)
  local name = string.format("wrk-%s-%d-%d", run, tid, counter)
  local body = '{"name":"' .. name .. '","contact_email":"' .. name .. '@bench.test","assigned_to":' .. employee
      .. ',"expected_revenue":1234.56,"source":"bench"}'
  return wrk.format("POST", "/leads", {["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end
