#!/bin/bash
# T610-hostile-corpus: every message of ../shared/corpus/mail (real-world and attack mails from ten
# public sources, classes A-MIX, A-ORACLE, A-MAL, S-*, PH, M-*, BASE) goes through
# `vmt inspect --json` with the keys its source provides, and the verdict PROVENANCE.md gives is
# asserted class by class (tests/lib/hostile_corpus.py: the rules and the documented exceptions).
# Then synthetic worst cases: a 50 MB message, a 50 MB encrypted one, 200 000 nesting levels, a
# 50 MB header line, 5 million parts: each under 10 s and 200 MB resident.
# Skips when ../shared is absent (a user's clone).
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_shared corpus/mail
t_require_cmd gpg
t_require_cmd python3
C="$VMT_SHARED_DIR/corpus/mail"

# One GnuPG home per source, holding the keys that source ships (tests/lib/corpus_keys.sh).
preset=$(bash "$VMT_SOURCE_DIR/tests/lib/corpus_keys.sh" "$T" "$C")
[ -n "$preset" ] || t_log "gpg-preset-passphrase unavailable: GMime's encrypted samples are only checked for a clean quarantine"

set +e
python3 "$VMT_SOURCE_DIR/tests/lib/hostile_corpus.py" "$VMT" "$C" "$T" $preset | tee "$T/corpus.log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || t_fail "hostile corpus verdicts (see FAIL lines above)"

# Synthetic worst cases (the corpus has no multi-MB bombs).
python3 - "$T" <<'PY'
import base64, os, sys
t = sys.argv[1]
def w(name, data):
    open(f"{t}/{name}", "wb").write(data)
b = base64.encodebytes(os.urandom(36 * 1024 * 1024)).replace(b"\n", b"\r\n")
w("big50.eml", b"From: a@b.example\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n\r\nhello\r\n"
  b"--B\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b + b"\r\n--B--\r\n")
w("parts.eml", b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n" + b"--p\r\n\r\nx\r\n" * 5_000_000)
w("header.eml", b"From: a@b.example\r\nX-Long: " + b"a" * (50 * 1024 * 1024) + b"\r\n\r\nbody\r\n")
w("deep.eml", b"From: a@b.example\r\n" + b"".join(
    b"Content-Type: multipart/mixed; boundary=\"d%d\"\r\n\r\n--d%d\r\n" % (i, i) for i in range(200_000)))
w("armor.eml", b"From: a@b.example\r\nContent-Type: text/plain\r\n\r\n" +
  b"-----BEGIN PGP MESSAGE-----\r\n\r\nhQ==\r\n-----END PGP MESSAGE-----\r\n" * 600_000)
w("inner.eml", b"Content-Type: multipart/mixed; boundary=\"i\"\r\n\r\n--i\r\n\r\nreport\r\n--i\r\n"
  b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
  base64.encodebytes(os.urandom(26 * 1024 * 1024)).replace(b"\n", b"\r\n") + b"\r\n--i--\r\n")
PY
fpr=$(t_genkey "$T/big/gnupg" "Team" team@example.org)
gpg --homedir "$T/big/gnupg" --batch -a -z 0 -r "$fpr" --trust-model always -e -o "$T/inner.asc" "$T/inner.eml"
{ printf 'From: a@b.example\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="E"\r\n\r\n'
  printf -- '--E\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--E\r\nContent-Type: application/octet-stream\r\n\r\n'
  cat "$T/inner.asc"; printf '\r\n--E--\r\n'; } > "$T/enc50.eml"
for f in big50 parts header deep armor enc50; do
  out=$("$VMT" inspect --json --stats --gnupg-home "$T/big/gnupg" "$T/$f.eml") || t_fail "$f: vmt inspect failed"
  ms=$(printf '%s' "$out" | t_json - 'j["elapsed_ms"]')
  kb=$(printf '%s' "$out" | t_json - 'j["max_rss_kb"]')
  verdict=$(printf '%s' "$out" | t_json - '("readable" if j["readable"] else "quarantined:" + j["quarantine_reason"])')
  t_log "synthetic $f ($(( $(stat -c %s "$T/$f.eml") / 1048576 )) MB): $verdict, $ms ms, $(( kb / 1024 )) MB resident"
  [ "$ms" -lt 10000 ] || t_fail "$f took $ms ms"
  [ "$kb" -lt 204800 ] || t_fail "$f used $kb kB"
done
t_assert_eq "$("$VMT" inspect --json --gnupg-home "$T/big/gnupg" "$T/enc50.eml" | t_json - 'j["encrypted"]')" true "50 MB encrypted message decrypts"
t_log "pass"
