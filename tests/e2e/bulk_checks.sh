# Sourced by the bulk job fault tests (bulk_crash.sh, nodes/bulk_takeover.sh):
# after a job of ROWS new guests finished, exactly one guest, pending
# invitation, queued invitation email and result per row, and no chunk left.
# Needs from the caller: sql QUERY, job_field NAME, cli ARGS..., fail MESSAGE,
# and $work, $job, $tenant_id. Also defines check NAME GOT WANT.
check() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; }

bulk_check_exactly_once() {
  local rows=$1
  local guests="FROM users WHERE tenant_id = '$tenant_id' AND creation_type = 'Invitation'"
  local mails="FROM mail_outbox WHERE tenant_id = '$tenant_id' AND kind = 'invitation'"
  cli invitations bulk results "$job" --out "$work/results.csv"
  check "succeeded rows" "$(job_field succeededRows)" "$rows"
  check "result rows in the file" "$(grep -c ',invited,' "$work/results.csv")" "$rows"
  check "guests" "$(sql "SELECT COUNT(*) $guests")" "$rows"
  check "distinct guest addresses" "$(sql "SELECT COUNT(DISTINCT mail_lower) $guests")" "$rows"
  check "pending invitations" "$(sql "SELECT COUNT(*) FROM invitations WHERE tenant_id = '$tenant_id' AND status = 'PendingAcceptance'")" "$rows"
  check "invitations" "$(sql "SELECT COUNT(*) FROM invitations WHERE tenant_id = '$tenant_id'")" "$rows"
  check "invitation emails" "$(sql "SELECT COUNT(*) $mails")" "$rows"
  check "distinct email recipients" "$(sql "SELECT COUNT(DISTINCT to_addrs) $mails")" "$rows"
  check "results" "$(sql "SELECT COUNT(*) FROM bulk_job_results WHERE job_id = '$job'")" "$rows"
  check "leftover chunks" "$(sql "SELECT COUNT(*) FROM bulk_job_chunks WHERE job_id = '$job'")" 0
}
