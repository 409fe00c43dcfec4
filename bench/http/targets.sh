#!/usr/bin/env bash
# Issue #19's HTTP targets, each against its anchor measured in the same run
# on this machine (a shared 2-core box: compare the ratios, not the rates):
#
#   bench/http/targets.sh [USERS] [SECONDS]      (default 100000 users, 10 s per wrk run)
#
#   1. POST /api/v1/access/check over HTTPS, 64 connections, against nginx
#      serving the same response bytes as a static file over HTTPS with the
#      same certificate; then its p99 again under a write mix (10 token
#      requests/s + 10 membership changes/s) against its p99 without.
#   2. GET /v1.0/users/{id} with an app token, random ids over USERS users,
#      against nginx serving one such user's JSON the same way; twice, cold
#      (most users read from the store) and warm (from the directory cache).
#   3. Client-credentials tokens (RS256) over HTTPS against
#      `openssl speed -multi 2 rsa2048` signatures/s.
#   4. The server's RSS after all of it (the tenant loaded by a USERS-row bulk job).
#
# Loopback only; everything it starts is stopped on exit. Needs wrk, nginx
# (nginx-light), sqlite3, python3; GATEHOUSE_BIN overrides build/gatehouse.
set -euo pipefail
users=${1:-100000}
secs=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="${GATEHOUSE_BIN:-$root/build/gatehouse}"
work=$(mktemp -d)
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "${mix_pid:-}" ] && kill "$mix_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "targets: FAIL: $*" >&2; tail -20 "$work/server.log" >&2 || true; exit 1; }
json() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if k.isdigit() else v[k]
print(v)' "$1"; }

# ---- a server with a USERS-user tenant -------------------------------------
printf '%s\n' 'Adm1n-Passw0rd!' > "$work/admin-password"
"$bin" init --data "$work/data" --tenant Contoso --domain contoso.test \
  --admin admin@contoso.test --password-file "$work/admin-password" --output json > "$work/contoso.json"
client_id=$(json clientId < "$work/contoso.json")
client_secret=$(json clientSecret < "$work/contoso.json")
# No --smtp: the invitation mails go to .eml files, so the outbox drains in
# seconds instead of retrying a dead SMTP server beside the measurements.
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 --threads 2 \
  > "$work/server.out" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.05; done
base=$(sed -n 's/.*listening on \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
[ -n "$base" ] || fail "no listening line"
port=${base##*:}
ca="$work/data/tls/ca.pem"
cli() {
  GATEHOUSE_CLIENT_ID="$client_id" GATEHOUSE_CLIENT_SECRET="$client_secret" \
    "$bin" "$@" --server "$base" --tenant contoso.test --ca-cert "$ca"
}
token() {
  curl -sf --cacert "$ca" "$base/contoso.test/oauth2/v2.0/token" -d grant_type=client_credentials \
    -d "client_id=$client_id" --data-urlencode "client_secret=$client_secret" \
    --data-urlencode scope=https://graph.microsoft.com/.default | json access_token
}

echo "loading $users guests through a bulk invitation job..."
python3 - "$users" > "$work/guests.csv" <<'PY'
import sys
print("email,displayName")
for i in range(int(sys.argv[1])):
    print(f"guest{i}@partner{i % 50}.example,Guest {i}")
PY
cli policy set allowInvitesFrom=adminsGuestInvitersAndAllMembers > /dev/null || fail "policy set"
cli invite --csv "$work/guests.csv" --redirect https://apps.contoso.test/ > "$work/upload.out" 2>&1 || true
job=$(sed -n 's/.*bulk show \([0-9a-f-]*\).*/\1/p' "$work/upload.out")
[ -n "$job" ] || fail "no job id in: $(cat "$work/upload.out")"
for _ in $(seq 1 600); do
  status=$(cli invitations bulk show "$job" --output json | json status)
  [ "$status" = completed ] && break
  sleep 1
done
[ "$status" = completed ] || fail "bulk job is $status"
for _ in $(seq 1 600); do
  pending=$(sqlite3 "$work/data/gatehouse.db" "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND gave_up = 0")
  [ "$pending" = 0 ] && break
  sleep 1
done
[ "$pending" = 0 ] || fail "$pending mails still in the outbox"
sqlite3 "$work/data/gatehouse.db" "SELECT id FROM users" > "$work/ids"
echo "tenant holds $(wc -l < "$work/ids") users"
rss_mb() { echo $(( $(ps -o rss= -p "$server_pid") / 1024 )); }
rss_stages="after the bulk job $(rss_mb) MB"

TOKEN=$(token)
export TOKEN

# ---- nginx serving the same bytes ------------------------------------------
mkdir -p "$work/www" "$work/nginx"
curl -sf --cacert "$ca" "$base/api/v1/access/check" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"userPrincipalName":"admin@contoso.test","action":"directory.read"}' \
  > "$work/www/access.json" || fail "access check"
curl -sf --cacert "$ca" "$base/v1.0/users/$(head -1 "$work/ids")" -H "Authorization: Bearer $TOKEN" \
  > "$work/www/user.json" || fail "GET user"
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:0 ssl;
    ssl_certificate $work/data/tls/server.pem;
    ssl_certificate_key $work/data/tls/server-key.pem;
    root $work/www;
  }
}
EOF
# nginx has no "port 0": take a free one from the kernel.
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/127.0.0.1:0 ssl/127.0.0.1:$nginx_port ssl/" "$work/nginx/nginx.conf"
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/"*  # nginx's workers run as nobody
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 50); do
  curl -sf --cacert "$ca" "https://localhost:$nginx_port/access.json" > /dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --cacert "$ca" "https://localhost:$nginx_port/access.json" > /dev/null ||
  { cat "$work/nginx/error.log" >&2; fail "nginx does not answer"; }

# ---- runs ------------------------------------------------------------------
wrk_run() {  # LABEL URL [wrk args...] → prints "req/s p99"
  local label=$1 url=$2; shift 2
  wrk -t2 -c64 -d"${secs}s" --latency "$@" "$url" > "$work/wrk-$label"
  if grep -q "Non-2xx" "$work/wrk-$label"; then cat "$work/wrk-$label" >&2; fail "$label: non-2xx answers"; fi
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$label") $(awk '/ 99%/ {print $2}' "$work/wrk-$label")"
}
cat > "$work/users.lua" <<EOF
local ids = {}
for line in io.lines("$work/ids") do ids[#ids + 1] = line end
math.randomseed(os.time())
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
request = function() return wrk.format("GET", "/v1.0/users/" .. ids[math.random(#ids)]) end
EOF
cat > "$work/token.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=$client_id&client_secret=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$client_secret")&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
EOF
host="https://localhost:$port"
wrk -t1 -c4 -d2s -s "$here/access_check.lua" "$host/api/v1/access/check" > /dev/null  # warm up
sed 's/alex@contoso.com/admin@contoso.test/' "$here/access_check.lua" > "$work/access.lua"

read -r nginx_access nginx_access_p99 <<< "$(wrk_run nginx-access "https://localhost:$nginx_port/access.json")"
read -r access access_p99 <<< "$(wrk_run access "$host/api/v1/access/check" -s "$work/access.lua")"
rss_stages+=", after the access checks $(rss_mb) MB"

# The write mix beside the same load: 10 tokens/s and 10 membership changes/s.
gid=$(curl -sf --cacert "$ca" "$base/v1.0/groups" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"displayName":"Bench","mailEnabled":false,"mailNickname":"bench","securityEnabled":true}' | json id)
python3 - "$base" "$ca" "$TOKEN" "$gid" "$work/ids" "$client_id" "$client_secret" > "$work/mix.log" 2>&1 <<'PY' &
import http.client, json, ssl, sys, time, urllib.parse
base, ca, token, gid, ids_file, cid, secret = sys.argv[1:]
host, port = base.split("//")[1].split(":")
ctx = ssl.create_default_context(cafile=ca)
conn = http.client.HTTPSConnection("localhost", int(port), context=ctx)
ids = [l.strip() for l in open(ids_file)][:200]
auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": cid, "client_secret": secret,
                               "scope": "https://graph.microsoft.com/.default"})
i = 0
next_at = time.monotonic()
while True:  # stopped by the caller
    conn.request("POST", "/contoso.test/oauth2/v2.0/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
    conn.getresponse().read()
    uid = ids[i % len(ids)]
    if (i // len(ids)) % 2 == 0:
        conn.request("POST", f"/v1.0/groups/{gid}/members/$ref",
                     json.dumps({"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{uid}"}), auth)
    else:
        conn.request("DELETE", f"/v1.0/groups/{gid}/members/{uid}/$ref", headers=auth)
    r = conn.getresponse(); r.read()
    if r.status >= 300: print("membership change:", r.status, flush=True)
    i += 1
    next_at += 0.1
    time.sleep(max(0.0, next_at - time.monotonic()))
PY
mix_pid=$!
sleep 1
read -r access_mixed access_mixed_p99 <<< "$(wrk_run access-mixed "$host/api/v1/access/check" -s "$work/access.lua")"
kill "$mix_pid"; wait "$mix_pid" 2>/dev/null || true; mix_pid=""
changes_done=$(grep -c . "$work/mix.log" || true)

read -r nginx_user nginx_user_p99 <<< "$(wrk_run nginx-user "https://localhost:$nginx_port/user.json")"
# Twice: the first run reads most users from the store (the directory cache
# is cold), the second from memory, as a client hammering a tenant would.
read -r user_cold user_cold_p99 <<< "$(wrk_run users-cold "$host" -s "$work/users.lua")"
read -r user user_p99 <<< "$(wrk_run users "$host" -s "$work/users.lua")"
rss_stages+=", after the user reads $(rss_mb) MB"
read -r tokens tokens_p99 <<< "$(wrk_run tokens "$host/contoso.test/oauth2/v2.0/token" -s "$work/token.lua")"
rsa_sign=$(openssl speed -multi 2 -seconds "$secs" rsa2048 2>/dev/null | awk '/^rsa 2048/ {print $(NF-1)}' | tail -1)
rss_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')

python3 - <<PY
def f(x): return float(x)
def ms(x):
    x = x.strip()
    for unit, k in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if x.endswith(unit): return float(x[: -len(unit)]) * k
    return float(x)
rows = [
  ("access check / nginx static ($(wc -c < "$work/www/access.json") B)", f("$access"), f("$nginx_access"), 0.5),
  ("GET /v1.0/users/{id}, first run / nginx static ($(wc -c < "$work/www/user.json") B)", f("$user_cold"), f("$nginx_user"), 0.5),
  ("GET /v1.0/users/{id}, second run / nginx static", f("$user"), f("$nginx_user"), 0.5),
  ("client-credentials tokens / openssl rsa2048 sign -multi 2", f("$tokens"), f("$rsa_sign"), 0.75),
]
print(f"{'measure':62} {'rate':>9} {'anchor':>9} {'ratio':>6} target")
for name, rate, anchor, target in rows:
    print(f"{name:62} {rate:9.0f} {anchor:9.0f} {rate/anchor:6.2f} >= {target}")
p, pm = ms("$access_p99"), ms("$access_mixed_p99")
print(f"access check p99 without writes {p:.2f} ms, with the write mix {pm:.2f} ms: x{pm/p:.2f} (target <= 2)")
print(f"  (rate with the mix: $access_mixed req/s; write-mix errors: $changes_done)")
print(f"server RSS after the load: {int('$rss_kb')/1024:.0f} MB ($users users, after the bulk job)")
print("  ($rss_stages)")
PY
