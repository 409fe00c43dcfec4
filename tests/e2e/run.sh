#!/usr/bin/env bash
# Runs the end-to-end tests against a real `gatehouse serve` on one backend:
#   tests/e2e/run.sh sqlite
#   tests/e2e/run.sh postgres   (needs GATEHOUSE_TEST_POSTGRES_URL, see script/with-postgres)
# It creates two tenants with `gatehouse init`, starts the server on a free
# port over HTTPS with the generated local CA, runs the node tests, and stops
# the server with SIGTERM (which must exit cleanly).
set -euo pipefail
backend=${1:?usage: run.sh sqlite|postgres}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/build/gatehouse"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db_args=()
if [ "$backend" = postgres ]; then
  : "${GATEHOUSE_TEST_POSTGRES_URL:?run through script/with-postgres}"
  dbname="gatehouse_e2e_$$"
  psql -q -X "$GATEHOUSE_TEST_POSTGRES_URL" -c "CREATE DATABASE $dbname" >/dev/null
  db_args=(--database "${GATEHOUSE_TEST_POSTGRES_URL%/*}/$dbname")
fi

suffix=$(date +%s%N | tail -c 7)
"$bin" init --data "$work/data" "${db_args[@]}" --tenant Contoso --domain "contoso-$suffix.test" \
  --admin "admin@contoso-$suffix.test" --password 'Adm1n-Passw0rd!' --output json > "$work/contoso.json"
"$bin" init --data "$work/data" "${db_args[@]}" --tenant Fabrikam --domain "fabrikam-$suffix.test" \
  --admin "admin@fabrikam-$suffix.test" --password 'Adm1n-Passw0rd!' --output json > "$work/fabrikam.json"

"$bin" serve --data "$work/data" "${db_args[@]}" --listen 127.0.0.1:0 > "$work/server.out" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server exited early" >&2; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/.*listening on \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
[ -n "$base" ] || { cat "$work/server.out" "$work/server.log"; echo "no listening line" >&2; exit 1; }
echo "e2e[$backend]: server at $base"

status=0
(cd "$root/tests/e2e" && GH_BASE_URL="$base" GH_CONTOSO="$(cat "$work/contoso.json")" \
  GH_FABRIKAM="$(cat "$work/fabrikam.json")" NODE_EXTRA_CA_CERTS="$work/data/tls/ca.pem" \
  node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs) || status=$?

kill -TERM "$server_pid"
if ! wait "$server_pid"; then
  echo "e2e[$backend]: server did not shut down cleanly" >&2
  tail -20 "$work/server.log" >&2
  status=1
fi
server_pid=""
if [ "$status" -ne 0 ]; then echo "--- server log (tail) ---" >&2; tail -40 "$work/server.log" >&2; fi
exit "$status"
