-- wrk script for bench/lookup.sh. Arguments (after wrk's "--"): MODE KEY ACCOUNTS SEED
--   lookup:  GET /v1/accounts/{unionid}, half a random loaded unionid, half a random unknown one
--   healthz: GET /healthz (the ceiling: the same server, no store call, no auth)
--   known, unknown: only loaded, or only unknown unionids (for profiling one path)
-- Counts responses by status in every thread; done() prints one line
--   status: 200=N 404=N other=N
-- which lookup.sh checks (other must be 0).
--
-- unionid(i) must stay identical to the awk generator in lookup.sh: accounts 0..ACCOUNTS-1 are
-- loaded; ACCOUNTS..2*ACCOUNTS-1 are never loaded, and are distinct from every loaded one
-- because (i + 1) * 48271 mod (2^31 - 1) is a bijection. All arithmetic stays below 2^53, so
-- LuaJIT's doubles and awk's doubles agree exactly.

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local P, G = 2147483647, 48271
local floor = math.floor

local chars = {}
for k = 1, 64 do chars[k - 1] = alphabet:sub(k, k) end

local function enc(out, x, n)
  for _ = 1, n do
    out[#out + 1] = chars[x % 64]
    x = floor(x / 64)
  end
end

-- 28 characters of [A-Za-z0-9_-], starting with "o" like the platform's ids.
local function ident(i, salt)
  local s = ((i + 1) * G) % P
  local out = { "o" }
  enc(out, s, 6)
  local t = s
  for _ = 1, 4 do
    t = (t * G + salt) % P
    enc(out, t, 5)
  end
  t = (t * G + salt) % P
  enc(out, t, 1)
  return table.concat(out)
end

local threads = {}
local next_seed = 0

function setup(thread)
  next_seed = next_seed + 1
  thread:set("thread_index", next_seed)
  table.insert(threads, thread)
end

-- Each thread formats PREPARED requests for random unionids up front and then sends them in a
-- random order, so that wrk spends about as little per request as on the fixed /healthz one
-- (formatting a request in Lua each time cost wrk more CPU than the server's lookup).
local PREPARED = 50000
local mode, prepared, fixed

function init(args)
  mode = args[1] or "lookup"
  local headers = { ["Authorization"] = "Bearer " .. (args[2] or "") }
  local accounts = tonumber(args[3] or "1000000")
  math.randomseed((tonumber(args[4] or "1") * 1000) + thread_index)
  ok, not_found, other = 0, 0, 0
  if mode == "healthz" then
    fixed = wrk.format("GET", "/healthz")
    return
  end
  prepared = {}
  for k = 1, PREPARED do
    local i = math.random(0, accounts - 1)
    if mode == "unknown" or (mode == "lookup" and math.random() < 0.5) then i = i + accounts end
    prepared[k] = wrk.format("GET", "/v1/accounts/" .. ident(i, 1), headers)
  end
end

function request()
  return fixed or prepared[math.random(PREPARED)]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 404 then
    not_found = not_found + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("ok")
    b = b + thread:get("not_found")
    c = c + thread:get("other")
  end
  io.write(string.format("status: 200=%d 404=%d other=%d\n", a, b, c))
end

