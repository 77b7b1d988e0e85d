-- Mixed request sizes for the soak: small and large replies, small and large uploads.
local bodies = { string.rep("p", 1024), string.rep("q", 32 * 1024) }
local kinds = {
  { "GET", "/?n=100", nil },
  { "GET", "/?n=4096", nil },
  { "GET", "/?n=65536", nil },
  { "GET", "/?n=300000", nil },
  { "POST", "/?n=200", 1 },
  { "POST", "/?n=2000", 2 },
}
local counter = 0
-- THINK_MS > 0: each connection pauses about that long (0.5x to 1.5x) between requests, like a
-- client with many keep-alive connections; 0 = as fast as possible.
local think = tonumber(os.getenv("THINK_MS") or "0")

delay = function()
  if think > 0 then
    return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
  end
  return 0
end

request = function()
  counter = counter + 1
  local k = kinds[(counter % #kinds) + 1]
  if k[3] then
    return wrk.format(k[1], k[2], { ["Content-Type"] = "application/octet-stream" }, bodies[k[3]])
  end
  return wrk.format(k[1], k[2])
end

done = function(summary, latency, requests)
  io.write(string.format("SUMMARY requests=%d bytes=%d connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests, summary.bytes, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
