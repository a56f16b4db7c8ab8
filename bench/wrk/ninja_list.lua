-- ninja: GET a page of 25 clients among the first 40 pages.
wrk.headers["X-API-TOKEN"] = "bench-token"
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/api/v1/clients?per_page=25&page=" .. math.random(1, 40))
end
