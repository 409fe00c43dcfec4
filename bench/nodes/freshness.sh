#!/usr/bin/env bash
# Freshness across nodes: how long after a write on one node another node's
# gate decides with it. Two `gatehouse serve` nodes on one throw-away
# PostgreSQL (script/with-postgres, unless GATEHOUSE_TEST_POSTGRES_URL is set)
# behind HAProxy, as tests/e2e/nodes/cluster.sh starts them; then CHANGES times
# (default 1,000) a user is disabled or enabled on node 1 (PATCH accountEnabled)
# and node 2's `POST /api/v1/access/check` (directory.read: account.enabled)
# is asked until it shows the change, and the same the other way. Prints
# p50/p90/p99/max per direction; the target is p99 ≤ 1 s.
#   bench/nodes/freshness.sh [CHANGES]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${GATEHOUSE_TEST_POSTGRES_URL:-}" ]; then exec "$root/script/with-postgres" "$0" "$@"; fi
changes=${1:-1000}
. "$root/tests/e2e/nodes/cluster.sh"
cluster_begin bench_freshness
cluster_tenant contoso Contoso
cluster_node_start 1
cluster_node_start 2
cluster_haproxy_start 1 2
cluster_node_env
echo "freshness: 2 nodes, $changes changes each way, load average $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$root/tests/e2e/nodes" && node freshness.mjs "$changes")
