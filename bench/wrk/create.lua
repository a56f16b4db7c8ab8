-- POST a new client.
wrk.method = "POST"
wrk.path = "/api/v1/clients"
wrk.headers["Authorization"] = "Bearer bench-token"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"Bench Created Client","company_id":1}'
