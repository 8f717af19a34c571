-- wrk script for scripts/bench_x402.py: the unpaid POST /api/x402/forge (no payment header, so every answer
-- should be a 402). Counts 402s apart from other statuses and prints one line "WRKJSON {...}" at the end.

wrk.method = "POST"
wrk.body = '{"prompt": "a wooden crate", "tier": "draft"}'
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  n402 = 0
  nother = 0
end

function response(status, headers, body)
  if status == 402 then
    n402 = n402 + 1
  else
    nother = nother + 1
  end
end

function done(summary, latency, requests)
  local got402, other = 0, 0
  for _, thread in ipairs(threads) do
    got402 = got402 + thread:get("n402")
    other = other + thread:get("nother")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "n402": %d, "other": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, got402, other, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max
  ))
end
