-- bench/sales/create-lead.lua at a fixed total rate: RATE requests a second across all wrk threads (each thread
-- takes RATE / THREADS), each request given the next free slot of its thread's schedule; a slot already past is
-- sent at once, so the rate is reached whenever the server keeps up and falls short only when it does not.
dofile("bench/sales/create-lead.lua")
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec_t;
  int clock_gettime(int clock, timespec_t *t);
]]
local clock = ffi.new("timespec_t")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local interval = tonumber(os.getenv("THREADS") or "2") * 1000 / tonumber(os.getenv("RATE") or "500")
local next_slot = nil
function delay()
  local t = now_ms()
  if next_slot == nil or next_slot < t - 1000 then
    next_slot = t -- start, or fallen more than a second behind: do not burst to catch up
  end
  local wait = next_slot - t
  next_slot = next_slot + interval
  return wait > 0 and wait or 0
end
