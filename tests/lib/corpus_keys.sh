#!/bin/bash
# corpus_keys.sh ROOT CORPUS: import into ROOT/<source>/gnupg (made when missing) the keys each
# source of the hostile mail corpus ships, for T610 (vmt inspect) and T630 (vmt-ingest). Never the
# *-rev.asc revocations, the passphrase copies, or the v5/v6 keys GnuPG 2.2 cannot read. GMime's
# test key has the passphrase 'no.secret': it is preset in that home's agent (vmt itself never asks
# for passphrases). Prints "--preset-ok" on stdout when that worked. Run it as the user who will
# read the homes (their agents belong to that user).
set -u
ROOT=$1
C=$2

home() {
  local h=$ROOT/$1/gnupg
  mkdir -p "$h" && chmod 700 "$h"
  gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1  # an agent started before reads the new conf
  grep -q allow-loopback-pinentry "$h/gpg-agent.conf" 2>/dev/null || printf 'allow-loopback-pinentry\n' >> "$h/gpg-agent.conf"
  grep -q allow-preset-passphrase "$h/gpg-agent.conf" 2>/dev/null || printf 'allow-preset-passphrase\n' >> "$h/gpg-agent.conf"
  grep -q pinentry-mode "$h/gpg.conf" 2>/dev/null || printf 'pinentry-mode loopback\n' >> "$h/gpg.conf"
}
imp() {
  local src=$1
  shift
  for f in "$@"; do
    gpg --homedir "$ROOT/$src/gnupg" --batch --pinentry-mode loopback --passphrase "${PASS:-}" --import "$f" >/dev/null 2>&1 ||
      echo "corpus_keys: could not import $f (left out)" >&2
  done
}
for s in johnny-you-are-fired covert-content-attacks e2e-mitigation-ccs20 thunderbird notmuch gmime mimetic \
         kde-mimetreeparser james-mime4j mailparse-rs; do home "$s"; done
imp johnny-you-are-fired "$C"/johnny-you-are-fired/assets/public-keys/*.asc
imp covert-content-attacks "$C"/covert-content-attacks/assets/secret-keys/manager@bigcorporation-sec.asc
imp e2e-mitigation-ccs20 "$C"/e2e-mitigation-ccs20/implementation/dc-demo.keys
for f in "$C"/thunderbird/mail/test/browser/openpgp/data/keys/*; do
  case "$f" in *-rev.asc|*-with-pp.asc|*v5-*|*v6-*|*apple-pub.asc) continue;; esac
  imp thunderbird "$f"
done
imp notmuch "$C"/notmuch/test/openpgp4-secret-key.asc
imp gmime "$C"/gmime/tests/data/pgp/gmime.gpg.pub
PASS=no.secret imp gmime "$C"/gmime/tests/data/pgp/gmime.gpg.sec
imp kde-mimetreeparser "$C"/kde-mimetreeparser/DERIVED-armored-keys/kde-test-secret-keys.asc \
    "$C"/kde-mimetreeparser/DERIVED-armored-keys/kde-test-public-keys.asc

PRESET_BIN=$(gpgconf --list-dirs libexecdir)/gpg-preset-passphrase
if [ -x "$PRESET_BIN" ]; then
  gpg-connect-agent --homedir "$ROOT/gmime/gnupg" /bye >/dev/null 2>&1
  ok=1
  for g in $(gpg --homedir "$ROOT/gmime/gnupg" --with-keygrip --with-colons -K | awk -F: '/^grp/ {print $10}'); do
    GNUPGHOME="$ROOT/gmime/gnupg" "$PRESET_BIN" --preset -P no.secret "$g" || ok=0
  done
  [ $ok = 1 ] && echo --preset-ok
fi
exit 0
