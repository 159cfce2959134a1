-- Custody appointments for http_bench.py, sent by wrk: its C loop costs the clients a tenth of
-- what Python's http.client did (0.23 ms of CPU per appointment, a tenth of the machine at the
-- rates measured), as pgbench's client costs little beside the server it measures.
--
-- wrk -t THREADS -c CONNECTIONS -s appointments.lua URL -- TOKEN COMPANY START END COUNT THREADS OUT
--
-- Thread k books the estates BENCH-nnnn with nnnn % THREADS == k, each once. When its share has
-- answered it writes "created refused first last" (seconds, CLOCK_MONOTONIC) to OUT.k; the caller
-- stops wrk once every thread has written; a thread stops itself once it has. A connection that
-- asks after its thread's share is used up gets /health (200), not counted.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } tuodi_timespec;
int clock_gettime(int clock, tuodi_timespec *now);
]]
local clock = ffi.new("tuodi_timespec")
local function now()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) / 1e9
end

local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local id, threads, count, share, out, headers, template
local asked, created, refused, first, last, reported = 0, 0, 0, nil, nil, false
local samples = {}

function init(args)
  id = wrk.thread:get("id")
  local token, company, start_day, end_day = args[1], args[2], args[3], args[4]
  count, threads, out = tonumber(args[5]), tonumber(args[6]), args[7]
  share = math.floor((count - 1 - id) / threads) + 1
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  template = '{"estateCode":"BENCH-%04d","kind":"custody","uscc":"' .. company .. '","start":"' .. start_day
    .. '","plannedEnd":"' .. end_day .. '","justification":"基准测试：原物业撤场"}'
end

local verified = false
function request()
  -- wrk calls request() once on the first thread's state before any connection, to count the
  -- requests it returns (script_verify_request): that one is never sent, so it must not take an estate.
  if id == 0 and not verified then
    verified = true
    return wrk.format("GET", "/health")
  end
  local n = asked * threads + id
  asked = asked + 1
  if n >= count then
    return wrk.format("GET", "/health")
  end
  if not first then first = now() end
  return wrk.format("POST", "/api/v1/arrangements", headers, string.format(template, n))
end

function response(status, _, body)
  if status == 200 or reported then return end
  if status == 201 then
    created = created + 1
  else
    refused = refused + 1
    if #samples < 3 then samples[#samples + 1] = status .. " " .. string.sub(body or "", 1, 200) end
  end
  if created + refused >= share then
    last = now()
    reported = true
    -- Written whole, then renamed: the caller acts on the name's appearance.
    local name = out .. "." .. id
    local f = io.open(name .. ".part", "w")
    f:write(string.format("%d %d %.6f %.6f\n%s\n", created, refused, first, last, table.concat(samples, "\n")))
    f:close()
    os.rename(name .. ".part", name)
    -- Its connections would otherwise ask for /health until the caller stops wrk, beside the
    -- other thread's appointments.
    wrk.thread:stop()
  end
end
