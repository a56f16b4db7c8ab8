-- legacy_xml: GET a range of 25 clients among the first 1,000 (start and end are 1-based).
wrk.headers["Authorization"] = "Basic YmVuY2hAZXhhbXBsZS5jb206YmVuY2gtcGFzcw==" -- bench@example.com:bench-pass
request = function()
  local start = (math.random(1, 40) - 1) * 25 + 1
  return wrk.format("GET", "/clients.xml?start=" .. start .. "&end=" .. (start + 24))
end
