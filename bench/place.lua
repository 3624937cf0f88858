-- Places orders through the public API: every request has its own
-- Idempotency-Key and, through the loopback-trusted X-Real-IP, its own address,
-- so that neither the double-submit guard nor the per-address limit answers.
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function request()
  counter = counter + 1
  local n = tid * 100000000 + counter
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = '{"kind":"need","content":"路灯坏了，晚上出行不便","org":"CJZ-CJC","contact_name":"王大爷","contact_phone":"13800001111"}'
  return wrk.format("POST", "/api/v1/public/orders", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d", tid, counter),
    ["X-Real-IP"] = ip,
  }, body)
end
