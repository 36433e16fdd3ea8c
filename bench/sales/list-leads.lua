-- GET /leads (first page of 50, ordered by id, with X-Total-Count) as a SALES user.
local token = os.getenv("TOKEN")
wrk.method = "GET"
wrk.path = "/leads?limit=50&status=Qualified"
wrk.headers["Authorization"] = "Bearer " .. token
