#!/bin/bash
# T545-sendmail-crash: vmt-send killed with SIGKILL while Postfix's sendmail (behind a wrapper that
# sleeps first) is submitting a mail. The sendmail runs under a helper that outlives the runner and
# writes a receipt: a restart meanwhile sees it in progress and leaves it alone (exit 75), a restart
# afterwards records it as sent from the receipt. Each mail reaches Postfix exactly once.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/postfix.sh"
. "$VMT_SOURCE_DIR/tests/lib/outbox.sh"

t_setup
t_postfix_require
t_postfix_start

cat > "$T/sendmail-slow" <<SH
#!/bin/sh
# Marks that it started, then waits before submitting: the runner is killed meanwhile.
touch "$T/started.\$\$"
sleep 3
exec /usr/sbin/sendmail -C "$PF_DIR" "\$@"
SH
chmod 755 "$T/sendmail-slow"

TEAM="$T/team"
t_team "$TEAM" "transport:
  kind: sendmail
  sendmail: $T/sendmail-slow"
for i in 1 2; do
  t_mail "$T/m$i.eml" "t545-m$i@example.org"
  t_enqueue "$TEAM" "$T/m$i.eml" security@example.org "rcpt$i@example.org"
done

"$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run1.log" &
runner=$!
for i in $(seq 1 100); do ls "$T"/started.* >/dev/null 2>&1 && break; sleep 0.1; done
ls "$T"/started.* >/dev/null 2>&1 || t_fail "the sendmail wrapper did not start"
kill -KILL "$runner"
wait "$runner" 2>/dev/null || true
t_assert_eq "$(t_state "$TEAM" t545-m1@example.org)" sending "state left by the killed runner"

# Restart while the first sendmail still runs: it is left alone; the second mail goes.
t_expect_exit 75 "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run2.log"
t_assert_contains "$(cat "$T/run2.log")" "still running"
t_assert_eq "$(t_state "$TEAM" t545-m1@example.org)" sending "state while sendmail runs"
t_assert_eq "$(t_state "$TEAM" t545-m2@example.org)" sent "the other mail"

# Once it has finished, the receipt settles it, without a second submission.
t_postfix_wait_log 'message-id=<t545-m1@example.org>' 1
for i in $(seq 1 50); do [ -e "$TEAM"/outbox/receipts/*.receipt ] && break; sleep 0.1; done
"$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run3.log" || { cat "$T/run3.log" >&2; t_fail "third pass failed"; }
t_assert_eq "$(t_state "$TEAM" t545-m1@example.org)" sent "state after the receipt"
t_assert_eq "$("$VMT" --config "$TEAM/vmt.yaml" outbox show --json t545-m1@example.org | t_json - 'j["attempts"]')" 1 \
  "attempts of the interrupted mail"
t_postfix_wait_idle
t_assert_eq "$(t_postfix_count_log 'message-id=<t545-m1@example.org>')" 1 "submissions of mail 1"
t_assert_eq "$(t_postfix_count_log 'message-id=<t545-m2@example.org>')" 1 "submissions of mail 2"
t_assert_eq "$(ls "$PF_MAILDIR/new" | wc -l)" 2 "files in the maildir"
t_assert_eq "$(ls "$T"/started.* | wc -l)" 2 "sendmail runs"
t_log "ok: a runner killed mid-sendmail: in progress, then settled from the receipt; once each"
