#!/usr/bin/env bash
# T711-ingest-launchpad: the real mail filter `vmt-ingest`, configured with tracker.kind launchpad,
# files a report against the fake Launchpad: the exact requests of the reception (look first,
# createBug with the case tag, read back, ossa task then its status, the core security team,
# the reception comment); a redelivery makes no request that creates anything; with Launchpad
# down the filter exits 75 so that the MTA keeps the mail and retries.
#
# Needs the message reader: until the crypto branch lands, vmt-ingest cannot read mail (its
# analysis is a stub that defers everything) and this test SKIPs saying so.
source "$(dirname "$0")/../lib/test-lib.sh"
source "$VMT_SOURCE_DIR/tests/fakes/fake-lib.sh"
t_setup
t_require_cmd python3
t_require_cmd gpg
t_require_cmd curl
export VMT_NOW=2026-05-11T10:00:00Z

t_start_fake launchpad
LP=$FAKE_URL
D=$T/team
mkdir -p "$D"
team_fpr=$(t_genkey "$D/gnupg" "Security Team" security@example.org)
cat >"$D/vmt.yaml" <<EOF
team: {address: security@example.org, key: $team_fpr}
projects:
  - {name: nova, display: Nova, subject_tags: ["[nova]"], security_team: nova-coresec}
tracker:
  kind: launchpad
  api_root: $LP/devel/
  web_root: https://bugs.launchpad.test
  token_file: launchpad.token
  timeout_s: 5
  retries: 1
  backoff_ms: 10
EOF
printf '[1]\nconsumer_key = vmt\nconsumer_secret = \naccess_token = tok\naccess_secret = sec\n' >"$D/launchpad.token"
chmod 600 "$D/launchpad.token"
export VMT_CONFIG=$D/vmt.yaml
# Tests may run as root in a throwaway container; the filter refuses root unless told.
ingest=("$VMT_INGEST")
[ "$(id -u)" = 0 ] && ingest+=(--allow-root)

mail=$(printf 'From: Jane Doe <jane@example.net>\nTo: security@example.org\nSubject: [nova] token leak in logs\nMessage-ID: <r1@example.net>\nDate: Mon, 11 May 2026 10:00:00 +0000\n\nSECRET-DETAIL: the token is logged.\n')
set +e
printf '%s\n' "$mail" | "${ingest[@]}" >"$T/ingest.out" 2>&1
rc=$?
set -e
if [ "$rc" = 75 ] && grep -q "analysis: not available in this build" "$T/ingest.out"; then
  t_skip "vmt-ingest cannot read mail in this build (message analysis is a stub until the crypto branch lands); T710 covers the reception's tracker steps through \`vmt spool resume\`"
fi
t_assert_eq "$rc" 0 "vmt-ingest exit status ($(cat "$T/ingest.out"))"
t_assert_not_contains "$(cat "$T/ingest.out")" "SECRET-DETAIL"
bug=$("$VMT" show VMT-2026-001 --json | t_json - 'j["tracker_bug"]')
t_assert_eq "$(t_fake_trail "$LP")" "GET /devel/nova searchTasks
POST /devel/bugs createBug
GET /devel/bugs/$bug
GET /devel/bugs/$bug
GET /devel/bugs/$bug/bug_tasks
POST /devel/bugs/$bug addTask
GET /devel/ossa/+bug/$bug
PATCH /devel/ossa/+bug/$bug
POST /devel/bugs/$bug subscribe
GET /devel/bugs/$bug
GET /devel/bugs/$bug/messages
POST /devel/bugs/$bug newMessage" "reception requests"
t_assert_eq "$(t_fake_log "$LP" | t_json - '[e["form"].get("tags") for e in j if e.get("op") == "createBug"][0]')" \
  '["vmt-case-vmt-2026-001"]'

# The same mail again: a duplicate, nothing created.
mark=$(t_fake_count "$LP")
printf '%s\n' "$mail" | "${ingest[@]}" >>"$T/ingest.out" 2>&1 || t_fail "redelivery: $(cat "$T/ingest.out")"
t_assert_not_contains "$(t_fake_trail "$LP" "$mark")" "POST"

# Launchpad down for a new report: the filter defers (75) and the MTA will retry.
t_fake_control "$LP" '{"fail": [{"method": "GET", "path": "/devel/nova", "status": 503, "times": 2}]}'
set +e
printf '%s\n' "${mail/r1@/r2@}" | "${ingest[@]}" >>"$T/ingest.out" 2>&1
rc=$?
set -e
t_assert_eq "$rc" 75 "exit status while Launchpad is down"
printf '%s\n' "${mail/r1@/r2@}" | "${ingest[@]}" >>"$T/ingest.out" 2>&1 || t_fail "retry after the outage: $(tail -5 "$T/ingest.out")"
t_log "ok"
