#!/bin/bash
# T661-header-injection: report data that reaches an outbound mail cannot add header lines. Reports
# whose From display name, Subject or Message-ID carry CR/LF (raw, or as RFC 2047 encoded words
# decoding to "\r\nBcc: ...") go through the real vmt-ingest; the acknowledgements it queues (and
# the coordinators' quarantine notice) are parsed with Python's email package: exactly the expected
# header fields, one To address (the single From addr-spec), no Bcc or injected field, also inside
# the encrypted payload (protected headers), which the team key decrypts. The operator's ack
# template puts the reporter's name in the Subject, so that the encoding of report data in a header
# is exercised, and the body shows that template markers in report data are not expanded.
# A Message-ID no reply may carry (spaces, two '@') is left out of In-Reply-To: the report is
# still filed (it used to defer the message forever).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_cmd python3
t_require_cmd sqlite3
export VMT_NOW=2026-05-11T10:00:00Z
D=$T/team
t_team "$D"
team_set "$D" team.notify "[coord@example.org]"
# The operator's own acknowledgement: the reporter's name in the Subject too.
{ printf 'Subject: [{{CASE_ID}}] Your report, {{REPORTER_NAME}}\n'
  tail -n +2 "$VMT_SOURCE_DIR/templates/reception/ack.tpl"; } > "$D/templates/reception-ack.tpl"
t_as_vmt mkdir -p "$D/templates/reception"
mv "$D/templates/reception-ack.tpl" "$D/templates/reception/ack.tpl"
t_give_to_vmt_user "$D/templates"

n=0
deliver() {  # deliver NAME < mail
  n=$((n + 1))
  cat > "$T/m$n.eml"
  local rc
  rc=$(ingest_status "$D" < "$T/m$n.eml")
  t_assert_eq "$rc" 0 "$1: vmt-ingest exit status ($(tail -3 "$T/ingest.log"))"
}
plain() {  # plain FROM SUBJECT MESSAGE_ID: an unsigned, unencrypted report
  printf 'From: %s\nTo: security@example.org\nSubject: %s\nMessage-ID: %s\nDate: Mon, 11 May 2026 09:00:00 +0000\n' "$1" "$2" "$3"
  printf 'Content-Type: text/plain\n\nA report about nova, number %s.\n' "$RANDOM$RANDOM"
}
b64() { printf '%b' "$1" | base64 -w0; }

# 1. Signed and encrypted by the reporter; display name = an encoded word decoding to CRLF + Bcc.
REPORT_FROM='=?utf-8?q?Jane=0D=0ABcc=3A_victim=40evil.example?= <jane@reporter.example>' make_report "$D" q > "$T/q.eml"
deliver "encoded-word CRLF in the name (encrypted ack)" < "$T/q.eml"
# 2. Base64 encoded word with CRLF, a Subject with encoded CRLF, a Message-ID with a space.
plain "=?utf-8?b?$(b64 'Mallory\r\nBcc: victim@evil.example\r\nX-Injected: yes')?= <mallory@evil.example>" \
  "=?utf-8?q?hello=0D=0ABcc:_victim2@evil.example?=" "<two words@evil.example>" | deliver "base64 CRLF, bad Message-ID"
# 3. A raw CR inside a quoted display name, a Message-ID with two '@'.
plain "$(printf '"Eve\rBcc: victim3@evil.example" <eve@evil.example>')" "[nova] raw CR" "<a@b@evil.example>" |
  deliver "raw CR in the name"
# 4. Template markers in the name: rendered literally.
plain '"{{CASE_ID}} {{#ENCRYPTED}}yes{{/ENCRYPTED}} {{TEAM_ADDRESS}}" <tmpl@evil.example>' "[nova] markers" \
  "<markers@evil.example>" | deliver "template markers in the name"
# 5. A From with no usable mailbox and an injected-looking Reply-To: filed, no ack, nothing to Reply-To.
printf 'From: =?utf-8?q?x=0D=0ABcc:_v@evil.example?=\nReply-To: victim4@evil.example\nTo: security@example.org\nSubject: [nova] no from\nMessage-ID: <nofrom@evil.example>\n\nreport\n' |
  deliver "no usable From"
# 6. Garbage from a hostile From: the coordinators' quarantine notice.
{ printf 'From: =?utf-8?q?Q=0D=0ABcc:_victim5@evil.example?= <q@evil.example>\nTo: security@example.org\nSubject: x\n'
  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\n\n--b\n'
  printf 'Content-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b\nContent-Type: application/octet-stream\n\n'
  printf -- '-----BEGIN PGP MESSAGE-----\n\nhQEMA1111111111111AQf/\n=abcd\n-----END PGP MESSAGE-----\n--b--\n'; } |
  deliver "quarantined, hostile From"

t_assert_eq "$(store_q "$D" 'select count(*) from cases')" 5 "five cases"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='ack'")" 4 "four acknowledgements (case 5 has no usable From)"
t_assert_eq "$(store_q "$D" "select count(*) from events where kind='ack-skipped'")" 1 "the skipped ack is in the ledger"
store_q "$D" "select kind, recipients, '$D/outbox/' || path from outbox order by id" > "$T/outbox.txt"
t_assert_not_contains "$(cat "$T/outbox.txt")" "victim" "no mail to an address named in the message"

# Decrypt each encrypted mail with the team key (encrypted to self) for the inner headers.
while IFS='|' read -r kind rcpts path; do
  f=$(basename "$path")
  if grep -q 'multipart/encrypted' "$path"; then
    awk '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/' "$path" |
      t_as_vmt gpg --homedir "$D/gnupg" --batch --decrypt > "$T/$f.inner" 2>/dev/null ||
      t_fail "$kind: the team cannot decrypt its own mail $f"
  fi
done < "$T/outbox.txt"

python3 - "$T" <<'PY' || t_fail "header check (see above)"
import email, email.header, email.policy, email.utils, json, sys
t = sys.argv[1]
bad = []
allowed = {"date", "from", "to", "subject", "message-id", "in-reply-to", "references", "mime-version",
           "content-type", "content-transfer-encoding", "content-description", "content-disposition",
           "auto-submitted"}
# RFC 3834 on the outer headers of every automatic mail: the value is vmt's, never the message's.
auto = {"ack": "auto-replied", "quarantine-notice": "auto-generated", "follow-up-notice": "auto-generated"}

def check(label, raw, to):
    """Exactly the expected fields, each once, no line break in a decoded value, To = the envelope."""
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if line.lower().startswith((b"bcc:", b"x-injected:")):
            bad.append(f"{label}: injected field line {line[:60]!r}")
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    names = [k.lower() for k in msg.keys()]
    for k in names:
        if k not in allowed:
            bad.append(f"{label}: unexpected header field {k!r}")
    kind = label.split(" ", 1)[0]
    if kind in auto and "(decrypted)" not in label and msg.get_all("auto-submitted") != [auto[kind]]:
        bad.append(f"{label}: Auto-Submitted {msg.get_all('auto-submitted')}, expected {auto[kind]}")
    for k in ("from", "to", "subject", "message-id", "date", "in-reply-to"):
        if names.count(k) > 1:
            bad.append(f"{label}: {names.count(k)} {k} fields")
    for k, v in msg.items():
        unfolded = v.replace("\r\n ", " ").replace("\n ", " ").replace("\r\n\t", " ").replace("\n\t", " ")
        decoded = str(email.header.make_header(email.header.decode_header(unfolded)))
        if any(c in decoded for c in "\r\n\0"):
            bad.append(f"{label}: a line break in the decoded value of {k}: {decoded[:80]!r}")
    addrs = [a for _, a in email.utils.getaddresses(msg.get_all("to", []))]
    if addrs != to:
        bad.append(f"{label}: To is {addrs}, expected {to}")

for line in open(f"{t}/outbox.txt"):
    kind, rcpts, path = line.rstrip("\n").split("|")
    to = json.loads(rcpts)
    check(f"{kind} {path}", open(path, "rb").read(), to)
    name = path.rsplit("/", 1)[1]
    try:
        check(f"{kind} {path} (decrypted)", open(f"{t}/{name}.inner", "rb").read(), to)
    except FileNotFoundError:
        pass
for b in bad:
    print("FAIL", b)
sys.exit(1 if bad else 0)
PY

# The template markers of case 4 reached the reporter literally (signed-only ack: the text is in clear).
ack4=$(store_q "$D" "select '$D/outbox/' || path from outbox where recipients like '%tmpl@evil.example%'")
python3 - "$ack4" <<'PY' || t_fail "template markers in a name were expanded"
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
part = m.get_body(("plain",))
text = part.get_content()
assert "Hello {{CASE_ID}} {{#ENCRYPTED}}yes{{/ENCRYPTED}} {{TEAM_ADDRESS}}," in text, text[:300]
subject = str(m["subject"])
assert "{{CASE_ID}} {{#ENCRYPTED}}yes{{/ENCRYPTED}}" in subject, subject
PY
t_log pass
