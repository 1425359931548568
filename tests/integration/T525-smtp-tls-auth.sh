#!/bin/bash
# T525-smtp-tls-auth: SMTP submission with STARTTLS and AUTH (tests/lib/smtp_peer.py, which offers
# AUTH PLAIN only inside TLS): the password comes from transport.smtp_password_file and is refused
# when others can read that file (exit 77, nothing sent); a wrong password is a logged temporary
# failure; a server that offers no STARTTLS gets no mail at all (no fall-back to plain text).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/outbox.sh"

t_setup
t_require_cmd python3
t_require_cmd openssl

mkdir -p "$T/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" >/dev/null 2>&1 || t_fail "openssl could not make a certificate"

t_peer_start --starttls "$T/tls/cert.pem" "$T/tls/key.pem" --auth "vmt-relay:correct horse battery"
TEAM="$T/team"
t_team "$TEAM" "transport:
  kind: smtp
  smtp_url: smtp://127.0.0.1:$PEER_PORT
  smtp_starttls: true
  smtp_ca_file: $T/tls/cert.pem
  smtp_user: vmt-relay
  smtp_password_file: smtp-password"
printf 'correct horse battery\n' > "$TEAM/smtp-password"
t_mail "$T/m1.eml" "t525-one@example.org"
t_enqueue "$TEAM" "$T/m1.eml" security@example.org rcpt@example.org

# A password file others can read: refused before anything is sent.
chmod 644 "$TEAM/smtp-password"
t_expect_exit 77 "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run1.log"
t_assert_contains "$(cat "$T/run1.log")" "chmod 600 $TEAM/smtp-password"
t_assert_not_contains "$(cat "$T/run1.log")" "horse"
t_assert_eq "$(grep -c 'C: ' "$PEER_LOG" || true)" 0 "commands sent with an unsafe password file"

# Mode 0600: sent over TLS, authenticated.
chmod 600 "$TEAM/smtp-password"
"$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run2.log" || { cat "$T/run2.log" >&2; t_fail "vmt-send failed"; }
t_assert_eq "$(t_state "$TEAM" t525-one@example.org)" sent "state"
t_assert_eq "$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["tls"], e["auth"], e["from"], e["rcpt"])' \
  "$PEER_SPOOL/1.json")" "True True security@example.org ['rcpt@example.org']" "session"
t_assert_not_contains "$(cat "$T/run2.log")" "horse"

# A wrong password: temporary, logged, the mail stays queued.
printf 'wrong\n' > "$TEAM/smtp-password"
t_mail "$T/m2.eml" "t525-two@example.org"
t_enqueue "$TEAM" "$T/m2.eml" security@example.org rcpt@example.org
t_expect_exit 75 "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run3.log"
t_assert_contains "$(cat "$T/run3.log")" "refused the login"
t_assert_eq "$(t_state "$TEAM" t525-two@example.org)" queued "state after a refused login"

# A server without STARTTLS: no MAIL FROM, no data, ever.
t_peer_start
sed -i "s|smtp://127.0.0.1:[0-9]*|smtp://127.0.0.1:$PEER_PORT|" "$TEAM/vmt.yaml"
printf 'correct horse battery\n' > "$TEAM/smtp-password"
VMT_NOW=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ) \
  t_expect_exit 75 "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/run4.log"  # past the backoff
t_wait_for "$PEER_LOG" "C: EHLO"
t_assert_contains "$(cat "$T/run4.log")" "does not offer STARTTLS"
t_assert_eq "$(grep -cE 'C: (MAIL|AUTH|DATA)' "$PEER_LOG" || true)" 0 "commands in clear text"
t_log "ok: STARTTLS + AUTH from a 0600 file; 0644 refused; bad login deferred; no plain-text fall-back"
