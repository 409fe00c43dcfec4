-- wrk script: POST /api/v1/access/check with a bearer token (TOKEN in the
-- environment) for one user and action; used by metrics_overhead.sh.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"userPrincipalName":"alex@contoso.com","action":"directory.read"}'
