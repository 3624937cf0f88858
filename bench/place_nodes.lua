-- Places orders through the public API like bench/place.lua, for bench/nodes.sh:
-- the Idempotency-Key and the address carry the run's name (env DJ_RUN), so that
-- several runs on one database neither repeat a key (a repeat writes nothing) nor
-- reach the per-address limit of 10 an hour.
local run = os.getenv("DJ_RUN") or "0"
local base = tonumber(run) or 0
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function request()
  counter = counter + 1
  local n = (base * 4 + tid) * 1000000 + counter
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = '{"kind":"need","content":"路灯坏了，晚上出行不便","org":"CJZ-CJC","contact_name":"王大爷","contact_phone":"13800001111"}'
  return wrk.format("POST", "/api/v1/public/orders", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("nodes-%s-%d-%d", run, tid, counter),
    ["X-Real-IP"] = ip,
  }, body)
end
