#!/usr/bin/env bash
# Fault test: the node running a bulk invitation job is killed with SIGKILL
# part-way, and another node finishes the job (run through script/with-postgres):
#   tests/e2e/nodes/bulk_takeover.sh same-host|other-host [ROWS]   (default 5,000 rows)
# Two nodes behind HAProxy; the CSV is uploaded through the balancer with
# `gatehouse invite --csv`. Once a chunk is committed, the node holding the
# job's lease (bulk_jobs.lease_owner, "host:pid") is killed. The other node
# takes the job over:
#   same-host   both nodes on this machine: the survivor sees that the lease
#               owner's process is gone and resumes at its next look (2 s);
#   other-host  node 2 runs in a UTS namespace with another host name, so
#               neither can tell whether the other is alive: the survivor
#               waits for the lease to expire (60 s after its last renewal).
# Then, as bulk_crash.sh does on one node, the database must hold exactly one
# guest, one invitation, one queued email and one result per row. Mail goes to
# a closed port, so every invitation email stays countable in the outbox.
# Prints how long the takeover took; asserts none of it.
set -euo pipefail
. "$(dirname "$0")/cluster.sh"
mode=${1:?usage: bulk_takeover.sh same-host|other-host [ROWS]}
rows=${2:-5000}
case "$mode" in same-host | other-host) ;; *) echo "bulk_takeover: unknown mode $mode" >&2; exit 2 ;; esac
if [ "$mode" = other-host ] && ! unshare --uts true 2>/dev/null; then
  # A UTS namespace needs CAP_SYS_ADMIN (root, or a container that allows it).
  echo "bulk_takeover[other-host]: SKIPPED — cannot create a UTS namespace (unshare --uts) as $(id -un)" >&2
  exit 0
fi
cluster_begin "nodes_bulk_${mode//-/_}"
cluster_name="bulk_takeover[$mode]"
cluster_tenant contoso Contoso
tenant_id=$(json_field "$work/contoso.json" tenantId)
client_id=$(json_field "$work/contoso.json" clientId)
client_secret=$(json_field "$work/contoso.json" clientSecret)
domain=$(json_field "$work/contoso.json" domain)
cluster_node_start 1
if [ "$mode" = other-host ]; then NODE_HOSTNAME=gatehouse-other cluster_node_start 2; else cluster_node_start 2; fi
cluster_haproxy_start 1 2

cli() {
  GATEHOUSE_CLIENT_ID="$client_id" GATEHOUSE_CLIENT_SECRET="$client_secret" \
    "$cluster_bin" "$@" --server "$lb_url" --tenant "$domain" --ca-cert "$ca"
}
python3 - "$rows" > "$work/guests.csv" <<'PY'
import sys
print("email,displayName")
for i in range(int(sys.argv[1])):
    print(f"guest{i}@partner{i % 50}.example,Guest {i}")
PY
cli policy set allowInvitesFrom=adminsGuestInvitersAndAllMembers > /dev/null 2>&1 || cluster_fail "policy set"
cli invite --csv "$work/guests.csv" --redirect https://apps.contoso.test/ > "$work/upload.out" 2> "$work/upload.err"
job=$(sed -n 's/.*bulk show \([0-9a-f-]*\).*/\1/p' "$work/upload.out")
[ -n "$job" ] || cluster_fail "no job id in: $(cat "$work/upload.out" "$work/upload.err")"

# The node that holds the job once a chunk is committed.
owner=""
for _ in $(seq 1 1200); do
  read -r processed owner < <(sql "SELECT processed, COALESCE(lease_owner, '-') FROM bulk_jobs WHERE id = '$job'" | tr '|' ' ')
  [ "$processed" -gt 0 ] && [ "$owner" != "-" ] && break
  sleep 0.02
done
[ "$processed" -gt 0 ] || cluster_fail "the job never started"
victim=""
for i in 1 2; do [ "${owner##*:}" = "${cluster_pids[$i]}" ] && victim=$i; done
[ -n "$victim" ] || cluster_fail "lease owner $owner is neither node (${cluster_pids[*]})"
survivor=$((3 - victim))
cluster_node_kill "$victim" KILL
killed_at=$(date +%s%N)
before=$(sql "SELECT processed FROM bulk_jobs WHERE id = '$job'")
[ "$before" -lt "$rows" ] || cluster_fail "the job had finished ($before of $rows rows) before the kill"
echo "$cluster_name: killed node $victim ($owner) with $before of $rows rows committed; node $survivor carries on"

# The survivor takes the lease and finishes (bounded: the lease is 60 s).
taken_ms=""
status=""
for _ in $(seq 1 1500); do
  read -r status now_owner < <(sql "SELECT status, COALESCE(lease_owner, '-') FROM bulk_jobs WHERE id = '$job'" | tr '|' ' ')
  if [ -z "$taken_ms" ] && { [ "$now_owner" != "$owner" ] || [ "$status" = completed ]; }; then
    taken_ms=$((($(date +%s%N) - killed_at) / 1000000))
  fi
  [ "$status" = completed ] && break
  [ "$status" = queued ] || [ "$status" = running ] || cluster_fail "job ended $status"
  sleep 0.1
done
[ "$status" = completed ] || cluster_fail "job not finished 150 s after the kill"
done_ms=$((($(date +%s%N) - killed_at) / 1000000))
grep -q "resuming job $job left by $owner" "$work/node$survivor.out" && how="the owner's process was gone" \
  || how="the lease expired"
echo "$cluster_name: node $survivor took the job over ${taken_ms} ms after the kill ($how), finished it ${done_ms} ms after"
[ "$mode" = same-host ] && [ "$how" != "the owner's process was gone" ] && cluster_fail "same host, yet not resumed at once"
[ "$mode" = other-host ] && [ "$how" != "the lease expired" ] && cluster_fail "another host's process was taken for dead"

fail() { cluster_fail "$@"; }
job_field() { cli invitations bulk show "$job" --output json | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
. "$cluster_root/tests/e2e/bulk_checks.sh"
bulk_check_exactly_once "$rows"
echo "$cluster_name: OK — $rows rows, one guest/invitation/email/result each after node $victim was killed at $before"
