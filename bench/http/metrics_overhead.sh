#!/usr/bin/env bash
# The per-request cost of metrics: wrk against POST /api/v1/access/check on
# two binaries (before: without metrics; after: with), alternating runs so
# drift on a shared machine hits both alike, and prints each run's rate and
# the after/before ratio of the medians.
#   bench/http/metrics_overhead.sh BEFORE_BIN AFTER_BIN [ROUNDS] [SECONDS]
# Plain HTTP on loopback (--insecure-http): without TLS the server does least
# per request, so a fixed per-request cost shows most. Demo tenants, SQLite.
set -euo pipefail
before=${1:?before binary}; after=${2:?after binary}; rounds=${3:-3}; secs=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

run() {  # BIN LABEL → prints requests/s
  local bin=$1 data="$work/data-$2"
  "$bin" serve --data "$data" --demo --insecure-http --listen 127.0.0.1:0 --threads 2 > "$work/out" 2> "$work/err" &
  pid=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  local base; base=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/out" | head -1)
  local creds="$data/demo-credentials.json"
  local id secret
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenants"][0]["clientId"])' "$creds")
  secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenants"][0]["clientSecret"])' "$creds")
  TOKEN=$(curl -s "$base/contoso.com/oauth2/v2.0/token" -d grant_type=client_credentials -d "client_id=$id" \
    --data-urlencode "client_secret=$secret" --data-urlencode scope=https://graph.microsoft.com/.default |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  export TOKEN
  wrk -t1 -c4 -d2s -s "$here/access_check.lua" "$base/api/v1/access/check" > /dev/null  # warm up
  wrk -t2 -c64 -d"${secs}s" --latency -s "$here/access_check.lua" "$base/api/v1/access/check" > "$work/wrk"
  grep -q "Non-2xx" "$work/wrk" && { cat "$work/wrk" >&2; echo "non-2xx answers" >&2; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  awk '/Requests\/sec/ {print $2}' "$work/wrk"
  awk '/ 99%/ {print "p99", $2}' "$work/wrk" >&2
}

b=(); a=()
for i in $(seq 1 "$rounds"); do
  r=$(run "$before" before); b+=("$r"); echo "round $i before: $r req/s"
  r=$(run "$after" after); a+=("$r"); echo "round $i after:  $r req/s"
done
python3 - "${b[*]}" "${a[*]}" <<'PY'
import statistics, sys
b = [float(x) for x in sys.argv[1].split()]; a = [float(x) for x in sys.argv[2].split()]
mb, ma = statistics.median(b), statistics.median(a)
print(f"median before {mb:.0f} req/s, after {ma:.0f} req/s, after/before {ma/mb:.3f}")
PY
