#!/bin/bash
# T402-advisory-malformed: malformed advisory YAML (truncated, wrong types, 10 MB of garbage, deeply
# nested) gets one clear error naming the file, line, column and field, and exit 65 (EX_DATAERR):
# never a crash (134/139) and never a hang (each run is bounded by timeout(1)).
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup

good="$T/OSSA-2026-013.yaml"
cat > "$good" <<'YAML'
date: 2026-05-11
id: OSSA-2026-013
title: Token leak in Nova logs
description: >
  Jane Doe (Example Corp) reported a vulnerability in Nova.
affected-products:
  - product: nova
    version: '<30.2.2, >=31.0.0 <31.2.1'
vulnerabilities:
  - cve-id: CVE-2026-12345
reporters:
  - name: Jane Doe
    affiliation: Example Corp
    reported:
      - CVE-2026-12345
issues:
  links:
    - https://bugs.launchpad.net/nova/+bug/1234567
reviews:
  master:
    - https://review.opendev.org/c/openstack/nova/+/1
YAML
t_expect_exit 0 "$VMT" advisory check "$good" >/dev/null 2>&1

# run_bad NAME VERB...: expect exit 65 within 30 s; prints stderr.
run_bad() {
  local name=$1
  shift
  set +e
  timeout 30 "$VMT" "$@" > "$T/$name.out" 2> "$T/$name.err"
  local rc=$?
  set -e
  [ $rc -ne 124 ] || t_fail "$name: vmt hung (killed after 30 s)"
  [ $rc -lt 128 ] || t_fail "$name: vmt crashed (exit $rc): $(head -c 500 "$T/$name.err")"
  t_assert_eq "$rc" 65 "$name: exit status"
  [ ! -s "$T/$name.out" ] || [ "$(head -c 4 "$T/$name.out")" != "====" ] || t_fail "$name: printed a layout anyway"
  cat "$T/$name.err"
}

# Truncated in the middle of a flow list.
head -n 15 "$good" > "$T/trunc.yaml"
printf '      - [CVE-2026-1' >> "$T/trunc.yaml"
out=$(run_bad truncated advisory render --format rst "$T/trunc.yaml")
t_assert_contains "$out" "$T/trunc.yaml:"
t_assert_contains "$out" "$T/trunc.yaml:16:9: reporters.reported: a list or mapping where a key was expected"

# Truncated at a line: valid YAML that lacks required fields.
head -n 4 "$good" > "$T/cut.yaml"
out=$(run_bad cut advisory check "$T/cut.yaml")
t_assert_contains "$out" "$T/cut.yaml:1:1: error: affected-products: missing or empty"

# Wrong types: a list where text is expected, a mapping where a list is expected, a quoted date.
sed -e 's/^title: .*/title: [Token, leak]/' -e "s/^date: .*/date: '2026-05-11'/" \
    -e 's/^  - cve-id: CVE-2026-12345/  cve-id: CVE-2026-12345/' "$good" > "$T/types.yaml"
out=$(run_bad types advisory render --format rst "$T/types.yaml")
t_assert_contains "$out" "$T/types.yaml:1:7: date: '2026-05-11' is not an unquoted date"
out=$(run_bad types-check advisory check "$T/types.yaml")
t_assert_contains "$out" "$T/types.yaml:3:8: error: title: expected text, got a list"
t_assert_contains "$out" "$T/types.yaml:10:3: error: vulnerabilities: expected a list of {cve-id}, got a mapping"

# 10 MB of garbage.
head -c 10485760 /dev/urandom > "$T/garbage.yaml"
out=$(run_bad garbage advisory render --format html "$T/garbage.yaml")
t_assert_contains "$out" "$T/garbage.yaml: file is 10485760 bytes, more than the limit of 1048576"
# 900 KB of printable garbage reaches the parser and is refused as YAML.
head -c 2000000 /dev/urandom | tr -dc 'a-z:[]{}#&*!|>-' | head -c 900000 > "$T/garbage2.yaml"
run_bad garbage2 advisory check "$T/garbage2.yaml" > /dev/null

# Deeply nested: flow brackets, indentation and block sequences.
python3 -c "print('a: ' + '[' * 300000 + ']' * 300000)" > "$T/deep1.yaml"
out=$(run_bad deep1 advisory render --format json "$T/deep1.yaml")
t_assert_contains "$out" "$T/deep1.yaml:1:35: a: nesting deeper than 32 levels"
python3 -c "print(''.join(' ' * i + 'k:\n' for i in range(1000)))" > "$T/deep2.yaml"
out=$(run_bad deep2 advisory check "$T/deep2.yaml")
t_assert_contains "$out" "$T/deep2.yaml:33:33: k.k.k.k.k."
python3 -c "print('- ' * 300000 + 'x')" > "$T/deep3.yaml"
out=$(run_bad deep3 advisory render --format rst "$T/deep3.yaml")
t_assert_contains "$out" "nesting deeper than 32 levels"

# A site build refuses to publish a bad file and leaves no half site behind.
mkdir "$T/src"
cp "$good" "$T/src/"
cp "$T/types.yaml" "$T/src/OSSA-2026-014.yaml"
out=$(run_bad site advisory site --out "$T/site" "$T/src")
t_assert_contains "$out" "OSSA-2026-014.yaml:1:7: error: date"
[ ! -e "$T/site" ] || t_fail "a failed build left $T/site"
ls "$T" | grep -q '^site\.tmp' && t_fail "a failed build left its staging folder"

# Not UTF-8 (a Latin-1 title): check, render and site all refuse it with its place, never write the
# raw byte into the mail, never an internal error.
sed 's/^title: Token leak/title: Caf\xe9 token leak/' "$good" > "$T/latin1.yaml"
grep -q $'\xe9' "$T/latin1.yaml" || t_fail "the test did not write a Latin-1 byte"
out=$(run_bad latin1-check advisory check "$T/latin1.yaml")
t_assert_contains "$out" "$T/latin1.yaml:3:11: title: not UTF-8 (byte 0xE9)"
out=$(run_bad latin1-render advisory render --format rst "$T/latin1.yaml")
t_assert_contains "$out" "not UTF-8"
# A site names every bad file in one pass, and an id used twice, and publishes nothing.
cp "$T/latin1.yaml" "$T/src/OSSA-2026-015.yaml"
sed 's/^id: OSSA-2026-013/id: OSSA-2026-013/' "$good" > "$T/src/OSSA-2026-016.yaml"
out=$(run_bad site-all advisory site --json --out "$T/site" "$T/src")
t_assert_contains "$out" "3 file(s) cannot be published"
t_assert_contains "$out" "OSSA-2026-014.yaml:1:7: error: date"
t_assert_contains "$out" "OSSA-2026-015.yaml:3:11: title: not UTF-8"
t_assert_contains "$out" "OSSA-2026-016.yaml: id OSSA-2026-013 is also the id of"
t_assert_eq "$(t_json "$T/site-all.out" 'j["error"]["kind"]')" data "--json: the failure as JSON, not an internal error"
[ ! -e "$T/site" ] || t_fail "a failed build left $T/site"
# What check finds in a publishable file is reported with the build, in --json too.
rm "$T"/src/OSSA-2026-01[456].yaml
sed 's|https://bugs.launchpad.net/nova/+bug/1234567|TODO the public bug URL|' "$good" > "$T/src/OSSA-2026-017.yaml"
sed -i 's/OSSA-2026-013/OSSA-2026-017/' "$T/src/OSSA-2026-017.yaml"
"$VMT" advisory site --json --out "$T/site" "$T/src" > "$T/site.json" || t_fail "the site does not build"
t_assert_contains "$(t_json "$T/site.json" 'j["warnings"]')" "OSSA-2026-017.yaml:"
t_log "ok: truncated, wrong types, 10 MB garbage and deep nesting all end in exit 65 with file:line:column"
