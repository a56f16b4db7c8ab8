-- Substring search at a million clients (bench/search.sh): SEARCH_DIALECT is json_v1 (title),
-- ninja_name, ninja_filter or intervals (search); SEARCH_KIND is rare (one of 900 made-up
-- words, about ten clients each), common (a third of the clients or more) or short (two
-- characters, no trigram: the scan). Needles rotate at random.
local dialect = os.getenv("SEARCH_DIALECT") or "json_v1"
local kind = os.getenv("SEARCH_KIND") or "rare"
local common = {"son", "johnson", "plumbing", "ltd", "group", "anderson", "consulting", "inc"}
local short = {"so", "an", "lt", "er", "in", "co"}

local function needle()
  if kind == "rare" then return "zorvik" .. math.random(100, 999) end
  if kind == "common" then return common[math.random(#common)] end
  return short[math.random(#short)]
end

local paths = {
  json_v1 = "/api/v1/clients?title=",
  ninja_name = "/api/v1/clients?name=",
  ninja_filter = "/api/v1/clients?filter=",
  intervals = "/client/?search=",
}
if dialect == "json_v1" then
  wrk.headers["Authorization"] = "Bearer bench-token"
elseif dialect == "intervals" then
  wrk.headers["Authorization"] = "Basic YmVuY2gtdG9rZW46eA==" -- bench-token:x
else
  wrk.headers["X-API-TOKEN"] = "bench-token"
end
request = function()
  return wrk.format("GET", paths[dialect] .. needle())
end
