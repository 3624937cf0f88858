-- Places orders through the public API: every request has its own
-- Idempotency-Key and, through the loopback-trusted X-Real-IP, its own address,
-- so that neither the double-submit guard nor the per-address limit answers.
-- A second run on the same server (bench/writes.sh places orders alone, then
-- beside slow requests) must not repeat the first's keys (it would get their
-- stored answers, which cost less) nor its addresses (their limits): the run's
-- second, modulo 32, takes 5 bits of the address and goes into the key.
local counter = 0
local thread_id = 0
local run = os.time()
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function request()
  counter = counter + 1
  local n = (tid % 2) * 8388608 + (run % 32) * 262144 + counter % 262144
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = '{"kind":"need","content":"路灯坏了，晚上出行不便","org":"CJZ-CJC","contact_name":"王大爷","contact_phone":"13800001111"}'
  return wrk.format("POST", "/api/v1/public/orders", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", run, tid, counter),
    ["X-Real-IP"] = ip,
  }, body)
end
