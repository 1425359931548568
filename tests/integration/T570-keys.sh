#!/bin/bash
# T570-keys: the team's keys as verbs. `vmt keys list` says who uses each key and when it
# expires; `vmt keys check` finds a missing, an expiring and a revoked key among the configured
# parties, each with the command that fixes it (exit 1), and is quiet when all is well (exit 0);
# `vmt keys import` takes a key file or a mail that carries the key, and says who it serves. The
# errors that point at a key to import name this verb.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_team "$T/team"
D=$T/team
cfg=$D/vmt.yaml
vmt() { t_as_vmt "$VMT" --config "$cfg" "$@"; }
g() { t_as_vmt gpg --homedir "$D/gnupg" --batch "$@"; }

# The demo's keys: made today, valid a year.
vmt keys list > "$T/list.out" || t_fail "keys list"
t_assert_contains "$(cat "$T/list.out")" "used as team key security@example.org"
t_assert_contains "$(cat "$T/list.out")" "used as linux-distros distros@vs.openwall.example"
t_assert_contains "$(cat "$T/list.out")" "used as PTL of Nova ptl@nova.example"
t_assert_contains "$(cat "$T/list.out")" "[secret]"
vmt keys check > "$T/check.out" || t_fail "keys check of a fresh demo: $(cat "$T/check.out")"
t_assert_contains "$(cat "$T/check.out")" "all present, usable and valid beyond 30 days"
t_expect_exit 1 vmt keys check --days 400 > "$T/check.out"
t_assert_contains "$(cat "$T/check.out")" "expiring"
t_assert_contains "$(cat "$T/check.out")" "fix: extend it: gpg --homedir"

# A stakeholder's key disappears: missing, with the verb that brings it back.
s1=$(vmt keys list --json | t_json - '[k["fingerprint"] for k in j if any("security@distro-one.example" in u for u in k["used_as"])][0]')
t_export_key "$D/demo/stakeholder-1/gnupg" "$T/export" "$s1"
gpg --homedir "$T/export" --armor --export "$s1" > "$T/s1.asc"
chmod 644 "$T/s1.asc"
g --yes --delete-keys "$s1" 2> /dev/null || t_fail "could not delete the key"
t_expect_exit 1 vmt keys check > "$T/check.out"
t_assert_contains "$(cat "$T/check.out")" "missing   stakeholder security@distro-one.example: key $s1 is not in"
t_assert_contains "$(cat "$T/check.out")" "fix: vmt keys import FILE"
# Back from a mail that carries it, pasted in the body as people do.
{ printf 'From: Distro One <security@distro-one.example>\nTo: security@example.org\nSubject: our key\n\nHere it is:\n\n'
  cat "$T/s1.asc"; } > "$T/key-mail.eml"
chmod 644 "$T/key-mail.eml"
vmt keys import --from-mail "$T/key-mail.eml" > "$T/import.out" || t_fail "keys import --from-mail: $(cat "$T/import.out")"
t_assert_contains "$(cat "$T/import.out")" "imported $s1"
t_assert_contains "$(cat "$T/import.out")" "used as stakeholder security@distro-one.example"
vmt keys check > /dev/null || t_fail "the key is back: keys check should pass"
printf 'From: x@example.net\nSubject: no key\n\nnothing\n' > "$T/no-key.eml"; chmod 644 "$T/no-key.eml"
t_expect_exit 65 vmt keys import --from-mail "$T/no-key.eml" 2> /dev/null

# Revoked: the PTL revokes their key and we import the revocation.
ptl=$(vmt keys list --json | t_json - '[k["fingerprint"] for k in j if any("ptl@nova.example" in u for u in k["used_as"])][0]')
cp "$D/demo/ptl/gnupg/openpgp-revocs.d/$ptl.rev" "$T/rev.asc" 2>/dev/null ||
  t_as_vmt gpg --homedir "$D/demo/ptl/gnupg" --batch --yes --pinentry-mode loopback --passphrase '' \
    --gen-revoke "$ptl" > "$T/rev.asc" 2>/dev/null
sed -i 's/^:-----BEGIN/-----BEGIN/' "$T/rev.asc"
chmod 644 "$T/rev.asc"
vmt keys import "$T/rev.asc" > /dev/null 2>&1 || true
t_expect_exit 1 vmt keys check > "$T/check.out"
t_assert_contains "$(cat "$T/check.out")" "revoked   PTL of Nova ptl@nova.example: key $ptl is revoked"

t_expect_exit 64 vmt keys import 2> /dev/null
t_log ok
