-- GET a page of 25 clients among the first 40 pages (an integration browsing its list).
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "bench-token")
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/api/v1/clients?per_page=25&page=" .. math.random(1, 40))
end
