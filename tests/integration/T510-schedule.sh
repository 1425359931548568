#!/usr/bin/env bash
# T510-schedule: `vmt schedule --from DAY` proposes the disclosure date with its reasoning, from the
# built-in rule (no configuration at all) and from a vmt.yaml with a 5-10 window and a holiday;
# a chosen --date outside the rules is refused with the reason, a period with no fitting day too.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
unset VMT_CONFIG
cd "$T"

# No vmt.yaml here: the seed's rule (3rd-5th business day, Tue-Thu, 15:00 UTC).
out=$("$VMT" schedule --from 2026-05-12)
t_assert_contains "$out" "Fri 2026-05-15  business day 3: Friday is not a disclosure weekday"
t_assert_contains "$out" "Sat 2026-05-16  weekend"
t_assert_contains "$out" "Mon 2026-05-18  business day 4: Monday is not a disclosure weekday"
t_assert_contains "$out" "Proposed disclosure: Tue 2026-05-19 at 15:00 UTC (2026-05-19T15:00:00Z)"

"$VMT" schedule --from 2026-05-11 --json > plan.json
t_assert_eq "$(t_json plan.json 'j["proposal"]["at"]')" "2026-05-14T15:00:00Z" "Monday notification"
t_assert_eq "$(t_json plan.json 'j["proposal"]["business_day"]')" "3"
t_assert_eq "$(t_json plan.json 'j["distros_limit"]')" "2026-05-25"
t_assert_eq "$(t_json plan.json '[d["verdict"] for d in j["days"]]')" '["too_early", "too_early", "chosen"]'

# Leap day and year end.
t_assert_eq "$("$VMT" schedule --from 2028-02-24 --json | t_json - 'j["proposal"]["date"]')" "2028-02-29"
# The default configuration skips the year-end holidays (Dec 24 - Jan 1, the seed excludes holiday
# periods): notified Wed Dec 30, Dec 31 and Jan 1 do not count; Jan 4 and 5 are the 1st and 2nd.
t_assert_eq "$("$VMT" schedule --from 2026-12-30 --json | t_json - 'j["proposal"]["date"]')" "2027-01-06"
# Notified Mon Dec 21: without holidays the 3rd business day would be Thu Dec 24; with them the
# 3rd is Mon Jan 4, past the linux-distros limit: no date is proposed, and the refusal says why.
set +e
"$VMT" schedule --from 2026-12-21 --json > "$T/xmas.json" 2> "$T/xmas.err"
rc=$?
set -e
t_assert_eq "$rc" 69 "no proposal over the year-end holidays"
t_assert_eq "$(t_json "$T/xmas.json" '[d["verdict"] for d in j["days"] if d["date"] == "2026-12-24"]')" '["holiday"]'
t_assert_eq "$(t_json "$T/xmas.json" 'j.get("proposal")')" "null"
t_assert_contains "$(cat "$T/xmas.err")" "holiday day(s) in between"

# A coordinator's date: allowed, then refused with the reason (EX_DATAERR).
out=$("$VMT" schedule --from 2026-05-11 --date 2026-05-14)
t_assert_contains "$out" "Chosen date 2026-05-14: allowed, the 3rd business day (2026-05-14T15:00:00Z)"
set +e
"$VMT" schedule --from 2026-05-11 --date 2026-05-18 > out.txt 2> err.txt
rc=$?
set -e
t_assert_eq "$rc" 65 "a Monday is refused"
t_assert_contains "$(cat err.txt)" "Monday is not a disclosure weekday"
t_assert_contains "$(cat err.txt)" "choose the proposal, 2026-05-14"
t_expect_exit 65 "$VMT" schedule --from 2026-05-11 --date 2026-05-26 2>/dev/null  # past the 14 days
t_expect_exit 64 "$VMT" schedule --from 2026-02-30 2>/dev/null
t_expect_exit 64 "$VMT" schedule 2>/dev/null
# An argument that is not UTF-8 (a Latin-1 --reason) is refused before anything runs, and shown.
t_expect_exit 64 "$VMT" schedule --from 2026-05-11 --date 2026-05-18 --force --reason $'r\xe9union' 2> err.txt
t_assert_contains "$(cat err.txt)" "argument 'r\\xE9union' is not UTF-8"

# The team's vmt.yaml: the 5-10 window the OpenStack VMT adopted in November 2025, a holiday.
cat > vmt.yaml <<'YAML'
team: {address: security@example.org}
store: {}
tracker: {}
transport: {}
embargo: {}
limits: {}
log: {}
disclosure:
  min_business_days: 5
  max_business_days: 10
  holidays:
    - {from: 2026-05-25, name: Memorial Day}
    - {from: 2026-12-24, to: 2027-01-01, name: Winter break}
YAML
out=$("$VMT" schedule --from 2026-05-15)
t_assert_contains "$out" "the 5th to 10th business day"
t_assert_contains "$out" "Mon 2026-05-25  holiday 'Memorial Day'"
t_assert_contains "$out" "Proposed disclosure: Tue 2026-05-26 at 15:00 UTC"

# The winter break leaves no 5th-10th business day within 14 days: refused (EX_UNAVAILABLE), with
# the reasoning printed first.
set +e
"$VMT" schedule --from 2026-12-21 > out.txt 2> err.txt
rc=$?
set -e
t_assert_eq "$rc" 69 "no day fits"
t_assert_contains "$(cat out.txt)" "Thu 2026-12-24  holiday 'Winter break'"
t_assert_contains "$(cat err.txt)" "no Tuesday, Wednesday or Thursday is the 5th to 10th business day after 2026-12-21 within 14 days"

# A broken configuration is a configuration error, not a silent fallback to the defaults.
printf 'disclosure:\n  max_business_days: 99\n' > broken.yaml
t_expect_exit 78 "$VMT" --config broken.yaml schedule --from 2026-05-12 2>/dev/null
t_expect_exit 66 "$VMT" --config missing.yaml schedule --from 2026-05-12 2>/dev/null
t_log "ok"
