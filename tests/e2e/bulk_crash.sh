#!/usr/bin/env bash
# The bulk invitation crash test, against a real server on one backend:
#   tests/e2e/bulk_crash.sh sqlite|postgres [ROWS]   (postgres: run through script/with-postgres)
# Uploads a ROWS-row CSV (default 100,000, all new guests, emails on) with
# `gatehouse invite --csv`, kills the server with SIGKILL part-way through the
# job, restarts it, lets the job finish, and checks in the database that every
# address has exactly one guest, one pending invitation, one queued email and
# one result row, and that the job's counters match. Mail delivery is pointed
# at a closed port so every invitation email stays countable in the outbox.
# Then the CLI's exit code and results file are checked on a small file with
# one bad row. GATEHOUSE_BIN overrides the server binary.
set -euo pipefail
backend=${1:?usage: bulk_crash.sh sqlite|postgres [ROWS]}
rows=${2:-100000}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="${GATEHOUSE_BIN:-$root/build/gatehouse}"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "bulk_crash[$backend]: FAIL: $*" >&2; tail -30 "$work/server.log" >&2 || true; exit 1; }

db_args=()
if [ "$backend" = postgres ]; then
  : "${GATEHOUSE_TEST_POSTGRES_URL:?run through script/with-postgres}"
  dburl="${GATEHOUSE_TEST_POSTGRES_URL%/*}/gatehouse_bulk_$$"
  psql -q -X "$GATEHOUSE_TEST_POSTGRES_URL" -c "CREATE DATABASE gatehouse_bulk_$$" >/dev/null
  db_args=(--database "$dburl")
  sql() { psql -X -A -t -q "$dburl" -c "$1"; }
else
  sql() { sqlite3 "$work/data/gatehouse.db" "$1"; }
fi

printf '%s\n' 'Adm1n-Passw0rd!' > "$work/admin-password"
"$bin" init --data "$work/data" "${db_args[@]}" --tenant Contoso --domain contoso.test \
  --admin admin@contoso.test --password-file "$work/admin-password" --output json > "$work/contoso.json"
client_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clientId"])' "$work/contoso.json")
client_secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clientSecret"])' "$work/contoso.json")
tenant_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenantId"])' "$work/contoso.json")

start_server() {
  "$bin" serve --data "$work/data" "${db_args[@]}" --listen 127.0.0.1:0 \
    --smtp "smtp://127.0.0.1:9?starttls=none" > "$work/server.out" 2>> "$work/server.log" &
  server_pid=$!
  disown "$server_pid"  # no job-control notice when it is killed below
  for _ in $(seq 1 200); do
    grep -q "listening on" "$work/server.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || fail "server exited early"
    sleep 0.05
  done
  base=$(sed -n 's/.*listening on \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
  [ -n "$base" ] || fail "no listening line"
}
cli() {
  GATEHOUSE_CLIENT_ID="$client_id" GATEHOUSE_CLIENT_SECRET="$client_secret" \
    "$bin" "$@" --server "$base" --tenant contoso.test --ca-cert "$work/data/tls/ca.pem"
}
job_field() { cli invitations bulk show "$job" --output json | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

python3 - "$rows" > "$work/guests.csv" <<'PY'
import sys
print("email,displayName")
for i in range(int(sys.argv[1])):
    print(f"guest{i}@partner{i % 50}.example,Guest {i}")
PY

start_server
# The automation client invites, so members (and apps) may (the default keeps it to administrators).
cli policy set allowInvitesFrom=adminsGuestInvitersAndAllMembers > /dev/null || fail "policy set"
cli invite --csv "$work/guests.csv" --redirect https://apps.contoso.test/ > "$work/upload.out" 2> "$work/upload.err"
job=$(sed -n 's/.*bulk show \([0-9a-f-]*\).*/\1/p' "$work/upload.out")
[ -n "$job" ] || fail "no job id in: $(cat "$work/upload.out" "$work/upload.err")"

# Kill it once at least one batch (and not the whole job) is committed.
for _ in $(seq 1 600); do
  done_rows=$(job_field processedRows)
  [ "$done_rows" -gt 0 ] && break
  sleep 0.05
done
kill -KILL "$server_pid"
while kill -0 "$server_pid" 2>/dev/null; do sleep 0.05; done
server_pid=""
before=$(sql "SELECT processed FROM bulk_jobs WHERE id = '$job'")
[ "$before" -gt 0 ] && [ "$before" -lt "$rows" ] || fail "killed at $before of $rows rows: not part-way"
echo "bulk_crash[$backend]: killed the server with $before of $rows rows committed"

start_server
for _ in $(seq 1 3600); do
  status=$(job_field status)
  [ "$status" = completed ] && break
  [ "$status" = queued ] || [ "$status" = running ] || fail "job ended $status"
  sleep 0.2
done
[ "$status" = completed ] || fail "job did not finish"
. "$(dirname "$0")/bulk_checks.sh"
bulk_check_exactly_once "$rows"

# The CLI: waits, writes the results, and exits 1 when a row failed.
printf 'email\nfresh@partner.example\nnot-an-address\nguest1@partner1.example\n' > "$work/small.csv"
set +e
cli invite --csv "$work/small.csv" --redirect https://apps.contoso.test/ --results "$work/small-results.csv" \
  > "$work/small.out" 2> "$work/small.err"
code=$?
set -e
check "CLI exit code with a failed row" "$code" 1
grep -q "1 row(s) failed" "$work/small.err" || fail "CLI did not say a row failed: $(cat "$work/small.err")"
check "small results" "$(cut -d, -f3 "$work/small-results.csv" | tr '\n' ' ')" "outcome invited invalid alreadyInvited "
echo "bulk_crash[$backend]: OK — $rows rows, one guest/invitation/email/result each after a SIGKILL at $before"
