-- GET one client by a random id (CLIENTS from the environment).
local clients = tonumber(os.getenv("CLIENTS") or "100000")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "bench-token")
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/api/v1/clients/" .. math.random(1, clients))
end
