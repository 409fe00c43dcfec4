#!/usr/bin/env bash
# Fault test: the SMTP server is down for a minute while two nodes queue mail
# (run through script/with-postgres):
#   tests/e2e/nodes/smtp_outage.sh [MAILS]   (default 30)
# Two nodes behind HAProxy send to a real SMTP server (tests/unit/mail/smtp_sink.py),
# which is stopped; invitations with email are made through the balancer,
# two thirds at once and the rest half-way through the outage; 60 s after it
# stopped the SMTP server starts again on the same port. Then every mail must
# be delivered exactly once (one message per recipient in the sink, each
# outbox row sent, none given up). `serve` has no flag for the retry
# schedule, so this is a real minute and the sender's own back-off
# (src/mail/sender.h: 30 s, then 2 min): a mail that failed at the start is
# retried at 30 s (still down) and delivered at 2 min 30 s. About 3 minutes.
set -euo pipefail
. "$(dirname "$0")/cluster.sh"
mails=${1:-30}
outage_s=60
cluster_begin nodes_smtp_outage
cluster_name=smtp_outage
cluster_tenant contoso Contoso
client_id=$(json_field "$work/contoso.json" clientId)
client_secret=$(json_field "$work/contoso.json" clientSecret)
domain=$(json_field "$work/contoso.json" domain)
cluster_sink_start
cluster_node_start 1
cluster_node_start 2
cluster_haproxy_start 1 2
cli() {
  GATEHOUSE_CLIENT_ID="$client_id" GATEHOUSE_CLIENT_SECRET="$client_secret" \
    "$cluster_bin" "$@" --server "$lb_url" --tenant "$domain" --ca-cert "$ca"
}
cli policy set allowInvitesFrom=adminsGuestInvitersAndAllMembers > /dev/null 2>&1 || cluster_fail "policy set"
invite() {  # invite FROM TO: guests FROM..TO-1, each with its invitation email
  local i
  for i in $(seq "$1" $(($2 - 1))); do
    cli invite "outage$i@partner$((i % 3)).example" --redirect https://apps.contoso.test/ > /dev/null 2>> "$work/cli.err" \
      || cluster_fail "invite $i: $(tail -1 "$work/cli.err")"
  done
}
pending() { sql "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND sent_at IS NULL AND gave_up = 0"; }

cluster_sink_stop
down_at=$(date +%s)
echo "$cluster_name: SMTP server on 127.0.0.1:$smtp_port stopped; queuing $mails invitation emails"
first=$((mails * 2 / 3))
invite 0 "$first"
sleep $((outage_s / 2 - ($(date +%s) - down_at))) 2>/dev/null || true
invite "$first" "$mails"
# Every mail was tried and failed while the server was down.
for _ in $(seq 1 100); do
  [ "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND attempts = 0")" = 0 ] && break
  sleep 0.2
done
check() { [ "$2" = "$3" ] || cluster_fail "$1: expected $3, got $2"; }
check "mails delivered while SMTP was down" "$(find "$work/mail" -name '*.json' | wc -l)" 0
check "mails never tried while SMTP was down" "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND attempts = 0")" 0
sleep $((outage_s - ($(date +%s) - down_at))) 2>/dev/null || true
cluster_sink_start
up_at=$(date +%s)
echo "$cluster_name: SMTP server back after $((up_at - down_at)) s; $(pending) mails waiting for their retry"

# Bounded: the last retry due is 30 s + 2 min after a first failure.
for _ in $(seq 1 1200); do
  [ "$(pending)" = 0 ] && break
  sleep 0.25
done
[ "$(pending)" = 0 ] || cluster_fail "$(pending) mails still queued $(($(date +%s) - up_at)) s after SMTP returned"
last_at=$(date +%s)
sleep 3  # a few more sender passes on each node: nothing goes out twice late
check "mails delivered" "$(find "$work/mail" -name '*.json' | wc -l)" "$mails"
check "mails given up" "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE gave_up <> 0")" 0
python3 - "$work/mail" "$mails" <<'PY' || cluster_fail "a recipient did not get exactly one mail"
import collections, json, os, sys
folder, n = sys.argv[1], int(sys.argv[2])
got = collections.Counter()
for f in os.listdir(folder):
    if f.endswith(".json"):
        for to in json.load(open(os.path.join(folder, f)))["rcpt_tos"]:
            got[to.lower()] += 1
want = {f"outage{i}@partner{i % 3}.example" for i in range(n)}
bad = {a: got[a] for a in want if got[a] != 1}
extra = set(got) - want
if bad or extra:
    print("recipients without exactly one mail:", bad, "unexpected:", extra, file=sys.stderr)
    sys.exit(1)
PY
echo "$cluster_name: attempts per mail (attempts: mails): $(sql "SELECT attempts || ': ' || COUNT(*) FROM mail_outbox WHERE kind = 'invitation' GROUP BY attempts ORDER BY attempts" | paste -sd, -)"
echo "$cluster_name: sent by (node: mails): $(sql "SELECT leased_by || ': ' || COUNT(*) FROM mail_outbox WHERE kind = 'invitation' GROUP BY leased_by" | paste -sd, -)"
echo "$cluster_name: OK — $mails mails, each delivered once; the last $((last_at - up_at)) s after SMTP returned"
