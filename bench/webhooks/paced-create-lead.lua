-- bench/sales/create-lead.lua at a fixed pace: each connection waits DELAY_MS before each request, so
-- connections x 1000 / (DELAY_MS + latency) requests per second at most.
dofile("bench/sales/create-lead.lua")
local pause = tonumber(os.getenv("DELAY_MS") or "20")
function delay()
  return pause
end
