-- wrk script for `make bench-load` (manage.py bench_load): signed-in agents typing lookups.
--   KB_LOAD_DATA=file wrk -t20 -c20 -d30s -s scripts/load_agents.lua http://127.0.0.1:PORT/
-- The file (written by bench_load): "host <tenant host>", one "cookie <Cookie header>" line per
-- agent (a session as signing in makes it), one "path <lookup URL>" line per query typed.
-- One wrk thread per agent, each on its own kept-alive connection, each sending the htmx
-- request of the lookup box. A request that does not answer 200 (a redirect to sign in
-- included) is an error. Prints one line:
--   load agents=20 seconds=30 rps=… p50_ms=… p95_ms=… errors=… statements=…
local host, cookies, paths = nil, {}, {}
for line in io.lines(os.getenv("KB_LOAD_DATA")) do
  local kind, value = line:match("^(%a+) (.*)$")
  if kind == "host" then host = value
  elseif kind == "cookie" then cookies[#cookies + 1] = value
  elseif kind == "path" then paths[#paths + 1] = value end
end

local threads, next_agent = {}, 0

function setup(thread)
  thread:set("agent", next_agent)
  next_agent = next_agent + 1
  threads[#threads + 1] = thread
end

function init(args)
  n = agent * 17 -- each agent starts at another place of the mix
  bad, statements, answered = 0, 0, 0
  headers = {
    ["Host"] = host, ["Cookie"] = cookies[(agent % #cookies) + 1],
    ["HX-Request"] = "true", ["HX-Target"] = "lookup-results", ["HX-Trigger"] = "lookup-q",
    ["HX-Current-URL"] = "http://" .. host .. "/search/", ["Accept"] = "*/*",
    ["Accept-Language"] = "fr-FR,fr;q=0.9,en;q=0.8",
  }
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end

function response(status, response_headers, body)
  if status ~= 200 then bad = bad + 1 end
  local count = tonumber(response_headers["X-KB-Statements"] or "")
  if count then statements, answered = statements + count, answered + 1 end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local bad_total, statements_total, answered_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    statements_total = statements_total + thread:get("statements")
    answered_total = answered_total + thread:get("answered")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "load agents=%d seconds=%.0f rps=%.1f p50_ms=%.1f p95_ms=%.1f errors=%d statements=%.1f\n",
    #threads, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    errors + bad_total, answered_total > 0 and statements_total / answered_total or 0))
end
