-- GET a page of 25 clients at a random page anywhere in the list (OFFSET paging's worst case:
-- the store steps over every row before the page).
local clients = tonumber(os.getenv("CLIENTS") or "100000")
wrk.headers["Authorization"] = "Bearer bench-token"
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/api/v1/clients?per_page=25&page=" .. math.random(1, math.floor(clients / 25)))
end
