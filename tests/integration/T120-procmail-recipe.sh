#!/bin/bash
# T120-procmail-recipe: the shipped procmail/vmt.procmailrc, run by real procmail as the
# unprivileged vmt user, hands the report to vmt-ingest (exit 0: filed), and turns any failure of
# vmt-ingest into exit 75 (EX_TEMPFAIL) without delivering the message anywhere else: a store
# locked past its timeout defers, and the same message delivered later is filed exactly once.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd procmail
t_require_cmd sqlite3
t_team "$T/team"
cfg=$T/team/vmt.yaml
procmail_run() {
  t_as_vmt procmail -m VMT_INGEST="$VMT_INGEST" VMT_CONFIG="$cfg" "$T_PROCMAILRC"
}

# A store locked by another process past busy_timeout: deferred (75), nothing filed, nothing lost.
sed -i 's/^store: {path: vmt.db}/store: {path: vmt.db, busy_timeout_ms: 300}/' "$cfg"
grep -q 'busy_timeout_ms: 300' "$cfg" || t_fail "could not shorten the store timeout in $cfg"
t_as_vmt "$VMT" --config "$cfg" list > /dev/null   # creates the store's tables
( t_as_vmt sqlite3 "$T/team/vmt.db" "BEGIN EXCLUSIVE; SELECT 1;" ".shell sleep 4" "COMMIT;" > /dev/null ) &
locker=$!
sleep 1
set +e
procmail_run < "$T/team/demo/report.eml" 2> "$T/deferred.err"
rc=$?
set -e
wait $locker
t_assert_eq "$rc" 75 "procmail's exit status when vmt-ingest defers"
t_assert_contains "$(cat "$T/deferred.err")" "deferred, will be retried" "vmt-ingest says why"
t_assert_eq "$(ls "$T/team/spool/"*.eml | wc -l)" 1 "the message was spooled before the failure"
[ -e /var/mail/$T_VMT_USER ] && t_fail "procmail delivered the message to a default mailbox"

# The MTA retries: filed, exit 0.
procmail_run < "$T/team/demo/report.eml" || t_fail "procmail exit status $? on the retry"
t_assert_eq "$(t_as_vmt "$VMT" --config "$cfg" list --json | t_json - 'len(j)')" 1 "one case"
# And again (a duplicate delivery): still one case, still exit 0.
procmail_run < "$T/team/demo/report.eml" || t_fail "procmail exit status $? on a duplicate"
t_assert_eq "$(t_as_vmt "$VMT" --config "$cfg" list --json | t_json - 'len(j)')" 1 "still one case"
t_assert_eq "$(ls "$T/team/outbox/new" | wc -l)" 1 "one acknowledgement"
t_log ok
