#!/bin/bash
# T640-crash-each-step: the real vmt-ingest is killed with SIGKILL (VMT_TEST_CRASH_AFTER, a test
# hook honoured only with VMT_TEST_HOOKS=1) at every step of the reception: after spooling, after
# the store commit, between each tracker call and its record in the store, after each tracker step,
# after queueing the acknowledgement. The MTA then redelivers (a killed pipe command is a deferral):
# every time exactly one case, one private bug with one ossa task, one subscription and one
# reception comment, one acknowledgement, and a ledger that tells each thing once. A third delivery
# changes nothing. The same for a quarantined message killed after the store commit: the
# coordinators' notice still goes out, once.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_cmd sqlite3
export VMT_NOW=2026-05-11T10:00:00Z
t_team "$T/pristine"
team_set "$T/pristine" team.notify "[coord@example.org]"
report=$T/pristine/demo/report.eml

steps="spool store tracker-call:create tracker:create tracker-call:reminder tracker:reminder
       tracker-call:ossa-task tracker:ossa-task tracker-call:subscribe:nova-coresec tracker:subscribe:nova-coresec
       tracker-call:comment:reception tracker:comment:reception ack"
for step in $steps; do
  team=$T/team
  pristine_copy "$T/pristine" "$team"
  rc=$(ingest_status "$team" VMT_TEST_HOOKS=1 VMT_TEST_CRASH_AFTER="$step" < "$report")
  [ "$rc" != 0 ] || t_fail "$step: the crash hook did not fire (exit 0)"
  # Nothing is lost at the moment of the crash: the raw message is in the spool.
  t_assert_eq "$(ls "$team/spool"/*.eml | wc -l)" 1 "$step: spooled before the crash"
  rc=$(ingest_status "$team" < "$report")
  t_assert_eq "$rc" 0 "$step: redelivery exit status"
  assert_one_reception "$team" "crash after $step"
  rc=$(ingest_status "$team" < "$report")
  t_assert_eq "$rc" 0 "$step: third delivery"
  assert_one_reception "$team" "third delivery after a crash at $step"
  t_log "crash after $step: redelivered, one case, one bug, one acknowledgement"
done

# Two crashes in a row (after the bug, then after the ack) still make one of everything.
pristine_copy "$T/pristine" "$T/team"
rc=$(ingest_status "$T/team" VMT_TEST_HOOKS=1 VMT_TEST_CRASH_AFTER=tracker:create < "$report")
rc=$(ingest_status "$T/team" VMT_TEST_HOOKS=1 VMT_TEST_CRASH_AFTER=ack < "$report")
[ "$rc" != 0 ] || t_fail "second crash did not fire"
t_assert_eq "$(ingest_status "$T/team" < "$report")" 0 "after two crashes"
assert_one_reception "$T/team" "two crashes"

# A quarantined message (encrypted to a key the team does not hold), killed after the store commit:
# the redelivery must still tell the coordinators, once.
t_genkey "$T/other/gnupg" "Someone Else" other@example.net > "$T/other.fpr"
printf 'a report for the wrong key\n' | gpg --homedir "$T/other/gnupg" --batch --trust-model always -a -e \
  -r "$(cat "$T/other.fpr")" > "$T/wrong.asc"
{ printf 'From: Jane <jane@reporter.example>\nTo: security@example.org\nSubject: wrong key\n'
  printf 'Message-ID: <wrong-key@reporter.example>\nContent-Type: text/plain\n\n'
  cat "$T/wrong.asc"; } > "$T/wrong.eml"
pristine_copy "$T/pristine" "$T/team"
rc=$(ingest_status "$T/team" VMT_TEST_HOOKS=1 VMT_TEST_CRASH_AFTER=store < "$T/wrong.eml")
[ "$rc" != 0 ] || t_fail "quarantine: the crash hook did not fire"
t_assert_eq "$(ingest_status "$T/team" < "$T/wrong.eml")" 0 "quarantine: redelivery"
t_assert_eq "$(ingest_status "$T/team" < "$T/wrong.eml")" 0 "quarantine: third delivery"
t_assert_eq "$(store_q "$T/team" "select count(*) from quarantine")" 1 "quarantine: one quarantined row"
t_assert_eq "$(store_q "$T/team" "select count(*) from outbox where kind='quarantine-notice'")" 1 \
  "quarantine: the coordinators are told once, even after a crash"
t_assert_eq "$(store_q "$T/team" "select recipients from outbox where kind='quarantine-notice'")" '["coord@example.org"]' \
  "quarantine: the notice goes to team.notify"
t_log pass
