#!/usr/bin/env bash
# Fault test: PostgreSQL restarted under load (run through script/with-postgres,
# which exports GATEHOUSE_TEST_PG_CTL). Two nodes behind HAProxy take writes
# (new users) and reads through the balancer while pg_restart.test.mjs
# restarts PostgreSQL (`pg_ctl restart -m fast`, then a 3 s stop); it prints
# how soon each node served again and checks that every acknowledged write is
# stored and that each node's gate still follows the other's writes. Both
# nodes must still be running at the end. About 30 s.
set -euo pipefail
. "$(dirname "$0")/cluster.sh"
: "${GATEHOUSE_TEST_PG_CTL:?run through script/with-postgres}"
cluster_begin nodes_pg_restart
cluster_tenant contoso Contoso
cluster_node_start 1
cluster_node_start 2
cluster_haproxy_start 1 2
echo "pg_restart: 2 nodes behind HAProxy at $lb_url"
cluster_node_env
(cd "$cluster_root/tests/e2e/nodes" && node --test --test-concurrency=1 --test-reporter=spec pg_restart.test.mjs) \
  || cluster_fail "pg_restart.test.mjs"
for i in 1 2; do kill -0 "${cluster_pids[$i]}" 2>/dev/null || cluster_fail "node $i died"; done
echo "pg_restart: OK"
