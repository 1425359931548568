#!/bin/bash
# T663-postfix-no-bounce: the real vmt-ingest behind a private Postfix (pipe(8), user= the vmt user,
# as procmail/README.md sets it up). A report carrying a canary, a message with a hostile
# From, a report encrypted to a key the team lacks, and a report arriving while the tracker is locked (deferred, then delivered on Postfix's
# retry) go in over SMTP. Postfix bounces nothing (a bounce would carry the report back over the
# network), the maillog (which quotes the command's output on every deferral) never holds the
# canary, every message is filed or quarantined once, and the queue ends empty.
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
team_set "$D" tracker.timeout_s 1
t_postfix_start --domains "example.org" \
  --pipe "vmt unix - n n - - pipe flags=DRhu user=$T_VMT_USER argv=$VMT_INGEST --config $D/vmt.yaml"

canary="CANARY-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'The flaw: %s.\n' "$canary" > "$T/body.txt"
make_report "$D" canary "$T/body.txt" > "$T/canary.eml"
make_report "$D" later "$T/body.txt" > "$T/later.eml"
# Encrypted to a key the team does not hold: quarantined (over SMTP, Postfix would give garbage a
# header block of its own, which makes it a readable, unencrypted mail).
other=$(t_genkey "$T/other/gnupg" "Old Key" security@example.org)
{ printf 'From: Jane Reporter <jane@reporter.example>\nTo: security@example.org\nSubject: old key\n'
  printf 'Message-ID: <old@reporter.example>\nContent-Type: text/plain\n\n'
  printf '%s\n' "$canary" | gpg --homedir "$T/other/gnupg" --batch --trust-model always -a -e -r "$other" 2>/dev/null; } \
  > "$T/garbage.eml"
printf 'From: =?utf-8?q?x=0D=0ABcc:_v@evil.example?= <mallory@evil.example>\nReply-To: victim@evil.example\nTo: security@example.org\nSubject: [nova] hi\nMessage-ID: <hostile@evil.example>\n\nreport about nova\n' > "$T/hostile.eml"
send() { curl -s --url "smtp://127.0.0.1:$PF_PORT" --mail-from "$2" --mail-rcpt security@example.org -T "$1" ||
  t_fail "curl could not submit $1"; }

send "$T/canary.eml" jane@reporter.example
send "$T/garbage.eml" jane@reporter.example
send "$T/hostile.eml" mallory@evil.example
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=sent' 3 60

# The tracker locked: the next report is deferred by vmt-ingest (75), kept by Postfix, retried.
t_as_vmt python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN EXCLUSIVE"); print("locked", flush=True); time.sleep(6)' "$D/tracker.db" > "$T/lock.out" &
lock=$!
for _ in $(seq 100); do grep -q locked "$T/lock.out" 2>/dev/null && break; sleep 0.1; done
send "$T/later.eml" jane@reporter.example
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=deferred' 1 60
wait "$lock"
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=sent' 4 60
t_postfix_wait_idle 30

t_assert_eq "$(t_postfix_count_log 'status=bounced')" 0 "nothing bounced"
t_assert_eq "$(t_postfix_count_log 'sender non-delivery notification')" 0 "no bounce message made"
t_assert_not_contains "$(cat "$PF_LOG")" "$canary" "the canary is not in the maillog"
t_assert_contains "$(grep 'status=deferred' "$PF_LOG")" "deferred, will be retried" "the deferral says why"
t_assert_eq "$(store_q "$D" 'select count(*) from cases')" 3 "three cases (canary, hostile, later)"
t_assert_eq "$(store_q "$D" 'select reason from quarantine')" no-key "the wrong-key report quarantined"
t_assert_eq "$(store_q "$D" "select count(*) from messages where state in ('done', 'quarantined')")" 4 "all four kept"
t_assert_eq "$(tracker_q "$D" 'select count(*) from bugs')" 3 "three bugs"
t_assert_not_contains "$(store_q "$D" 'select recipients from outbox')" "victim" "nothing to an address the mail names"
t_log pass
