#!/bin/bash
# T515-postfix-pipe-harness: tests/lib/postfix.sh with a pipe(8) service (the way the intake tests
# run vmt-ingest): mail for the test domains reaches the command once per recipient, as the
# unprivileged user named in the service line, with the sender and recipient as arguments; exit 75
# is deferred (and retried), another non-zero code bounces. Guards the harness itself.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/postfix.sh"

t_setup
t_postfix_require
t_require_cmd curl

mkdir -p "$T/got"
chown nobody "$T/got"
cat > "$T/deliver" <<SH
#!/bin/sh
# Keeps each delivery as a file; the first delivery to busy@ is deferred once, fail@ bounces.
n=\$(date +%s%N)
case "\$2" in
  busy@*) [ -e "$T/got/busy-once" ] || { touch "$T/got/busy-once"; exit 75; } ;;
  fail@*) exit 1 ;;
esac
{ id -un; printf '%s %s\n' "\$1" "\$2"; cat; } > "$T/got/\$n"
SH
chmod 755 "$T/deliver"
t_postfix_start --pipe "testpipe unix - n n - - pipe flags=Rhu user=nobody argv=$T/deliver \${sender} \${recipient}"

printf 'From: a@example.org\nTo: b@example.org\nSubject: harness\nMessage-ID: <t515@example.org>\n\nhello\n' > "$T/m.eml"
curl -s --url "smtp://127.0.0.1:$PF_PORT" --mail-from sender@example.org --mail-rcpt one@example.org \
  --mail-rcpt busy@example.net --mail-rcpt fail@example.com -T "$T/m.eml" || t_fail "curl could not submit"

t_postfix_wait_log 'to=<one@example.org>.*relay=testpipe.*status=sent' 1
t_postfix_wait_log 'to=<fail@example.com>.*status=bounced' 1
t_postfix_wait_log 'to=<busy@example.net>.*status=deferred' 1
t_postfix_wait_log 'to=<busy@example.net>.*status=sent' 1 30
# one@, busy@ (on the retry) and the bounce for fail@, which goes back to sender@ (a test domain).
t_postfix_wait_log 'to=<sender@example.org>.*relay=testpipe.*status=sent' 1
t_assert_eq "$(ls "$T/got" | grep -vc busy-once)" 3 "deliveries kept"
t_assert_eq "$(grep -l '^MAILER-DAEMON sender@example.org' "$T"/got/[0-9]* | wc -l)" 1 "bounces to the sender"
first=$(grep -l 'one@example.org' "$T"/got/[0-9]* | head -1)
t_assert_eq "$(head -1 "$first")" nobody "user of the pipe command"
t_assert_eq "$(sed -n 2p "$first")" "sender@example.org one@example.org" "arguments"
t_assert_contains "$(cat "$first")" "Message-ID: <t515@example.org>"
t_log "ok: pipe service per recipient, as nobody; 75 deferred then delivered; 1 bounced to the sender"
