-- wrk script: a mix of what logged-in couples do, spread over many couples.
--
-- Each request acts as a person picked at random from the seeded sessions
-- (KINTSUGI_LOAD_TOKENS, written by `kintsugi seed` as `token role` lines,
-- the two partners of a couple on consecutive lines). Pages carry the
-- session cookie as a browser would; writes go through the JSON API with the
-- bearer token, which needs no CSRF token.
--
-- KINTSUGI_LOAD_THINK_MS (default 0) is the mean pause, in milliseconds,
-- a connection takes between two requests, drawn uniformly from 0 to twice
-- that: with it, each connection is a person using the app, and N
-- connections are N people at once; without it, each connection sends its
-- next request the moment the last one is answered, which measures the
-- most the server can do (and makes latency mostly time spent queueing).
--
-- The mix, out of 100 requests:
--   20 home page            15 check-in page         15 messages page
--   15 check-in (POST)      15 coach (POST)          10 message (POST)
--   10 transparency-log append (POST, by the repairing partner)

local tokens = {}
local threads = {}
local think = 0
-- Global, so that done() can read each thread's tally with thread:get.
counts = { s2 = 0, s3 = 0, s4 = 0, s5 = 0 }

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("KINTSUGI_LOAD_TOKENS") or "tokens.txt"
  for line in io.lines(path) do
    local token = line:match("^(%S+)")
    if token then tokens[#tokens + 1] = token end
  end
  if #tokens < 2 then error("no session tokens in " .. path) end
  think = tonumber(os.getenv("KINTSUGI_LOAD_THINK_MS") or "0")
  math.randomseed(os.time() * 1000 + id)
end

local messages = {
  "I felt close to you when we walked together last night. Thank you.",
  "Could we talk tonight about the weekend? I would like to plan it together.",
  "You never listen to me, and I am tired of it.",
  "I am sorry I was late again. I know it hurt, and I will text before I leave work.",
}

local function page(path, token)
  return wrk.format("GET", path, { ["Cookie"] = "kintsugi_session=" .. token })
end

local function api(path, token, body)
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

local function escape(s)
  return (s:gsub('"', '\\"'))
end

function request()
  local couple = math.random(0, #tokens / 2 - 1)
  local hurt, repairing = tokens[2 * couple + 1], tokens[2 * couple + 2]
  local me = (math.random(2) == 1) and hurt or repairing
  local r = math.random(100)
  if r <= 20 then
    return page("/", me)
  elseif r <= 35 then
    return page("/checkin", me)
  elseif r <= 50 then
    return page("/messages", me)
  elseif r <= 65 then
    return api("/api/v1/checkins", me, string.format(
      '{"trust":%d,"safety":%d,"connection":%d,"act_kind":"kindness","act":"Made tea","note":"A calm evening.","visibility":"%s"}',
      math.random(0, 10), math.random(0, 10), math.random(0, 10),
      (math.random(2) == 1) and "shared" or "private"))
  elseif r <= 80 then
    return api("/api/v1/coach", me, string.format('{"text":"%s","context":"message"}',
      escape(messages[math.random(#messages)])))
  elseif r <= 90 then
    return api("/api/v1/messages", me, string.format('{"text":"%s","send_anyway":true}',
      escape(messages[math.random(#messages)])))
  else
    return api("/api/v1/transparency", repairing,
      '{"category":"whereabouts","occurred_at":"2026-11-30T09:00","text":"At the library until noon, then lunch with my sister."}')
  end
end

function delay()
  if think > 0 then return math.random(0, 2 * think) end
  return 0
end

function response(status, headers, body)
  local class = "s" .. math.floor(status / 100)
  counts[class] = (counts[class] or 0) + 1
end

function done(summary, latency, requests)
  local totals = { s2 = 0, s3 = 0, s4 = 0, s5 = 0 }
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do totals[k] = (totals[k] or 0) + v end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.2f,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"status_2xx":%d,"status_3xx":%d,"status_4xx":%d,"status_5xx":%d,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    totals.s2, totals.s3, totals.s4, totals.s5,
    e.connect, e.read, e.write, e.timeout))
end
