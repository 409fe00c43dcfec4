# Sourced by the several-node tests and the freshness benchmark: N
# `gatehouse serve` processes on one PostgreSQL database and one `init`ed data
# folder (the local CA and the at-rest key; signing keys are in the database),
# HAProxy in front of them (haproxy.cfg.in), and optionally a real SMTP server
# (tests/unit/mail/smtp_sink.py) on a fixed port, so that it can be stopped
# and started again. Everything listens on loopback; everything it starts is
# stopped, and its database dropped, on any exit (an EXIT trap).
#
#   . tests/e2e/nodes/cluster.sh
#   cluster_begin NAME                  # work folder, database, traps (needs GATEHOUSE_TEST_POSTGRES_URL)
#   cluster_tenant contoso Contoso      # `init`: $work/contoso.json
#   cluster_sink_start                  # SMTP sink on $smtp_port, mail in $work/mail
#   cluster_node_start 1 [ARGS…]        # node 1 on $node_port_1 (…_2, …), waits for /readyz
#                                       # (NODE_HOSTNAME=NAME: as if on another machine)
#   cluster_haproxy_start 1 2           # HAProxy on $lb_url over the listed nodes
#
# The nodes' --public-url is the balancer's address ($lb_url): token issuer
# and links are the same whichever node answers. HAProxy connects to the nodes
# from 127.0.0.2, which is the nodes' only --trusted-proxy, so the log of a
# request through the balancer shows the client's address (127.0.0.1) from
# X-Forwarded-For. GATEHOUSE_BIN overrides the server binary.
cluster_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cluster_bin="${GATEHOUSE_BIN:-$cluster_root/build/gatehouse}"
declare -A cluster_pids=()
cluster_haproxy_pid=""
cluster_sink_pid=""

cluster_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cluster_cleanup() {
  local status=$?
  local pid
  for pid in "${cluster_pids[@]}" "$cluster_haproxy_pid" "$cluster_sink_pid"; do
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in "${cluster_pids[@]}" "$cluster_haproxy_pid" "$cluster_sink_pid"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  if [ -n "${cluster_dbname:-}" ]; then
    psql -q -X "$GATEHOUSE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $cluster_dbname WITH (FORCE)" \
      >/dev/null 2>&1 || true
  fi
  [ -n "${work:-}" ] && rm -rf "$work"
  exit "$status"
}

cluster_fail() {
  echo "$cluster_name: FAIL: $*" >&2
  local f
  for f in "$work"/node*.out "$work"/node*.log "$work/haproxy.log" "$work/smtp.log"; do
    [ -s "$f" ] && { echo "--- $(basename "$f") (tail) ---" >&2; tail -15 "$f" >&2; }
  done
  exit 1
}

# cluster_begin NAME: the work folder, a fresh database, the cleanup trap.
cluster_begin() {
  cluster_name=$1
  : "${GATEHOUSE_TEST_POSTGRES_URL:?run through script/with-postgres}"
  [ -x "$cluster_bin" ] || { echo "$cluster_name: no server binary at $cluster_bin" >&2; exit 1; }
  command -v haproxy >/dev/null || { echo "$cluster_name: haproxy is not installed (script/bootstrap)" >&2; exit 1; }
  work=$(mktemp -d)
  trap cluster_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  cluster_dbname="gatehouse_${1//[^a-z0-9]/_}_$$"
  psql -q -X "$GATEHOUSE_TEST_POSTGRES_URL" -c "CREATE DATABASE $cluster_dbname" >/dev/null
  dburl="${GATEHOUSE_TEST_POSTGRES_URL%/*}/$cluster_dbname"
  lb_port=$(cluster_free_port)
  lb_url="https://127.0.0.1:$lb_port"
  ca="$work/data/tls/ca.pem"
  printf '%s\n' 'Adm1n-Passw0rd!' > "$work/admin-password"
}

sql() { psql -X -A -t -q "$dburl" -c "$1"; }
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# cluster_tenant KEY NAME: `init`s tenant NAME with domain KEY-PID.test into
# the shared data folder and database; its JSON is $work/KEY.json.
cluster_tenant() {
  "$cluster_bin" init --data "$work/data" --database "$dburl" --tenant "$2" --domain "$1-$$.test" \
    --admin "admin@$1-$$.test" --password-file "$work/admin-password" --output json > "$work/$1.json" \
    || cluster_fail "init $2"
}

# cluster_sink_start: the SMTP sink on $smtp_port (chosen on the first start,
# kept on later ones), each message one N.json + N.eml in $work/mail.
cluster_sink_start() {
  mkdir -p "$work/mail"
  : "${smtp_port:=$(cluster_free_port)}"
  rm -f "$work/smtp.port"
  GH_SMTP_SINK_PORT=$smtp_port /usr/bin/python3 "$cluster_root/tests/unit/mail/smtp_sink.py" "$work/smtp.port" \
    "$work/mail" >> "$work/smtp.log" 2>&1 &
  cluster_sink_pid=$!
  local _
  for _ in $(seq 1 100); do
    [ -s "$work/smtp.port" ] && return 0
    kill -0 "$cluster_sink_pid" 2>/dev/null || cluster_fail "the SMTP sink exited early"
    sleep 0.1
  done
  cluster_fail "the SMTP sink did not start"
}

cluster_sink_stop() {
  kill -TERM "$cluster_sink_pid" 2>/dev/null || true
  wait "$cluster_sink_pid" 2>/dev/null || true
  cluster_sink_pid=""
}

# cluster_node_start I [ARGS…]: node I (port chosen on its first start, kept
# on restarts) with the shared options and ARGS; returns once it is ready.
# cluster_node_spawn does the same without waiting (start several at once,
# then cluster_node_wait each).
cluster_node_start() {
  cluster_node_spawn "$@"
  cluster_node_wait "$1"
}

cluster_node_spawn() {
  local i=$1
  shift
  local port_var="node_port_$i"
  [ -n "${!port_var:-}" ] || printf -v "$port_var" '%s' "$(cluster_free_port)"
  local port=${!port_var}
  local smtp_args=(--smtp "smtp://127.0.0.1:9?starttls=none")  # a closed port: mail stays in the outbox
  [ -n "${smtp_port:-}" ] && smtp_args=(--smtp "smtp://127.0.0.1:$smtp_port?starttls=none")
  # NODE_HOSTNAME=NAME runs the node in a UTS namespace of its own named NAME:
  # to the other nodes it is a process on another machine ("host:pid" leases).
  local wrap=()
  [ -n "${NODE_HOSTNAME:-}" ] && wrap=(unshare --uts bash -c 'hostname "$0" && exec "$@"' "$NODE_HOSTNAME")
  "${wrap[@]}" "$cluster_bin" serve --data "$work/data" --database "$dburl" --listen "127.0.0.1:$port" \
    --public-url "$lb_url" --trusted-proxy 127.0.0.2/32 "${smtp_args[@]}" "$@" \
    >> "$work/node$i.out" 2>> "$work/node$i.log" &
  cluster_pids[$i]=$!
  disown "${cluster_pids[$i]}"  # no job-control notice when a test kills it
}

cluster_node_wait() {
  local i=$1 _
  local port_var="node_port_$i"
  local port=${!port_var}
  for _ in $(seq 1 200); do
    curl -sf --cacert "$ca" "https://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "${cluster_pids[$i]}" 2>/dev/null || cluster_fail "node $i exited early"
    sleep 0.05
  done
  cluster_fail "node $i not ready after 10 s"
}

cluster_node_url() { local v="node_port_$1"; echo "https://127.0.0.1:${!v}"; }

# cluster_node_kill I [SIGNAL]: default SIGKILL; waits until it is gone.
cluster_node_kill() {
  local pid=${cluster_pids[$1]}
  kill "-${2:-KILL}" "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  unset "cluster_pids[$1]"
}

# cluster_haproxy_start I…: HAProxy on $lb_url over nodes I…, from
# haproxy.cfg.in; returns once every node is up in its health checks.
cluster_haproxy_start() {
  cat "$work/data/tls/server.pem" "$work/data/tls/server-key.pem" > "$work/front.pem"
  local servers="" i
  for i in "$@"; do
    local v="node_port_$i"
    servers+="    server node$i 127.0.0.1:${!v}"$'\n'
  done
  python3 - "$cluster_root/tests/e2e/nodes/haproxy.cfg.in" "$work/haproxy.cfg" "127.0.0.1:$lb_port" \
    "$work/front.pem" "$ca" "127.0.0.2" "$servers" <<'PY'
import sys
src, dst, listen, front, ca, source, servers = sys.argv[1:]
text = open(src).read()
for k, v in {"LISTEN": listen, "FRONT_PEM": front, "CA_FILE": ca, "SOURCE": source, "SERVERS": servers.rstrip("\n")}.items():
    text = text.replace("@" + k + "@", v)
open(dst, "w").write(text)
PY
  haproxy -c -q -f "$work/haproxy.cfg" || cluster_fail "haproxy rejects $work/haproxy.cfg"
  haproxy -db -f "$work/haproxy.cfg" >> "$work/haproxy.log" 2>&1 &
  cluster_haproxy_pid=$!
  disown "$cluster_haproxy_pid"
  local _ ok
  # Round robin over N nodes: N answers in a row mean every node is in.
  for _ in $(seq 1 200); do
    ok=0
    for i in "$@"; do curl -sf --cacert "$ca" "$lb_url/readyz" >/dev/null 2>&1 && ok=$((ok + 1)); done
    [ "$ok" -eq $# ] && return 0
    kill -0 "$cluster_haproxy_pid" 2>/dev/null || cluster_fail "haproxy exited early"
    sleep 0.1
  done
  cluster_fail "the balancer did not answer"
}

# The Node.js scripts' environment: the balancer, each node, the tenants.
cluster_node_env() {
  local urls="" i
  for i in $(printf '%s\n' "${!cluster_pids[@]}" | sort -n); do urls+="${urls:+,}$(cluster_node_url "$i")"; done
  export GH_BASE_URL="$lb_url" GH_NODES="$urls" NODE_EXTRA_CA_CERTS="$ca" GH_DATABASE="$dburl"
  export GH_CONTOSO="$(cat "$work/contoso.json")"
  export GH_FABRIKAM="$(cat "$work/fabrikam.json" 2>/dev/null || cat "$work/contoso.json")"
  export GH_MAIL_DIR="$work/mail"
}
