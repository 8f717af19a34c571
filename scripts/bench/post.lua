-- wrk script for scripts/bench_x402.py: the unpaid POST /api/x402/forge (no payment header, so every answer
-- should be a 402). Prints one line "WRKJSON {...}" at the end. No response() callback: one makes wrk hand every
-- answer to Lua, which would make the load generator the bottleneck; answers that are not 2xx/3xx are counted by
-- wrk itself (`non2xx`), and the benchmark checks with its own client that they are 402s.

wrk.method = "POST"
wrk.body = '{"prompt": "a wooden crate", "tier": "draft"}'
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max
  ))
end
