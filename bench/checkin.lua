-- 300 members scanning the QR code of one volunteer activity (issue 12):
-- each request is one member's phone (its own bearer token, bench-volunteer-token-NNNN,
-- round robin over the 300), sending the code of the minute that the
-- organiser's screen shows. A member's first scan checks it in; a scan again
-- within two minutes is answered "已签到" and changes nothing.
local tokens = tonumber(os.getenv("TOKENS") or "300")
local path = os.getenv("SCAN_PATH")
local body = string.format('{"code":"%s"}', os.getenv("SCAN_CODE"))
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function request()
  -- the two threads take alternate members, so the first 300 requests are 300 different phones
  local n = (counter * 2 + tid) % tokens
  counter = counter + 1
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = string.format("Bearer bench-volunteer-token-%04d", n),
  }, body)
end
