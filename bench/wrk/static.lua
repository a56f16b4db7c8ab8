-- nginx's ceiling: one client's JSON as a static file.
request = function()
  return wrk.format("GET", "/client.json")
end
