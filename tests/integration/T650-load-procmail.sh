#!/bin/bash
# T650-load-procmail: 200 distinct reports (each signed by the reporter and encrypted to the team)
# delivered all at once through the real procmail recipe (procmail/vmt.procmailrc, procmail -m as
# the unprivileged vmt user, VMT_INGEST and VMT_CONFIG passed as assignments because -m clears the
# environment) on this 2-core machine. A delivery procmail defers (75: the store or the tracker
# busy for too long) is delivered again, as the MTA would. In the end: all 200 filed, none twice
# (200 cases, 200 messages, 200 bugs, 200 acknowledgements), every exit status 0 or 75, and every
# report in the spool. The time it took is printed; bench/ingest_load.sh compares it with gpg.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_cmd procmail
t_require_cmd sqlite3
N=${VMT_LOAD_REPORTS:-200}
D=$T/team
t_team "$D"
mkdir -p "$T/mail"
for i in $(seq -w 1 "$N"); do make_report "$D" "load$i" > "$T/mail/$i.eml" || t_fail "make report $i"; done
t_give_to_vmt_user "$T/mail"

# deliver FILE: one procmail run as the vmt user; prints "FILE STATUS".
deliver() {
  local rc
  set +e
  t_as_vmt procmail -m VMT_INGEST="$VMT_INGEST" VMT_CONFIG="$D/vmt.yaml" "$T_PROCMAILRC" \
    < "$1" 2>> "$T/procmail.err"
  rc=$?
  set -e
  echo "$1 $rc"
}
export -f deliver t_as_vmt
export T D VMT_INGEST VMT_SOURCE_DIR T_VMT_USER T_PROCMAILRC

start=$(date +%s.%N)
ls "$T"/mail/*.eml | xargs -P "$N" -I{} bash -c 'deliver {}' > "$T/round1"
end=$(date +%s.%N)
deferred=$(awk '$2 == 75' "$T/round1" | wc -l)
other=$(awk '$2 != 0 && $2 != 75' "$T/round1" | wc -l)
t_assert_eq "$other" 0 "exit statuses other than 0 and 75: $(awk '$2 != 0 && $2 != 75' "$T/round1" | head -3)"
t_log "$N reports at once: $(awk -v s="$start" -v e="$end" -v n="$N" 'BEGIN {printf "%.1f s, %.1f reports/s", e-s, n/(e-s)}'), $deferred deferred (75)"
# The MTA retries what was deferred.
round=1
cp "$T/round1" "$T/last"
while [ "$(awk '$2 == 75' "$T/last" | wc -l)" -gt 0 ]; do
  round=$((round + 1))
  [ $round -le 10 ] || t_fail "still deferred after 10 rounds"
  awk '$2 == 75 {print $1}' "$T/last" | xargs -P 4 -I{} bash -c 'deliver {}' > "$T/round$round"
  cp "$T/round$round" "$T/last"
done

t_assert_eq "$(store_q "$D" 'select count(*) from cases')" "$N" "cases"
t_assert_eq "$(store_q "$D" "select count(*) from messages where state='done'")" "$N" "messages done"
t_assert_eq "$(store_q "$D" 'select count(distinct message_id) from messages')" "$N" "distinct reports"
t_assert_eq "$(store_q "$D" 'select count(*) from (select message_id from messages group by message_id having count(*) > 1)')" 0 \
  "no report filed twice"
t_assert_eq "$(tracker_q "$D" 'select count(*) from bugs')" "$N" "bugs"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='ack'")" "$N" "acknowledgements"
t_assert_eq "$(ls "$D/outbox/new" | wc -l)" "$N" "acknowledgement files"
t_assert_eq "$(ls "$D/spool"/*.eml | wc -l)" "$N" "spool files"
t_assert_eq "$(store_q "$D" "select count(*) from events where kind='received'")" "$N" "ledger: received once each"
t_log "pass ($round delivery round(s))"
