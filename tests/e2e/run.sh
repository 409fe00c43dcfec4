#!/usr/bin/env bash
# Runs the end-to-end tests against a real `gatehouse serve` on one backend:
#   tests/e2e/run.sh sqlite
#   tests/e2e/run.sh postgres   (needs GATEHOUSE_TEST_POSTGRES_URL, see script/with-postgres)
#   tests/e2e/run.sh sqlite oidc.test.mjs   (only the named files; default: every *.test.mjs)
# It creates two tenants with `gatehouse init`, starts an SMTP sink
# (tests/unit/mail/smtp_sink.py under Debian's /usr/bin/python3, which has
# python3-aiosmtpd) on a free loopback port, starts the server on a free port
# over HTTPS with the generated local CA and `--smtp` pointing at the sink, runs
# every tests/e2e/*.test.mjs, and stops the server with SIGTERM (which must exit
# cleanly). The tests get GH_BASE_URL, GH_CONTOSO, GH_FABRIKAM and GH_MAIL_DIR
# (the sink's folder: one N.json + N.eml per message received), and
# GH_OUTPUT_DIR (build/e2e-output/BACKEND: screenshots of the portal pages),
# GH_DATA_DIR (the server's data folder) and GH_DATABASE (its PostgreSQL URL,
# empty on SQLite), for tests that look at what is stored, and GH_METRICS_TOKEN
# (the scrape token the server reads from --metrics-token-file).
# GATEHOUSE_BIN overrides the server binary (default: build/gatehouse).
set -euo pipefail
backend=${1:?usage: run.sh sqlite|postgres [file.test.mjs ...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="${GATEHOUSE_BIN:-$root/build/gatehouse}"
[ -x "$bin" ] || { echo "e2e: no server binary at $bin (build it or set GATEHOUSE_BIN)" >&2; exit 1; }
work=$(mktemp -d)
server_pid=""
sink_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if [ -n "$sink_pid" ] && kill -0 "$sink_pid" 2>/dev/null; then
    kill -TERM "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
  fi
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

# The SMTP sink: a real SMTP server the mail sender delivers to (no STARTTLS).
mkdir -p "$work/mail"
/usr/bin/python3 "$root/tests/unit/mail/smtp_sink.py" "$work/smtp.port" "$work/mail" > "$work/smtp.log" 2>&1 &
sink_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/smtp.port" ] && break
  kill -0 "$sink_pid" 2>/dev/null || { cat "$work/smtp.log" >&2; echo "SMTP sink exited early" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/smtp.port" ] || { cat "$work/smtp.log" >&2; echo "SMTP sink did not start" >&2; exit 1; }
smtp_port=$(cat "$work/smtp.port")

# The scrape token for GET /metrics (metrics.test.mjs), in a file as in production.
head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$work/metrics.token"
"$bin" serve --data "$work/data" "${db_args[@]}" --listen 127.0.0.1:0 \
  --smtp "smtp://127.0.0.1:$smtp_port?starttls=none" --metrics-token-file "$work/metrics.token" \
  > "$work/server.out" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server exited early" >&2; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/.*listening on \(https:\/\/[^ ]*\).*/\1/p' "$work/server.out" | head -1)
[ -n "$base" ] || { cat "$work/server.out" "$work/server.log"; echo "no listening line" >&2; exit 1; }
echo "e2e[$backend]: server at $base, SMTP sink on 127.0.0.1:$smtp_port"

status=0
(cd "$root/tests/e2e" && if [ $# -eq 0 ]; then set -- ./*.test.mjs; fi && GH_BASE_URL="$base" GH_CONTOSO="$(cat "$work/contoso.json")" \
  GH_FABRIKAM="$(cat "$work/fabrikam.json")" GH_MAIL_DIR="$work/mail" NODE_EXTRA_CA_CERTS="$work/data/tls/ca.pem" \
  GH_OUTPUT_DIR="$root/build/e2e-output/$backend" GH_DATA_DIR="$work/data" GH_DATABASE="${db_args[1]:-}" \
  GH_METRICS_TOKEN="$(cat "$work/metrics.token")" \
  node --test --test-concurrency=1 --test-reporter=spec "$@") || status=$?

kill -TERM "$server_pid"
if ! wait "$server_pid"; then
  echo "e2e[$backend]: server did not shut down cleanly" >&2
  tail -20 "$work/server.log" >&2
  status=1
fi
server_pid=""
if [ "$status" -ne 0 ]; then
  echo "--- server log (tail) ---" >&2; tail -40 "$work/server.log" >&2
  echo "--- SMTP sink ($(ls "$work/mail" | grep -c '\.json$' || true) messages) ---" >&2; tail -20 "$work/smtp.log" >&2
fi
exit "$status"
