-- agency: GET one client by a UUID drawn from `ids` (wrk/ids.lua: read from the server before
-- the run).
wrk.headers["Authorization"] = "Bearer bench-token"
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/clients/" .. ids[math.random(1, #ids)])
end
