#!/bin/bash
# T090-production-ignores-test-seams: the installed programs cannot be told what time it is, nor
# made to fail on purpose. The test clock (VMT_NOW) and the fault hooks (VMT_TEST_CRASH_AFTER...)
# exist only in the test variants (build/tests/bin): an environment variable must not move an
# embargo, open a bug early or lose a mail. The same steps with the test variants do move the
# clock, which shows the assertions can fail.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd python3
t_team "$T/team"
D=$T/team
cfg=$D/vmt.yaml

# No trace of the seams in the production programs.
for p in "$VMT_PROD" "$VMT_PROD_INGEST" "$VMT_PROD_SEND"; do
  for s in VMT_NOW VMT_TEST_HOOKS VMT_TEST_CRASH_AFTER VMT_TEST_STOP_AFTER; do
    grep -q "$s" "$p" && t_fail "$(basename "$p") contains $s: the test seam is in the production build"
  done
done
grep -q VMT_NOW "$VMT" || t_fail "the test variant of vmt has no VMT_NOW (this test would show nothing)"

today=$(date -u +%Y-%m-%d)
# A crash hook and a clock in the environment: production files the report, today.
VMT_NOW=2020-01-06T10:00:00Z VMT_TEST_HOOKS=1 VMT_TEST_CRASH_AFTER=store \
  t_as_vmt "$VMT_PROD_INGEST" --config "$cfg" < "$D/demo/report.eml" || t_fail "production vmt-ingest failed"
C=VMT-$(date -u +%Y)-001
t_as_vmt "$VMT_PROD" --config "$cfg" show "$C" --json > "$T/case.json" || t_fail "no case $C"
t_assert_eq "$(t_json "$T/case.json" 'j["created_at"][:10]')" "$today" "created now, not at VMT_NOW"
end=$(t_json "$T/case.json" 'j["embargo_end"]')
t_assert_eq "$end" "$(date -u -d "$today + 90 days" +%Y-%m-%d)" "embargo 90 days from today"

# The watchdog, told it is long after the embargo's end: production keeps the embargo.
VMT_NOW=2099-01-01T16:00:00Z t_as_vmt "$VMT_PROD" --config "$cfg" check > /dev/null 2>&1 || true
t_assert_eq "$(sqlite3 "$D/tracker.db" "select information_type from bugs where id=1")" "Private Security" \
  "a VMT_NOW in the environment ended the embargo of an installed build"
t_assert_eq "$(t_as_vmt "$VMT_PROD" --config "$cfg" show "$C" --json | t_json - 'j["private"]')" true

# The test variant does move (the control): the same command ends the embargo.
VMT_NOW=2099-01-01T16:00:00Z t_as_vmt "$VMT" --config "$cfg" check > /dev/null 2>&1 || true
t_assert_eq "$(sqlite3 "$D/tracker.db" "select information_type from bugs where id=1")" "Public Security" \
  "the test variant's clock did not move (the assertion above shows nothing)"
t_log ok
