-- wrk script of bench/run.sh: the URL given to wrk, or paths picked from a list, with the
-- headers given with -H, and a machine-readable summary line.
--
-- Usage: wrk ... -s bench/wrk.lua URL -- [key=value ...]
--   counted=SECONDS  count views for this long (default 0; a bare number means the same)
--   paths=FILE       request paths read from FILE (one per line, like /a/123 or
--                    /search?q=...) on URL's host, instead of URL's own path
--   pick=HOW         how a path is picked from FILE for each request:
--                      uniform   uniformly at random
--                      zipf      Zipf-distributed over the lines (line k has weight 1/k^s:
--                                the first lines are the popular ones)
--                      distinct  uniformly at random, never the same twice in a row
--                      walk      in order, as a crawler walks (wrapping around); thread i of
--                                T starts at offset + (i - 1) * lines / T
--   s=NUMBER         the Zipf exponent (default 1)
--   offset=K         where the walk starts (default 0; run.sh continues a walk where the
--                    previous run stopped, from the "walked" figure of its summary)
--   threads=T        wrk's thread count (for the walk's starting points; default 2)
--   seed=N           random seed (default 1; each thread draws its own sequence)
--   statuses=1       tally the status of every answer that is not 200 (searches: a 503
--                    under overload is reported, not fatal); costs a Lua call per answer
--
-- Counting views exactly: wrk stops at its deadline with requests still in flight, which
-- the server may have answered (and counted) but wrk does not report. So each wrk thread
-- sends plain GETs for the first `counted` seconds only, counting those that go to an
-- article (/a/...), and afterwards the same GETs with "Sec-Purpose: prefetch" (which sahifa
-- serves in full but does not count) until wrk stops, a second later. Every counted GET
-- has completed by then, and the articles' views must have grown by exactly the number
-- counted. counted=0: nothing is counted (warm-up, and rows without articles). The server
-- does the same work for both kinds of request, so throughput and latency cover the whole
-- run. Paths are read and tables built in init(), before wrk's clock starts.

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

-- In wrk's main Lua state: the threads, for done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  -- Sets a global in the thread's own Lua state, read by its init().
  thread:set("thread_number", #threads)
end

-- Per thread (each wrk thread has its own Lua state): globals read back by done().
counted = 0
walked = 0
non200 = {}

local counted_seconds = 0
local deadline = nil
local calls = 0

-- The request is "GET " .. path .. tail: the tails hold the rest of the request line and
-- the headers, built once by wrk.format.
local counted_tail, uncounted_tail
local fixed_path

local paths, path_count = nil, 0
local next_path -- function () -> path, for a list
local zipf_cdf, zipf_total

local function tail_of(headers)
  -- wrk.format("GET", "/", ...) starts with "GET / HTTP/1.1\r\n": keep what follows "GET /".
  return wrk.format("GET", "/", headers):sub(6)
end

local function read_paths(file)
  local list, count = {}, 0
  local handle = assert(io.open(file, "r"), "bench/wrk.lua: cannot read " .. file)
  for line in handle:lines() do
    if line ~= "" then
      count = count + 1
      list[count] = line
    end
  end
  handle:close()
  assert(count > 0, "bench/wrk.lua: no paths in " .. file)
  return list, count
end

-- The smallest k with cdf[k] >= u (binary search).
local function zipf_index(u)
  local lo, hi = 1, path_count
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if zipf_cdf[mid] < u then
      lo = mid + 1
    else
      hi = mid
    end
  end
  return lo
end

function init(args)
  local options = {}
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if key then
      options[key] = value
    elseif tonumber(arg) then
      options.counted = arg
    else
      error("bench/wrk.lua: unknown argument '" .. arg .. "'")
    end
  end
  counted_seconds = tonumber(options.counted or "0") or 0

  local plain, prefetch = {}, {}
  for name, value in pairs(wrk.headers) do
    plain[name] = value
    prefetch[name] = value
  end
  prefetch["Sec-Purpose"] = "prefetch"
  counted_tail = tail_of(plain)
  uncounted_tail = tail_of(prefetch)

  local me = thread_number or 1
  math.randomseed((tonumber(options.seed or "1") or 1) * 7919 + me * 104729)

  if options.statuses == "1" then
    -- Defined only when asked: wrk parses headers and keeps bodies only for a script
    -- that has a response function.
    response = function(status)
      if status ~= 200 then
        non200[status] = (non200[status] or 0) + 1
      end
    end
  end

  if not options.paths then
    fixed_path = wrk.path
    return
  end
  paths, path_count = read_paths(options.paths)
  local pick = options.pick or "uniform"
  if pick == "uniform" then
    next_path = function()
      return paths[math.random(1, path_count)]
    end
  elseif pick == "distinct" then
    local last = 0
    next_path = function()
      local i = 1
      if path_count > 1 then
        i = math.random(1, path_count - 1)
        if i >= last then
          i = i + 1
        end
      end
      last = i
      return paths[i]
    end
  elseif pick == "zipf" then
    local s = tonumber(options.s or "1") or 1
    zipf_cdf = {}
    local sum = 0
    for k = 1, path_count do
      sum = sum + 1 / k ^ s
      zipf_cdf[k] = sum
    end
    zipf_total = sum
    next_path = function()
      return paths[zipf_index(math.random() * zipf_total)]
    end
  elseif pick == "walk" then
    local thread_count = tonumber(options.threads or "2") or 2
    local offset = tonumber(options.offset or "0") or 0
    local position = (offset + math.floor((me - 1) * path_count / thread_count)) % path_count
    next_path = function()
      position = position % path_count + 1
      walked = walked + 1
      return paths[position]
    end
  else
    error("bench/wrk.lua: unknown pick '" .. pick .. "'")
  end
end

function request()
  calls = calls + 1
  local path = fixed_path or next_path()
  -- wrk calls the first thread's request() once before the run to check the request,
  -- without sending it: no thread counts its first call.
  if counted_seconds <= 0 or calls == 1 or path:sub(1, 3) ~= "/a/" then
    return "GET " .. path .. uncounted_tail
  end
  local t = now()
  if deadline == nil then
    deadline = t + counted_seconds
  end
  if t < deadline then
    counted = counted + 1
    return "GET " .. path .. counted_tail
  end
  return "GET " .. path .. uncounted_tail
end

function done(summary, latency, requests)
  local counted_total, walked_most = 0, 0
  local statuses = {}
  for _, thread in ipairs(threads) do
    counted_total = counted_total + (thread:get("counted") or 0)
    walked_most = math.max(walked_most, thread:get("walked") or 0)
    for status, count in pairs(thread:get("non200") or {}) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local tally = {}
  for status, count in pairs(statuses) do
    table.insert(tally, string.format("%dx%d", status, count))
  end
  table.sort(tally)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d bytes=%d counted=%d "
      .. "walked=%d statuses=%s "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), summary.bytes, counted_total,
    walked_most, #tally > 0 and table.concat(tally, ",") or "-",
    e.connect, e.read, e.write, e.status, e.timeout))
end
