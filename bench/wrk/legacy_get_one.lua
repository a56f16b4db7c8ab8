-- legacy_xml: GET one client with HTTP Basic on a keep-alive connection.
local clients = tonumber(os.getenv("CLIENTS") or "100000")
wrk.headers["Authorization"] = "Basic YmVuY2hAZXhhbXBsZS5jb206YmVuY2gtcGFzcw==" -- bench@example.com:bench-pass
request = function()
  return wrk.format("GET", "/clients/" .. math.random(1, clients) .. ".xml")
end
