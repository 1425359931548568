#!/bin/bash
# T540-queue-crash: the queue runner against a misbehaving SMTP peer (tests/lib/smtp_peer.py):
#  A. vmt-send killed with SIGKILL mid-send (the peer stalls before 354) and restarted: every mail
#     arrives exactly once, the interrupted one on the second attempt;
#  B. killed after the final dot (the peer keeps the mail, stalls before 250): the restart cannot
#     know, so the mail is `uncertain`, NOT resent; a coordinator's mark-sent settles it: still once;
#  C. the peer drops the connection mid-DATA: a logged temporary failure (exit 75), then a
#     successful resend after the backoff, byte for byte, never a loss;
#  D. 451 at the final dot is deferred, 550 for a recipient fails loudly (never silently dropped).
# The sendmail transport's crash test, which needs Postfix and root, is T545.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/outbox.sh"

t_setup
t_require_cmd python3

smtp_team() {
  t_team "$1" "transport:
  kind: smtp
  smtp_url: smtp://127.0.0.1:$PEER_PORT
  smtp_starttls: false"
}
spool_count() { ls "$PEER_SPOOL"/*.eml 2>/dev/null | wc -l; }
kept_with_id() { grep -l "^Message-ID: <$1>" "$PEER_SPOOL"/*.eml 2>/dev/null | wc -l; }

# --- A: killed before the end of the data --------------------------------------------------------
t_peer_start --conn 1=stall-data:30
A="$T/a"
smtp_team "$A"
for i in 1 2 3; do
  t_mail "$T/a$i.eml" "t540-a$i@example.org"
  t_enqueue "$A" "$T/a$i.eml" security@example.org "rcpt$i@example.org"
done
"$VMT_SEND" --config "$A/vmt.yaml" --once 2>"$T/a-run1.log" &
runner=$!
t_wait_for "$PEER_LOG" "stalling before 354"
t_assert_eq "$(t_state "$A" t540-a1@example.org)" sending "state while the peer stalls"
kill -KILL "$runner"
wait "$runner" 2>/dev/null || true
t_assert_eq "$(t_state "$A" t540-a1@example.org)" sending "state left by the killed runner"

"$VMT_SEND" --config "$A/vmt.yaml" --once 2>"$T/a-run2.log" || { cat "$T/a-run2.log" >&2; t_fail "restart failed"; }
t_assert_contains "$(cat "$T/a-run2.log")" "died before the transport could have taken it; sending it again"
t_assert_eq "$(spool_count)" 3 "mails kept by the peer"
for i in 1 2 3; do
  t_assert_eq "$(kept_with_id "t540-a$i@example.org")" 1 "copies of mail a$i"
  t_assert_eq "$(t_state "$A" "t540-a$i@example.org")" sent "state of a$i"
done
t_assert_eq "$("$VMT" --config "$A/vmt.yaml" outbox show --json t540-a1@example.org | t_json - 'j["attempts"]')" 2 "attempts of a1"
t_assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rcpt"])' "$PEER_SPOOL/1.json")" \
  "['rcpt1@example.org']" "envelope of a1"

# --- B: killed after the final dot ----------------------------------------------------------------
t_peer_start --conn 1=stall-dot:30
B="$T/b"
smtp_team "$B"
t_mail "$T/b1.eml" "t540-b1@example.org"
t_enqueue "$B" "$T/b1.eml" security@example.org rcpt@example.org
"$VMT_SEND" --config "$B/vmt.yaml" --once 2>"$T/b-run1.log" &
runner=$!
t_wait_for "$PEER_LOG" "stalling before 250"
t_assert_eq "$("$VMT" --config "$B/vmt.yaml" outbox show --json t540-b1@example.org | t_json - 'j["state"] + " " + j["phase"]')" \
  "sending end-of-data" "state past the final dot"
kill -KILL "$runner"
wait "$runner" 2>/dev/null || true
t_expect_exit 75 "$VMT_SEND" --config "$B/vmt.yaml" --once 2>"$T/b-run2.log"
t_assert_contains "$(cat "$T/b-run2.log")" "UNCERTAIN via smtp"
t_assert_contains "$(cat "$T/b-run2.log")" "vmt outbox mark-sent 1"
t_assert_eq "$(t_state "$B" t540-b1@example.org)" uncertain "state after the restart"
t_expect_exit 75 "$VMT_SEND" --config "$B/vmt.yaml" --once 2>/dev/null  # still waits for a person
t_assert_eq "$(spool_count)" 1 "copies kept by the peer (never resent on its own)"
"$VMT" --config "$B/vmt.yaml" outbox mark-sent 1 >/dev/null || t_fail "mark-sent failed"
"$VMT_SEND" --config "$B/vmt.yaml" --once 2>/dev/null || t_fail "pass after mark-sent failed"
t_assert_eq "$(t_state "$B" t540-b1@example.org)" sent "state after mark-sent"
t_assert_eq "$(spool_count)" 1 "copies in the end"

# --- C: the connection drops mid-DATA -------------------------------------------------------------
t_peer_start --conn 1=drop-data:65536
C="$T/c"
smtp_team "$C"
python3 -c 'import sys
with open(sys.argv[1], "w") as f:
    for i in range(110000): f.write("line %06d of a large advisory attachment, padded to some width ......\n" % i)' "$T/big.txt"
t_mail "$T/c1.eml" "t540-c1@example.org" "rcpt@example.org" "$T/big.txt"
t_enqueue "$C" "$T/c1.eml" security@example.org rcpt@example.org
t_expect_exit 75 "$VMT_SEND" --config "$C/vmt.yaml" --once 2>"$T/c-run1.log"
t_assert_contains "$(cat "$PEER_LOG")" "dropping the connection mid-DATA"
t_assert_contains "$(cat "$T/c-run1.log")" "temporary failure via smtp (attempt 1)"
t_assert_contains "$(cat "$T/c-run1.log")" "before the end of the data"
t_assert_eq "$(t_state "$C" t540-c1@example.org)" queued "state after the drop"
t_assert_eq "$(spool_count)" 0 "mails kept after the drop"
# Not before the backoff (1 minute)...
"$VMT_SEND" --config "$C/vmt.yaml" --once 2>/dev/null && t_fail "the mail was retried before its backoff"
t_assert_eq "$(grep -c 'C: DATA' "$PEER_LOG")" 1 "DATA commands before the backoff"
# ...then resent, whole.
VMT_NOW=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ) "$VMT_SEND" --config "$C/vmt.yaml" --once 2>"$T/c-run2.log" ||
  { cat "$T/c-run2.log" >&2; t_fail "the resend failed"; }
t_assert_eq "$(spool_count)" 1 "mails kept after the resend"
t_assert_eq "$(sha256sum < "$PEER_SPOOL/1.eml")" "$(sha256sum < "$T/c1.eml")" "resent bytes"

# --- D: refusals ------------------------------------------------------------------------------------
t_peer_start --conn 1=reply:451 --reject nobody@example.net
D="$T/d"
smtp_team "$D"
t_mail "$T/d1.eml" "t540-d1@example.org"
t_mail "$T/d2.eml" "t540-d2@example.org"
t_enqueue "$D" "$T/d1.eml" security@example.org rcpt@example.org
t_enqueue "$D" "$T/d2.eml" security@example.org nobody@example.net
t_expect_exit 75 "$VMT_SEND" --config "$D/vmt.yaml" --once 2>"$T/d-run1.log"
t_assert_eq "$(t_state "$D" t540-d1@example.org)" queued "state after 451"
t_assert_eq "$(t_state "$D" t540-d2@example.org)" failed "state after 550"
t_assert_contains "$(cat "$T/d-run1.log")" "FAILED via smtp: the SMTP server refused the mail"
t_assert_contains "$("$VMT" --config "$D/vmt.yaml" outbox show --json t540-d2@example.org | t_json - 'j["last_error"]')" \
  "550 5.1.1 <nobody@example.net>: Recipient address rejected"
t_assert_contains "$("$VMT" --config "$D/vmt.yaml" outbox list --state failed)" "t540-d2@example.org"
VMT_NOW=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ) "$VMT_SEND" --config "$D/vmt.yaml" --once 2>/dev/null ||
  t_fail "the deferred mail was not sent on the next pass"
t_assert_eq "$(t_state "$D" t540-d1@example.org)" sent "state after the retry"
t_assert_eq "$(spool_count)" 1 "mails kept by the refusing peer"
t_log "ok: kill before the dot -> resent once; after it -> uncertain, not resent; drop -> retried; 4xx/5xx classified"
