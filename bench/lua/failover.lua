-- wrk script for the failover scenario: records every request it sends and every reply it gets,
-- with wall-clock timestamps, one file per wrk thread, so the requests in flight at the moment
-- the master was killed can be isolated afterwards (tools/failover_report.py).
--
--   wrk ... -s lua/failover.lua URL -- OUT_PREFIX
--
-- Each request gets a unique id=T-N query parameter; /cgi-bin/slow echoes it as X-Req-Id, so a
-- reply is matched to its request even though wrk's callbacks do not say which connection they
-- belong to. Lines:  S <id> <epoch-seconds>   and   R <id or -> <epoch-seconds> <status>
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } rf_timespec;
int clock_gettime(int clock_id, rf_timespec *tp);
]]
local CLOCK_REALTIME = 0
local ts = ffi.new("rf_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_REALTIME, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

local out
local counter = 0
local separator
function init(args)
  local prefix = args[1] or "failover"
  out = assert(io.open(prefix .. "." .. tid .. ".log", "w"))
  separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
end

function request()
  counter = counter + 1
  local id = tid .. "-" .. counter
  out:write(string.format("S %s %.6f\n", id, now()))
  return wrk.format(nil, wrk.path .. separator .. "id=" .. id)
end

function response(status, headers, body)
  local id = headers["X-Req-Id"] or headers["x-req-id"] or "-"
  if id == "" then id = "-" end
  out:write(string.format("R %s %.6f %d\n", id, now(), status))
  out:flush()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_SUMMARY requests=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
