#!/bin/bash
# T620-notmuch-agrees: mails vmt composes (crypto::compose through tests/tools/compose_driver) are
# checked by independent implementations: gpg on the command line (detached signature over the
# exact first part; decryption with the signature inside) and notmuch, which parses MIME and
# OpenPGP with GMime (docs in ../shared/docs/notmuch-check.md). Both must find a good signature by
# the team key, and the decrypted body and attachment must equal what was sent; notmuch must also
# restore the protected Subject of the encrypted mail.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd gpg
t_require_cmd notmuch
t_require_cmd python3
DRIVER="$VMT_BUILD_DIR/tests/compose_driver"
[ -x "$DRIVER" ] || t_fail "$DRIVER is not built"

TEAM=$(t_genkey "$T/team/gnupg" "VMT Team" security@example.org)
RCPT=$(t_genkey "$T/rcpt/gnupg" "Rita Reporter" rita@example.net)
t_export_key "$T/team/gnupg" "$T/rcpt/gnupg" "$TEAM"
t_export_key "$T/rcpt/gnupg" "$T/team/gnupg" "$RCPT"

printf 'Hello Rita,\n\nthe fix is attached (ünïcode ✓).\nFrom this line on, QP must keep it.\n.\ntrailing space \n-- \nVMT\n' > "$T/body.txt"
printf -- '--- a/nova/api.py\n+++ b/nova/api.py\n@@ -1 +1 @@\n-insecure()\n+secure()\n' > "$T/fix.patch"
"$DRIVER" "$T/team/gnupg" "$TEAM" security@example.org rita@example.net "[OSSA] signed ☃" "$T/body.txt" \
  --attach "$T/fix.patch" --message-id signed.t620@example.org > "$T/signed.eml" || t_fail "compose (signed)"
"$DRIVER" "$T/team/gnupg" "$TEAM" security@example.org rita@example.net "[OSSA] embargoed ☃" "$T/body.txt" \
  --encrypt "$RCPT" --attach "$T/fix.patch" --message-id enc.t620@example.org --subject hidden > "$T/enc.eml" ||
  t_fail "compose (encrypted)"
t_assert_eq "$(grep -c '^Subject: \.\.\.' "$T/enc.eml")" 1 "encrypted mail hides its subject when its template asks"

# 1. gpg: split the MIME by hand (bytes, not a re-serialising library) and verify/decrypt.
python3 - "$T" <<'PY'
import re, sys
t = sys.argv[1]
def split(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    b = re.search(rb'boundary="([^"]+)"', head).group(1)
    parts = body.split(b"\r\n--" + b)
    first = parts[0][len(b"--" + b + b"\r\n"):] if parts[0].startswith(b"--" + b) else None
    rest = [p[2:] for p in parts[1:] if not p.startswith(b"--")]
    return head, [first] + rest
head, parts = split(open(f"{t}/signed.eml", "rb").read())
assert re.search(rb"micalg=pgp-sha\d+", head) and b'protocol="application/pgp-signature"' in head
open(f"{t}/signed.part", "wb").write(parts[0])
sig = parts[1].partition(b"\r\n\r\n")[2]
open(f"{t}/signed.sig", "wb").write(sig)
head, parts = split(open(f"{t}/enc.eml", "rb").read())
assert b'protocol="application/pgp-encrypted"' in head
assert parts[0].partition(b"\r\n\r\n")[2].startswith(b"Version: 1")
open(f"{t}/enc.asc", "wb").write(parts[1].partition(b"\r\n\r\n")[2])
PY
out=$(gpg --homedir "$T/rcpt/gnupg" --status-fd 1 --verify "$T/signed.sig" "$T/signed.part" 2>/dev/null) || t_fail "gpg --verify failed"
t_assert_contains "$out" "[GNUPG:] VALIDSIG $TEAM" "gpg: good signature by the team key over the first part"
out=$(gpg --homedir "$T/rcpt/gnupg" --batch --status-fd 3 --decrypt -o "$T/enc.plain" "$T/enc.asc" 3>&1 2>/dev/null) ||
  t_fail "gpg --decrypt failed"
t_assert_contains "$out" "[GNUPG:] DECRYPTION_OKAY" "gpg decrypts"
t_assert_contains "$out" "[GNUPG:] GOODMDC" "integrity protected"
t_assert_contains "$out" "[GNUPG:] VALIDSIG $TEAM" "signed inside the ciphertext by the team key"
python3 - "$T" <<'PY'
import email, email.policy, sys
t = sys.argv[1]
msg = email.message_from_bytes(open(f"{t}/enc.plain", "rb").read(), policy=email.policy.default)
assert msg.get_param("protected-headers") == "v1", "protected headers marker"
assert str(msg["Subject"]) == "[OSSA] embargoed \u2603", msg["Subject"]
body, attachment = list(msg.iter_parts())
assert body.get_content().replace("\r\n", "\n") == open(f"{t}/body.txt", encoding="utf-8").read(), "body differs"
assert attachment.get_filename() == "fix.patch"
assert attachment.get_payload(decode=True) == open(f"{t}/fix.patch", "rb").read(), "attachment differs"
PY
[ $? = 0 ] || t_fail "decrypted content differs from what was sent"

# 2. notmuch (GMime): index both and show them verified and decrypted.
mkdir -p "$T/mail/cur" "$T/mail/new" "$T/mail/tmp"
cp "$T/signed.eml" "$T/enc.eml" "$T/mail/new/"
printf '[database]\npath=%s/mail\n[user]\nname=Test\nprimary_email=rita@example.net\n[new]\ntags=new\n[crypto]\ngpg_path=gpg\n' "$T" > "$T/notmuch-config"
export NOTMUCH_CONFIG="$T/notmuch-config" GNUPGHOME="$T/rcpt/gnupg"
notmuch new >/dev/null 2>&1 || t_fail "notmuch new"
notmuch show --format=json --verify id:signed.t620@example.org > "$T/signed.json" 2>/dev/null || t_fail "notmuch show (signed)"
notmuch show --format=json --verify --decrypt=true id:enc.t620@example.org > "$T/enc.json" 2>/dev/null || t_fail "notmuch show (encrypted)"
python3 - "$T" "$TEAM" <<'PY'
import json, sys
t, team = sys.argv[1], sys.argv[2]
body = open(f"{t}/body.txt", encoding="utf-8").read()
patch = open(f"{t}/fix.patch", encoding="utf-8").read()
def msg(path):
    return json.load(open(path))[0][0][0]
def parts(p):
    yield p
    c = p.get("content")
    if isinstance(c, list):
        for q in c:
            yield from parts(q)
s = msg(f"{t}/signed.json")
top = s["body"][0]
assert top["content-type"] == "multipart/signed", top["content-type"]
sig = top["sigstatus"][0]
assert sig["status"] == "good" and sig["fingerprint"] == team, sig
texts = [p for p in parts(top) if p.get("content-type") == "text/plain"]
assert texts and texts[0]["content"] == body, texts[:1]
att = [p for p in parts(top) if p.get("filename") == "fix.patch"]
assert att and att[0]["content"] == patch, att
e = msg(f"{t}/enc.json")
top = e["body"][0]
assert top["content-type"] == "multipart/encrypted"
assert top["encstatus"][0]["status"] == "good", top["encstatus"]
sig = top["sigstatus"][0]
assert sig["status"] == "good" and sig["fingerprint"] == team, sig
texts = [p for p in parts(top) if p.get("content-type") == "text/plain"]
assert texts and texts[0]["content"] == body, texts[:1]
att = [p for p in parts(top) if p.get("filename") == "fix.patch"]
assert att and att[0]["content"] == patch, att
assert e["headers"]["Subject"] == "[OSSA] embargoed \u2603", e["headers"]["Subject"]
assert e["crypto"]["decrypted"]["status"] == "full"
print("notmuch: signed good, encrypted good + signed good, bodies and attachments equal, protected Subject restored")
PY
[ $? = 0 ] || t_fail "notmuch disagrees"

# 3. And vmt's own reader agrees with both.
v=$("$VMT" inspect --json --gnupg-home "$T/rcpt/gnupg" "$T/enc.eml")
t_assert_eq "$(printf '%s' "$v" | t_json - 'j["signature"]["status"]')" valid "vmt inspect: signature"
t_assert_eq "$(printf '%s' "$v" | t_json - 'j["signature"]["fingerprint"]')" "$TEAM" "vmt inspect: signer"
t_assert_eq "$(printf '%s' "$v" | t_json - 'j["encrypted"]')" true "vmt inspect: encrypted"
t_log "pass"
