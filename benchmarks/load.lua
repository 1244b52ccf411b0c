-- wrk script for benchmarks/load.sh: cycles through a list of public URLs (one path a line,
-- the file named by the URLS environment variable), each connection starting at its own
-- place; counts every response outside 2xx; prints p50/p95/p99 and the counts in done().

local paths = {}
local threads = {}
local index = 0
non2xx = 0 -- global: done() reads it from each thread

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("URLS")) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  -- Threads start far apart in the list, so they do not ask for the same page together.
  index = math.floor(id * #paths / 2)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  io.write("LOAD-RESULT\n")
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("duration_s %.2f\n", summary.duration / 1e6))
  io.write(string.format("throughput_rps %.1f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 90, 95, 99 }) do
    io.write(string.format("p%d_ms %.2f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max_ms %.2f\n", latency.max / 1000))
  io.write(string.format("non2xx %d\n", bad))
  io.write(string.format("socket_errors %d\n", socket))
  io.write(string.format("status_errors %d\n", errors.status))
end
