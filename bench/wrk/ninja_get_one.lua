-- ninja: GET one client by a hashid drawn from `ids` (wrk/ids.lua: read from the server before
-- the run; Hashids are not computed here).
wrk.headers["X-API-TOKEN"] = "bench-token"
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/api/v1/clients/" .. ids[math.random(1, #ids)])
end
