#!/bin/bash
# T560-public-path-and-watchdog: the other ways a case goes public, with the real binaries:
#  - an embargo ended early (details leaked): the bug opens, the reminder goes, no advance
#    notification is possible, the CVE moves the task to Fix Committed and the advisory is
#    announced at once;
#  - no advisory (won't-fix, a hardening opportunity): the bug becomes Public with the security tag;
#  - the watchdog: an embargo past its end date is ended by `vmt check` (exit 1: action was due),
#    a stuck case reminds the project's security liaison, a due-soon embargo is flagged.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_team "$T/team"
D=$T/team
cfg=$D/vmt.yaml
vmt() { t_as_vmt "$VMT" --config "$cfg" "$@"; }
bug() { sqlite3 "$D/tracker.db" "$1"; }
# Three reports: distinct messages from the same reporter.
for n in 1 2 3; do
  sed -e "s/^Message-ID: <\([^@]*\)@/Message-ID: <$n-\1@/I" "$D/demo/report.eml" > "$T/r$n.eml"
done
export VMT_NOW=2026-03-02T09:00:00Z
for n in 1 2 3; do t_ingest "$cfg" < "$T/r$n.eml" || t_fail "ingest $n"; done
t_assert_eq "$(vmt list --json | t_json - 'len(j)')" 3 "three cases"

# 1. Embargo ended early, public workflow.
vmt confirm VMT-2026-001 > /dev/null
t_expect_exit 64 vmt end-embargo VMT-2026-001 2> /dev/null   # a reason is required
vmt end-embargo VMT-2026-001 --reason "details posted on a public mailing list" > /dev/null || t_fail end-embargo
t_assert_eq "$(bug "select information_type from bugs where id=1")" "Public Security" "the bug is public"
t_assert_not_contains "$(bug "select description from bugs where id=1")" "potential security risk under" "reminder removed"
t_assert_eq "$(vmt show VMT-2026-001 --json | t_json - 'j["private"]')" false "the case is public"
printf 'Title: Token leak\nReporter: Jane Reporter (Example Security Lab)\nProducts: Nova\nAffects: >=31.0.0 <31.1.1\n\nDescription:\nJane Reporter (Example Security Lab) reported a vulnerability in nova-api. Tokens leak. Only some deployments are affected.\n' > "$T/desc.txt"
chmod 644 "$T/desc.txt"
vmt describe VMT-2026-001 --file "$T/desc.txt" > /dev/null && vmt review VMT-2026-001 > /dev/null || t_fail "describe/review"
vmt cve-request VMT-2026-001 > "$T/form.txt" || t_fail cve-request
t_assert_not_contains "$(cat "$T/form.txt")" "BEGIN PGP PUBLIC KEY BLOCK" "no key for a public report"
t_assert_not_contains "$(cat "$T/form.txt")" "under embargo" "no embargo note for a public report"
vmt cve-assign VMT-2026-001 CVE-2026-22222 > /dev/null || t_fail cve-assign
t_assert_eq "$(vmt show VMT-2026-001 --json | t_json - 'j["ossa_status"]')" "Fix Committed" "public path: Fix Committed on the CVE"
t_expect_exit 69 vmt notify VMT-2026-001 2> "$T/err"
t_assert_contains "$(cat "$T/err")" "VMT-2026-001" "no advance notification on the public path"
vmt advisory new VMT-2026-001 --dir "$D/advisories" > "$T/adv" || t_fail "advisory new"
sed -i -e 's|https://review.opendev.org/c/openstack/nova/+/TODO|https://review.opendev.org/c/openstack/nova/+/900002|' \
  -e 's|TODO the public bug URL|https://bugs.launchpad.net/nova/+bug/2100002|' -e '/^notes:/,$d' "$(cat "$T/adv")"
vmt publish VMT-2026-001 --advisory "$(cat "$T/adv")" > /dev/null || t_fail "publish (public: at once)"
t_assert_eq "$(vmt outbox list --json | t_json - '[m["state"] for m in j if m["kind"]=="announce"]')" '["queued"]' "announced at once"

# 2. No advisory: won't-fix, a hardening opportunity.
vmt won\'t-fix VMT-2026-002 --hardening --reason "defence in depth only" > /dev/null || t_fail "won't-fix"
t_assert_eq "$(bug "select information_type from bugs where id=2")" "Public" "no advisory: plain Public"
t_assert_contains "$(bug "select tags from bugs where id=2")" "security" "tagged as a hardening opportunity"
t_assert_eq "$(bug "select status from tasks where bug=2 and project='ossa'")" "Won't Fix" "ossa task Won't Fix"

# 3. The watchdog, 91 days after reception: case 3 is still embargoed and has not moved.
sed -i 's/^  - name: nova$/  - name: nova\n    liaison: {name: Nova Liaison, email: liaison@nova.example}/' "$cfg"
export VMT_NOW=2026-05-17T09:00:00Z   # 14 days before the end: flagged, liaison reminded
set +e; vmt check > "$T/check1.out"; rc=$?; set -e
t_assert_eq "$rc" 1 "vmt check exits 1 when action is due"
t_assert_contains "$(cat "$T/check1.out")" "embargo ends in 14 days" "embargo ending soon flagged"
t_assert_contains "$(cat "$T/check1.out")" "reminded liaison@nova.example" "stuck case: the liaison is reminded"
reminders() { vmt outbox list --json | t_json - 'len([m for m in j if m["kind"]=="reminder" and m["case"]=="VMT-2026-003" and "liaison@nova.example" in m["recipients"]])'; }
t_assert_eq "$(reminders)" 1 "one reminder for the stuck embargoed case"
vmt check > /dev/null || true
t_assert_eq "$(reminders)" 1 "not reminded twice in the same period"
export VMT_NOW=2026-06-01T09:00:00Z   # past 2026-05-31, the 90th day
set +e; vmt check > "$T/check2.out"; rc=$?; set -e
t_assert_eq "$rc" 1 "action was due"
t_assert_contains "$(cat "$T/check2.out")" "switched to the public workflow" "the embargo ended by the watchdog"
t_assert_eq "$(vmt show VMT-2026-003 --json | t_json - 'j["private"]')" false "case 3 is public"
t_assert_eq "$(bug "select information_type from bugs where id=3")" "Public Security" "its bug too"
t_log ok
