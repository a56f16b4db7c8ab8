-- agency: GET /clients answers every client in scope at once (no paging in this API); the
-- token of bench/gen_dataset.py's second company sees exactly 25.
wrk.headers["Authorization"] = "Bearer bench-agency-token"
wrk.headers["Accept"] = "application/json"
request = function()
  return wrk.format("GET", "/clients")
end
