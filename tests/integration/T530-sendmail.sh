#!/bin/bash
# T530-sendmail: the sendmail transport with Postfix's real sendmail(1) pointed at a private
# instance (sendmail -C DIR): each mail is queued once with the store's envelope (-f sender, the
# recipients after --, never -t: header-only addresses receive nothing), delivered into the maildir
# byte for byte; a second pass sends nothing; a sendmail that exits 75 is a logged temporary
# failure (vmt-send exits 75) and the mail goes on the next pass.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/postfix.sh"
. "$VMT_SOURCE_DIR/tests/lib/outbox.sh"

t_setup
t_postfix_require
t_postfix_start
t_postfix_sendmail_wrapper "$T/sendmail"

TEAM="$T/team"
t_team "$TEAM" "transport:
  kind: sendmail
  sendmail: $T/sendmail"

t_mail "$T/m1.eml" "t530-one@example.org" "header-only@example.com"
t_mail "$T/m2.eml" "t530-two@example.org" "Someone <stakeholder@example.org>, other-header@example.com"
t_enqueue "$TEAM" "$T/m1.eml" security@example.org stakeholder@example.org
t_enqueue "$TEAM" "$T/m2.eml" security@example.org stakeholder@example.org distros@example.net

"$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/send1.log" || { cat "$T/send1.log" >&2; t_fail "vmt-send failed"; }
t_postfix_wait_log 'status=sent' 3
t_postfix_wait_idle

t_assert_eq "$(t_postfix_count_log 'qmgr.*from=<security@example.org>')" 2 "envelope senders (-f)"
t_assert_eq "$(t_postfix_count_log 'to=<stakeholder@example.org>.*status=sent')" 2 "deliveries to the stakeholder"
t_assert_eq "$(t_postfix_count_log 'to=<distros@example.net>.*status=sent')" 1 "deliveries to distros"
for other in header-only@example.com other-header@example.com; do
  t_assert_eq "$(t_postfix_count_log "to=<$other>")" 0 "deliveries to $other (a header, not the envelope)"
done
t_assert_eq "$(t_postfix_count_log 'message-id=<t530-one@example.org>')" 1 "submissions of mail one"
t_assert_eq "$(t_postfix_count_log 'message-id=<t530-two@example.org>')" 1 "submissions of mail two"
t_assert_eq "$(ls "$PF_MAILDIR/new" | wc -l)" 3 "files in the maildir"
for f in "$PF_MAILDIR"/new/*; do
  grep -q 't530-one' "$f" && orig="$T/m1.eml" || orig="$T/m2.eml"
  python3 -c 'import sys; a=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); sys.exit(0 if a.endswith(b) else 1)' \
    "$f" "$orig" || t_fail "$f does not end with the queued bytes of $orig"
done
t_assert_eq "$("$VMT" --config "$TEAM/vmt.yaml" outbox list --json | t_json - '[e["receipt"] for e in j]')" \
  '["sendmail exited 0", "sendmail exited 0"]' "receipts"
# The runner tidied its receipts away once recorded.
t_assert_eq "$(ls "$TEAM/outbox/receipts" | wc -l)" 0 "receipt files left"

"$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>>"$T/send1.log" || t_fail "second pass failed"
sleep 1
t_assert_eq "$(t_postfix_count_log 'message-id=<t530-')" 2 "submissions after a second pass"

# A sendmail that cannot queue (EX_TEMPFAIL): logged, retried, never lost.
cat > "$T/sendmail-busy" <<'SH'
#!/bin/sh
cat >/dev/null
echo "sendmail: fatal: queue file write error" >&2
exit 75
SH
chmod 755 "$T/sendmail-busy"
sed -i "s|sendmail: $T/sendmail\$|sendmail: $T/sendmail-busy|" "$TEAM/vmt.yaml"
t_mail "$T/m3.eml" "t530-three@example.org"
t_enqueue "$TEAM" "$T/m3.eml" security@example.org stakeholder@example.org
t_expect_exit 75 "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/send2.log"
t_assert_contains "$(cat "$T/send2.log")" "temporary failure via sendmail (attempt 1)"
t_assert_contains "$(cat "$T/send2.log")" "EX_TEMPFAIL): sendmail: fatal: queue file write error"
t_assert_eq "$(t_state "$TEAM" t530-three@example.org)" queued "state after EX_TEMPFAIL"
sed -i "s|sendmail: $T/sendmail-busy\$|sendmail: $T/sendmail|" "$TEAM/vmt.yaml"
# The retry waits for its backoff (1 minute): jump the clock past it.
VMT_NOW=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ) "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/send3.log" ||
  { cat "$T/send3.log" >&2; t_fail "the retry failed"; }
t_postfix_wait_log 'message-id=<t530-three@example.org>' 1
t_postfix_wait_idle
t_assert_eq "$(t_postfix_count_log 'message-id=<t530-three@example.org>')" 1 "submissions of mail three"
t_assert_eq "$("$VMT" --config "$TEAM/vmt.yaml" outbox show --json t530-three@example.org | t_json - 'j["attempts"]')" 2 "attempts"
t_log "ok: sendmail -i -f -- with the store's envelope, once per mail; EX_TEMPFAIL retried"
