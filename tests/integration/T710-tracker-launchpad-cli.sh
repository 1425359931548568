#!/usr/bin/env bash
# T710-tracker-launchpad-cli: the real `vmt` binary against the fake Launchpad and the fake CVE
# Services: `vmt tracker login launchpad` (the three-step exchange, the human step done by the
# test), reception's tracker steps run by `vmt spool resume` for a case filed before an outage,
# `vmt tracker sync` (report, --dry-run prints requests and sends no write, then repair), a token
# readable by others refused (77), an outage deferred (75), `vmt cve reserve --case` and
# `vmt cve publish --at` staging a validated record for the disclosure hour.
source "$(dirname "$0")/../lib/test-lib.sh"
source "$VMT_SOURCE_DIR/tests/fakes/fake-lib.sh"
t_setup
t_require_cmd python3
t_require_cmd sqlite3
t_require_cmd curl
export VMT_NOW=2026-05-11T10:00:00Z

t_start_fake launchpad
LP=$FAKE_URL
t_start_fake cve
CVE=$FAKE_URL
D=$T/team
mkdir -p "$D"
cat >"$D/vmt.yaml" <<EOF
team: {address: security@example.org}
projects:
  - {name: nova, display: Nova, subject_tags: ["[nova]"], security_team: nova-coresec}
tracker:
  kind: launchpad
  api_root: $LP/devel/
  auth_root: $LP
  web_root: https://bugs.launchpad.test
  token_file: launchpad.token
  timeout_s: 5
  retries: 1
  backoff_ms: 10
cve: {api_root: $CVE/api, org: vmtcna, user: vmt@example.org, key_file: cve.key}
advisories: advisories
EOF
export VMT_CONFIG=$D/vmt.yaml

# 1. Login: the human step is the test granting the request token on the fake's page.
mkfifo "$T/stdin"
"$VMT" tracker login launchpad <"$T/stdin" >"$T/login.out" 2>&1 &
login=$!
exec 9>"$T/stdin"
for _ in $(seq 1 100); do grep -q '+authorize-token' "$T/login.out" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*+authorize-token[^ ]*' "$T/login.out")
t_assert_contains "$url" "allow_permission=WRITE_PRIVATE" "the page offers Change Anything"
t_assert_contains "$(cat "$T/login.out")" "Change Anything"
curl -sf "$url&test_grant=WRITE_PRIVATE" >/dev/null
echo >&9
exec 9>&-
wait $login || t_fail "login failed: $(cat "$T/login.out")"
t_assert_eq "$(stat -c %a "$D/launchpad.token")" 600 "token file mode"
t_assert_contains "$(cat "$D/launchpad.token")" "access_token = at2"

# 2. A case filed while the tracker was down (as the filter leaves it): `vmt spool resume` runs the
#    reception's tracker steps against Launchpad. No reporter address, so no acknowledgement to sign.
"$VMT" list >/dev/null  # creates the store
mkdir -p "$D/spool"
printf 'Subject: [nova] token leak in logs\nMessage-ID: <r1@example.net>\n\nSECRET-DETAIL: the token is logged.\n' >"$D/spool/r1.eml"
key=$(sha256sum "$D/spool/r1.eml" | cut -d' ' -f1)
sqlite3 "$D/vmt.db" <<EOF
INSERT INTO cases(id, year, seq, title, project, embargo_end, created_at, updated_at)
  VALUES('VMT-2026-001', 2026, 1, '[nova] token leak in logs', 'nova', '2026-08-09', '$VMT_NOW', '$VMT_NOW');
INSERT INTO messages(case_id, dedupe_key, sha256, message_id, state, received_at, spool_path, size, subject, body)
  VALUES('VMT-2026-001', '$key', '$key', 'r1@example.net', 'filed', '$VMT_NOW', '$D/spool/r1.eml', 80,
         '[nova] token leak in logs', 'SECRET-DETAIL: the token is logged.');
EOF
"$VMT" spool resume >"$T/resume.out" 2>&1 || t_fail "spool resume: $(cat "$T/resume.out")"
bug=$("$VMT" show VMT-2026-001 --json | t_json - 'j["tracker_bug"]')
t_assert_eq "$(t_fake_trail "$LP" 3)" "GET /devel/nova searchTasks
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
t_assert_contains "$(cat "$T/resume.out")" "1 message(s) completed"
t_assert_not_contains "$(cat "$T/resume.out")" "SECRET-DETAIL"

# 3. In line after reception; then a coordinator retitles the bug by hand and the store gets a CVE.
t_assert_contains "$("$VMT" tracker sync VMT-2026-001)" "in line with the store"
t_fake_control "$LP" "{\"edit\": {\"$bug\": {\"title\": \"renamed by hand\"}}}"
echo k3y >"$D/cve.key"
chmod 600 "$D/cve.key"
t_assert_eq "$("$VMT" cve reserve --case VMT-2026-001)" "CVE-2026-1001"
t_assert_eq "$("$VMT" show VMT-2026-001 --json | t_json - 'j["cve"]')" "CVE-2026-1001"

mark=$(t_fake_count "$LP")
out=$("$VMT" tracker sync VMT-2026-001 --dry-run)
t_assert_contains "$out" "title              renamed by hand -> [nova] token leak in logs (CVE-2026-1001)  (dry run: not written)"
t_assert_contains "$out" "cve                (not linked) -> CVE-2026-1001"
t_assert_contains "$out" "dry-run: would send PATCH $LP/devel/bugs/$bug"
t_assert_contains "$out" "Authorization: <redacted>"
t_assert_not_contains "$(t_fake_trail "$LP" "$mark")" "PATCH"
t_assert_not_contains "$(t_fake_trail "$LP" "$mark")" "POST"

mark=$(t_fake_count "$LP")
"$VMT" tracker sync VMT-2026-001 >"$T/sync.out" || t_fail "sync: $(cat "$T/sync.out")"
trail=$(t_fake_trail "$LP" "$mark")
t_assert_contains "$trail" "PATCH /devel/bugs/$bug"
t_assert_contains "$trail" "POST /devel/bugs/$bug linkCVE"       # refused: Launchpad has not imported it...
t_assert_contains "$trail" "POST /devel/bugs/$bug newMessage"    # ...so a comment names it
t_assert_contains "$("$VMT" tracker sync VMT-2026-001)" "in line with the store"
t_assert_contains "$("$VMT" show VMT-2026-001)" "brought in line with the store: title, linked CVE-2026-1001"

# 4. Failures: an outage defers (75); a token others can read is refused before anything is sent (77).
t_fake_control "$LP" "{\"fail\": [{\"method\": \"GET\", \"path\": \"/devel/bugs/$bug\", \"status\": 503, \"times\": 2}]}"
t_expect_exit 75 "$VMT" tracker sync VMT-2026-001
chmod 644 "$D/launchpad.token"
mark=$(t_fake_count "$LP")
set +e
err=$("$VMT" tracker sync VMT-2026-001 2>&1)
rc=$?
set -e
t_assert_eq "$rc" 77 "exit status for a token readable by others"
t_assert_contains "$err" "chmod"
t_assert_eq "$(t_fake_count "$LP")" "$mark" "nothing sent with a loose token"
chmod 600 "$D/launchpad.token"

# 5. The CVE record, built from the advisory, validated and staged for the disclosure hour.
mkdir -p "$D/advisories"
cat >"$D/advisories/OSSA-2026-001.yaml" <<'EOF'
date: 2026-05-19
id: OSSA-2026-001
title: Token leak in nova API logs
description: >
  Jane Doe (Example Corp) reported a vulnerability in Nova. By doing X, an
  authenticated user may Y.
affected-products:
  - product: nova
    version: '<29.0.1, >=30.0.0 <30.0.2'
vulnerabilities:
  - cve-id: CVE-2026-1001
reporters:
  - name: Jane Doe
    affiliation: Example Corp
issues:
  links:
    - https://bugs.launchpad.net/nova/+bug/2000001
EOF
mark=$(t_fake_count "$CVE")
"$VMT" cve publish VMT-2026-001 --advisory "$D/advisories/OSSA-2026-001.yaml" --at 2026-05-19T15:00:00Z >"$T/pub.out" ||
  t_fail "cve publish --at: $(cat "$T/pub.out")"
t_assert_contains "$(cat "$T/pub.out")" "staged for 2026-05-19T15:00:00Z"
t_assert_eq "$(t_fake_count "$CVE")" "$mark" "nothing sent before the hour"
t_assert_eq "$(sqlite3 "$D/vmt.db" "SELECT kind, state, not_before FROM staged")" "cve-publish|pending|2026-05-19T15:00:00Z"
sqlite3 "$D/vmt.db" "SELECT payload FROM staged" | t_json - 'j["container"]' >"$T/container.json"
if [ -f "$VMT_SHARED_DIR/corpus/schemas/CVE_Record_Format_bundled.json" ]; then
  python3 - "$VMT_SHARED_DIR/corpus/schemas/CVE_Record_Format_bundled.json" "$T/container.json" <<'EOF' || t_fail "the staged CNA container does not validate"
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
for k in ("oneOf", "required", "properties", "additionalProperties"):
    s.pop(k, None)
s["$ref"] = "#/definitions/cnaPublishedContainer"
d = json.load(open(sys.argv[2]))
d.setdefault("providerMetadata", {"orgId": "00000000-0000-4000-8000-000000000000"})
errors = list(jsonschema.Draft7Validator(s).iter_errors(d))
for e in errors:
    print(e.message, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
else
  t_log "schema check of the staged container skipped: $VMT_SHARED_DIR is absent"
fi
# Published now (dry run: the requests are printed, nothing sent).
out=$("$VMT" cve publish VMT-2026-001 --advisory "$D/advisories/OSSA-2026-001.yaml" --dry-run)
t_assert_contains "$out" "dry-run: would send POST $CVE/api/cve/CVE-2026-1001/cna"
t_assert_contains "$out" "CVE-API-KEY: <redacted>"
t_assert_not_contains "$out" "k3y"
t_log "ok"
