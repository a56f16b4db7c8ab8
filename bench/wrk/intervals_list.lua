-- intervals: GET a page of 25 clients among the first 40 pages (limit and offset).
wrk.headers["Authorization"] = "Basic YmVuY2gtdG9rZW46eA==" -- bench-token:x
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/client/?limit=25&offset=" .. (math.random(1, 40) - 1) * 25)
end
