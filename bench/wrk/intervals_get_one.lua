-- intervals: GET one client by a random id; HTTP Basic with the token as the user name.
local clients = tonumber(os.getenv("CLIENTS") or "100000")
wrk.headers["Authorization"] = "Basic YmVuY2gtdG9rZW46eA==" -- bench-token:x
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/client/" .. math.random(1, clients) .. "/")
end
