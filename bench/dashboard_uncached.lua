-- The dashboard API with a token (env DJ_TOKEN) for a period that changes with
-- every request (this year, from a random day of January–June to a random day
-- of July–November: ~27,000 periods), so that the answer cache (figures.h
-- figure_count) misses: what a request costs when it is counted.
-- env DJ_PATH: "/api/v1/dashboard?org=CODE"; DJ_YEAR: the year.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("DJ_TOKEN")
local base, year = os.getenv("DJ_PATH"), os.getenv("DJ_YEAR")
local days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
math.randomseed(os.time())
local function day(m0, m1)
  local m = math.random(m0, m1)
  return string.format("%s-%02d-%02d", year, m, math.random(1, days[m]))
end
request = function()
  return wrk.format("GET", string.format("%s&from=%s&to=%s", base, day(1, 6), day(7, 11)))
end
