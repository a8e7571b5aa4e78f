-- wrk script of bench/run.sh: one URL, the headers given with -H, and a machine-readable
-- summary line. Usage: wrk ... -s bench/wrk.lua URL -- COUNTED_SECONDS
--
-- Counting views exactly: wrk stops at its deadline with requests still in flight, which
-- the server may have answered (and counted) but wrk does not report. So each wrk thread
-- sends plain GETs for COUNTED_SECONDS only, counting them, and afterwards the same GET
-- with "Sec-Purpose: prefetch" (which sahifa serves in full but does not count) until wrk
-- stops, a second later. Every counted GET has completed by then, and the article's views
-- must have grown by exactly the number counted. COUNTED_SECONDS = 0: nothing is counted
-- (warm-up, and pages other than the article). The server does the same work for both
-- kinds of request, so throughput and latency cover the whole run.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local counted_request, uncounted_request
local counted_seconds = 0
local deadline = nil
counted = 0

function init(args)
  counted_seconds = tonumber(args[1] or "0") or 0
  counted_request = wrk.format("GET", wrk.path)
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Sec-Purpose"] = "prefetch"
  uncounted_request = wrk.format("GET", wrk.path, headers)
end

local calls = 0

function request()
  calls = calls + 1
  -- wrk calls the first thread's request() once before the run to check the request,
  -- without sending it: no thread counts its first call.
  if counted_seconds <= 0 or calls == 1 then
    return uncounted_request
  end
  local t = now()
  if deadline == nil then
    deadline = t + counted_seconds
  end
  if t < deadline then
    counted = counted + 1
    return counted_request
  end
  return uncounted_request
end

function done(summary, latency, requests)
  local counted_total = 0
  for _, thread in ipairs(threads) do
    counted_total = counted_total + (thread:get("counted") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d bytes=%d counted=%d "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), summary.bytes, counted_total,
    e.connect, e.read, e.write, e.status, e.timeout))
end
