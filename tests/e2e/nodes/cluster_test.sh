#!/usr/bin/env bash
# Several nodes behind a real load balancer (run through script/with-postgres):
#   tests/e2e/nodes/cluster_test.sh [NODES]   (default 2)
# `init`s a tenant into one data folder and PostgreSQL database, starts the SMTP
# sink, NODES `gatehouse serve` processes on that folder and database, and
# HAProxy (haproxy.cfg.in: TLS at the balancer and to each node, X-Forwarded-For,
# /readyz health checks) in front of them; then runs cluster.test.mjs, which
# talks to the balancer and to each node directly. Prints the freshness
# figures (a change on one node seen by another node's gate); asserts none.
set -euo pipefail
. "$(dirname "$0")/cluster.sh"
count=${1:-2}
cluster_begin nodes_cluster
cluster_tenant contoso Contoso
cluster_sink_start
# All at once, as a deployment's replicas start (each creates what a server
# needs at start if it is absent, e.g. the consumers tenant: they race).
for i in $(seq 1 "$count"); do cluster_node_spawn "$i"; done
for i in $(seq 1 "$count"); do cluster_node_wait "$i"; done
cluster_haproxy_start $(seq 1 "$count")
echo "nodes: $count nodes behind HAProxy at $lb_url; SMTP sink on 127.0.0.1:$smtp_port"
cluster_node_env
(cd "$cluster_root/tests/e2e/nodes" && node --test --test-concurrency=1 --test-reporter=spec cluster.test.mjs) \
  || cluster_fail "cluster.test.mjs"
# Every request through the balancer is logged by a node with the client's
# address from X-Forwarded-For (HAProxy itself connects from 127.0.0.2).
grep -q 'remote=127.0.0.1 via 127.0.0.2$' "$work"/node*.out || cluster_fail "no request logged with the forwarded client address"
if grep -h 'remote=127.0.0.2$' "$work"/node*.out | grep -v 'path=/readyz' | head -3 | grep -q .; then
  cluster_fail "a proxied request was logged with the balancer's address"
fi
# Every node stops cleanly on SIGTERM.
for i in $(seq 1 "$count"); do
  pid=${cluster_pids[$i]}
  kill -TERM "$pid"
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$pid" 2>/dev/null && cluster_fail "node $i did not stop on SIGTERM"
  unset "cluster_pids[$i]"
done
echo "nodes: OK — $count nodes"
