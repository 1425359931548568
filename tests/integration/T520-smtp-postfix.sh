#!/bin/bash
# T520-smtp-postfix: mail queued in the outbox is delivered by vmt-send over SMTP with STARTTLS to a
# real Postfix on loopback, which delivers it into a maildir: each mail arrives once, byte for byte,
# to exactly the store's envelope recipients (never to an address that only a header names); a
# second pass sends nothing; a held mail waits for its hour (VMT_NOW).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/postfix.sh"
. "$VMT_SOURCE_DIR/tests/lib/outbox.sh"

t_setup
t_postfix_require
t_require_cmd openssl

# A self-signed certificate for 127.0.0.1: STARTTLS is required (CURLUSESSL_ALL) and verified.
mkdir -p "$T/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" >/dev/null 2>&1 || t_fail "openssl could not make a certificate"
chmod 600 "$T/tls/key.pem"
t_postfix_start --main "smtpd_tls_cert_file = $T/tls/cert.pem" --main "smtpd_tls_key_file = $T/tls/key.pem" \
  --main "smtpd_tls_security_level = may" --main "smtpd_tls_loglevel = 1"

TEAM="$T/team"
t_team "$TEAM" "transport:
  kind: smtp
  smtp_url: smtp://127.0.0.1:$PF_PORT
  smtp_starttls: true
  smtp_ca_file: $T/tls/cert.pem"

# Two mails; the second has two envelope recipients and headers naming addresses that are NOT on
# its envelope (To, Cc, Bcc): they must receive nothing.
t_mail "$T/m1.eml" "t520-one@example.org"
t_mail "$T/m2.eml" "t520-two@example.org" "header-only@example.com"
sed -i 's/^To: .*/&\nCc: cc-only@example.com\nBcc: bcc-only@example.com/' "$T/m2.eml"
t_enqueue "$TEAM" "$T/m1.eml" security@example.org stakeholder@example.org
t_enqueue "$TEAM" "$T/m2.eml" security@example.org one@example.net two@example.com
# A held announcement for 15:00 UTC on disclosure day.
t_mail "$T/m3.eml" "t520-held@example.org"
t_enqueue "$TEAM" "$T/m3.eml" security@example.org announce@example.org --at 2026-05-12T15:00:00Z

VMT_NOW=2026-05-12T14:59:59Z "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/send1.log" ||
  { cat "$T/send1.log" >&2; t_fail "vmt-send failed"; }
t_postfix_wait_log 'status=sent' 3
t_postfix_wait_idle

# Over TLS, from the store's envelope.
t_assert_contains "$(cat "$PF_LOG")" "TLS connection established from"
t_assert_eq "$(t_postfix_count_log 'qmgr.*from=<security@example.org>')" 2 "envelope senders"
for rcpt in stakeholder@example.org one@example.net two@example.com; do
  t_assert_eq "$(t_postfix_count_log "to=<$rcpt>.*status=sent")" 1 "deliveries to $rcpt"
done
for other in header-only@example.com cc-only@example.com bcc-only@example.com announce@example.org; do
  t_assert_eq "$(t_postfix_count_log "to=<$other>")" 0 "deliveries to $other"
done

# Each mail was accepted once (one cleanup line per Message-ID) and arrived byte for byte: the
# delivered file is Postfix's trace headers followed by exactly the queued bytes (less the Bcc
# header, which Postfix's cleanup removes as it should; vmt's own mail has none).
t_assert_eq "$(t_postfix_count_log 'message-id=<t520-one@example.org>')" 1 "transactions for mail one"
t_assert_eq "$(t_postfix_count_log 'message-id=<t520-two@example.org>')" 1 "transactions for mail two"
t_assert_eq "$(ls "$PF_MAILDIR/new" | wc -l)" 3 "files in the maildir"
python3 - "$PF_MAILDIR/new" "$T/m1.eml" "$T/m2.eml" <<'PY' || t_fail "delivered bytes differ from the queued ones"
import os, sys
box = sys.argv[1]
originals = [b"".join(l for l in open(p, "rb").readlines() if not l.startswith(b"Bcc:")) for p in sys.argv[2:]]
files = [open(os.path.join(box, f), "rb").read() for f in os.listdir(box)]
for o in originals:
    mid = [l for l in o.split(b"\n") if l.startswith(b"Message-ID:")][0]
    copies = [f for f in files if mid in f]
    want = 2 if b"t520-two" in mid else 1
    assert len(copies) == want, (mid, len(copies))
    for c in copies:
        assert c.endswith(o), mid
PY

# The store agrees, with Postfix's queue id as the receipt.
LIST=$("$VMT" --config "$TEAM/vmt.yaml" outbox list --json)
t_assert_eq "$(printf '%s' "$LIST" | t_json - '[e["state"] for e in j]')" '["sent", "sent", "held"]' "states"
receipt=$(printf '%s' "$LIST" | t_json - 'j[0]["receipt"]')
t_assert_contains "$receipt" "queued as"
qid=${receipt##* }
t_assert_eq "$(t_postfix_count_log "$qid: message-id=<t520-one@example.org>")" 1 "receipt names Postfix's queue id"

# A second pass sends nothing again; the held mail still waits.
VMT_NOW=2026-05-12T14:59:59Z "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>>"$T/send1.log" || t_fail "second pass failed"
sleep 1
t_assert_eq "$(t_postfix_count_log 'message-id=<t520-')" 2 "transactions after a second pass"
t_assert_eq "$(t_state "$TEAM" t520-held@example.org)" held "held mail before its hour"

# At the hour it goes, once.
VMT_NOW=2026-05-12T15:00:00Z "$VMT_SEND" --config "$TEAM/vmt.yaml" --once 2>"$T/send2.log" ||
  { cat "$T/send2.log" >&2; t_fail "vmt-send at the disclosure hour failed"; }
t_postfix_wait_log 'to=<announce@example.org>.*status=sent' 1
t_assert_eq "$(t_postfix_count_log 'message-id=<t520-held@example.org>')" 1 "held mail transactions"
t_assert_eq "$(t_state "$TEAM" t520-held@example.org)" sent "held mail after its hour"
t_assert_contains "$(cat "$T/send2.log")" "released 1 held mail"
t_log "ok: 3 mails, 4 deliveries over STARTTLS, none twice, none to header-only addresses"
