#!/bin/bash
# T401-advisory-corpus: every published advisory (../shared/corpus/ossa/yaml, 183 files) renders
# through `vmt advisory render --format rst` byte for byte as the real pipeline published it
# (../shared/corpus/ossa/rst); `vmt advisory check` accepts the clean ones and names the real
# problems of the others (file:line:column, field), with warnings for suspicious version ranges.
. "$(dirname "$0")/../lib/test-lib.sh"
t_require_shared corpus/ossa/yaml
t_setup

C="$VMT_SHARED_DIR/corpus/ossa"
total=0 same=0
for y in "$C"/yaml/*.yaml; do
  b=$(basename "$y" .yaml)
  total=$((total + 1))
  "$VMT" advisory render --format rst "$y" > "$T/$b.rst" || t_fail "render failed for $b"
  if cmp -s "$T/$b.rst" "$C/rst/$b.rst"; then
    same=$((same + 1))
  else
    diff -u "$C/rst/$b.rst" "$T/$b.rst" | head -20 >&2
  fi
done
t_log "$same/$total identical"
t_assert_eq "$total" 183 "corpus size"
t_assert_eq "$same" "$total" "rST identical to the corpus"

# check: the corpus has real mistakes; the verb must find them and exit 65, and pass a clean file.
t_expect_exit 0 "$VMT" advisory check "$C/yaml/OSSA-2026-012.yaml" > /dev/null 2> "$T/clean.err"
set +e
"$VMT" advisory check "$C"/yaml/*.yaml > "$T/check.out" 2> "$T/check.err"
rc=$?
set -e
t_assert_eq "$rc" 65 "check exit status with errors"
err=$(cat "$T/check.err")
t_assert_contains "$err" "OSSA-2026-007.yaml:22:13: error: vulnerabilities[0].cve-id: 'CVE-2026-pending' is not a CVE id"
t_assert_contains "$err" "OSSA-2025-001.yaml:22:14: warning: affected-products[0].version: '>=27.0.0, <29.0.1': the comma splits one range in two"
t_assert_contains "$err" "OSSA-2014-015.yaml:19:14: warning: affected-products[0].version: '2014.1' is read as a float"
t_assert_contains "$err" "OSSA-2025-001.yaml:30:15: warning: reporters[0].reported: a single value, not a list"
t_assert_contains "$(cat "$T/check.out")" "183 file(s): 7 error(s)"

# --json summary is one document.
set +e
"$VMT" advisory check --json "$C/yaml/OSSA-2026-007.yaml" > "$T/check.json" 2>/dev/null
set -e
t_assert_eq "$(t_json "$T/check.json" 'j["errors"]')" 4 "errors in OSSA-2026-007 (the CVE placeholder, 4 places)"
t_log "ok: $same/$total identical; check finds the corpus' 7 errors"
