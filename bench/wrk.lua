-- One endpoint, or a rotation over paths read from a file, each request a
-- path drawn at random, or the paths in turn:
--     wrk -t2 -c16 -d10s -s bench/wrk.lua http://127.0.0.1:8000/nl/
--     wrk -t2 -c16 -d10s -s bench/wrk.lua http://127.0.0.1:8000 -- paths.txt
--     wrk -t2 -c16 -d10s -s bench/wrk.lua http://127.0.0.1:8000 -- paths.txt forwards 2
-- In turn, each of the 2 threads (the last argument: wrk's -t) walks its own
-- share of the paths, forwards from its start or backwards from its end: a
-- warm-up that walks backwards leaves the paths a run walks forwards unseen.
-- Prints one line "BENCH_JSON {...}" at the end: requests, socket errors,
-- answers other than 2xx, and latency percentiles in microseconds.

-- As the reverse proxy says in production: the request came over HTTPS.
wrk.headers["X-Forwarded-Proto"] = "https"

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local paths = nil
local fixed = nil
-- In turn: this thread's share of the paths, the step, and the next one.
local first, share, step, sent = nil, nil, nil, 0
non2xx = 0

function init(args)
   if args[1] then
      paths = {}
      for line in io.lines(args[1]) do
         if line ~= "" then paths[#paths + 1] = line end
      end
      math.randomseed(os.time() * 100 + id)
   end
   if args[2] then
      share = math.max(1, math.floor(#paths / tonumber(args[3])))
      first = ((id - 1) * share) % #paths + 1
      step = 1
      if args[2] == "backwards" then
         first, step = first + share - 1, -1
      end
   end
   fixed = wrk.format()
end

function request()
   if share then
      local path = paths[first + step * (sent % share)]
      sent = sent + 1
      return wrk.format(nil, path)
   end
   if paths then
      return wrk.format(nil, paths[math.random(#paths)])
   end
   return fixed
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local other = 0
   for _, thread in ipairs(threads) do
      other = other + thread:get("non2xx")
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"connect": %d, "read": %d, "write": %d, "timeout": %d, "non2xx": %d, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.timeout, other,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
end
