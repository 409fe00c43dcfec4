#!/usr/bin/env bash
# Freshness across nodes: how long after a write on one node another node's
# gate decides with it. Two `gatehouse serve` nodes on one throw-away
# PostgreSQL (script/with-postgres, unless GATEHOUSE_TEST_POSTGRES_URL is set)
# behind HAProxy, as tests/e2e/nodes/cluster.sh starts them; then CHANGES times
# (default 1,000) a user is disabled or enabled on node 1 (PATCH accountEnabled)
# and node 2's `POST /api/v1/access/check` (directory.read: account.enabled)
# is asked until it shows the change, and the same the other way. Prints
# p50/p90/p99/max per direction; the target is p99 ≤ 1 s. With BULK_ROWS, a
# bulk invitation job of that many rows is uploaded first and runs (on
# whichever node takes it) while the changes are measured: the nodes' gates
# then also take its chunks (1,000 new guests per commit).
#   bench/nodes/freshness.sh [CHANGES] [BULK_ROWS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${GATEHOUSE_TEST_POSTGRES_URL:-}" ]; then exec "$root/script/with-postgres" "$0" "$@"; fi
changes=${1:-1000}
bulk_rows=${2:-0}
. "$root/tests/e2e/nodes/cluster.sh"
cluster_begin bench_freshness
cluster_tenant contoso Contoso
cluster_node_start 1
cluster_node_start 2
cluster_haproxy_start 1 2
cluster_node_env
if [ "$bulk_rows" -gt 0 ]; then
  python3 -c 'import sys
print("email,displayName")
for i in range(int(sys.argv[1])): print(f"bulk{i}@partner{i % 50}.example,Bulk {i}")' "$bulk_rows" > "$work/bulk.csv"
  cli() {
    GATEHOUSE_CLIENT_ID=$(json_field "$work/contoso.json" clientId) \
      GATEHOUSE_CLIENT_SECRET=$(json_field "$work/contoso.json" clientSecret) \
      "$cluster_bin" "$@" --server "$lb_url" --tenant "$(json_field "$work/contoso.json" domain)" --ca-cert "$ca"
  }
  cli policy set allowInvitesFrom=adminsGuestInvitersAndAllMembers > /dev/null 2>&1
  cli invite --csv "$work/bulk.csv" --redirect https://apps.contoso.test/ > /dev/null 2>&1
fi
echo "freshness: 2 nodes, $changes changes each way, bulk job rows: $bulk_rows, load average $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$root/tests/e2e/nodes" && node freshness.mjs "$changes")
[ "$bulk_rows" -gt 0 ] && echo "freshness: bulk job rows processed by the end: $(sql 'SELECT processed FROM bulk_jobs')"
# What each node's gate did meanwhile (its own /metrics, scraped from loopback).
for i in 1 2; do
  curl -s --cacert "$ca" "$(cluster_node_url "$i")/metrics" |
    grep -E '^gatehouse_(snapshot_rebuilds_total|snapshot_rebuild_duration_seconds_(sum|count)|snapshot_patches_total|bulk_rows_processed_total)' |
    sed "s/^/freshness: node $i: /"
done
