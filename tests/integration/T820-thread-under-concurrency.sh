#!/bin/bash
# T820-thread-under-concurrency: a report and its follow-up (In-Reply-To the report) delivered at
# the same moment are one case with two messages. Ten such pairs go in over SMTP together, behind
# a private Postfix that runs vmt-ingest through pipe(8) as many times at once as it likes (found:
# 18 cases for 10 pairs). The follow-up may be read before, during or after its parent: it waits
# for a parent being filed, and a parent filed after its reply joins the reply's case.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/postfix.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_postfix_require
t_require_cmd curl
t_require_cmd sqlite3
D=$T/team
t_team "$D"
team_set "$D" team.notify "[coord@example.org]"
t_postfix_start --domains "example.org" \
  --pipe "vmt unix - n n - - pipe flags=DRhu user=$T_VMT_USER argv=$VMT_INGEST --config $D/vmt.yaml"

pairs=10
for i in $(seq "$pairs"); do
  printf 'From: Jane Reporter <jane@reporter.example>\nTo: security@example.org\nSubject: [nova] flaw %s\nMessage-ID: <report-%s@reporter.example>\n\nNova flaw number %s.\n' \
    "$i" "$i" "$i" > "$T/report-$i.eml"
  printf 'From: Jane Reporter <jane@reporter.example>\nTo: security@example.org\nSubject: Re: [nova] flaw %s\nMessage-ID: <more-%s@reporter.example>\nIn-Reply-To: <report-%s@reporter.example>\nReferences: <report-%s@reporter.example>\n\nOne more detail on flaw %s.\n' \
    "$i" "$i" "$i" "$i" "$i" > "$T/more-$i.eml"
done
send() { curl -s --url "smtp://127.0.0.1:$PF_PORT" --mail-from jane@reporter.example --mail-rcpt security@example.org -T "$1"; }
pids=""
for i in $(seq "$pairs"); do
  send "$T/report-$i.eml" & pids="$pids $!"
  send "$T/more-$i.eml" & pids="$pids $!"
done
for p in $pids; do wait "$p" || t_fail "curl could not submit a message"; done
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=sent' $((2 * pairs)) 120
t_postfix_wait_idle 30

t_assert_eq "$(store_q "$D" 'select count(*) from cases')" "$pairs" "one case per thread"
t_assert_eq "$(store_q "$D" "select count(*) from (select case_id from messages group by case_id having count(*) = 2)")" \
  "$pairs" "each case holds its report and its follow-up"
# The pairs were not mixed up: both messages of flaw i are on the same case.
for i in $(seq "$pairs"); do
  t_assert_eq "$(store_q "$D" "select count(distinct case_id) from messages where message_id in ('report-$i@reporter.example', 'more-$i@reporter.example')")" \
    1 "flaw $i on one case"
done
t_assert_eq "$(tracker_q "$D" 'select count(*) from bugs')" "$pairs" "one bug per case"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='ack'")" "$pairs" "one acknowledgement per report"
t_log "ok: $pairs pairs, $pairs cases"
